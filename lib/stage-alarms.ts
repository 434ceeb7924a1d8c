import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import type { Construct } from 'constructs';
import { INGEST_SERVICE, SERVICE_DIMENSION, VENDOR_DIMENSION, webhookAnswerMetric } from '../functions/ingest/answer-metrics.ts';
import { VENDOR_IDS } from '../functions/ingest/vendors/index.ts';
import { HOLIDAY_TABLE_DIMENSION, HOLIDAY_TABLE_METRICS } from '../functions/runtime/holiday-coverage.ts';
import { REDRIVE_METRICS, REDRIVE_SERVICE, STATE_MACHINE_DIMENSION } from '../functions/executions/metrics.ts';
import type { HolidayYears } from './calendar/public-holidays.ts';
import { ALARM_PERIOD, type AlarmTopic } from './constructs/alarm-topic.ts';
import type { PlaybookStateMachine } from './constructs/playbook-state-machine.ts';
import { PlaybookSchedule } from './constructs/playbook-schedule.ts';
import type { PlaybookTrigger } from './constructs/playbook-trigger.ts';
import type { WebhookEndpoint } from './constructs/webhook-endpoint.ts';

/**
 * Every alarm of a stage, each notifying the alarm topic (the stack's `AlarmTopicArn` output) with a
 * description that says what it means and what to look at. README.md, "Alarms", has them in a table:
 * a new alarm goes in both. A later queue of dead letters (the outbox's, say) is one more
 * `alarms.alarmOnAny(queue, 'DeadLetterAlarm', <its ApproximateNumberOfMessagesVisible>, …)`, as below.
 */

/** A playbook's alarms: an execution failed and stayed failed, or timed out, or EventBridge could not start it. */
export function alarmOnPlaybook(alarms: AlarmTopic, playbookId: string, machine: PlaybookStateMachine, trigger: PlaybookTrigger | PlaybookSchedule, namespace: string): void {
  // An execution that failed because AWS was failing is redriven (lib/constructs/execution-watch.ts):
  // ops hear of a failure once the redrive function decided it stays failed, counted per state machine.
  alarms.alarmOnAny(
    machine,
    'StayedFailedAlarm',
    new cloudwatch.Metric({
      namespace,
      metricName: REDRIVE_METRICS.staysFailed,
      dimensionsMap: { [SERVICE_DIMENSION]: REDRIVE_SERVICE, [STATE_MACHINE_DIMENSION]: machine.stateMachine.stateMachineArn },
      period: ALARM_PERIOD,
      statistic: 'Sum',
    }),
    `${playbookId}: an execution failed and stays failed (ExecutionStayedFailed of the redrive function, by StateMachineArn: failures after an AWS outage are redriven and page no one). Its error says why. AutomationFailed: a step failed after its retries and the CSM has a manual-follow-up task; the step's error is in the history (a refusal, a bug, a missing permission): fix it. Any other error: the execution stopped where even that follow-up could not be written, so tell the account's CSM. AwsServiceUnavailable or Lambda.* after 5 automatic redrives is an AWS outage of hours; AccountNotFound an event about an account never synced. Once fixed, redrive the execution: it goes on from where it failed, and effects are idempotent. The redrive function's log ("execution stays failed") names the execution and why.`,
  );
  alarms.alarmOnAny(
    machine,
    'TimedOutAlarm',
    machine.stateMachine.metricTimedOut({ period: ALARM_PERIOD, statistic: 'Sum' }),
    `${playbookId}: an execution reached the playbook's TimeoutSeconds and stopped where it was, with no follow-up. Look at its last step in the Step Functions console (a wait whose callback never came, or a step that waited out an outage longer than the playbook's timeout allows) and tell the account's CSM.`,
  );
  alarms.alarmOnAny(
    trigger,
    'DeadLetterAlarm',
    trigger.deadLetterQueue.queue.metricApproximateNumberOfMessagesVisible({ period: ALARM_PERIOD, statistic: 'Maximum' }),
    trigger instanceof PlaybookSchedule
      ? `${playbookId}: EventBridge Scheduler could not start the playbook for 4 hours; its start waits in the schedule's dead-letter queue (kept 14 days). The message's attributes say why (a throttled StartExecution, a missing permission). Once fixed, start an execution by hand with the message's input (aws stepfunctions start-execution), then delete the message; tomorrow's start comes on its own.`
      : `${playbookId}: EventBridge could not start the playbook; the event waits in the trigger's dead-letter queue (kept 14 days). The message's attributes say why (ERROR_CODE, ERROR_MESSAGE: a throttled StartExecution, a missing permission). Once fixed, replay the event's time window from the event archive to this playbook's rule (a replay names its rules; effects are idempotent), then delete the message.`,
  );
  // One alarm for both, not two: the playbook is named either way, and the stage stays well under
  // CloudFormation's 500 resources (each playbook already brings about ten).
  const stopped = { aborted: machine.stateMachine.metricAborted(), throttled: machine.stateMachine.metricThrottled() };
  alarms.alarmOnAny(
    machine,
    'AbortedOrThrottledAlarm',
    filledSum(stopped, ALARM_PERIOD),
    `${playbookId}: an execution was stopped before its end (ExecutionsAborted: someone or something called StopExecution; CloudTrail says who), or Step Functions throttled its state transitions (ExecutionThrottled: the account's StateTransition quota; it goes on, late). Stopped: that account's playbook did not finish, so tell its CSM or start it again. Throttled: look in the state machine's executions for a loop or a burst (an import, a replay), and ask for a quota increase if it is steady.`,
  );
}

