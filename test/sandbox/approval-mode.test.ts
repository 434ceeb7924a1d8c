import { afterEach, describe, expect, it } from 'vitest';
import type { ApprovalOutcome } from '../../functions/contracts/index.ts';
import { TaskTokenGone } from '../../functions/adapters/step-functions/task-callbacks.ts';
import type { FunctionInterceptor } from '../../sandbox/runtime/sandbox.ts';
import { parseScenario } from '../../sandbox/simulate/scenario.ts';
import { simulate } from '../../sandbox/simulate/simulate.ts';
import { APPROVAL_REHEARSAL, REHEARSAL_CONFIG, startRehearsal, upsellRequest } from '../support/approval-rehearsal.ts';
import { Throttled } from '../support/faults.ts';
import { parisAccount } from '../support/scenario.ts';

// Approval mode through the sandbox's interpreter path: the test-only fixture playbook
// (test/fixtures/approval-rehearsal.asl.json) prepares its e-mail (the no-contact proposal to the
// champion, a draft in the ledger), plans the window, parks on a `lambda:invoke.waitForTaskToken`
// Task, and branches on the CSM's decision or the expiry: approved, send-email sends the draft as approved.
// Monday 16 November 2026, 10:00 in Paris; approvals.approvalWindowDays is 5 (the default).

const MONDAY = '2026-11-16T10:00:00+01:00';

type Rehearsal = Awaited<ReturnType<typeof startRehearsal>>;
let rehearsal: Rehearsal | undefined;
afterEach(async () => {
  await rehearsal?.sandbox.stop();
  rehearsal = undefined;
});

async function given(options: Parameters<typeof startRehearsal>[1] = {}): Promise<Rehearsal> {
  rehearsal = await startRehearsal(MONDAY, options);
  return rehearsal;
}

const outputOf = (r: Rehearsal, index = 0) => r.sandbox.executions[index]!.output as { approval?: ApprovalOutcome; sent?: { emailId: string; status: string }; expiry?: { Error: string } };
/** The e-mail the fixture prepared, as the ledger holds it (a draft, then queued as approved). */
const emailOf = async (r: Rehearsal, emailId: string) => r.sandbox.ledger.getEmail('acc-paris', emailId);

