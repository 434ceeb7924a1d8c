import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type { Construct } from 'constructs';
import { HOLIDAY_TABLE_DIMENSION, HOLIDAY_TABLE_METRICS } from '../functions/runtime/holiday-coverage.ts';
import type { HolidayYears } from './calendar/public-holidays.ts';
import { ALARM_PERIOD, type AlarmTopic } from './constructs/alarm-topic.ts';
import type { PlaybookStateMachine } from './constructs/playbook-state-machine.ts';
import type { PlaybookTrigger } from './constructs/playbook-trigger.ts';

/**
 * Every alarm of a stage, each notifying the alarm topic (the stack's `AlarmTopicArn` output) with a
 * description that says what it means and what to look at. README.md, "Alarms", has them in a table:
 * a new alarm goes in both. A later queue of dead letters (the outbox's, say) is one more
 * `alarms.alarmOnAny(queue, 'DeadLetterAlarm', <its ApproximateNumberOfMessagesVisible>, …)`, as below.
 */

/** A playbook's alarms: an execution failed or timed out, or EventBridge could not start it. */
export function alarmOnPlaybook(alarms: AlarmTopic, playbookId: string, machine: PlaybookStateMachine, trigger: PlaybookTrigger): void {
  alarms.alarmOnAny(
    machine,
    'FailedAlarm',
    machine.stateMachine.metricFailed({ period: ALARM_PERIOD, statistic: 'Sum' }),
    `${playbookId}: an execution failed (no manual follow-up could be created)`,
  );
  alarms.alarmOnAny(
    machine,
    'TimedOutAlarm',
    machine.stateMachine.metricTimedOut({ period: ALARM_PERIOD, statistic: 'Sum' }),
    `${playbookId}: an execution reached the playbook's TimeoutSeconds`,
  );
  alarms.alarmOnAny(
    trigger,
    'DeadLetterAlarm',
    trigger.deadLetterQueue.queue.metricApproximateNumberOfMessagesVisible({ period: ALARM_PERIOD, statistic: 'Maximum' }),
    `${playbookId}: EventBridge could not start the playbook; the event waits in the dead-letter queue`,
  );
}

/**
 * The public-holiday table is compiled into the functions for `years`: ops hear of it a year before
 * it runs out (one notification a day while functions start), and at once if a rule ever needed a
 * year it lacks (business days then count weekends only, never a refusal). Redeploying extends it.
 */
export function alarmOnHolidayTable(scope: Construct, alarms: AlarmTopic, namespace: string, years: HolidayYears): void {
  const metric = (metricName: string, period: Duration) =>
    new cloudwatch.Metric({ namespace, metricName, dimensionsMap: { [HOLIDAY_TABLE_DIMENSION.name]: HOLIDAY_TABLE_DIMENSION.value }, period, statistic: 'Sum' });
  alarms.alarmOnAny(
    scope,
    'HolidayTableEndsSoonAlarm',
    metric(HOLIDAY_TABLE_METRICS.endsSoon, Duration.days(1)),
    `The public holidays compiled into this stage cover ${years.fromYear}-${years.toYear}: redeploy it (cdk deploy) before 31 December ${years.toYear} to extend them`,
  );
  alarms.alarmOnAny(
    scope,
    'HolidayTableMissingAlarm',
    metric(HOLIDAY_TABLE_METRICS.missing, ALARM_PERIOD),
    `A business-day rule needed a year beyond the public holidays compiled into this stage (${years.fromYear}-${years.toYear}): holidays count as business days until it is redeployed (cdk deploy)`,
  );
}
