import { describe, expect, it } from 'vitest';
import { PLAYBOOKS, type FunctionId } from '../../lib/catalog.ts';
import { actionsOf, roleOf, stack, synthesizeDevStage, template } from './dev-stage.ts';
import { asArray, getAttArn, logicalId, statementsOfRole } from './synth.ts';

// The client-feedback playbook on AWS: what starts it, and the least-privilege grants of the Lambdas of
// the 24-hour first reply (test/functions/first-reply-handlers.test.ts runs each with exactly these).
synthesizeDevStage();

const BASELINE = ['logs:CreateLogStream', 'logs:PutLogEvents', 'xray:PutTelemetryRecords', 'xray:PutTraceSegments'];
const clientFeedback = PLAYBOOKS.find((p) => p.id === 'client-feedback')!;
const machineRef = () => ({ Ref: logicalId(stack.stateMachines['client-feedback']!.stateMachine) });
const tableArn = () => getAttArn(stack.node.findChild('Data').node.findChild('Table'));
const grantsOf = (functionId: FunctionId) => {
  const statements = statementsOfRole(template, roleOf(functionId));
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

  it('given its role, then it may invoke exactly its own functions', () => {
    const role = (template.toJSON().Resources[machineRef().Ref].Properties.RoleArn as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0];
    const invoked = statementsOfRole(template, role)
      .filter((s) => asArray(s.Action).includes('lambda:InvokeFunction'))
      .flatMap((s) => asArray(s.Resource))
      .map((r) => JSON.stringify(r))
      .sort();
    expect(invoked).toEqual(clientFeedback.functions.map((id) => JSON.stringify(getAttArn(stack.functions[id]))).sort());
  });
});

describe('the first-reply Lambdas: least privilege', () => {
  it('given plan-first-reply, then it reads the account (GetItem) and nothing else: it writes nothing', () => {
    const { actions, resourcesOf } = grantsOf('plan-first-reply');
    expect(actions).toEqual([...BASELINE, 'dynamodb:GetItem'].sort());
    expect(resourcesOf('dynamodb:')).toEqual([tableArn()]);
  });

  it.each(['await-first-reply', 'record-client-reply'] as const)(
    'given %s, then one atomic update on the reply’s item, and SendTaskSuccess on the client-feedback state machine only (no SendTaskFailure, no other machine)',
    (functionId) => {
      const { actions, resourcesOf } = grantsOf(functionId);
      expect(actions).toEqual([...BASELINE, 'dynamodb:UpdateItem', 'states:SendTaskSuccess'].sort());
      expect(resourcesOf('dynamodb:')).toEqual([tableArn()]);
      expect(resourcesOf('states:')).toEqual([machineRef()]);
    },
  );

  it('given record-sla-breach, then it reads the account and puts the breach once; its metric goes out as EMF in its logs (no cloudwatch:PutMetricData)', () => {
    const { actions, resourcesOf } = grantsOf('record-sla-breach');
    expect(actions).toEqual([...BASELINE, 'dynamodb:GetItem', 'dynamodb:PutItem'].sort());
    expect(resourcesOf('dynamodb:')).toEqual([tableArn()]);
  });
});
