import { describe, expect, it } from 'vitest';
import { playbooks } from '../support/cli.ts';
import { INCIDENT_ACCOUNT as ACCOUNT, useRedAlertIncident } from '../support/red-alert-incident.ts';

// The ops runbook against `npm start`'s sandbox: given a detractor answer and a red alert (a competitor
// meeting) for Salon Lumière, whose follow-up cannot be planned and whose manual follow-up the table
// refuses (a permission lost in a bad deploy), ops find both executions from the account with
// `playbooks executions --account`, read the failed one's history with `playbooks history`, and
// redrive it once the permission is back with `playbooks redrive`: the real CLI, as a child process,
// through @aws-sdk/client-sfn and @aws-sdk/client-dynamodb pointed at the sandbox's URL. The sandbox
// runs on a virtual clock (a Friday in November 2026) so that its retries pass in milliseconds.

const incident = useRedAlertIncident();
const url = () => incident.url();

interface Listed {
  executions: { accountId: string; playbook: string; executionArn: string; status: string; startedBy: { detailType?: string; eventId?: string }; error?: string; cause?: string; redriveCount: number; waiting?: { state: string; kind: string; until?: string }; link?: string }[];
}

async function listed(): Promise<Listed['executions']> {
  const run = await playbooks(['executions', '--account', ACCOUNT, '--url', url(), '--json']);
  expect(run.stderr).toBe('');
  expect(run.code).toBe(0);
  return (JSON.parse(run.stdout) as Listed).executions;
}

describe('given a detractor answer and a red alert for one account, the red alert failing for good', () => {
  it('then `playbooks executions --account` finds both, each with the event that started it, what the running one waits for, and why the failed one failed', async () => {
    await incident.postBoth();

    const executions = await listed();
    const nps = executions.find((execution) => execution.playbook === 'nps-response');
    const redAlert = executions.find((execution) => execution.playbook === 'competitor-meeting');
    expect(nps).toMatchObject({
      status: 'RUNNING',
      startedBy: { detailType: 'NpsResponseReceived', eventId: 'evt-sample-npsResponseReceived' },
      // The detractor's cool-down: the call comes two business days later, Tuesday morning in Paris.
      waiting: { state: 'CoolDown', kind: 'wait', until: expect.stringMatching(/^2026-11-2[4-5]T/) },
    });
    expect(redAlert).toMatchObject({
      status: 'FAILED',
      startedBy: { detailType: 'CompetitorMeetingDetected', eventId: 'evt-sample-competitorMeetingDetected' },
      error: 'AccessDeniedException',
      cause: expect.stringContaining('not authorized to perform: dynamodb:PutItem'),
      redriveCount: 0,
    });
    expect(redAlert!.link).toBe(`${url()}/executions/${redAlert!.executionArn}`);
    // The alert reminder and the health scorer the answer also started are on the timeline too.
    expect(executions.map((execution) => execution.playbook)).toEqual(expect.arrayContaining(['nps-response', 'competitor-meeting']));
  });

  it('then `playbooks executions --playbook … --status FAILED`, where the alarm naming the playbook leads, finds the failed one and names its account', async () => {
    const run = await playbooks(['executions', '--playbook', 'competitor-meeting', '--status', 'FAILED', '--url', url(), '--json']);
    expect(run.code).toBe(0);
    const { executions } = JSON.parse(run.stdout) as Listed;
    expect(executions).toEqual([expect.objectContaining({ accountId: ACCOUNT, playbook: 'competitor-meeting', status: 'FAILED', error: 'AccessDeniedException' })]);
    const lines = await playbooks(['executions', '--playbook', 'competitor-meeting', '--status', 'FAILED', '--url', url()]);
    expect(lines.stdout).toMatch(/^1 execution of competitor-meeting \(FAILED\) \(the sandbox at http:\/\/127\.0\.0\.1:\d+\), newest first:\n\nFAILED    competitor-meeting for acc-salon-lumiere, started 2026-11-20T16:45:00\.000Z by CompetitorMeetingDetected evt-sample-competitorMeetingDetected/);
  });

  it('then `playbooks history` shows the failed one step by step: the plan refused, the follow-up denied, with their causes, and no personal data', async () => {
    const redAlert = (await listed()).find((execution) => execution.playbook === 'competitor-meeting')!;
    const run = await playbooks(['history', redAlert.executionArn, '--url', url()]);
    expect(run.code).toBe(0);
    const lines = run.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/ExecutionStarted\s+in \{.*"detail-type":"CompetitorMeetingDetected"/);
    expect(lines.find((line) => line.includes('TaskFailed') && line.includes('ContractError'))).toMatch(/refused for this test/);
    expect(lines.filter((line) => line.includes('TaskStateEntered')).map((line) => /TaskStateEntered\s+(\w+)/.exec(line)![1])).toEqual(
      expect.arrayContaining(['PlanFollowUp', 'ReleaseFollowUp', 'CreateManualFollowUp']),
    );
    expect(lines.at(-1)).toMatch(/ExecutionFailed\s+AccessDeniedException: competitor-meeting is not authorized/);
    // The NPS comment ("Les rappels SMS…") and the contact's name never reach an execution's history.
    expect(run.stdout).not.toMatch(/rappels|Hugo/);

    const json = await playbooks(['history', redAlert.executionArn, '--url', url(), '--json']);
    const { events } = JSON.parse(json.stdout) as { events: { id: number; previousEventId: number; type: string; timestamp: string }[] };
    expect(events.map((event) => event.id)).toEqual(events.map((_, index) => index + 1));
    expect(events.every((event) => !Number.isNaN(Date.parse(event.timestamp)))).toBe(true);
  });

  it('then, the permission back, `playbooks redrive` runs it again from the denied follow-up: the CSM gets it, and the plan is not run again', async () => {
    const redAlert = (await listed()).find((execution) => execution.playbook === 'competitor-meeting')!;
    incident.restorePermission();
    const run = await playbooks(['redrive', redAlert.executionArn, '--url', url()]);
    expect(run.stderr).toBe('');
    expect(run.stdout).toMatch(/^redriven at 2026-11-20T/);
    await incident.runForAnHour();

    const after = (await listed()).find((execution) => execution.executionArn === redAlert.executionArn)!;
    // Its follow-up written, it ends as a failed step's run does: red in the console, the CSM on it.
    expect(after).toMatchObject({ status: 'FAILED', error: 'AutomationFailed', redriveCount: 1 });
    const report = (await (await fetch(`${url()}/api/report`)).json()) as { tasks: { accountId: string; kind: string; playbook: string }[] };
    expect(report.tasks.filter((task) => task.accountId === ACCOUNT && task.kind === 'manual-follow-up' && task.playbook === 'competitor-meeting')).toHaveLength(1);

    const history = await playbooks(['history', redAlert.executionArn, '--url', url()]);
    const redriven = history.stdout.split('\n').findIndex((line) => line.includes('ExecutionRedriven'));
    expect(redriven).toBeGreaterThan(0);
    const afterRedrive = history.stdout.split('\n').slice(redriven).join('\n');
    expect(afterRedrive).toMatch(/TaskStateEntered\s+CreateManualFollowUp/);
    // One start, as Step Functions writes it: a redrive goes on in the same history.
    expect(history.stdout.match(/ExecutionStarted/g)).toHaveLength(1);
    expect(afterRedrive).not.toMatch(/PlanFollowUp/);
  });

  it('then a redrive of an execution that did not fail, or of none, is refused with Step Functions’ reason, in one line', async () => {
    const nps = (await listed()).find((execution) => execution.playbook === 'nps-response')!;
    const running = await playbooks(['redrive', nps.executionArn, '--url', url()]);
    expect(running.code).toBe(1);
    expect(running.stderr).toMatch(/^playbooks: the sandbox at .* answered ExecutionNotRedrivable: Execution is RUNNING and cannot be redriven\n$/);
    const none = await playbooks(['redrive', nps.executionArn.replace(/:[^:]+$/, ':no-such-execution'), '--url', url()]);
    expect(none.stderr).toMatch(/^playbooks: the sandbox at .* answered ExecutionDoesNotExist: Execution Does Not Exist/);
  });
});

