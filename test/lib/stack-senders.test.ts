import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { WebhookEndpoint } from '../../lib/constructs/webhook-endpoint.ts';
import { CsPlaybooksStack } from '../../lib/cs-playbooks-stack.ts';
import { addNagChecks } from '../../lib/nag.ts';
import { stageConfig } from '../../lib/stages.ts';
import { asArray, logicalId, statementsOfRole } from './synth.ts';

// Who may send what, as the stack deploys it: one Secrets Manager secret per sender (each vendor path's,
// and each named sender of /webhooks/events), an output per secret, the ingest's GetSecretValue on
// exactly those, and WEBHOOK_SENDERS giving the function each secret and its types. Two stages: one that
// names its senders (billing and an NPS tool, no product), and staging as shipped (the defaults).

let app: App;
const stacks: Record<'named' | 'defaults', { stack: CsPlaybooksStack; template: Template; webhook: WebhookEndpoint }> = {} as never;
let packs: ReturnType<typeof addNagChecks>;

beforeAll(() => {
  vi.stubEnv('CDK_VALIDATION', 'false');
  app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
  const staging = stageConfig('staging');
  const named = new CsPlaybooksStack(app, 'CsPlaybooks-senders', {
    stage: { ...staging, webhooks: { events: { billing: ['BillingStarted'], 'nps-tool': ['NpsResponseReceived'] }, zendesk: ['ClientFeedbackReceived'] } },
  });
  const defaults = new CsPlaybooksStack(app, 'CsPlaybooks-default-senders', { stage: staging });
  packs = addNagChecks(app);
  // Both stacks built before the first synthesis (Template.fromStack synthesizes the app).
  for (const [key, stack] of [['named', named], ['defaults', defaults]] as const) {
    stacks[key] = { stack, template: Template.fromStack(stack), webhook: stack.node.findChild('Webhook') as WebhookEndpoint };
  }
});
afterAll(() => vi.unstubAllEnvs());

const secretsOf = (webhook: WebhookEndpoint) => Object.entries(webhook.secrets).flatMap(([vendor, ofPath]) => Object.entries(ofPath).map(([sender, secret]) => ({ vendor, sender, secret })));