describe('approval mode: an execution parked on a .waitForTaskToken Task until the CSM decides', () => {
  it('given an e-mail put up for approval on Monday 10:00 in Paris, then the execution waits on its Task, the approval is pending until next Monday 18:00, and the CSM has an email-approval task due today', async () => {
    const r = await given();
    await r.deliver(upsellRequest(MONDAY, 'evt-1'));

    expect(r.sandbox.executions.map((e) => [e.status, e.currentState])).toEqual([['RUNNING', 'RequestApproval']]);
    expect(r.sandbox.pendingCallbacks()).toEqual([expect.objectContaining({ execution: 'approval-rehearsal-0001', state: 'RequestApproval' })]);
    const approval = await r.approval();
    expect(approval).toMatchObject({
      playbook: 'approval-rehearsal',
      kind: 'email',
      template: 'no-contact-proposal',
      reason: 'evt-1',
      status: 'pending',
      requestedAt: MONDAY,
      expiresAt: '2026-11-23T18:00:00+01:00',
      waiting: 1,
      emailId: expect.stringMatching(/^eml-/),
      // The CSM's view: the draft, read from the ledger.
      email: { to: 'champion@example.com', language: 'fr', subject: 'Prenons un moment pour échanger ?', text: expect.stringMatching(/^Bonjour Alex Champion,/) },
    });
    // What leaves the ledger never carries a task token.
    expect(JSON.stringify(await r.sandbox.approvals())).not.toContain('sbx-task-token');
    const tasks = await r.sandbox.ledger.scan<{ id: string; kind: string; owner: string; dueAt: string; details: string }>('task');
    expect(tasks.map((t) => [t.id, t.kind, t.owner, t.dueAt])).toEqual([[approval.taskId, 'email-approval', 'csm-camille', '2026-11-16T18:00:00+01:00']]);
    expect(tasks[0]!.details).toContain(`npx playbooks approve ${approval.id}`);
  });

  it('when the CSM approves with a new subject, then the execution resumes with the decision only, and the e-mail sent is the draft with that subject', async () => {
    const r = await given();
    await r.deliver(upsellRequest(MONDAY, 'evt-1'));
    await r.advanceTo('2026-11-17T09:30:00+01:00');
    const { id } = await r.approval();

    const answer = await r.sandbox.applyApproval({ approvalId: id, decision: 'approve', edits: { subject: 'A review, Alex?' }, decidedBy: 'csm-camille' });
    await r.sandbox.settled();

    expect(answer).toEqual({ statusCode: 200, body: { approvalId: id, status: 'approved', decidedBy: 'csm-camille', decidedAt: '2026-11-17T09:30:00+01:00', resumed: 1 } });
    expect(r.sandbox.executions[0]!.status).toBe('SUCCEEDED');
    expect(outputOf(r).approval).toEqual({ approvalId: id, decision: 'approved', edited: true, decidedBy: 'csm-camille', decidedAt: '2026-11-17T09:30:00+01:00' });
    const { emailId } = await r.approval();
    expect(outputOf(r).sent).toEqual({ emailId, status: 'sent' });
    expect(await emailOf(r, emailId)).toMatchObject({
      status: 'queued',
      to: 'champion@example.com',
      subject: 'A review, Alex?',
      text: expect.stringMatching(/^Bonjour Alex Champion,/),
      approvedBy: 'csm-camille',
      recordedAt: '2026-11-17T09:30:00+01:00',
    });
    expect(await r.approval()).toMatchObject({ status: 'approved', waiting: 0, outcome: { decidedBy: 'csm-camille' }, edits: { subject: 'A review, Alex?' }, email: { subject: 'A review, Alex?' } });
  });

  it('when the CSM cancels, then the execution ends without sending, and the approval records who cancelled and when', async () => {
    const r = await given();
    await r.deliver(upsellRequest(MONDAY, 'evt-1'));
    const { id } = await r.approval();

    expect((await r.sandbox.applyApproval({ approvalId: id, decision: 'cancel', decidedBy: 'csm-camille' })).statusCode).toBe(200);
    await r.sandbox.settled();

    expect(r.sandbox.executions[0]!.status).toBe('SUCCEEDED');
    expect(outputOf(r).approval).toEqual({ approvalId: id, decision: 'cancelled', edited: false, decidedBy: 'csm-camille', decidedAt: MONDAY });
    expect(outputOf(r).sent).toBeUndefined();
    expect(await emailOf(r, (await r.approval()).emailId)).toMatchObject({ status: 'prepared' });
    expect(await r.approval()).toMatchObject({ status: 'cancelled', outcome: { decision: 'cancelled', decidedBy: 'csm-camille', decidedAt: MONDAY } });
  });

  it('when the CSM approves twice, then the second answer is 409 and nothing resumes twice', async () => {
    const r = await given();
    await r.deliver(upsellRequest(MONDAY, 'evt-1'));
    const { id } = await r.approval();
    const decision = { approvalId: id, decision: 'approve', decidedBy: 'csm-camille' } as const;

    expect((await r.sandbox.applyApproval(decision)).statusCode).toBe(200);
    await r.sandbox.settled();
    const transitions = r.sandbox.executions[0]!.transitions;
    const again = await r.sandbox.applyApproval(decision);
    const otherwise = await r.sandbox.applyApproval({ ...decision, decision: 'cancel' });
    await r.sandbox.settled();

    expect(again.statusCode).toBe(409);
    expect(again.body).toMatchObject({ error: expect.stringContaining(`Approval ${id} was already approved by csm-camille at ${MONDAY}`) });
    expect(otherwise.statusCode).toBe(409);
    expect(r.sandbox.executions[0]!.transitions).toBe(transitions);
    expect(r.sandbox.decisions.map((d) => d.statusCode)).toEqual([200, 409, 409]);
    expect(await r.approval()).toMatchObject({ status: 'approved' });
  });

  it('given nobody answers, when the 5 business days pass on the virtual clock, then the Task times out at the expiry, the CSM gets a visible follow-up, no timer is left, and a late approval is refused 410', async () => {
    const r = await given();
    await r.deliver(upsellRequest(MONDAY, 'evt-1'));
    const { id } = await r.approval();

    await r.advanceTo('2026-11-30T10:00:00+01:00');

    const [execution] = r.sandbox.executions;
    expect(execution!.status).toBe('SUCCEEDED');
    expect(execution!.stoppedAt).toBe(Date.parse('2026-11-23T18:00:00+01:00'));
    expect(outputOf(r).expiry).toMatchObject({ Error: 'States.Timeout' });
    expect(outputOf(r).sent).toBeUndefined();
    const tasks = await r.sandbox.ledger.scan<{ kind: string; createdAt: string; details?: string }>('task');
    expect(tasks.filter((t) => t.kind === 'manual-follow-up').map((t) => [t.createdAt, t.details])).toEqual([
      ['2026-11-23T18:00:00+01:00', `The no-contact-proposal e-mail waited for approval until 2026-11-23T18:00:00+01:00 and was not sent: send it by hand if it still makes sense (approval ${id}).`],
    ]);
    expect(r.sandbox.pendingCallbacks()).toEqual([]);
    expect(r.clock.pendingTimers()).toBe(0);

    const late = await r.sandbox.applyApproval({ approvalId: id, decision: 'approve', decidedBy: 'csm-camille' });
    expect(late.statusCode).toBe(410);
    expect(late.body).toMatchObject({ error: expect.stringContaining('expired at 2026-11-23T18:00:00+01:00') });
    expect(await r.approval()).toMatchObject({ status: 'expired' });
  });

  it('given the Lambda behind RequestApproval fails after recording the approval (a Lambda retry with a new token), then one approval and one CSM task, and the approval resumes the retried attempt', async () => {
    const tokens: string[] = [];
    let failures = 0;
    const failOnce: FunctionInterceptor = async (id, input, call) => {
      if (id !== 'request-approval') return call();
      tokens.push((input as { taskToken: string }).taskToken);
      const result = await call();
      if (failures++ === 0) throw new Throttled('Rate exceeded');
      return result;
    };
    const r = await given({ intercept: failOnce });
    await r.deliver(upsellRequest(MONDAY, 'evt-1'));
    await r.advanceTo('2026-11-16T10:05:00+01:00');

    expect(tokens).toHaveLength(2);
    expect(new Set(tokens).size).toBe(2);
    const approvals = await r.sandbox.approvals();
    expect(approvals).toHaveLength(1);
    expect(approvals[0]).toMatchObject({ status: 'pending', waiting: 1 });
    expect((await r.sandbox.ledger.scan<{ kind: string }>('task')).map((t) => t.kind)).toEqual(['email-approval']);
    expect(r.sandbox.pendingCallbacks().map((p) => p.token)).toEqual([tokens[1]]);
    await expect(r.sandbox.sendTaskSuccess(tokens[0]!, {})).rejects.toBeInstanceOf(TaskTokenGone);

    expect((await r.sandbox.applyApproval({ approvalId: approvals[0]!.id, decision: 'approve', decidedBy: 'csm-camille' })).body).toMatchObject({ resumed: 1 });
    await r.sandbox.settled();
    expect(r.sandbox.executions.map((e) => e.status)).toEqual(['SUCCEEDED']);
  });

  it('given the same event delivered twice (two executions), when the CSM approves once, then both resume with the same decision from one approval', async () => {
    const r = await given();
    await r.deliver(upsellRequest(MONDAY, 'evt-1'));
    await r.deliver(upsellRequest(MONDAY, 'evt-1'));
    const approval = await r.approval();
    expect(approval.waiting).toBe(2);

    expect((await r.sandbox.applyApproval({ approvalId: approval.id, decision: 'approve', decidedBy: 'csm-camille' })).body).toMatchObject({ resumed: 2 });
    await r.sandbox.settled();

    expect(r.sandbox.executions.map((e) => e.status)).toEqual(['SUCCEEDED', 'SUCCEEDED']);
    expect(outputOf(r, 1).approval).toEqual(outputOf(r, 0).approval);
  });

  it('given an approval decided already, when the event is redelivered (an archive replay), then the new execution resumes at once with the recorded decision', async () => {
    const r = await given();
    await r.deliver(upsellRequest(MONDAY, 'evt-1'));
    const { id } = await r.approval();
    await r.sandbox.applyApproval({ approvalId: id, decision: 'cancel', decidedBy: 'csm-camille' });
    await r.advanceTo('2026-11-18T10:00:00+01:00');

    await r.deliver(upsellRequest('2026-11-18T10:00:00+01:00', 'evt-1'));

    expect(r.sandbox.executions.map((e) => e.status)).toEqual(['SUCCEEDED', 'SUCCEEDED']);
    expect(outputOf(r, 1).approval).toMatchObject({ decision: 'cancelled', decidedAt: MONDAY });
    expect(await r.sandbox.approvals()).toHaveLength(1);
  });

  it('given SendTaskFailure on the parked Task, then the Task fails with that error: its Catch gives the CSM a manual follow-up and the execution fails visibly', async () => {
    const r = await given();
    await r.deliver(upsellRequest(MONDAY, 'evt-1'));
    const [parked] = r.sandbox.pendingCallbacks();

    await r.sandbox.sendTaskFailure(parked!.token, 'ApprovalUndeliverable', 'The decision could not be delivered');
    await r.advanceTo('2026-11-16T11:00:00+01:00');

    expect(r.sandbox.executions.map((e) => [e.status, e.error])).toEqual([['FAILED', 'AutomationFailed']]);
    const tasks = await r.sandbox.ledger.scan<{ kind: string; details?: string }>('task');
    expect(tasks.find((t) => t.kind === 'manual-follow-up')?.details).toContain('ApprovalUndeliverable');
  });

  it('given the sandbox stops while an execution waits for approval, then nothing is left waiting and no timer (the 7-day Task timeout) stays on its clock', async () => {
    const r = await given();
    await r.deliver(upsellRequest(MONDAY, 'evt-1'));
    expect(r.clock.pendingTimers()).toBeGreaterThan(0);

    await r.sandbox.stop();
    rehearsal = undefined;

    expect(r.sandbox.pendingCallbacks()).toEqual([]);
    expect(r.clock.pendingTimers()).toBe(0);
  });
});