/** CloudWatch takes at most 10 metrics in one alarm's math expression. */
export const METRICS_PER_ALARM = 10;

/**
 * The sum of `metrics` per `period`, each metric's missing data counting 0 (FILL): otherwise a period
 * in which one of them has no data point (a vendor that sent nothing) would have no sum either.
 */
function filledSum(metrics: Readonly<Record<string, cloudwatch.IMetric>>, period: Duration): cloudwatch.MathExpression {
  return new cloudwatch.MathExpression({ expression: filledSumOf(Object.keys(metrics)), usingMetrics: metrics, period });
}

const filledSumOf = (ids: readonly string[]) => `SUM([${ids.map((id) => `FILL(${id}, 0)`).join(', ')}])`;

/**
 * The ingest's answers of one status, one metric per vendor (functions/ingest/answer-metrics.ts), by
 * math-expression id (`<prefix><vendor>`). Requests to a path no vendor has are answered 404 by API
 * Gateway or by the ingest, so the `unknown` vendor never answers 401, 403 or 503.
 */
function webhookAnswers(namespace: string, statusCode: number, prefix: string): Record<string, cloudwatch.Metric> {
  return Object.fromEntries(
    VENDOR_IDS.map((vendor) => [
      `${prefix}${vendor}`,
      new cloudwatch.Metric({
        namespace,
        metricName: webhookAnswerMetric(statusCode),
        dimensionsMap: { [SERVICE_DIMENSION]: INGEST_SERVICE, [VENDOR_DIMENSION]: vendor },
        statistic: 'Sum',
      }),
    ]),
  );
}

/**
 * The way in: `POST /webhooks/<vendor>` refusing signatures (401), refusing a signed sender what it
 * may not publish (403) or failing to put events on the bus (503), as counted by the ingest itself (the HTTP API's metrics count 4xx and 5xx, not per status),
 * and the API's other 5xx answers, webhooks and approvals alike.
 */
