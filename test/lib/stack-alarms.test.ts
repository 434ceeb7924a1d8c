import { readFileSync } from 'node:fs';
import { Alarm } from 'aws-cdk-lib/aws-cloudwatch';
import type { IConstruct } from 'constructs';
import { describe, expect, it } from 'vitest';
import { VENDOR_IDS } from '../../functions/ingest/vendors/index.ts';
import { PLAYBOOKS } from '../../lib/catalog.ts';
import { METRICS_PER_ALARM } from '../../lib/stage-alarms.ts';
import { domainIds, stack, synthesizeDevStage, template } from './dev-stage.ts';
import { logicalId } from './synth.ts';

// What pages ops (the alarm topic, the stack's AlarmTopicArn output), and on what: the alarms of
// lib/stage-alarms.ts, as the dev stage synthesizes them.
synthesizeDevStage();

interface MetricDataQuery {
  Id: string;
  Expression?: string;
  ReturnData?: boolean;
  MetricStat?: { Metric: { Namespace: string; MetricName: string; Dimensions: { Name: string; Value: unknown }[] }; Period: number; Stat: string };
}
interface AlarmProperties {
  AlarmDescription: string;
  AlarmActions: unknown[];
  Threshold: number;
  EvaluationPeriods: number;
  DatapointsToAlarm?: number;
  ComparisonOperator: string;
  TreatMissingData: string;
  Metrics?: MetricDataQuery[];
}

const topic = () => ({ Ref: logicalId(stack.node.findChild('Alarms').node.findChild('Topic')) });
const alarms = () => stack.node.findAll().filter((construct): construct is Alarm => construct instanceof Alarm);
const propertiesOf = (alarm: IConstruct) => template.toJSON().Resources[logicalId(alarm)].Properties as AlarmProperties;
const webhookAlarm = (id: string) => propertiesOf(stack.node.findChild('Webhook').node.findChild(id));
const watched = (alarm: AlarmProperties) => alarm.Metrics!.filter((query) => query.MetricStat);
const expressionOf = (alarm: AlarmProperties) => alarm.Metrics!.find((query) => query.ReturnData !== false)!.Expression!;
const sumOfFilled = (ids: readonly string[]) => `SUM([${ids.map((id) => `FILL(${id}, 0)`).join(', ')}])`;

/** The ingest's `Webhook_<status>` of each vendor, as the alarm must name them: exactly its dimensions (functions/ingest/answer-metrics.ts). */
const webhookAnswers = (statusCode: number, prefix: string, period: number) =>
  VENDOR_IDS.map((vendor) => ({
    Id: `${prefix}${vendor}`,
    MetricStat: {
      Metric: {
        Namespace: 'CsPlaybooks/dev',
        MetricName: `Webhook_${statusCode}`,
        Dimensions: [
          { Name: 'service', Value: 'ingest' },
          { Name: 'vendor', Value: vendor },
        ],
      },
      Period: period,
      Stat: 'Sum',
    },
    ReturnData: false,
  }));

