import { Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as events from 'aws-cdk-lib/aws-events';
import { describe, expect, it } from 'vitest';
import { assertSupportedPattern } from '../../sandbox/bus/event-pattern.ts';
import { domainsOf, isActionId, LAMBDA_WAIT_FOR_TASK_TOKEN, PLAYBOOKS, RECORDERS, selfSubstitutionOf, START_EXECUTION_RESOURCE, stateMachineSubstitutionKey, substitutionKeysIn, substitutionsOf, triggerPattern, type PlaybookEntry } from '../../lib/catalog.ts';
import { STATE_MACHINES_PER_RULE } from '../../lib/constructs/execution-watch.ts';
import { cdkEventPattern, TRIGGER_RETRY, type EventBridgePattern } from '../../lib/constructs/playbook-trigger.ts';
import { playbookDefinition } from '../../lib/flow.ts';
import { actionsOf, resourcesOf, stack, synthesizeDevStage, template } from './dev-stage.ts';
import { asArray, getAttArn, logicalId, statementsOfRole } from './synth.ts';

// How events reach the playbooks: the rules, their patterns and the state machines they start.
synthesizeDevStage();

describe('the playbooks: one rule, one state machine per catalog entry', () => {
  it('given the catalog, when synthesized, then there is exactly one state machine per playbook, and one rule per playbook events start (one schedule per playbook the clock starts)', () => {
    const scheduled = PLAYBOOKS.filter((playbook) => 'schedule' in playbook);
    // And the recorders' rules (no state machine), the dispatch drain's sweep, every minute, and the automatic redrive's rules on the default bus.
    template.resourceCountIs('AWS::Events::Rule', PLAYBOOKS.length - scheduled.length + RECORDERS.length + 1 + Math.ceil(PLAYBOOKS.length / STATE_MACHINES_PER_RULE));
    template.resourceCountIs('AWS::Scheduler::Schedule', scheduled.length);
    template.resourceCountIs('AWS::StepFunctions::StateMachine', PLAYBOOKS.length);
  });

  it('given health-nightly, then its schedule starts it at 02:00 UTC every day with the scheduled instant as input, retried 4 hours then kept in a dead-letter queue, by a role that may start that state machine only', () => {
    const schedule = stack.schedules['health-nightly']!;
    const machine = { Ref: logicalId(stack.stateMachines['health-nightly']!.stateMachine) };
    template.hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: 'cron(0 2 * * ? *)',
      ScheduleExpressionTimezone: 'UTC',
      State: 'ENABLED',
      Target: Match.objectLike({
        Arn: machine,
        Input: JSON.stringify({ night: '<aws.scheduler.scheduled-time>' }),
        DeadLetterConfig: { Arn: getAttArn(schedule.deadLetterQueue.queue) },
        RetryPolicy: { MaximumRetryAttempts: 8, MaximumEventAgeInSeconds: 4 * 3600 },
      }),
    });
    const role = (template.toJSON().Resources[logicalId(schedule.schedule)].Properties.Target.RoleArn as { 'Fn::GetAtt': [string] })['Fn::GetAtt'][0];
    const statements = statementsOfRole(template, role);
    expect(actionsOf(statements).filter((action) => action.startsWith('states:'))).toEqual(['states:StartExecution']);
    expect(statements.filter((statement) => actionsOf([statement]).includes('states:StartExecution')).flatMap((statement) => asArray(statement.Resource))).toEqual([machine]);
  });

  // Written out, not recomputed with triggerPattern: a change to the catalog's pattern must show here.
  it.each([
    ['nps-response', { source: ['cs-playbooks'], 'detail-type': ['NpsResponseReceived'] }],
    ['account-sync', { source: ['cs-playbooks'], 'detail-type': ['AccountUpdated', 'ContractSigned', 'BillingStarted'] }],
  ])('given the %s rule, then its EventPattern is literally %j, and its target gets the whole event (no Input, InputPath or InputTransformer)', (id, pattern) => {
    const rule = template.toJSON().Resources[logicalId(stack.triggers[id]!.rule)];
    expect(rule.Type).toBe('AWS::Events::Rule');
    expect(rule.Properties.EventPattern).toEqual(pattern);
    expect(rule.Properties.Targets).toHaveLength(1);
    for (const target of rule.Properties.Targets) {
      expect(target).not.toHaveProperty('Input');
      expect(target).not.toHaveProperty('InputPath');
      expect(target).not.toHaveProperty('InputTransformer');
    }
  });

  describe.each(PLAYBOOKS.map((playbook) => [playbook.id, playbook] as const))('given the %s playbook', (id, playbook) => {
    const machine = () => stack.stateMachines[id]!;
    const trigger = () => stack.triggers[id] ?? stack.schedules[id]!;

    it("when an event matches the catalog's pattern on the custom bus, then the rule starts this state machine, with retries then a dead-letter queue (none for a playbook the clock starts)", () => {
      if ('schedule' in playbook) {
        const targets = Object.values(template.findResources('AWS::Events::Rule')).flatMap((rule) => rule.Properties.Targets as { Arn: unknown }[]);
        expect(targets.filter(({ Arn }) => JSON.stringify(Arn) === JSON.stringify({ Ref: logicalId(machine().stateMachine) }))).toEqual([]);
        return;
      }
      template.hasResourceProperties('AWS::Events::Rule', {
        EventBusName: { Ref: logicalId(stack.node.findChild('Events').node.findChild('Bus')) },
        EventPattern: triggerPattern(playbook),
        Targets: [
          Match.objectLike({
            Arn: { Ref: logicalId(machine().stateMachine) },
            DeadLetterConfig: { Arn: getAttArn(trigger().deadLetterQueue.queue) },
            RetryPolicy: {
              MaximumRetryAttempts: TRIGGER_RETRY.retryAttempts,
              MaximumEventAgeInSeconds: TRIGGER_RETRY.maxEventAge.toSeconds(),
            },
          }),
        ],
      });
    });

    it("when deployed, then the definition is the flow file built with its failure policies and its substitutions are exactly the definition's ${…}, each the ARN of its domain's function", () => {
      const text = playbookDefinition(playbook);
      const properties = template.toJSON().Resources[logicalId(machine().stateMachine)].Properties;
      expect(properties.DefinitionString).toBe(text);
      expect(new Set(Object.keys(properties.DefinitionSubstitutions))).toEqual(new Set(substitutionKeysIn(text)));
      // Its own ARN (a playbook that starts itself) is asserted below, with its grant.
      for (const [key, domain] of substitutionsOf(playbook)) {
        expect(properties.DefinitionSubstitutions[key], key).toEqual(getAttArn(stack.functions[domain]));
      }
    });

    it("when deployed, then every Task that names an action calls its action's domain function with { action, input }, and a hand-over calls Step Functions itself", () => {
      const properties = template.toJSON().Resources[logicalId(machine().stateMachine)].Properties;
      type Task = { Type: string; Resource?: string; Parameters?: Record<string, unknown> & { FunctionName?: string; Payload?: Record<string, unknown> }; ItemProcessor?: { States: Record<string, Task> } };
      const tasks = (states: Record<string, Task>): [string, Task][] =>
        Object.entries(states).flatMap(([name, state]) => [...(state.Type === 'Task' ? [[name, state] as [string, Task]] : []), ...(state.ItemProcessor ? tasks(state.ItemProcessor.States) : [])]);
      const called = new Set<string>();
      for (const [name, task] of tasks((JSON.parse(properties.DefinitionString as string) as { States: Record<string, Task> }).States)) {
        if (task.Resource === START_EXECUTION_RESOURCE) continue;
        const callback = task.Resource === LAMBDA_WAIT_FOR_TASK_TOKEN;
        const request = (callback ? task.Parameters?.Payload : task.Parameters) ?? {};
        const key = /^\$\{(\w+)\}$/.exec(String(callback ? task.Parameters?.FunctionName : task.Resource))?.[1];
        const action = String(request.action);
        expect(isActionId(action), `${name} names a catalog action`).toBe(true);
        expect(properties.DefinitionSubstitutions[key!], name).toEqual(getAttArn(stack.functionOf(action as Parameters<typeof stack.functionOf>[0])));
        expect(Object.keys(request).sort(), name).toEqual(['action', 'input' in request ? 'input' : 'input.$']);
        called.add(action);
      }
      expect([...called].sort()).toEqual([...playbook.actions].sort());
    });

    it('when it runs, then it is a Standard workflow that logs ALL events without execution data, traces, and is bounded by the ASL TimeoutSeconds', () => {
      const properties = template.toJSON().Resources[logicalId(machine().stateMachine)].Properties;
      expect(properties.StateMachineType).toBe('STANDARD');
      expect(properties.LoggingConfiguration).toMatchObject({ Level: 'ALL', IncludeExecutionData: false });
      expect(properties.LoggingConfiguration.Destinations).toHaveLength(1);
      expect(properties.TracingConfiguration).toEqual({ Enabled: true });
      expect(JSON.parse(properties.DefinitionString).TimeoutSeconds).toBeGreaterThan(0);
    });

    it("when it calls Lambda, then its role may invoke exactly the unqualified ARNs of its actions' domain functions (what the ASL calls), no version or alias", () => {
      const role = (template.toJSON().Resources[logicalId(machine().stateMachine)].Properties.RoleArn as { 'Fn::GetAtt': [string] })['Fn::GetAtt'][0];
      const invoke = statementsOfRole(template, role).filter((s) => actionsOf([s]).some((a) => a.startsWith('lambda:')));
      expect(actionsOf(invoke)).toEqual(['lambda:InvokeFunction']);
      const resources = invoke.flatMap((s) => asArray(s.Resource));
      const expected = domainsOf(playbook).map((domain) => getAttArn(stack.functions[domain]));
      expect(resources).toHaveLength(expected.length);
      expect(resources).toEqual(expect.arrayContaining(expected));
    });

    it('when an execution fails and is not redriven, or times out, or an event is dead-lettered, then an alarm notifies the alarm topic', () => {
      const topic = { Ref: logicalId(stack.node.findChild('Alarms').node.findChild('Topic')) };
      const stateMachineArn = { Ref: logicalId(machine().stateMachine) };
      // What the redrive function decided stays failed (it redrives the AWS outages' failures), per state machine.
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        Namespace: 'CsPlaybooks/dev',
        MetricName: 'ExecutionStayedFailed',
        Dimensions: [
          { Name: 'StateMachineArn', Value: stateMachineArn },
          { Name: 'service', Value: 'redrive' },
        ],
        Statistic: 'Sum',
        Threshold: 1,
        AlarmActions: [topic],
      });
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        Namespace: 'AWS/States',
        MetricName: 'ExecutionsTimedOut',
        Dimensions: [{ Name: 'StateMachineArn', Value: stateMachineArn }],
        AlarmActions: [topic],
      });
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        Namespace: 'AWS/SQS',
        MetricName: 'ApproximateNumberOfMessagesVisible',
        Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [logicalId(trigger().deadLetterQueue.queue), 'QueueName'] } }],
        AlarmActions: [topic],
      });
    });
  });

  const propertiesOf = (id: string) => template.toJSON().Resources[logicalId(stack.stateMachines[id]!.stateMachine)].Properties;
  const startExecutionStatements = (id: string) => {
    const role = (propertiesOf(id).RoleArn as { 'Fn::GetAtt': [string] })['Fn::GetAtt'][0];
    return statementsOfRole(template, role).filter((statement) => actionsOf([statement]).some((action) => action.startsWith('states:')));
  };

  // Written out, not recomputed with the catalog's helpers: a change of name or ARN must show here.
  describe.each([
    ['no-contact', 'the hand-over of its long wait', 'cs-playbooks-dev-no-contact', 'NoContactStateMachineArn'],
    ['alert-reminder', 'the hand-over to the next business day’s reminder', 'cs-playbooks-dev-alert-reminder', 'AlertReminderStateMachineArn'],
  ])('the %s playbook starts fresh executions of itself (%s)', (id, _why, NAME, KEY) => {
    const OWN_ARN = {
      'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':states:', { Ref: 'AWS::Region' }, ':', { Ref: 'AWS::AccountId' }, `:stateMachine:${NAME}`]],
    };

    it(`given the dev stage, then its state machine has the fixed name ${NAME}, and its definition gets its own ARN built from that name (no reference to itself: no cycle)`, () => {
      expect(propertiesOf(id).StateMachineName).toBe(NAME);
      expect(propertiesOf(id).DefinitionSubstitutions[KEY]).toEqual(OWN_ARN);
      expect(stateMachineSubstitutionKey({ id })).toBe(KEY);
    });

    it('given its role, then it may StartExecution on exactly its own ARN: one action, one resource, no wildcard, no .sync extras', () => {
      expect(startExecutionStatements(id)).toEqual([{ Effect: 'Allow', Action: 'states:StartExecution', Resource: OWN_ARN }]);
    });
  });

  describe('the playbooks that do not start themselves', () => {
    it.each(PLAYBOOKS.filter((playbook) => !(playbook as PlaybookEntry).startsItself).map((playbook) => playbook.id))(
      'given %s, which does not start itself, then it keeps a generated name and may start no execution',
      (id) => {
        expect(propertiesOf(id)).not.toHaveProperty('StateMachineName');
        expect(selfSubstitutionOf(PLAYBOOKS.find((playbook) => playbook.id === id)!)).toBeUndefined();
        expect(startExecutionStatements(id)).toEqual([]);
      },
    );
  });

  it('given the dead-letter queues, then each is encrypted and refuses requests without TLS', () => {
    const queues = resourcesOf('AWS::SQS::Queue');
    // One per playbook trigger and per recorder, the dispatch drain's stream dead letters, and the failures the redrive function could not take.
    expect(queues).toHaveLength(PLAYBOOKS.length + RECORDERS.length + 2);
    for (const [, queue] of queues) expect(queue.Properties.SqsManagedSseEnabled).toBe(true);
    for (const [queueId] of queues) {
      template.hasResourceProperties('AWS::SQS::QueuePolicy', {
        Queues: [{ Ref: queueId }],
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
          ]),
        },
      });
    }
  });
});

