import { describe, expect, it } from 'vitest';
import { ApprovalDecisionRequest, parseContract } from '../../functions/contracts/index.ts';
import { approvalExpiry, approvalView, approvalWindow, decide, type ApprovalRecord } from '../../functions/core/approvals/approval.ts';
import { formatLocalIso } from '../../functions/core/calendar/business-time.ts';
import { approvalId } from '../../functions/core/tasks/identity.ts';
import { calendar, NEW_YORK, PARIS } from '../support/business-calendar.ts';

const expiry = (requestedAt: string, days: number, where = PARIS) => formatLocalIso(approvalExpiry(new Date(requestedAt), where, days, '18:00', calendar), where.timezone);

describe('the approval window: approvalWindowDays business days, until the end of business hours', () => {
  it('given a request on Monday 10:00 in Paris and 5 days, then it expires next Monday at 18:00', () => {
    expect(expiry('2026-11-16T10:00:00+01:00', 5)).toBe('2026-11-23T18:00:00+01:00');
  });

  it('given a request on Friday 19:00 (after hours), then the count starts on Monday: it expires the Monday after, at 18:00', () => {
    expect(expiry('2026-11-13T19:00:00+01:00', 5)).toBe('2026-11-23T18:00:00+01:00');
  });

  it('given a window that crosses 11 November (a French public holiday), then the holiday does not count', () => {
    expect(expiry('2026-11-09T10:00:00+01:00', 2)).toBe('2026-11-12T18:00:00+01:00');
  });

  it('given 0 days, then it expires at today’s closing, or the next business day’s after hours', () => {
    expect(expiry('2026-11-16T10:00:00+01:00', 0)).toBe('2026-11-16T18:00:00+01:00');
    expect(expiry('2026-11-16T18:30:00+01:00', 0)).toBe('2026-11-17T18:00:00+01:00');
  });

  it('given an account in New York, then the hours are New York’s', () => {
    expect(expiry('2026-11-16T10:00:00-05:00', 1, NEW_YORK)).toBe('2026-11-17T18:00:00-05:00');
  });

  it('given the Task starts now, then its timeout is the whole seconds until the expiry, at least one, never before it', () => {
    const expiresAt = new Date('2026-11-23T18:00:00+01:00');
    expect(approvalWindow(expiresAt, new Date('2026-11-16T10:00:00+01:00')).timeoutSeconds).toBe(7 * 86_400 + 8 * 3_600);
    expect(approvalWindow(expiresAt, new Date('2026-11-23T17:59:59.500+01:00')).timeoutSeconds).toBe(1);
    expect(approvalWindow(expiresAt, new Date('2026-11-24T09:00:00+01:00')).timeoutSeconds).toBe(1);
  });
});

describe('approval ids', () => {
  it('given the same account, playbook, kind and reason, then the same id (a retry or a redelivery finds the approval); any other part gives another', () => {
    const parts = { accountId: 'acc-1', playbook: 'nps-response', kind: 'email', reason: 'evt-1' };
    expect(approvalId(parts)).toBe(approvalId({ ...parts }));
    expect(approvalId(parts)).toMatch(/^apr-[0-9a-f]{20}$/);
    expect(new Set([approvalId(parts), approvalId({ ...parts, reason: 'evt-2' }), approvalId({ ...parts, playbook: 'no-contact' })]).size).toBe(3);
  });
});

describe('a decision', () => {
  const pending: ApprovalRecord = {
    id: 'apr-00000000000000000001',
    accountId: 'acc-1',
    playbook: 'nps-response',
    kind: 'email',
    template: 'review-request',
    reason: 'evt-1',
    proposal: { to: 'alex@example.com', subject: 'Would you review us?', text: 'Hello Alex' },
    status: 'pending',
    timezone: 'Europe/Paris',
    requestedAt: '2026-11-16T10:00:00+01:00',
    expiresAt: '2026-11-23T18:00:00+01:00',
    taskId: 'tsk-1',
    waiters: { 'exec-1': { token: 'secret-token', since: '2026-11-16T10:00:00+01:00', state: 'waiting' } },
  };
  const request = (body: object) => parseContract(ApprovalDecisionRequest, { approvalId: pending.id, decidedBy: 'csm-camille', ...body }, 'decision');
  const tuesday = new Date('2026-11-17T09:00:00+01:00');

  it('given a pending approval, when approved with a new text, then the outcome carries the edits and the proposal with them applied, the rest untouched', () => {
    const result = decide(pending, request({ decision: 'approve', edits: { text: 'Hello Alex, a review?' } }), tuesday);
    expect(result.result).toBe('decided');
    expect(result.record.outcome).toEqual({
      approvalId: pending.id,
      decision: 'approved',
      decidedBy: 'csm-camille',
      decidedAt: '2026-11-17T09:00:00+01:00',
      edits: { text: 'Hello Alex, a review?' },
      proposal: { to: 'alex@example.com', subject: 'Would you review us?', text: 'Hello Alex, a review?' },
    });
  });

  it('given a pending approval, when cancelled, then the outcome says cancelled with no edits', () => {
    expect(decide(pending, request({ decision: 'cancel' }), tuesday).record).toMatchObject({ status: 'cancelled', outcome: { decision: 'cancelled', edits: {} } });
  });

  it('given the expiry passed, then the decision is refused as expired, whatever it says', () => {
    expect(decide(pending, request({ decision: 'approve' }), new Date('2026-11-23T18:00:00+01:00'))).toMatchObject({ result: 'expired', record: { status: 'expired' } });
  });

  it('given a decided approval, then another decision is refused, and the same one again only delivers to waiters not reached yet', () => {
    const approved = decide(pending, request({ decision: 'approve' }), tuesday).record;
    expect(decide(approved, request({ decision: 'approve' }), tuesday).result).toBe('redeliver');
    expect(decide(approved, request({ decision: 'cancel' }), tuesday).result).toBe('already-decided');
    expect(decide(approved, request({ decision: 'approve', edits: { subject: 'Other' } }), tuesday).result).toBe('already-decided');
    const delivered = { ...approved, waiters: { 'exec-1': { ...approved.waiters['exec-1']!, state: 'resumed' as const } } };
    expect(decide(delivered, request({ decision: 'approve' }), tuesday).result).toBe('already-decided');
  });

  it('given any approval, then its view never carries a task token', () => {
    expect(JSON.stringify(approvalView(pending, tuesday))).not.toContain('secret-token');
    expect(approvalView(pending, tuesday)).toMatchObject({ status: 'pending', waiting: 1 });
    expect(approvalView(pending, new Date('2026-11-24T00:00:00+01:00')).status).toBe('expired');
  });
});
