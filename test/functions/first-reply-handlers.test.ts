import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openSealed } from '../../functions/adapters/sealed.ts';
import { keys } from '../../functions/adapters/table.ts';
import type { Sealed } from '../../functions/contracts/index.ts';
import { taskId } from '../../functions/core/tasks/identity.ts';
import { captureOutput } from '../support/aws/playbook-lambdas.ts';
import { useSlackStage } from '../support/aws/slack-stage.ts';
import { failureOf } from '../support/ledger-fixture.ts';

// The actions of the 24-hour first reply (client-feedback, e-mail path), each through its domain's
// entry (functions/<domain>/handler.ts) as Step Functions invokes it, with the payloads the state
// machine's Parameters build: DynamoDB is dynalite behind each domain function's IAM grant, Step
// Functions' task callbacks and Slack are local servers on 127.0.0.1 that check the protocol and the
// signature (or the bot token) of every request, and the Slack token comes from the stage's vendor
// secret in Secrets Manager (a local server too).

const ALERTS = 'C0ALERTS01';
const HOUR = 3_600_000;

const sample = (type: string) => JSON.parse(readFileSync(new URL(`../../functions/contracts/samples/${type}.json`, import.meta.url), 'utf8')) as { data: Record<string, unknown> };
const ACCOUNT = sample('AccountUpdated').data as { name: string; contacts: { email: string; name: string }[] } & Record<string, unknown>;

const stage = useSlackStage({
  name: 'cs-playbooks-first-reply-handlers-test',
  alertChannel: ALERTS,
  financeChannel: 'C0FINANCE1',
  stepFunctions: true,
  functions: ['upsert-account', 'plan-first-reply', 'create-task', 'await-first-reply', 'record-client-reply', 'record-sla-breach', 'post-alert', 'acknowledge-alert', 'deliver-dispatches'],
});
/** The dispatch drain's minute sweep (an EventBridge scheduled event): what the steps queued goes to Slack. */
const sweep = () => stage.lambdas['deliver-dispatches']({ source: 'aws.events', 'detail-type': 'Scheduled Event', detail: {} });
const output = captureOutput();

beforeEach(() => output.start());

afterEach(() => {
  output.stop();
  // A protocol, signature or IAM refusal would look like an outage: never let one pass as such.
  expect(stage.stepFunctions.refusals).toEqual([]);
  expect(stage.slack.refusals).toEqual([]);
  expect(stage.secretsManager.refusals).toEqual([]);
  expect(stage.dynamodb.calls.filter((call) => !call.allowed)).toEqual([]);
  // A field named like one of Powertools' own (message, level…) is dropped from the log line, with a warning.
  expect(output.text).not.toContain('is a reserved key and will be dropped');
  // No customer name or e-mail in the logs (ids only), whatever the step did.
  for (const personal of [ACCOUNT.name, ...ACCOUNT.contacts.flatMap((contact) => [contact.email, contact.name])]) expect(output.text).not.toContain(personal);
});

let counter = 0;

/** Given an account synced from the CRM (the AccountUpdated sample, under a fresh id) and a client e-mail received `hoursAgo`. */
async function givenAClientEmail(hoursAgo: number) {
  const n = ++counter;
  const accountId = `acc-first-reply-${n}`;
  await stage.lambdas['upsert-account']({ time: new Date().toISOString(), detail: { ...ACCOUNT, accountId, eventId: `evt-sync-${n}` } });
  const received = new Date(Math.floor((Date.now() - hoursAgo * HOUR) / 1000) * 1000);
  const detail = { ...sample('ClientFeedbackReceived').data, accountId, eventId: `evt-feedback-${n}`, messageId: `msg-${n}`, receivedAt: received.toISOString() };
  return { accountId, detail, received, token: `AQB8AAAAKgAAAAMAAAAAAAAAAT-first-reply-${n}`, executionId: `arn:aws:states:eu-west-3:123456789012:execution:client-feedback:${n}` };
}

type Feedback = Awaited<ReturnType<typeof givenAClientEmail>>;
type Plan = { replyKey: string; dueAt: string; timeoutSeconds: number; details: Sealed };

