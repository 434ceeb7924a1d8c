import type { IConstruct } from 'constructs';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { VENDOR_IDS } from '../../functions/ingest/vendors/index.ts';
import { domainsOf, PLAYBOOKS, type ActionId } from '../../lib/catalog.ts';
import type { CsPlaybooksStack } from '../../lib/cs-playbooks-stack.ts';
import { APPROVAL_REHEARSAL } from '../support/approval-rehearsal.ts';
import { actionsOf, stack, synthesizeDevStage, template } from './dev-stage.ts';
import { asArray, getAttArn, logicalId, statementsOfRole, synthesize } from './synth.ts';

// Approval mode on AWS: the signed route and its Lambda, and who may resume a parked execution.
// First the stack as the catalog ships it, then one that also deploys the test fixture playbook that
// asks for approvals (what nps-response and no-contact will do), nag packs on.

synthesizeDevStage();

const roleOfFunction = (synthesized: { template: typeof template }, fn: IConstruct) =>
  (synthesized.template.toJSON().Resources[logicalId(fn)].Properties.Role as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0];
const decideFunction = (s: CsPlaybooksStack) => s.approvals.decide.function;
const BASELINE = ['logs:CreateLogStream', 'logs:PutLogEvents', 'xray:PutTelemetryRecords', 'xray:PutTraceSegments'];

describe('the approval endpoint, as the catalog ships', () => {
  it('given the HTTP API, then POST /approvals/{approvalId} reaches its own Lambda, not the ingest function', () => {
    const routes = Object.values(template.findResources('AWS::ApiGatewayV2::Route'));
    const route = routes.find((r) => r.Properties.RouteKey === 'POST /approvals/{approvalId}');
    expect(route).toBeDefined();
    const integrationId = (route!.Properties.Target as { 'Fn::Join': [string, unknown[]] })['Fn::Join'][1][1] as { Ref: string };
    const integration = template.toJSON().Resources[integrationId.Ref].Properties;
    expect(JSON.stringify(integration.IntegrationUri)).toContain(logicalId(decideFunction(stack)));
    expect(routes.map((r) => r.Properties.RouteKey).sort()).toEqual(['POST /approvals/{approvalId}', ...VENDOR_IDS.map((vendor) => `POST /webhooks/${vendor}`)].sort());
  });

  it('given the approval Lambda, then its environment is exactly its contract, and it reads its own signing secret, not the vendors’', () => {
    const fn = template.toJSON().Resources[logicalId(decideFunction(stack))].Properties;
    expect(Object.keys(fn.Environment.Variables).sort()).toEqual(['APPROVAL_SECRET_ARN', 'NODE_OPTIONS', 'POWERTOOLS_METRICS_NAMESPACE', 'POWERTOOLS_SERVICE_NAME', 'TABLE_NAME']);
    expect(fn.Environment.Variables.APPROVAL_SECRET_ARN).toEqual({ Ref: logicalId(stack.approvals.secret) });
    expect(logicalId(stack.approvals.secret)).not.toBe(logicalId(stack.node.findChild('Webhook').node.findChild('SigningSecrets')));
  });

  it('given the approval Lambda’s role, then it may read and conditionally put on the table, read its secret, and resume only the playbooks that ask for approvals', () => {
    const statements = statementsOfRole(template, roleOfFunction({ template }, decideFunction(stack)));
    const table = getAttArn(stack.node.findChild('Data').node.findChild('Table'));
    const byAction = (action: string) => statements.filter((s) => asArray(s.Action).includes(action)).flatMap((s) => asArray(s.Resource));
    expect(byAction('dynamodb:GetItem')).toEqual([table]);
    expect(byAction('dynamodb:PutItem')).toEqual([table]);
    expect(byAction('secretsmanager:GetSecretValue')).toEqual([{ Ref: logicalId(stack.approvals.secret) }]);
    const callers = PLAYBOOKS.filter((p) => (p.actions as readonly ActionId[]).includes('request-approval'));
    const states = callers.length > 0 ? ['states:SendTaskFailure', 'states:SendTaskSuccess'] : [];
    expect(actionsOf(statements).sort()).toEqual([...BASELINE, 'dynamodb:GetItem', 'dynamodb:PutItem', 'secretsmanager:GetSecretValue', ...states].sort());
    const byRef = (refs: unknown[]) => refs.map((ref) => JSON.stringify(ref)).sort();
    expect(byRef(byAction('states:SendTaskSuccess'))).toEqual(byRef(callers.map((p) => ({ Ref: logicalId(stack.stateMachines[p.id]!.stateMachine) }))));
    expect(callers.map((p) => p.id).sort()).toEqual(['no-contact', 'nps-response', 'usage-check', 'welcome-back']);
  });

  it('given the stack, then it outputs the approval URL and the approval secret’s ARN', () => {
    template.hasOutput('ApprovalUrl', {});
    template.hasOutput('ApprovalSecretArn', { Value: { Ref: logicalId(stack.approvals.secret) } });
  });
});

