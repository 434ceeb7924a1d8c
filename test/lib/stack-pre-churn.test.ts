import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { MAX_SAVE_TIMEOUT_DAYS } from '../../functions/contracts/settings.ts';
import { LATE_OUTCOME_DAYS } from '../../functions/core/pre-churn/waits.ts';
import { ACTIONS, DOMAIN_IDS, domainOf, domainsOf, PLAYBOOKS, type DomainId } from '../../lib/catalog.ts';
import { CsPlaybooksStack } from '../../lib/cs-playbooks-stack.ts';
import { stageConfig } from '../../lib/stages.ts';
import { actionsOf, roleOf, stack, synthesizeDevStage, template } from './dev-stage.ts';
import { asArray, getAttArn, logicalId, statementsOfRole } from './synth.ts';

// The pre-churn playbook on AWS: its rule, its state machine's bound, and the least-privilege grants of
// the function that asks finance for money (the refund domain's, request-refund alone) and of the one
// that resumes a parked execution (the pre-churn domain's).
synthesizeDevStage();

const BASELINE = ['logs:CreateLogStream', 'logs:PutLogEvents', 'xray:PutTelemetryRecords', 'xray:PutTraceSegments'];
const preChurn = PLAYBOOKS.find((p) => p.id === 'pre-churn')!;
const machineRef = () => ({ Ref: logicalId(stack.stateMachines['pre-churn']!.stateMachine) });
const tableArn = () => getAttArn(stack.node.findChild('Data').node.findChild('Table'));
const variablesOf = (t: Template, s: CsPlaybooksStack, id: DomainId) => t.toJSON().Resources[logicalId(s.functions[id])].Properties.Environment.Variables as Record<string, unknown>;

describe('the pre-churn playbook', () => {
  it('given the rule, then both a cancellation and a save outcome start it', () => {
    const rules = Object.values(template.findResources('AWS::Events::Rule')).filter((rule) =>
      (rule.Properties.Targets as { Arn: unknown }[]).some((target) => JSON.stringify(target.Arn) === JSON.stringify(machineRef())),
    );
    expect(rules.map((rule) => rule.Properties.EventPattern)).toEqual([{ source: ['cs-playbooks'], 'detail-type': ['CancellationRequested', 'SaveAttemptConcluded'] }]);
  });

  it('given its TimeoutSeconds, then it covers the longest save wait (30 business days, holidays included), the late wait and the proof wait', () => {
    const definition = JSON.parse(template.toJSON().Resources[machineRef().Ref].Properties.DefinitionString as string) as { TimeoutSeconds: number };
    // 30 business days span at most 6 weeks and a few holidays: 50 calendar days, with the two 30-day waits after it.
    const longest = (Math.ceil((MAX_SAVE_TIMEOUT_DAYS / 5) * 7) + 8 + 2 * LATE_OUTCOME_DAYS) * 86_400;
    expect(definition.TimeoutSeconds).toBeGreaterThan(longest);
    expect(definition.TimeoutSeconds).toBeLessThan(365 * 86_400);
  });

  it("given its role, then it may invoke exactly the functions of its actions' domains", () => {
    const role = (template.toJSON().Resources[machineRef().Ref].Properties.RoleArn as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0];
    const invoke = statementsOfRole(template, role).filter((s) => asArray(s.Action).includes('lambda:InvokeFunction'));
    const invoked = invoke.flatMap((s) => asArray(s.Resource)).map((r) => JSON.stringify(r)).sort();
    expect(invoked).toEqual(domainsOf(preChurn).map((domain) => JSON.stringify(getAttArn(stack.functions[domain]))).sort());
  });
});

