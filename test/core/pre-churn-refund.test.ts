import { describe, expect, it } from 'vitest';
import { newCase, recordOutcome, withStatus, type PreChurnCase } from '../../functions/core/pre-churn/case.ts';
import { nextRefundStep, REFUND_LEASE_MS, type RefundRecord } from '../../functions/core/pre-churn/refund.ts';
import { checkLossRule } from '../../functions/core/pre-churn/rule.ts';
import { calendar } from '../support/business-calendar.ts';

const PROOF = 'https://files.example.com/proof/mail.png';
const caseRequestedOn = (requestedAt: string, outcome?: { kind: 'saved' | 'lost'; proofUrl?: string }): PreChurnCase => {
  const opened = withStatus({
    ...newCase({ id: 'pch-1', accountId: 'acc-1', signedAt: '2026-11-02T15:00:00+01:00', timezone: 'Europe/Paris' }),
    opened: {
      eventId: 'evt-c',
      requestedAt,
      channel: 'sms',
      openedAt: requestedAt,
      days: 0,
      windowDays: 14,
      ownerRole: 'sales' as const,
      owner: 'sales-sam',
      saveDeadline: '2026-11-30T18:00:00+01:00',
    },
  });
  if (!outcome) return opened;
  return recordOutcome(opened, { eventId: 'evt-o', outcome: outcome.kind, proofUrl: outcome.proofUrl, at: requestedAt, recordedAt: requestedAt }).record;
};

describe('the rule a money-touching step checks first: within the window, lost, proof on file', () => {
  it('given a loss with proof on day 14, then allowed, and the facts say why', () => {
    expect(checkLossRule(caseRequestedOn('2026-11-16T10:00:00+01:00', { kind: 'lost', proofUrl: PROOF }), 14, calendar)).toMatchObject({
      allowed: true,
      facts: { caseStatus: 'lost', daysSinceSignature: 14, windowDays: 14, proof: 'present' },
      proofUrl: PROOF,
      opened: { requestedAt: '2026-11-16T10:00:00+01:00' },
    });
  });

  it('given the same case on day 15, then refused: after day 14, never', () => {
    expect(checkLossRule(caseRequestedOn('2026-11-17T10:00:00+01:00', { kind: 'lost', proofUrl: PROOF }), 14, calendar)).toMatchObject({
      allowed: false,
      why: 'the cancellation came 15 days after the signature, beyond the 14-day window',
    });
  });

  it('given a loss without proof, then refused', () => {
    expect(checkLossRule(caseRequestedOn('2026-11-10T10:00:00+01:00', { kind: 'lost' }), 14, calendar)).toMatchObject({ allowed: false, facts: { proof: 'missing' } });
  });

  it('given a saved case, or one without an outcome, then refused', () => {
    expect(checkLossRule(caseRequestedOn('2026-11-10T10:00:00+01:00', { kind: 'saved' }), 14, calendar)).toMatchObject({ allowed: false, why: 'the case is saved, not lost' });
    expect(checkLossRule(caseRequestedOn('2026-11-10T10:00:00+01:00'), 14, calendar)).toMatchObject({ allowed: false, why: 'the case is open, not lost' });
  });

  it('given no case at all, then refused', () => {
    expect(checkLossRule(undefined, 14, calendar)).toMatchObject({ allowed: false, why: 'no cancellation opened this case' });
  });

  it('given an outcome no cancellation opened a case for, then refused', () => {
    const unopened = recordOutcome(newCase({ id: 'pch-2', accountId: 'acc-1', signedAt: '2026-11-02T15:00:00+01:00', timezone: 'Europe/Paris' }), {
      eventId: 'evt-o',
      outcome: 'lost',
      proofUrl: PROOF,
      at: '2026-11-10T10:00:00+01:00',
      recordedAt: '2026-11-10T10:00:00+01:00',
    }).record;
    expect(checkLossRule(unopened, 14, calendar)).toMatchObject({ allowed: false, facts: { caseStatus: 'not-opened' } });
  });
});

describe('the refund request’s next step on an existing record', () => {
  const NOW = new Date('2026-11-16T10:00:00Z');
  const record = (overrides: Partial<RefundRecord>): RefundRecord => ({
    id: 'rfd-1',
    caseId: 'pch-1',
    accountId: 'acc-1',
    status: 'posting',
    createdAt: '2026-11-16T09:59:00.000Z',
    attempts: 1,
    leaseUntil: '2026-11-16T09:59:30.000Z',
    requestedBy: 'sales-sam',
    monthlyAmount: 450,
    currency: 'EUR',
    proofUrl: PROOF,
    ...overrides,
  });

  it('given it is recorded as posted, then nothing is done', () => {
    expect(nextRefundStep(record({ status: 'posted', message: { channel: 'C1', ts: '1.2' } }), NOW)).toEqual({ step: 'done' });
  });

  it('given an earlier attempt’s lease ran out (it crashed between the post and the record), then look in the channel before posting', () => {
    expect(nextRefundStep(record({}), NOW)).toEqual({ step: 'search-then-post' });
  });

  it('given another attempt holds the lease (it may be posting right now), then wait for it', () => {
    const leaseUntil = new Date(NOW.getTime() + REFUND_LEASE_MS / 2).toISOString();
    expect(nextRefundStep(record({ leaseUntil }), NOW)).toEqual({ step: 'wait', until: leaseUntil });
  });
});
