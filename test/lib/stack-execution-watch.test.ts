import { describe, expect, it } from 'vitest';
import { STATE_MACHINES_PER_RULE } from '../../lib/constructs/execution-watch.ts';
import { PLAYBOOKS } from '../../lib/catalog.ts';
import { actionsOf, resourcesOf, stack, synthesizeDevStage, template } from './dev-stage.ts';
import { asArray, logicalId, statementsOfRole } from './synth.ts';

// The execution watch as it deploys: the rules on Step Functions' status changes, what they pass to the
// executions function, and what that function may do (the rules themselves: test/core/redrive-rule.test.ts
// and test/core/execution-timeline.test.ts; the function against a local Step Functions and DynamoDB:
// test/functions/executions-handler.test.ts).
synthesizeDevStage();

const redrive = () => stack.node.findChild('Redrive');
const rules = () => resourcesOf('AWS::Events::Rule').filter(([, rule]) => rule.Properties.EventPattern?.source?.[0] === 'aws.states');
const machineRefs = () => Object.values(stack.stateMachines).map((machine) => ({ Ref: logicalId(machine.stateMachine) }));

describe('the execution watch', () => {
  it(`given the stage's ${PLAYBOOKS.length} playbooks, then rules on the account's default bus (where Step Functions reports) take every status change of their executions and no other state machine's, ${STATE_MACHINES_PER_RULE} state machines per rule at most`, () => {
    expect(rules().length).toBe(Math.ceil(PLAYBOOKS.length / STATE_MACHINES_PER_RULE));
    const watched = [];
    for (const [id, { Properties }] of rules()) {
      expect(Properties.EventBusName, id).toBeUndefined();
      expect(Properties.EventPattern).toEqual({
        source: ['aws.states'],
        'detail-type': ['Step Functions Execution Status Change'],
        detail: { stateMachineArn: expect.any(Array) },
      });
      expect(Properties.EventPattern.detail.stateMachineArn.length).toBeLessThanOrEqual(STATE_MACHINES_PER_RULE);
      watched.push(...Properties.EventPattern.detail.stateMachineArn);
    }
    expect(watched).toHaveLength(machineRefs().length);
    expect(watched).toEqual(expect.arrayContaining(machineRefs()));
  });

  it("given a status change, then the function gets its execution's ARN, state machine, status, start, end, redrive count, error and input (the bus event: ids only), never its output", () => {
    const redriveFunction = logicalId(redrive().node.findChild('Function').node.findChild('Function'));
    for (const [id, { Properties }] of rules()) {
      const [target] = Properties.Targets;
      expect(target.Arn, id).toEqual({ 'Fn::GetAtt': [redriveFunction, 'Arn'] });
      const fields = ['executionArn', 'stateMachineArn', 'status', 'startDate', 'stopDate', 'redriveCount', 'error', 'input'];
      expect(target.InputTransformer.InputPathsMap).toEqual(Object.fromEntries(fields.map((field) => [`detail-${field}`, `$.detail.${field}`])));
      expect(target.InputTransformer.InputTemplate).toBe(`{${fields.map((field) => `"${field}":<detail-${field}>`).join(',')}}`);
      expect(target.InputTransformer.InputTemplate).not.toContain('output');
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

  it("given the function's role, then it may redrive (and describe) the executions of the stage's state machines, put timeline items, and do nothing else to Step Functions or the table", () => {
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
    expect(actionsOf(statements).filter((action) => action.startsWith('lambda:'))).toEqual([]);
    const table = statements.filter((statement) => actionsOf([statement]).some((action) => action.startsWith('dynamodb:')));
    expect(table).toEqual([expect.objectContaining({ Action: 'dynamodb:PutItem', Condition: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['EXECUTION#*'] } } })]);
  });
});
