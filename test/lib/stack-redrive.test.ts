import { describe, expect, it } from 'vitest';
import { STATE_MACHINES_PER_RULE } from '../../lib/constructs/automatic-redrive.ts';
import { PLAYBOOKS } from '../../lib/catalog.ts';
import { actionsOf, resourcesOf, stack, synthesizeDevStage, template } from './dev-stage.ts';
import { asArray, logicalId, statementsOfRole } from './synth.ts';

// The automatic redrive as it deploys: the rules on Step Functions' status changes, what they pass to
// the redrive function, and what that function may do (the rule itself: test/core/redrive-rule.test.ts;
// the function against a local Step Functions: test/functions/redrive-handler.test.ts).
synthesizeDevStage();

const redrive = () => stack.node.findChild('Redrive');
const rules = () => resourcesOf('AWS::Events::Rule').filter(([, rule]) => rule.Properties.EventPattern?.source?.[0] === 'aws.states');
const machineRefs = () => Object.values(stack.stateMachines).map((machine) => ({ Ref: logicalId(machine.stateMachine) }));

describe('the automatic redrive', () => {
  it(`given the stage's ${PLAYBOOKS.length} playbooks, then rules on the account's default bus (where Step Functions reports) take every failure of their executions and nothing else, ${STATE_MACHINES_PER_RULE} state machines per rule at most`, () => {
    expect(rules().length).toBe(Math.ceil(PLAYBOOKS.length / STATE_MACHINES_PER_RULE));
    const watched = [];
    for (const [id, { Properties }] of rules()) {
      expect(Properties.EventBusName, id).toBeUndefined();
      expect(Properties.EventPattern).toEqual({
        source: ['aws.states'],
        'detail-type': ['Step Functions Execution Status Change'],
        detail: { status: ['FAILED'], stateMachineArn: expect.any(Array) },
      });
      expect(Properties.EventPattern.detail.stateMachineArn.length).toBeLessThanOrEqual(STATE_MACHINES_PER_RULE);
      watched.push(...Properties.EventPattern.detail.stateMachineArn);
    }
    expect(watched).toHaveLength(machineRefs().length);
    expect(watched).toEqual(expect.arrayContaining(machineRefs()));
  });

  it("given a failure, then the redrive function gets its execution's ARN, error, redrive count and end, never the execution's input or output (the account's data)", () => {
    const redriveFunction = logicalId(redrive().node.findChild('Function').node.findChild('Function'));
    for (const [id, { Properties }] of rules()) {
      const [target] = Properties.Targets;
      expect(target.Arn, id).toEqual({ 'Fn::GetAtt': [redriveFunction, 'Arn'] });
      expect(target.InputTransformer.InputPathsMap).toEqual({
        'detail-executionArn': '$.detail.executionArn',
        'detail-error': '$.detail.error',
        'detail-redriveCount': '$.detail.redriveCount',
        'detail-stopDate': '$.detail.stopDate',
      });
      expect(target.InputTransformer.InputTemplate).toBe(
        '{"executionArn":<detail-executionArn>,"error":<detail-error>,"redriveCount":<detail-redriveCount>,"stopDate":<detail-stopDate>}',
      );
      expect(target.RetryPolicy).toEqual({ MaximumRetryAttempts: 8, MaximumEventAgeInSeconds: 4 * 3600 });
    }
  });

  it('given a failure the function cannot take (EventBridge cannot invoke it, or it fails through Lambda’s retries), then it lands in a dead-letter queue whose first message pages ops', () => {
    const queue = { 'Fn::GetAtt': [logicalId(redrive().node.findChild('DeadLetters').node.findChild('Queue')), 'Arn'] };
    for (const [, { Properties }] of rules()) expect(Properties.Targets[0].DeadLetterConfig).toEqual({ Arn: queue });
    const redriveFunction = logicalId(redrive().node.findChild('Function').node.findChild('Function'));
    const invokeConfigs = resourcesOf('AWS::Lambda::EventInvokeConfig').filter(([, config]) => JSON.stringify(config.Properties.FunctionName).includes(redriveFunction));
    expect(invokeConfigs).toHaveLength(1);
    expect(invokeConfigs[0]![1].Properties).toMatchObject({ MaximumRetryAttempts: 2, MaximumEventAgeInSeconds: 6 * 3600, DestinationConfig: { OnFailure: { Destination: queue } } });
    const alarm = template.toJSON().Resources[logicalId(redrive().node.findChild('DeadLetterAlarm'))].Properties;
    expect(alarm).toMatchObject({ Namespace: 'AWS/SQS', MetricName: 'ApproximateNumberOfMessagesVisible', Threshold: 1 });
  });

  it("given the redrive function's role, then it may redrive (and describe) the executions of the stage's state machines and do nothing else to Step Functions", () => {
    const fn = template.toJSON().Resources[logicalId(redrive().node.findChild('Function').node.findChild('Function'))];
    const statements = statementsOfRole(template, fn.Properties.Role['Fn::GetAtt'][0]);
    const states = statements.filter((statement) => actionsOf([statement]).some((action) => action.startsWith('states:')));
    expect(actionsOf(states).sort()).toEqual(['states:DescribeExecution', 'states:RedriveExecution']);
    const resources = states.flatMap((statement) => asArray(statement.Resource));
    expect(resources).toHaveLength(machineRefs().length);
    for (const machine of Object.values(stack.stateMachines)) {
      expect(resources).toContainEqual({
        'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':states:', { Ref: 'AWS::Region' }, ':', { Ref: 'AWS::AccountId' }, ':execution:', { 'Fn::GetAtt': [logicalId(machine.stateMachine), 'Name'] }, ':*']],
      });
    }
    expect(actionsOf(statements).filter((action) => action.startsWith('dynamodb:') || action.startsWith('lambda:'))).toEqual([]);
  });
});
