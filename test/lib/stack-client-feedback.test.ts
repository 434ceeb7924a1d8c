import { describe, expect, it } from 'vitest';
import { actionsOf as actionsOfDomain, domainsOf, PLAYBOOKS, type DomainId } from '../../lib/catalog.ts';
import { actionsOf, roleOf, stack, synthesizeDevStage, template } from './dev-stage.ts';
import { asArray, getAttArn, logicalId, statementsOfRole } from './synth.ts';

// The client-feedback playbook on AWS: what starts it, and the least-privilege grants of the feedback
// domain's Lambda, which runs the 24-hour first reply (test/functions/first-reply-handlers.test.ts runs
// each action with exactly these).
synthesizeDevStage();

const BASELINE = ['logs:CreateLogStream', 'logs:PutLogEvents', 'xray:PutTelemetryRecords', 'xray:PutTraceSegments'];
const clientFeedback = PLAYBOOKS.find((p) => p.id === 'client-feedback')!;
const machineRef = () => ({ Ref: logicalId(stack.stateMachines['client-feedback']!.stateMachine) });
const tableArn = () => getAttArn(stack.node.findChild('Data').node.findChild('Table'));
const grantsOf = (domain: DomainId) => {
  const statements = statementsOfRole(template, roleOf(domain));
  return {
    actions: actionsOf(statements).sort(),
    resourcesOf: (prefix: string) => statements.filter((s) => actionsOf([s]).some((a) => a.startsWith(prefix))).flatMap((s) => asArray(s.Resource)),
  };
};

describe('the client-feedback playbook', () => {
  it('given the rule, then client feedback and the reply to it both start it (the reply resumes the execution waiting for it)', () => {
    const rules = Object.values(template.findResources('AWS::Events::Rule')).filter((rule) =>
      (rule.Properties.Targets as { Arn: unknown }[]).some((target) => JSON.stringify(target.Arn) === JSON.stringify(machineRef())),
    );
    expect(rules.map((rule) => rule.Properties.EventPattern)).toEqual([{ source: ['cs-playbooks'], 'detail-type': ['ClientFeedbackReceived', 'ClientReplySent'] }]);
  });

  it("given its role, then it may invoke exactly the functions of its actions' domains", () => {
    const role = (template.toJSON().Resources[machineRef().Ref].Properties.RoleArn as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0];
    const invoked = statementsOfRole(template, role)
      .filter((s) => asArray(s.Action).includes('lambda:InvokeFunction'))
      .flatMap((s) => asArray(s.Resource))
      .map((r) => JSON.stringify(r))
      .sort();
    expect(invoked).toEqual(domainsOf(clientFeedback).map((domain) => JSON.stringify(getAttArn(stack.functions[domain]))).sort());
  });
});

describe("the feedback domain's Lambda: least privilege", () => {
  it('given its actions, then they are the first reply (plan, wait, reply, breach), the client risk and the sale cancellation', () => {
    expect(actionsOfDomain('feedback')).toEqual(['plan-first-reply', 'await-first-reply', 'record-client-reply', 'record-sla-breach', 'plan-client-risk', 'check-sale-cancellation']);
  });

  it("given its role, then the union of its actions' needs: reads, conditional puts and the reply's atomic update on the table, SendTaskSuccess on the client-feedback state machine only (no SendTaskFailure, no other machine); metrics go out as EMF in its logs (no cloudwatch:PutMetricData)", () => {
    const { actions, resourcesOf } = grantsOf('feedback');
    expect(actions).toEqual([...BASELINE, 'dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'states:SendTaskSuccess'].sort());
    // On the table alone, one statement per set of partitions (test/lib/stack-security.test.ts checks which).
    expect([...new Set(resourcesOf('dynamodb:').map((resource) => JSON.stringify(resource)))]).toEqual([JSON.stringify(tableArn())]);
    expect(resourcesOf('states:')).toEqual([machineRef()]);
  });
});
