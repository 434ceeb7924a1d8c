import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { DOMAIN_IDS, domainGrants, type DomainId } from '../../lib/catalog.ts';
import { CsPlaybooksStack } from '../../lib/cs-playbooks-stack.ts';
import type { WebhookEndpoint } from '../../lib/constructs/webhook-endpoint.ts';
import { addNagChecks } from '../../lib/nag.ts';
import { stageConfig } from '../../lib/stages.ts';
import type { VendorConfig } from '../../lib/vendors.ts';
import { asArray, logicalId, statementsOfRole } from './synth.ts';

// A stage that mirrors its ledger to HubSpot and Slack and sends e-mail through SES: the domains' functions
// whose actions call a vendor port (the dispatch drain, the refund) get its settings and the vendor secret's
// id (read with Powertools Parameters on the SDK's client), the others get nothing; the grant is GetSecretValue on that secret only; the
// mailer's function may SendEmail from the stage's sender only; cdk-nag stays clean.

const vendors: VendorConfig = {
  secretName: 'cs-playbooks/staging/vendors',
  hubspot: { riskPipeline: 'retention', riskStages: { open: 'risk-open', saved: 'risk-saved', lost: 'risk-lost' }, companyIdProperty: 'cs_account_id' },
  slack: { alertChannel: 'C0123ALERTS', financeChannel: 'C0456FINANCE' },
  ses: { fromAddress: 'success@cs.example.com', configurationSet: 'cs-playbooks-staging' },
};

let app: App;
let stack: CsPlaybooksStack;
let template: Template;
let packs: ReturnType<typeof addNagChecks>;

beforeAll(() => {
  vi.stubEnv('CDK_VALIDATION', 'false');
  app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
  stack = new CsPlaybooksStack(app, 'CsPlaybooks-vendors', { stage: { ...stageConfig('staging'), vendors } });
  packs = addNagChecks(app);
  template = Template.fromStack(stack);
});
afterAll(() => vi.unstubAllEnvs());

/** The domains, each called as its function is: by the union of its actions' ports. */
const functionIds: readonly DomainId[] = DOMAIN_IDS;
const portsOf = (id: DomainId) => domainGrants(id).ports as readonly string[];
const callsCrm = (id: DomainId) => portsOf(id).includes('crm');
const callsAlertChannel = (id: DomainId) => portsOf(id).includes('alerts');
const callsFinanceChannel = (id: DomainId) => portsOf(id).includes('finance');
const callsSlack = (id: DomainId) => callsAlertChannel(id) || callsFinanceChannel(id);
const callsSes = (id: DomainId) => portsOf(id).includes('mailer');
const callsVendor = (id: DomainId) => callsCrm(id) || callsSlack(id);
const properties = (id: DomainId) => template.toJSON().Resources[logicalId(stack.functions[id])].Properties;