describe('the Step Functions and DynamoDB APIs the sandbox serves, through the SDK clients', () => {
  const config = () => ({ endpoint: url(), region: 'local', credentials: { accessKeyId: 'sandbox', secretAccessKey: 'sandbox' } });

  it('given maxResults, then ListExecutions and GetExecutionHistory page through everything once, in order, both ways', async () => {
    const { SFNClient, paginateListExecutions, paginateGetExecutionHistory, DescribeStateMachineCommand } = await import('@aws-sdk/client-sfn');
    const client = new SFNClient(config());
    const stateMachineArn = 'arn:aws:states:local:000000000000:stateMachine:alert-reminder';
    const arns: string[] = [];
    for await (const page of paginateListExecutions({ client, pageSize: 1 }, { stateMachineArn })) arns.push(...(page.executions ?? []).map((execution) => execution.executionArn!));
    expect(arns.length).toBeGreaterThanOrEqual(2);
    expect(new Set(arns).size).toBe(arns.length);

    const executionArn = (await listed()).find((execution) => execution.playbook === 'competitor-meeting')!.executionArn;
    const ids = async (reverseOrder: boolean) => {
      const seen: number[] = [];
      for await (const page of paginateGetExecutionHistory({ client, pageSize: 5 }, { executionArn, reverseOrder })) seen.push(...(page.events ?? []).map((event) => event.id!));
      return seen;
    };
    const forward = await ids(false);
    expect(forward).toEqual(forward.map((_, index) => index + 1));
    expect(await ids(true)).toEqual([...forward].reverse());

    const { definition, type } = await client.send(new DescribeStateMachineCommand({ stateMachineArn: 'arn:aws:states:local:000000000000:stateMachine:competitor-meeting' }));
    expect(type).toBe('STANDARD');
    expect(JSON.parse(definition!)).toMatchObject({ StartAt: 'PlanFollowUp' });
  });

  it('given the ledger, then the timelines may be read and nothing else, as the ops policy allows on AWS', async () => {
    const { DynamoDBClient, QueryCommand } = await import('@aws-sdk/client-dynamodb');
    const client = new DynamoDBClient({ ...config(), maxAttempts: 1 });
    const query = (pk: string) => client.send(new QueryCommand({ TableName: 'cs-playbooks-sandbox', KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': { S: pk } } }));
    expect((await query(`EXECUTION#${ACCOUNT}`)).Count).toBeGreaterThan(0);
    await expect(query(`ACCOUNT#${ACCOUNT}`)).rejects.toMatchObject({ name: 'AccessDeniedException' });
  });
});

