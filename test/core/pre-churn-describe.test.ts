import { describe, expect, it } from 'vitest';
import type { CaseOpening } from '../../functions/core/pre-churn/case.ts';
import { churnRiskDetails, escalationDetails, notificationText, proofMissingDetails, saveTaskDetails } from '../../functions/core/pre-churn/describe.ts';

// What the people of a pre-churn read: enough to act without opening anything else.
const opening = (overrides: Partial<CaseOpening> = {}): CaseOpening => ({
  eventId: 'evt-1',
  requestedAt: '2026-11-12T09:00:00+01:00',
  channel: 'sms',
  openedAt: '2026-11-12T09:00:01+01:00',
  days: 9,
  windowDays: 14,
  ownerRole: 'sales',
  owner: 'sales-noa',
  informedRole: 'onboarding',
  informed: 'onb-sam',
  saveDeadline: '2026-11-19T18:00:00+01:00',
  ...overrides,
});

describe('the pre-churn texts', () => {
  it('given a case Sales owns, then the save task says when and how the client asked, who was told, what proves a loss, and until when', () => {
    const details = saveTaskDetails(opening(), '2026-11-03');
    expect(details).toContain('The client asked to cancel on 2026-11-12 (sms), 9 days after signing on 2026-11-03 (pre-churn window: 14 days).');
    expect(details).toContain('before the welcome call: Sales owns the save; the onboarding AM (onb-sam) was told');
    expect(details).toContain('a screenshot of the client\'s e-mail or SMS asking to cancel (a termination letter is not one)');
    expect(details).toContain('Without an outcome by 2026-11-19T18:00:00+01:00, the team lead takes it up.');
  });

  it('given the onboarding AM owns it, then the notification to Sales names them, capitalised at the start of the sentence', () => {
    const text = notificationText(opening({ ownerRole: 'onboarding', owner: 'onb-sam', informedRole: 'sales', informed: 'sales-noa' }), { name: 'Coiffure Delta' }, '2026-11-03');
    expect(text).toMatch(/^Pre-churn: Coiffure Delta wants to cancel\./);
    expect(text).toContain('The onboarding AM (onb-sam) owns the save; you are told directly');
  });

  it('given the escalation, the missing proof and a churn, then each says why', () => {
    expect(escalationDetails(opening(), '2026-11-03')).toMatch(/^No outcome of the pre-churn save by 2026-11-19T18:00:00\+01:00\./);
    expect(proofMissingDetails(opening())).toContain('until then, no RETENTION case, no plan expiry and no refund request');
    expect(churnRiskDetails({ requestedAt: '2026-11-17T10:00:00+01:00', channel: 'email' }, { days: 15, windowDays: 14 })).toBe(
      'The client asked to cancel on 2026-11-17 (email), 15 days after signing: beyond the 14-day pre-churn window, so a churn risk.',
    );
  });
});