describe('every alarm pages ops through the alarm topic, and says what to look at', () => {
  it('given the dev stage, then every alarm notifies the alarm topic and nothing else, when its threshold is reached or passed, and no data is not a breach', () => {
    expect(alarms().length).toBeGreaterThan(0);
    for (const alarm of alarms()) {
      const properties = propertiesOf(alarm);
      expect(properties.AlarmActions, alarm.node.path).toEqual([topic()]);
      expect(properties.ComparisonOperator, alarm.node.path).toBe('GreaterThanOrEqualToThreshold');
      expect(properties.TreatMissingData, alarm.node.path).toBe('notBreaching');
    }
  });

  it('given the dev stage, then every alarm has a description CloudWatch accepts (at most 1024 characters), and a math alarm reads at most 10 metrics', () => {
    for (const alarm of alarms()) {
      const properties = propertiesOf(alarm);
      expect(typeof properties.AlarmDescription, alarm.node.path).toBe('string');
      expect(properties.AlarmDescription.length, alarm.node.path).toBeLessThanOrEqual(1024);
      if (properties.Metrics) expect(watched(properties).length, alarm.node.path).toBeLessThanOrEqual(METRICS_PER_ALARM);
    }
  });

  it("given the dev stage, then the README's alarm table names every alarm it has, as CloudFormation names it", () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    const start = readme.indexOf('### Alarms');
    const table = readme.slice(start, readme.indexOf('\n##', start + 1));
    const playbookScopes = new Set<IConstruct>([...Object.values(stack.stateMachines), ...Object.values(stack.triggers)]);
    // Its logical id's start: the scope's id, a playbook's written <Playbook>, then the alarm's, a group's number left out.
    const nameOf = (alarm: Alarm) => {
      const scope = alarm.node.scope!;
      const prefix = scope === stack ? '' : playbookScopes.has(scope) ? scope.node.id.replace(/^[A-Za-z0-9]+?(Playbook|Trigger)$/, '<Playbook>$1') : scope.node.id;
      return `\`${prefix}${alarm.node.id.replace(/\d+$/, '')}`;
    };
    const names = new Set(alarms().map(nameOf));
    expect(names.size).toBeGreaterThanOrEqual(11);
    for (const name of names) expect(table, name).toContain(name);
  });
});

describe('the way in: webhooks refused or not put on the bus, and the API failing', () => {
  it('given the dev stage, then a 401 storm on the webhooks pages ops: Webhook_401 of every vendor, summed, 5 or more in an hour', () => {
    const alarm = webhookAlarm('SignatureRejectedAlarm');
    expect(watched(alarm)).toEqual(webhookAnswers(401, 'r_', 3600));
    expect(expressionOf(alarm)).toBe(sumOfFilled(VENDOR_IDS.map((vendor) => `r_${vendor}`)));
    expect(alarm).toMatchObject({ Threshold: 5, EvaluationPeriods: 1, AlarmActions: [topic()] });
    expect(alarm.AlarmDescription).toMatch(/secret/);
  });

  it('given the dev stage, then webhooks answering 503 in two consecutive 5-minute periods page ops (a lone 503 is sent again by its vendor)', () => {
    const alarm = webhookAlarm('UnavailableAlarm');
    expect(watched(alarm)).toEqual(webhookAnswers(503, 'u_', 300));
    expect(expressionOf(alarm)).toBe(sumOfFilled(VENDOR_IDS.map((vendor) => `u_${vendor}`)));
    expect(alarm).toMatchObject({ Threshold: 1, EvaluationPeriods: 2, AlarmActions: [topic()] });
    expect(alarm.DatapointsToAlarm ?? alarm.EvaluationPeriods).toBe(2);
  });

  it("given the dev stage, then any other 5xx of the API pages ops within 5 minutes: the stage's 5xx minus the ingest's own 503s, which the alarm above watches", () => {
    const alarm = webhookAlarm('ApiServerErrorAlarm');
    const webhook = stack.node.findChild('Webhook');
    expect(watched(alarm)).toEqual([
      {
        Id: 'api',
        MetricStat: {
          Metric: {
            Namespace: 'AWS/ApiGateway',
            MetricName: '5xx',
            Dimensions: [
              { Name: 'ApiId', Value: { Ref: logicalId(webhook.node.findChild('Api')) } },
              { Name: 'Stage', Value: '$default' },
            ],
          },
          Period: 300,
          Stat: 'Sum',
        },
        ReturnData: false,
      },
      ...webhookAnswers(503, 'u_', 300),
    ]);
    expect(expressionOf(alarm)).toBe(`FILL(api, 0) - ${sumOfFilled(VENDOR_IDS.map((vendor) => `u_${vendor}`))}`);
    expect(alarm).toMatchObject({ Threshold: 1, EvaluationPeriods: 1, AlarmActions: [topic()] });
  });
});