export function alarmOnWebhooks(alarms: AlarmTopic, webhook: WebhookEndpoint, namespace: string): void {
  const rejected = webhookAnswers(namespace, 401, 'r_');
  alarms.alarm(webhook, 'SignatureRejectedAlarm', {
    // An hour, not five minutes: a vendor that sends a few deliveries an hour reaches 5 with its
    // retries, and nothing unsigned gets in meanwhile (each one is refused), so paging later is safe.
    metric: filledSum(rejected, Duration.hours(1)),
    threshold: 5,
    description: `Webhooks answered 401 (signature missing, wrong, or outside its time window) 5 times or more in an hour, all vendors together (metric Webhook_401 in ${namespace}, dimensions service and vendor). One stray request is no page; 5 an hour is a vendor whose every delivery fails, retries included (its signing secret changed at the vendor and not in the stage's secret, or the reverse), or someone trying signatures. Look at Webhook_401 by vendor and the ingest's "webhook refused" warnings. One vendor: compare its secret (stack output <Vendor>WebhookSecretArn, README "Vendor webhooks") with the vendor's, the newest first; the vendor's retries then deliver. Many senders: the API access log's sourceIp. Nothing unsigned gets in either way.`,
  });
  const forbidden = webhookAnswers(namespace, 403, 'f_');
  alarms.alarm(webhook, 'ForbiddenAlarm', {
    // One is enough: a 403 comes only from a request signed with a stage's secret.
    metric: filledSum(forbidden, ALARM_PERIOD),
    threshold: 1,
    description: `Webhooks answered 403, all vendors together (metric Webhook_403 in ${namespace}, by vendor): a request signed with one of the stage's secrets carried a detail-type its sender may not publish, and nothing of it was accepted. Either the sender sends something new the stage does not grant it (its retries keep failing until you do: add the type to its list in stages/<stage>.json, webhooks, and redeploy), or whoever holds that secret is trying what it may not (rotate the secret: README "Vendor webhooks"). The ingest's warning "webhook event type not allowed for its sender" names the vendor, the sender and the types.`,
  });
  const unavailable = webhookAnswers(namespace, 503, 'u_');
  alarms.alarm(webhook, 'UnavailableAlarm', {
    // Two periods in a row: a lone 503 (EventBridge refusing once, two copies of one delivery at the
    // same moment) is sent again by the vendor and accepted; ten minutes of them is an outage.
    metric: filledSum(unavailable, ALARM_PERIOD),
    threshold: 1,
    evaluationPeriods: 2,
    description: `Webhooks answered 503 in two consecutive 5-minute periods (metric Webhook_503 in ${namespace}, by vendor): their events are not on the bus, so no playbook starts. A lone 503 is no page (the vendor sends it again and it is accepted); ten minutes of them is an outage the vendors' retries may not outlast. Look at the ingest's log group: "webhook events not put on the bus" (EventBridge: the error's name and code, the account's PutEvents quota) or "webhook signing secrets unreadable" (Secrets Manager, the function's role). Once it is fixed, the vendors' retries deliver; a delivery a vendor gave up on must be sent again from the vendor.`,
  });
  // API Gateway's 5xx minus the ingest's own 503s (the alarm above): what remains is a function that
  // crashed, timed out or was throttled, or an approval decide-approval could not deliver (Approval_503).
  const api = webhook.stage.metricServerError({ statistic: 'Sum' });
  alarms.alarm(webhook, 'ApiServerErrorAlarm', {
    metric: new cloudwatch.MathExpression({
      expression: `FILL(api, 0) - ${filledSumOf(Object.keys(unavailable))}`,
      usingMetrics: { api, ...unavailable },
      period: ALARM_PERIOD,
    }),
    threshold: 1,
    description: `The webhook and approval API answered a 5xx that the ingest's deliberate 503s do not explain (AWS/ApiGateway 5xx of the stage, minus Webhook_503, which WebhookUnavailableAlarm watches): the ingest or decide-approval crashed, timed out (10 s) or was throttled, or an approval decision was recorded but not delivered to its execution (Approval_503: the approver is told to send it again). Vendors retry; a person approving sees an error. Look at the API's access log (status, integrationStatus, integrationError), then the Errors, Throttles and Duration of the ingest and decide-approval functions and their log groups.`,
  });
}

/**
 * Lambda errors and throttles of the stage's functions, summed over groups of up to 10 (an alarm's
 * math expression takes no more), in the order given: two alarms per ten functions, not two per
 * function. A function added at the end changes the last group only.
 */
export function alarmOnFunctions(scope: Construct, alarms: AlarmTopic, functions: Readonly<Record<string, IFunction>>): void {
  const entries = Object.entries(functions);
  for (let start = 0, group = 1; start < entries.length; start += METRICS_PER_ALARM, group++) {
    const chunk = entries.slice(start, start + METRICS_PER_ALARM);
    const names = chunk.map(([id]) => id).join(', ');
    const byId = (metric: (fn: IFunction) => cloudwatch.IMetric) => Object.fromEntries(chunk.map(([, fn], i) => [`f${i}`, metric(fn)]));
    alarms.alarm(scope, `LambdaErrorsAlarm${group}`, {
      // Some errors are how a step asks to be retried: one event about an account the CRM has not
      // synced yet is a few AccountNotFound errors an hour. Ten every five minutes for a quarter of an
      // hour is not that.
      metric: filledSum(byId((fn) => fn.metricErrors({ statistic: 'Sum' })), ALARM_PERIOD),
      threshold: 10,
      evaluationPeriods: 3,
      description: `Lambda errors, 10 or more in each of three consecutive 5-minute periods, summed over these functions: ${names}. Some errors are by design and retried by the playbooks (AccountNotFound while the CRM sync lags, VendorUnavailable during a vendor outage, AwsServiceUnavailable while an AWS service is throttled or failing), so none pages alone; a steady stream is a broken function (a deploy, a missing permission, a timeout) or a vendor down for a quarter of an hour. Look at Errors per function (Lambda console, Monitor) and the function's log group (level ERROR); a playbook's StayedFailedAlarm follows if even manual follow-ups cannot be created after their automatic redrives.`,
    });
    alarms.alarmOnAny(
      scope,
      `LambdaThrottlesAlarm${group}`,
      filledSum(byId((fn) => fn.metricThrottles({ statistic: 'Sum' })), ALARM_PERIOD),
      `Lambda throttled an invocation of one of these functions: ${names}. The account's concurrency in the region is used up (these functions reserve none): Step Functions retries a throttled step for about 38 minutes and webhook senders retry, but a longer shortage ends steps in manual follow-ups. Look at Throttles per function and the account's ConcurrentExecutions (Lambda console), at what else runs in the account, and at the Service Quotas "Concurrent executions" of the region (a new account starts low).`,
    );
  }
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