describe('a stack whose playbooks ask for approvals (the test fixture beside the catalog)', () => {
  let withApprovals: ReturnType<typeof synthesize>;
  beforeAll(() => {
    vi.stubEnv('CDK_VALIDATION', 'false');
    withApprovals = synthesize('dev', { bundle: false, playbooks: [...PLAYBOOKS, APPROVAL_REHEARSAL] });
  });
  afterAll(() => {
    withApprovals?.dispose();
    vi.unstubAllEnvs();
  });
  /** The state machines that ask for approvals: the catalog's (nps-response, no-contact…) and the fixture. */
  const askingMachines = () =>
    [...PLAYBOOKS, APPROVAL_REHEARSAL]
      .filter((p) => (p.actions as readonly ActionId[]).includes('request-approval'))
      .map((p) => ({ Ref: logicalId(withApprovals.stack.stateMachines[p.id]!.stateMachine) }));
  const statesStatements = (role: string) => statementsOfRole(withApprovals.template, role).filter((s) => asArray(s.Action).some((a) => a.startsWith('states:')));

  it('given the approval Lambda, then its grants are exactly SendTaskSuccess and SendTaskFailure on the state machines that ask', () => {
    const statements = statesStatements(roleOfFunction(withApprovals, decideFunction(withApprovals.stack)));
    expect(actionsOf(statements).sort()).toEqual(['states:SendTaskFailure', 'states:SendTaskSuccess']);
    expect(statements.flatMap((s) => asArray(s.Resource))).toEqual(expect.arrayContaining(askingMachines()));
    expect(statements.flatMap((s) => asArray(s.Resource))).toHaveLength(askingMachines().length);
  });

  it('given request-approval and apply-approval-decision, then one function runs them, the approvals domain’s; create-task’s function may resume nothing', () => {
    expect(withApprovals.stack.functionOf('request-approval')).toBe(withApprovals.stack.functionOf('apply-approval-decision'));
    expect(withApprovals.stack.functionOf('plan-approval')).toBe(withApprovals.stack.functionOf('request-approval'));
    expect(statesStatements(roleOfFunction(withApprovals, withApprovals.stack.functionOf('create-task')))).toEqual([]);
  });

  it('given the approvals domain (request-approval resumes a redelivery at once; apply-approval-decision applies the Slack buttons), then it may SendTaskSuccess and SendTaskFailure on the state machines that ask, as the approval Lambda, and not on approval-decided', () => {
    const statements = statesStatements(roleOfFunction(withApprovals, withApprovals.stack.functionOf('apply-approval-decision')));
    expect(actionsOf(statements).sort()).toEqual(['states:SendTaskFailure', 'states:SendTaskSuccess']);
    const resources = statements.flatMap((s) => asArray(s.Resource));
    expect(resources).toEqual(expect.arrayContaining(askingMachines()));
    expect(resources).toHaveLength(askingMachines().length);
    expect(resources).not.toContainEqual({ Ref: logicalId(withApprovals.stack.stateMachines['approval-decided']!.stateMachine) });
  });

  it('given the playbook’s state machine, then its definition waits with lambda:invoke.waitForTaskToken on the approvals function for request-approval, which it may invoke, with its other actions’ functions and nothing else', () => {
    const machine = withApprovals.stack.stateMachines[APPROVAL_REHEARSAL.id]!.stateMachine;
    const properties = withApprovals.template.toJSON().Resources[logicalId(machine)].Properties;
    const definition = JSON.parse(properties.DefinitionString as string) as { States: Record<string, { Resource?: string; Parameters?: { FunctionName?: string } }> };
    expect(definition.States.RequestApproval).toMatchObject({
      Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken',
      Parameters: { FunctionName: '${ApprovalsFunctionArn}', Payload: { action: 'request-approval', input: { 'taskToken.$': '$$.Task.Token' } } },
    });
    expect(properties.DefinitionSubstitutions.ApprovalsFunctionArn).toEqual(getAttArn(withApprovals.stack.functionOf('request-approval')));
    const role = (properties.RoleArn as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0];
    const invoke = statementsOfRole(withApprovals.template, role).filter((s) => asArray(s.Action).includes('lambda:InvokeFunction'));
    const sorted = (arns: unknown[]) => arns.map((arn) => JSON.stringify(arn)).sort();
    expect(domainsOf(APPROVAL_REHEARSAL)).toEqual(['emails', 'approvals', 'tasks']);
    expect(sorted(invoke.flatMap((s) => asArray(s.Resource)))).toEqual(sorted(domainsOf(APPROVAL_REHEARSAL).map((domain) => getAttArn(withApprovals.stack.functions[domain]))));
  });

  it('given the AwsSolutions and Serverless packs, then they find nothing unacknowledged', () => {
    const violations = [withApprovals.packs!.awsSolutions, withApprovals.packs!.serverless].flatMap((pack) =>
      pack.validateScope(withApprovals.app).violations.map((v) => `${v.ruleName}: ${v.violatingResources.map((r) => r.constructPath).join(', ')}`),
    );
    expect(violations).toEqual([]);
  });

  it('given the template, then no resource depends on itself through Ref, GetAtt or DependsOn (CloudFormation would refuse the stack)', () => {
    const resources = withApprovals.template.toJSON().Resources as Record<string, { DependsOn?: string | string[] }>;
    const edges = new Map(
      Object.entries(resources).map(([id, resource]) => {
        const text = JSON.stringify({ ...resource, DependsOn: undefined });
        const refs = [...text.matchAll(/"Ref":"([A-Za-z0-9]+)"|"Fn::GetAtt":\["([A-Za-z0-9]+)"/g)].map((m) => m[1] ?? m[2]!);
        return [id, new Set([...refs, ...asArray(resource.DependsOn ?? [])].filter((target) => target in resources))];
      }),
    );
    const state = new Map<string, 'visiting' | 'done'>();
    const cycles: string[] = [];
    const visit = (id: string, path: string[]): void => {
      if (state.get(id) === 'done') return;
      if (state.get(id) === 'visiting') return void cycles.push([...path, id].join(' → '));
      state.set(id, 'visiting');
      for (const next of edges.get(id) ?? []) visit(next, [...path, id]);
      state.set(id, 'done');
    };
    for (const id of edges.keys()) visit(id, []);
    expect(cycles).toEqual([]);
  });
});
