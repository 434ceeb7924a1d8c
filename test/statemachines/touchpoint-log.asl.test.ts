import { describe, expect, it } from 'vitest';
import { parisAccount, run } from '../support/scenario.ts';

const touchpoint = (at: string, eventId: string, accountId = 'acc-paris') => ({
  at,
  type: 'TouchpointLogged',
  detail: { eventId, accountId, contactId: 'ct-champion', channel: 'call', at },
});

describe('touchpoint-log', () => {
  it('given a call logged twice by the CRM, then both deliveries succeed and nothing goes to a person', async () => {
    // Until the next day: the 91-day check the call also starts has its own tests (no-contact.test.ts).
    const report = await run({
      start: '2026-11-16T08:00:00+01:00',
      until: '2026-11-17T08:00:00+01:00',
      accounts: [parisAccount()],
      events: [touchpoint('2026-11-16T10:00:00+01:00', 'evt-call-1'), touchpoint('2026-11-16T10:00:00+01:00', 'evt-call-1')],
    });
    expect(report.executions.filter((e) => e.playbook === 'touchpoint-log').map((e) => e.status)).toEqual(['SUCCEEDED', 'SUCCEEDED']);
    expect(report.tasks).toEqual([]);
  });
});