describe("the functions: errors and throttles of every Lambda, ten functions to an alarm", () => {
  const groupAlarms = (prefix: string) =>
    alarms()
      .filter((alarm) => alarm.node.scope === stack && alarm.node.id.startsWith(prefix))
      .map(propertiesOf);
  const functionNamesIn = (alarm: AlarmProperties) => watched(alarm).map((query) => query.MetricStat!.Metric.Dimensions);
  const allFunctions = () => [...domainIds.map((id) => stack.functions[id]), stack.node.findChild('Webhook').node.findChild('Ingest').node.findChild('Function'), stack.approvals.decide.function, stack.node.findChild('Redrive').node.findChild('Function').node.findChild('Function')];

  it.each([
    ['Errors', 'LambdaErrorsAlarm', 10, 3],
    ['Throttles', 'LambdaThrottlesAlarm', 1, 1],
  ] as const)('given the dev stage, then the %s of every function (each domain’s, ingest, decide-approval, redrive) is in exactly one alarm, summed over at most 10 functions', (metricName, prefix, threshold, periods) => {
    const group = groupAlarms(prefix);
    expect(group).toHaveLength(Math.ceil(allFunctions().length / METRICS_PER_ALARM));
    const watchedFunctions = group.flatMap(functionNamesIn);
    expect(watchedFunctions).toEqual(allFunctions().map((fn) => [{ Name: 'FunctionName', Value: { Ref: logicalId(fn) } }]));
    for (const alarm of group) {
      expect(watched(alarm).every((query) => query.MetricStat!.Metric.Namespace === 'AWS/Lambda' && query.MetricStat!.Metric.MetricName === metricName)).toBe(true);
      expect(watched(alarm).every((query) => query.MetricStat!.Period === 300 && query.MetricStat!.Stat === 'Sum')).toBe(true);
      expect(expressionOf(alarm)).toBe(sumOfFilled(watched(alarm).map((query) => query.Id)));
      expect(alarm).toMatchObject({ Threshold: threshold, EvaluationPeriods: periods, AlarmActions: [topic()] });
    }
  });

  it('given the dev stage, then a Lambda errors alarm names its functions, and says that a retried error alone is no page', () => {
    const [first] = groupAlarms('LambdaErrorsAlarm');
    expect(first!.AlarmDescription).toContain(domainIds[0]);
    expect(first!.AlarmDescription).toMatch(/AccountNotFound/);
  });
});

describe('the playbooks: an execution stopped or throttled', () => {
  it.each(PLAYBOOKS.map((playbook) => playbook.id))('given the %s playbook, then an execution aborted or throttled pages ops within 5 minutes, naming the playbook', (id) => {
    const machine = stack.stateMachines[id]!;
    const alarm = propertiesOf(machine.node.findChild('AbortedOrThrottledAlarm'));
    const dimensions = [{ Name: 'StateMachineArn', Value: { Ref: logicalId(machine.stateMachine) } }];
    expect(watched(alarm)).toEqual([
      { Id: 'aborted', MetricStat: { Metric: { Namespace: 'AWS/States', MetricName: 'ExecutionsAborted', Dimensions: dimensions }, Period: 300, Stat: 'Sum' }, ReturnData: false },
      { Id: 'throttled', MetricStat: { Metric: { Namespace: 'AWS/States', MetricName: 'ExecutionThrottled', Dimensions: dimensions }, Period: 300, Stat: 'Sum' }, ReturnData: false },
    ]);
    expect(expressionOf(alarm)).toBe(sumOfFilled(['aborted', 'throttled']));
    expect(alarm).toMatchObject({ Threshold: 1, EvaluationPeriods: 1, AlarmActions: [topic()] });
    expect(alarm.AlarmDescription).toMatch(new RegExp(`^${id}: `));
  });
});