describe('scenarios that carry approvals', () => {
  const event = (at: string, eventId: string) => ({ at, type: 'UpsellRequested', detail: upsellRequest(at, eventId).data });
  const rehearse = (events: object[], until?: string) =>
    simulate(parseScenario({ start: MONDAY, ...(until ? { until } : {}), config: REHEARSAL_CONFIG, accounts: [parisAccount()], events }), { playbooks: [APPROVAL_REHEARSAL] });

  it('given a scenario that approves by account, playbook and reason with an edited text, then the simulation fast-forwards through the approval and the report lists it', async () => {
    const report = await rehearse([
      event(MONDAY, 'evt-1'),
      { at: '2026-11-18T15:00:00+01:00', approve: { accountId: 'acc-paris', playbook: 'approval-rehearsal', reason: 'evt-1', edits: { text: 'Would you review us on G2?' }, decidedBy: 'csm-camille' } },
    ]);

    expect(report.executions.map((e) => [e.status, e.stoppedAt])).toEqual([['SUCCEEDED', '2026-11-18T15:00:00+01:00']]);
    expect(report.approvals).toEqual([
      expect.objectContaining({ status: 'approved', decidedBy: 'csm-camille', decidedAt: '2026-11-18T15:00:00+01:00', edited: true, expiresAt: '2026-11-23T18:00:00+01:00', waiting: 0 }),
    ]);
    expect(report.decisions).toEqual([{ at: '2026-11-18T15:00:00+01:00', approvalId: report.approvals[0]!.id, decision: 'approve', statusCode: 200 }]);
    expect(report.tasks.map((t) => t.kind)).toEqual(['email-approval']);
    expect(report.emails).toEqual([expect.objectContaining({ playbook: 'approval-rehearsal', to: 'champion@example.com', at: '2026-11-18T15:00:00+01:00', status: 'recorded' })]);
  });

  it('given a scenario whose approval comes after the expiry, then the report shows the expiry follow-up and the refused decision (410)', async () => {
    const report = await rehearse([event(MONDAY, 'evt-1'), { at: '2026-11-24T09:00:00+01:00', approve: { accountId: 'acc-paris', playbook: 'approval-rehearsal', reason: 'evt-1' } }]);

    expect(report.tasks.map((t) => [t.kind, t.createdAt])).toEqual([
      ['email-approval', MONDAY],
      ['manual-follow-up', '2026-11-23T18:00:00+01:00'],
    ]);
    expect(report.approvals.map((a) => a.status)).toEqual(['expired']);
    expect(report.decisions).toEqual([expect.objectContaining({ statusCode: 410, decision: 'approve', error: expect.stringContaining('expired') })]);
  });

  it('given an approve that names neither an approval id nor account, playbook and reason, then the scenario is refused, naming the place', () => {
    expect(() => parseScenario({ start: MONDAY, accounts: [], events: [{ at: MONDAY, approve: { accountId: 'acc-paris', decision: 'cancel' } }] })).toThrow(
      'events[0].approve: name the approval by "approvalId", or by "accountId", "playbook" and "reason" (missing playbook, reason)',
    );
    expect(() => parseScenario({ start: MONDAY, accounts: [], events: [{ at: MONDAY, approve: { approvalId: 'apr-0123456789abcdef0123', decision: 'cancel', edits: { text: 'x' } } }] })).toThrow(
      'events[0].approve.edits: edits come with "approve" only',
    );
  });
});