describe('given a stage naming two senders of /webhooks/events (billing, nps-tool) and narrowing Zendesk', () => {
  it('then there is one secret per sender and per vendor path, seven in all, and no product secret', () => {
    const { template, webhook } = stacks.named;
    expect(secretsOf(webhook).map(({ vendor, sender }) => `${vendor}/${sender}`)).toEqual(['events/billing', 'events/nps-tool', 'typeform/typeform', 'hubspot/hubspot', 'zendesk/zendesk', 'slack/slack', 'segment/segment']);
    const webhookSecrets = Object.keys(template.findResources('AWS::SecretsManager::Secret')).filter((id) => id.startsWith('Webhook'));
    expect(webhookSecrets.sort()).toEqual(secretsOf(webhook).map(({ secret }) => logicalId(secret)).sort());
    expect(webhookSecrets.some((id) => /^WebhookSigningSecrets/.test(id))).toBe(false);
  });

  it('then each sender’s secret is an output named after it, and there is no WebhookSecretArn', () => {
    const { template, webhook } = stacks.named;
    template.hasOutput('BillingSenderWebhookSecretArn', { Value: { Ref: logicalId(webhook.secrets.events!.billing!) } });
    template.hasOutput('NpsToolSenderWebhookSecretArn', { Value: { Ref: logicalId(webhook.secrets.events!['nps-tool']!) }, Description: 'Put the sender "nps-tool" of Standard Webhooks (whsec_…; it may publish NpsResponseReceived) here: POST <api>/webhooks/events' });
    template.hasOutput('ZendeskWebhookSecretArn', { Description: "Put Zendesk's webhook signing secret (it may publish ClientFeedbackReceived) here: POST <api>/webhooks/zendesk" });
    expect(Object.keys(template.toJSON().Outputs)).not.toContain('WebhookSecretArn');
  });

  it('then the ingest may GetSecretValue on exactly those six secrets, and nothing else of Secrets Manager', () => {
    const { template, webhook } = stacks.named;
    const statements = statementsOfRole(template, logicalId(webhook.ingest.role)).filter((s) => asArray(s.Action).some((a) => a.startsWith('secretsmanager:')));
    expect(statements.flatMap((s) => asArray(s.Action))).toEqual(['secretsmanager:GetSecretValue']);
    const granted = statements.flatMap((s) => asArray(s.Resource)).map((resource) => JSON.stringify(resource));
    expect(granted.sort()).toEqual(secretsOf(webhook).map(({ secret }) => JSON.stringify({ Ref: logicalId(secret) })).sort());
  });

  it('then WEBHOOK_SENDERS gives the function each sender’s secret and the types it may publish', () => {
    const { template, webhook, stack } = stacks.named;
    const variable = template.toJSON().Resources[logicalId(webhook.ingest.function)].Properties.Environment.Variables.WEBHOOK_SENDERS as { 'Fn::Join': [string, unknown[]] };
    const resolved = variable['Fn::Join'][1].map((part) => (typeof part === 'string' ? part : `<${(part as { Ref: string }).Ref}>`)).join('');
    expect(JSON.parse(resolved)).toEqual({
      events: {
        billing: { secretArn: `<${logicalId(webhook.secrets.events!.billing!)}>`, types: ['BillingStarted'] },
        'nps-tool': { secretArn: `<${logicalId(webhook.secrets.events!['nps-tool']!)}>`, types: ['NpsResponseReceived'] },
      },
      typeform: { typeform: { secretArn: `<${logicalId(webhook.secrets.typeform!.typeform!)}>`, types: ['NpsResponseReceived'] } },
      hubspot: { hubspot: { secretArn: `<${logicalId(webhook.secrets.hubspot!.hubspot!)}>`, types: ['AccountUpdated', 'ChurnRiskCreated', 'TouchpointLogged', 'TaskCompleted'] } },
      zendesk: { zendesk: { secretArn: `<${logicalId(webhook.secrets.zendesk!.zendesk!)}>`, types: ['ClientFeedbackReceived'] } },
      slack: { slack: { secretArn: `<${logicalId(webhook.secrets.slack!.slack!)}>`, types: ['AlertAcknowledged', 'ApprovalDecided', 'AlertSnoozed'] } },
      segment: { segment: { secretArn: `<${logicalId(webhook.secrets.segment!.segment!)}>`, types: ['ProductUsageRecorded'] } },
    });
    expect(stack.stackName).toBe('CsPlaybooks-senders');
  });
});

describe('given a stage that names no sender (staging as shipped)', () => {
  it('then /webhooks/events has the product, on the secret it always had (WebhookSigningSecrets, output WebhookSecretArn), and the import, on one of its own', () => {
    const { template, webhook } = stacks.defaults;
    expect(Object.keys(webhook.secrets.events!)).toEqual(['product', 'import']);
    expect(logicalId(webhook.secrets.events!.product!)).toMatch(/^WebhookSigningSecrets[0-9A-F]{8}$/);
    expect(logicalId(webhook.secrets.events!.import!)).toMatch(/^WebhookImportSenderSigningSecrets[0-9A-F]{8}$/);
    // The vendors keep theirs too: an upgrade keeps every value ops put there.
    expect(logicalId(webhook.secrets.typeform!.typeform!)).toMatch(/^WebhookTypeformSigningSecrets[0-9A-F]{8}$/);
    template.hasOutput('WebhookSecretArn', { Value: { Ref: logicalId(webhook.secrets.events!.product!) } });
    template.hasOutput('ImportSenderWebhookSecretArn', { Value: { Ref: logicalId(webhook.secrets.events!.import!) } });
  });
});

describe('cdk-nag', () => {
  it.each(['awsSolutions', 'serverless'] as const)('when the %s pack walks both stacks, then it finds nothing unacknowledged (each new secret answers SMG4 where it is made)', (pack) => {
    const violations = packs[pack].validateScope(app).violations;
    expect(violations.map((v) => `${v.severity} ${v.ruleName}: ${v.violatingResources.map((r) => r.constructPath).join(', ')}`)).toEqual([]);
  });
});