/** PlanFirstReply, CreateFirstReply and AwaitFirstReply, as the state machine runs them; the Task then waits on `token`. */
async function firstReplyWaits(feedback: Feedback) {
  const plan = (await stage.lambdas['plan-first-reply'](feedback.detail)) as Plan;
  const task = await stage.lambdas['create-task']({
    accountId: feedback.accountId,
    playbook: 'client-feedback',
    kind: 'first-reply',
    ownerRole: 'csm',
    reason: feedback.detail.eventId,
    due: { rule: 'at', at: plan.dueAt },
    details: plan.details,
  });
  stage.stepFunctions.park(feedback.token);
  const wait = await stage.lambdas['await-first-reply']({ accountId: feedback.accountId, replyKey: plan.replyKey, executionId: feedback.executionId, taskToken: feedback.token });
  return { plan, task, wait };
}

const clientReplySent = (feedback: Feedback, at: Date, n = 1) => ({
  accountId: feedback.accountId,
  eventId: `${feedback.detail.eventId}-reply-${n}`,
  inReplyTo: feedback.detail.messageId,
  at: at.toISOString(),
});
const callbacksOn = (token: string) => stage.stepFunctions.requests.filter((r) => r.body.taskToken === token).map((r) => r.operation);

describe('the first-reply Lambdas, through their entries, with their grants', () => {
  it('given an e-mail received an hour ago, then the reply is due at receivedAt + 24 h in the account’s offset, the CSM’s task carries the template, and the execution waits 23 hours', async () => {
    const feedback = await givenAClientEmail(1);

    const { plan, task, wait } = await firstReplyWaits(feedback);

    expect(Date.parse(plan.dueAt)).toBe(feedback.received.getTime() + 24 * HOUR);
    expect(plan.dueAt).toMatch(/\+0[12]:00$/); // Europe/Paris
    expect(plan.timeoutSeconds).toBeGreaterThan(23 * 3600 - 60);
    expect(plan.timeoutSeconds).toBeLessThanOrEqual(23 * 3600);
    expect(plan.replyKey).toBe(feedback.detail.messageId);
    const id = taskId({ accountId: feedback.accountId, playbook: 'client-feedback', kind: 'first-reply', reason: feedback.detail.eventId });
    expect(task).toEqual({ taskId: id, kind: 'first-reply', owner: ACCOUNT.csmId, dueAt: plan.dueAt, created: true });
    // The body names the client's contact: the plan carries its sealed id, the task as filed its text.
    expect(plan.details).toEqual({ sealed: expect.stringMatching(/^sld-/), accountId: feedback.accountId });
    expect((await stage.ledger.getTask(feedback.accountId, id))?.details).toBe(await openSealed(stage.ledger, plan.details, feedback.accountId));
    expect((await stage.ledger.getTask(feedback.accountId, id))?.details).toMatch(/^Reply to /);
    expect(wait).toEqual({ waiting: true });
    expect(callbacksOn(feedback.token)).toEqual([]);
    // The logs name the account by id (and so this file's check that they name no person can fail).
    expect(output.records).toContainEqual(expect.objectContaining({ message: 'first reply planned', service: 'feedback', action: 'plan-first-reply', accountId: feedback.accountId, dueAt: plan.dueAt }));
  });

  it('given the CSM replies at 23 h, then record-client-reply resumes the waiting Task once with the reply time; the reply redelivered resumes nothing and is not an error', async () => {
    const feedback = await givenAClientEmail(23);
    await firstReplyWaits(feedback);
    const reply = clientReplySent(feedback, new Date());

    const first = await stage.lambdas['record-client-reply'](reply);
    const redelivered = await stage.lambdas['record-client-reply'](reply);

    expect(first).toEqual({ resumed: 1 });
    expect(redelivered).toEqual({ resumed: 0 });
    expect(stage.stepFunctions.completed.get(feedback.token)).toEqual({ output: { repliedAt: reply.at } });
    // The second delivery met Step Functions' TaskTimedOut (the Task had completed): one resume.
    expect(callbacksOn(feedback.token)).toEqual(['SendTaskSuccess', 'SendTaskSuccess']);
  });

  it('given the reply recorded before the execution reached its wait, then await-first-reply resumes its own Task at once', async () => {
    const feedback = await givenAClientEmail(2);
    expect(await stage.lambdas['record-client-reply'](clientReplySent(feedback, new Date()))).toEqual({ resumed: 0 });

    const { wait } = await firstReplyWaits(feedback);

    expect(wait).toEqual({ waiting: false });
    expect(stage.stepFunctions.completed.get(feedback.token)).toMatchObject({ output: { repliedAt: expect.any(String) } });
  });

  it('given Step Functions unavailable when the reply comes (every attempt of the client), then the invocation fails as AwsServiceUnavailable (the AWS outage retrier) with the reply on record, and the retry resumes the Task', async () => {
    const feedback = await givenAClientEmail(3);
    await firstReplyWaits(feedback);
    const reply = clientReplySent(feedback, new Date());
    // The SDK's standard retry mode makes three attempts.
    stage.stepFunctions.failNextRequests(3, 503, 'ServiceUnavailable');

    const error = await failureOf(() => stage.lambdas['record-client-reply'](reply));
    const retried = await stage.lambdas['record-client-reply'](reply);

    expect(error.name).toBe('AwsServiceUnavailable');
    expect(callbacksOn(feedback.token)).toEqual(['SendTaskSuccess', 'SendTaskSuccess', 'SendTaskSuccess', 'SendTaskSuccess']);
    expect(retried).toEqual({ resumed: 1 });
    expect(stage.stepFunctions.completed.get(feedback.token)).toEqual({ output: { repliedAt: reply.at } });
  });

  it('given no reply in 24 hours (the Task timed out), then the breach is recorded and counted once, the alert is posted once and ✅ when the team lead’s task is set, and a late reply is on record without error', async () => {
    const feedback = await givenAClientEmail(24);
    const { plan } = await firstReplyWaits(feedback);
    stage.stepFunctions.timeOut(feedback.token); // The Task's TimeoutSecondsPath passed: States.Timeout.

    const breach = { accountId: feedback.accountId, sla: 'first-reply', key: plan.replyKey, dueAt: plan.dueAt };
    const breaches = [await stage.lambdas['record-sla-breach'](breach), await stage.lambdas['record-sla-breach'](breach)];
    const postAlert = () =>
      stage.lambdas['post-alert']({
        accountId: feedback.accountId,
        type: 'first-reply-overdue',
        playbook: 'client-feedback',
        reason: feedback.detail.eventId,
        detail: `No first reply to the client e-mail received ${feedback.detail.receivedAt} (due ${plan.dueAt})`,
      }) as Promise<{ alertId: string; created: boolean }>;
    const alert = await postAlert();
    const alertRetried = await postAlert();
    await sweep();
    const overdue = (await stage.lambdas['create-task']({
      accountId: feedback.accountId,
      playbook: 'client-feedback',
      kind: 'first-reply-overdue',
      ownerRole: 'teamLead',
      reason: feedback.detail.eventId,
      due: { rule: 'today' },
      details: 'The client e-mail had no first reply in 24 hours.',
    })) as { taskId: string; owner: string };
    const acknowledged = await stage.lambdas['acknowledge-alert']({ accountId: feedback.accountId, alertId: alert.alertId, handledBy: `task ${overdue.taskId}` });
    await sweep();
    const lateReply = await stage.lambdas['record-client-reply'](clientReplySent(feedback, new Date()));

    expect(breaches).toEqual([{ created: true }, { created: false }]);
    expect(emittedMetric('SlaBreach_first-reply')).toEqual([{ namespace: 'CsPlaybooks/test', service: 'feedback', value: 1 }]);
    expect(await stage.ledger.readItem(keys.slaBreach(feedback.accountId, 'first-reply', plan.replyKey))).toMatchObject({ dueAt: plan.dueAt });

    expect([alert.created, alertRetried.created]).toEqual([true, false]);
    const posted = stage.slack.messages.filter((m) => m.channel === ALERTS && m.text.includes('First reply overdue') && m.text.includes(plan.dueAt));
    expect(posted).toHaveLength(1);
    expect(posted[0]!.text).toContain(ACCOUNT.name);
    expect(overdue.owner).toBe(ACCOUNT.teamLeadId);
    expect(acknowledged).toMatchObject({ acknowledged: true, changed: true });
    expect([...posted[0]!.reactions]).toEqual(['white_check_mark']);

    expect(lateReply).toEqual({ resumed: 0 });
    expect(stage.stepFunctions.completed.has(feedback.token)).toBe(false);
  });
});

/** The EMF documents of this test that carry `name`: Powertools' metrics as CloudWatch would ingest them. */
function emittedMetric(name: string) {
  return output.records
    .filter((record) => (record._aws as { CloudWatchMetrics?: { Metrics: { Name: string }[] }[] } | undefined)?.CloudWatchMetrics?.some((m) => m.Metrics.some((metric) => metric.Name === name)))
    .map((record) => ({ namespace: (record._aws as { CloudWatchMetrics: { Namespace: string }[] }).CloudWatchMetrics[0]!.Namespace, service: record.service, value: record[name] }));
}