describe('given a stage with HubSpot and Slack configured', () => {
  it('then some functions call the CRM, and some do not (the test below covers both)', () => {
    // The steps write the ledger and queue what the CRM must receive: the dispatch drain alone calls it.
    expect(functionIds.filter(callsCrm)).toEqual(['dispatch']);
    expect(functionIds.filter((id) => !callsCrm(id)).length).toBeGreaterThan(0);
  });

  it.each(functionIds)("then %s gets a vendor's settings if, and only if, it calls that vendor, and the secret if it calls any", (id) => {
    const variables = properties(id).Environment.Variables as Record<string, string>;
    const hubspot = { HUBSPOT_RISK_PIPELINE: 'retention', HUBSPOT_RISK_STAGE_OPEN: 'risk-open', HUBSPOT_COMPANY_ID_PROPERTY: 'cs_account_id' };
    if (callsCrm(id)) expect(variables).toMatchObject(hubspot);
    else expect(Object.keys(variables).filter((name) => name.startsWith('HUBSPOT_'))).toEqual([]);
    expect(variables.SLACK_ALERT_CHANNEL).toBe(callsAlertChannel(id) ? 'C0123ALERTS' : undefined);
    expect(variables.SLACK_FINANCE_CHANNEL).toBe(callsFinanceChannel(id) ? 'C0456FINANCE' : undefined);
    expect(variables.SES_FROM_ADDRESS).toBe(callsSes(id) ? 'success@cs.example.com' : undefined);
    expect(variables.SES_CONFIGURATION_SET).toBe(callsSes(id) ? 'cs-playbooks-staging' : undefined);
    if (callsVendor(id)) expect(variables.VENDOR_SECRET_ID).toBe(vendors.secretName);
    else expect(Object.keys(variables).filter((name) => /^(VENDOR|HUBSPOT|SLACK)_/.test(name))).toEqual([]);
    // The secret is read with the SDK's client (Powertools Parameters): no extension layer.
    expect(properties(id).Layers).toBeUndefined();
    // Tokens never reach the template: they stay in the secret.
    expect(JSON.stringify(variables)).not.toMatch(/TOKEN/);
  });

  it.each(functionIds.filter(callsVendor))('then %s may read the vendor secret, and only it, with GetSecretValue only', (id) => {
    const role = stack.functions[id].role!;
    const secretStatements = statementsOfRole(template, logicalId(role)).filter((s) => asArray(s.Action).some((a) => a.startsWith('secretsmanager:')));
    expect(secretStatements).toHaveLength(1);
    expect(secretStatements[0]!.Action).toBe('secretsmanager:GetSecretValue');
    expect(JSON.stringify(secretStatements[0]!.Resource)).toContain(`:secret:${vendors.secretName}-??????`);
  });

  it.each(functionIds)('then %s may send e-mail through SES if, and only if, it calls the mailer: SendEmail from the stage sender, on its identity and configuration set', (id) => {
    const role = stack.functions[id].role!;
    const sesStatements = statementsOfRole(template, logicalId(role)).filter((s) => asArray(s.Action).some((a) => a.startsWith('ses:')));
    if (!callsSes(id)) {
      expect(sesStatements).toEqual([]);
      return;
    }
    expect(sesStatements).toHaveLength(1);
    expect(sesStatements[0]).toMatchObject({ Action: 'ses:SendEmail', Condition: { StringEquals: { 'ses:FromAddress': 'success@cs.example.com' } } });
    const resources = JSON.stringify(sesStatements[0]!.Resource);
    for (const resource of [':identity/success@cs.example.com', ':identity/cs.example.com', ':configuration-set/cs-playbooks-staging']) expect(resources).toContain(resource);
    expect(asArray(sesStatements[0]!.Resource)).toHaveLength(3);
  });

  it("then the ingest function gets HubSpot's settings and the vendor secret's id (it reads the objects HubSpot's webhooks name), no Slack or SES setting, no token, no extension layer", () => {
    const ingest = template.toJSON().Resources[logicalId(stack.node.findChild('Webhook').node.findChild('Ingest').node.findChild('Function'))].Properties;
    const variables = ingest.Environment.Variables as Record<string, unknown>;
    expect(variables).toMatchObject({ VENDOR_SECRET_ID: vendors.secretName, HUBSPOT_RISK_PIPELINE: 'retention', HUBSPOT_COMPANY_ID_PROPERTY: 'cs_account_id' });
    expect(Object.keys(variables).filter((name) => /^(HUBSPOT|SLACK|SES)_/.test(name)).sort()).toEqual(['HUBSPOT_COMPANY_ID_PROPERTY', 'HUBSPOT_RISK_PIPELINE']);
    expect(JSON.stringify(variables)).not.toMatch(/TOKEN/);
    // Read with the SDK's client, as the signing secrets are: no extension layer.
    expect(ingest.Layers).toBeUndefined();
  });

  it("then the ingest function may read the vendor secret with GetSecretValue, besides its senders' signing secrets", () => {
    const webhook = stack.node.findChild('Webhook') as WebhookEndpoint;
    const statements = statementsOfRole(template, logicalId(webhook.ingest.role)).filter((s) => asArray(s.Action).some((a) => a.startsWith('secretsmanager:')));
    expect(statements.flatMap((s) => asArray(s.Action))).toEqual(['secretsmanager:GetSecretValue', 'secretsmanager:GetSecretValue']);
    const resources = statements.flatMap((s) => asArray(s.Resource));
    expect(resources).toHaveLength(Object.values(webhook.secrets).flatMap((ofPath) => Object.values(ofPath)).length + 1);
    expect(JSON.stringify(resources)).toContain(`:secret:${vendors.secretName}-??????`);
  });

  it('then exactly the dispatch drain calls the mailer: send-email queues, the drain sends', () => {
    expect(functionIds.filter(callsSes)).toEqual(['dispatch']);
  });

  it("then exactly the refund's function (request-refund alone) knows the finance channel: no other function may post there", () => {
    expect(functionIds.filter(callsFinanceChannel)).toEqual(['refund']);
    const withFinanceChannel = functionIds.filter((id) => 'SLACK_FINANCE_CHANNEL' in (properties(id).Environment.Variables as Record<string, string>));
    expect(withFinanceChannel).toEqual(['refund']);
  });

  it.each(['awsSolutions', 'serverless'] as const)('then the %s pack finds nothing unacknowledged', (pack) => {
    const violations = packs[pack].validateScope(app).violations;
    expect(violations.map((v) => `${v.severity} ${v.ruleName}: ${v.violatingResources.map((r) => r.constructPath).join(', ')}`)).toEqual([]);
  });
});
