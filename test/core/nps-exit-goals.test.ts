import { describe, expect, it } from 'vitest';
import { contactedSince, riskStillOpen } from '../../functions/core/nps/exit-goals.ts';

const ANSWERED_AT = new Date('2026-11-12T10:00:00+01:00');
const touchpoint = (channel: 'call' | 'meeting' | 'email' | 'qbr', at: string, contactId?: string) => ({ channel, at, contactId });

describe('the cool-down goal: a call or a meeting with that contact since the answer', () => {
  it('given a call with the detractor on the next day, then the goal is met', () => {
    expect(contactedSince([touchpoint('call', '2026-11-13T11:00:00+01:00', 'ct-tom')], 'ct-tom', ANSWERED_AT)).toBe(true);
  });

  it('given a meeting with the detractor, then the goal is met', () => {
    expect(contactedSince([touchpoint('meeting', '2026-11-16T08:30:00+01:00', 'ct-tom')], 'ct-tom', ANSWERED_AT)).toBe(true);
  });

  it('given a call at the very minute of the answer, then it counts (at or after)', () => {
    expect(contactedSince([touchpoint('call', '2026-11-12T09:00:00Z', 'ct-tom')], 'ct-tom', ANSWERED_AT)).toBe(true);
  });

  it('given only an e-mail exchange with the detractor, then the goal is not met: seed 003 asks for a call', () => {
    expect(contactedSince([touchpoint('email', '2026-11-13T11:00:00+01:00', 'ct-tom')], 'ct-tom', ANSWERED_AT)).toBe(false);
  });

  it('given a call with another contact of the account, then the goal is not met', () => {
    expect(contactedSince([touchpoint('call', '2026-11-13T11:00:00+01:00', 'ct-clara')], 'ct-tom', ANSWERED_AT)).toBe(false);
  });

  it('given a call logged without a contact, then it is not a call with that contact', () => {
    expect(contactedSince([touchpoint('call', '2026-11-13T11:00:00+01:00')], 'ct-tom', ANSWERED_AT)).toBe(false);
  });

  it('given a call with the detractor the day before the answer, then the goal is not met', () => {
    expect(contactedSince([touchpoint('call', '2026-11-11T11:00:00+01:00', 'ct-tom')], 'ct-tom', ANSWERED_AT)).toBe(false);
  });

  it('given no touchpoint at all, then the goal is not met', () => {
    expect(contactedSince([], 'ct-tom', ANSWERED_AT)).toBe(false);
  });
});

describe('the plan goal: the risk this answer opened or joined is no longer open', () => {
  const open = (id: string, kind: 'churn-risk' | 'downsell-risk' = 'churn-risk') => ({ id, kind, status: 'open' });

  it('given that risk still open, then the plan is still open', () => {
    expect(riskStillOpen([open('rsk-1')], 'rsk-1')).toBe(true);
  });

  it('given another churn risk open (that one closed, a new one opened since), then the plan of that answer is over', () => {
    expect(riskStillOpen([open('rsk-2')], 'rsk-1')).toBe(false);
  });

  it('given only a downsell risk open, then the plan is over', () => {
    expect(riskStillOpen([open('rsk-3', 'downsell-risk')], 'rsk-1')).toBe(false);
  });

  it('given no open risk, then the plan is over', () => {
    expect(riskStillOpen([], 'rsk-1')).toBe(false);
  });
});