describe('cdkEventPattern: the general EventBridge pattern, as a CDK rule renders it', () => {
  // Catalog-like, with a detail filter and every other field; one the sandbox bus evaluates too.
  const pattern = {
    source: ['cs-playbooks'],
    'detail-type': ['NpsResponseReceived'],
    detail: {
      score: [{ numeric: ['>=', 0, '<=', 6] }],
      comment: [{ exists: true }],
      account: { plan: [{ 'anything-but': ['free', 'trial'] }], region: [{ prefix: 'eu-' }] },
      channel: ['email', null],
      $or: [{ language: ['fr'] }, { country: [{ 'equals-ignore-case': 'be' }] }],
    },
    account: ['123456789012'],
    region: [{ prefix: 'eu-' }],
    resources: [{ wildcard: 'arn:aws:*:survey/*' }],
    time: [{ prefix: '2026-' }],
    id: [{ 'anything-but': { prefix: 'test-' } }],
    version: ['0'],
  };

  const rendered = (eventPattern: EventBridgePattern) => {
    const scratch = new Stack();
    new events.Rule(scratch, 'Rule', { eventPattern: cdkEventPattern(eventPattern) });
    const [rule] = Object.values(Template.fromStack(scratch).findResources('AWS::Events::Rule'));
    return rule!.Properties.EventPattern as unknown;
  };

  it('given a pattern with a detail filter and every top-level field, when a rule uses it, then the template has it unchanged', () => {
    assertSupportedPattern(pattern);
    expect(rendered(pattern)).toEqual(pattern);
  });

  it('given a top-level $or, then it passes through unchanged too', () => {
    const either = { source: ['cs-playbooks'], $or: [{ 'detail-type': ['AccountUpdated'] }, { detail: { plan: ['enterprise'] } }] };
    assertSupportedPattern(either);
    expect(rendered(either)).toEqual(either);
  });

  it.each(PLAYBOOKS.map((playbook) => [playbook.id, playbook] as const))("given the %s catalog pattern, then it renders unchanged", (_, playbook) => {
    expect(rendered(triggerPattern(playbook))).toEqual(triggerPattern(playbook));
  });

  it("given a field EventBridge events do not have (CDK's detailType, a typo), then it throws naming it", () => {
    expect(() => cdkEventPattern({ source: ['cs-playbooks'], detailType: ['AccountUpdated'] } as EventBridgePattern)).toThrow(/"detailType"/);
  });

  it('given the CDK form, then it is a copy: merging another pattern into the rule leaves the caller\'s pattern as it was', () => {
    const original = structuredClone(pattern);
    const scratch = new Stack();
    const rule = new events.Rule(scratch, 'Rule', { eventPattern: cdkEventPattern(pattern) });
    rule.addEventPattern({ detail: { account: { plan: ['enterprise'] } } });
    expect(pattern).toEqual(original);
  });
});