describe('request-refund: least privilege', () => {
  it('given its function, then the refund domain’s, which runs request-refund and nothing else', () => {
    expect(domainOf('request-refund')).toBe('refund');
    expect(Object.keys(ACTIONS).filter((action) => domainOf(action as keyof typeof ACTIONS) === 'refund')).toEqual(['request-refund']);
  });

  it('given its role, then exactly GetItem and PutItem on the table, logs and traces: no Scan, no Update, no Delete, no Step Functions, no secret in a stage without vendors; it puts refunds and outbox entries only', () => {
    const statements = statementsOfRole(template, roleOf('refund'));
    expect(actionsOf(statements).sort()).toEqual([...BASELINE, 'dynamodb:GetItem', 'dynamodb:PutItem'].sort());
    const onTable = statements.filter((s) => actionsOf([s]).some((a) => a.startsWith('dynamodb:')));
    expect([...new Set(onTable.flatMap((s) => asArray(s.Resource)).map((resource) => JSON.stringify(resource)))]).toEqual([JSON.stringify(tableArn())]);
    const put = onTable.find((s) => actionsOf([s]).includes('dynamodb:PutItem'))!;
    expect(put.Condition).toEqual({ 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['OUTBOX#*', 'REFUND#*'] } });
    expect(ACTIONS['request-refund'].tableActions).toEqual(['dynamodb:GetItem', 'dynamodb:PutItem']);
  });

  it('given its environment in a stage without vendors, then only the playbook function contract: the ledger’s outbox stands for the finance channel', () => {
    expect(Object.keys(variablesOf(template, stack, 'refund')).sort()).toEqual(['NODE_OPTIONS', 'POWERTOOLS_METRICS_NAMESPACE', 'POWERTOOLS_SERVICE_NAME', 'SETTINGS', 'STAGE', 'TABLE_NAME']);
  });

  it('given the pre-churn domain (await-save-outcome, record-save-outcome), then its function may SendTaskSuccess on the pre-churn state machine only (no SendTaskFailure, no heartbeat)', () => {
    expect([domainOf('await-save-outcome'), domainOf('record-save-outcome')]).toEqual(['pre-churn', 'pre-churn']);
    const states = statementsOfRole(template, roleOf('pre-churn')).filter((s) => actionsOf([s]).some((a) => a.startsWith('states:')));
    expect(actionsOf(states)).toEqual(['states:SendTaskSuccess']);
    expect(states.flatMap((s) => asArray(s.Resource))).toEqual([machineRef()]);
  });
});

describe('request-refund in a stage that posts to Slack', () => {
  let app: App;
  let vendorsStack: CsPlaybooksStack;
  let vendorsTemplate: Template;
  const vendors = { secretName: 'cs-playbooks/prod/vendors', slack: { alertChannel: 'C0123ALERTS', financeChannel: 'C0456FINANCE' } };

  beforeAll(() => {
    vi.stubEnv('CDK_VALIDATION', 'false');
    app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
    vendorsStack = new CsPlaybooksStack(app, 'CsPlaybooks-prechurn-vendors', { stage: { ...stageConfig('prod'), vendors } });
    vendorsTemplate = Template.fromStack(vendorsStack);
  });
  afterAll(() => vi.unstubAllEnvs());

  it('given its environment, then the finance channel and the vendor secret’s name, and not the alert channel', () => {
    const variables = variablesOf(vendorsTemplate, vendorsStack, 'refund');
    expect(variables).toMatchObject({ SLACK_FINANCE_CHANNEL: 'C0456FINANCE', VENDOR_SECRET_ID: 'cs-playbooks/prod/vendors' });
    expect(variables).not.toHaveProperty('SLACK_ALERT_CHANNEL');
    expect(JSON.stringify(variables)).not.toMatch(/TOKEN|xox/);
  });

  it('given its role, then beyond the table only GetSecretValue on the stage’s vendor secret', () => {
    const role = (vendorsTemplate.toJSON().Resources[logicalId(vendorsStack.functions.refund)].Properties.Role as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0];
    const statements = statementsOfRole(vendorsTemplate, role);
    expect(actionsOf(statements).sort()).toEqual([...BASELINE, 'dynamodb:GetItem', 'dynamodb:PutItem', 'secretsmanager:GetSecretValue'].sort());
    const secret = statements.filter((s) => actionsOf([s]).includes('secretsmanager:GetSecretValue')).flatMap((s) => asArray(s.Resource));
    expect(JSON.stringify(secret)).toContain(':secret:cs-playbooks/prod/vendors-??????');
    expect(secret).toHaveLength(1);
  });

  it('given the other functions, then none knows the finance channel', () => {
    const others = DOMAIN_IDS.filter((id) => id !== 'refund');
    expect(others.filter((id) => 'SLACK_FINANCE_CHANNEL' in variablesOf(vendorsTemplate, vendorsStack, id))).toEqual([]);
  });
});