describe("the stage's public-holiday table: ops hear before it runs out, never a refusal", () => {
  const topic = () => ({ Ref: logicalId(stack.node.findChild('Alarms').node.findChild('Topic')) });
  const calendarAlarm = (metricName: string) =>
    Object.values(template.findResources('AWS::CloudWatch::Alarm', { Properties: { MetricName: metricName, Namespace: 'CsPlaybooks/dev' } }));

  it('given the stage, then an alarm notifies the alarm topic on any cold start in the table’s last year, once a day, saying to redeploy before it ends', () => {
    const [alarm, ...others] = calendarAlarm('HolidayTableEndsSoon');
    expect(others).toHaveLength(0);
    expect(alarm!.Properties).toMatchObject({
      Dimensions: [{ Name: 'Calendar', Value: 'public-holidays' }],
      Period: 86_400,
      Statistic: 'Sum',
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      TreatMissingData: 'notBreaching',
      AlarmActions: [topic()],
    });
    expect(alarm!.Properties.AlarmDescription).toBe(
      `The public holidays compiled into this stage cover ${stack.holidayYears.fromYear}-${stack.holidayYears.toYear}: redeploy it (cdk deploy) before 31 December ${stack.holidayYears.toYear} to extend them`,
    );
  });

  it('given the stage, then an alarm notifies the alarm topic within minutes when a rule needed a year the table lacks', () => {
    const [alarm, ...others] = calendarAlarm('HolidayTableMissing');
    expect(others).toHaveLength(0);
    expect(alarm!.Properties).toMatchObject({ Dimensions: [{ Name: 'Calendar', Value: 'public-holidays' }], Period: 300, AlarmActions: [topic()] });
  });
});
