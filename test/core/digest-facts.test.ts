import { describe, expect, it } from 'vitest';
import { digestFacts, type DigestReads } from '../../functions/core/digest/facts.ts';
import { planDigests } from '../../functions/core/digest/schedule.ts';
import { nextScheduledInstant, PLAYBOOKS, type PlaybookEntry } from '../../lib/catalog.ts';

// docs/playbooks.md, digest: what the Monday note says of an account, from what the ledger holds, and
// who gets a note when. The week is the seven days before the note's instant.

// The note of Monday 23 March, 08:00 in Paris: the week since Monday 16 March, 08:00.
const AT = { from: new Date('2026-03-16T07:00:00Z'), to: new Date('2026-03-23T07:00:00Z') };
const reads = (overrides: Partial<DigestReads> = {}): DigestReads => ({
  account: { id: 'acc-paris', name: 'Salon Paris', csmId: 'csm-camille', timezone: 'Europe/Paris' },
  clientEmailsAt: [],
  tasks: [],
  slaBreaches: [],
  openAlerts: 0,
  npsAnswers: [],
  ...overrides,
});

describe('what the Monday note says of one account', () => {
  it('given a degradation raised on Thursday, then it is newly red with the measure that dragged it; one raised eight days ago is not', () => {
    const lastAlert = { at: '2026-03-19T11:00:00+01:00', day: '2026-03-19', band: 'red' as const, score: 38, fromBand: 'yellow' as const, measure: 'usage' as const };
    expect(digestFacts(reads({ health: { score: 38, band: 'red', lastAlert } }), AT).degraded).toEqual({ score: 38, band: 'red', fromBand: 'yellow', measure: 'usage', day: '2026-03-19' });
    expect(digestFacts(reads({ health: { score: 38, band: 'red', lastAlert: { ...lastAlert, at: '2026-03-15T07:00:00+01:00' } } }), AT).degraded).toBeUndefined();
  });

  it('given a band higher than on the day before the week, then it is good news; the same band is not', () => {
    expect(digestFacts(reads({ health: { score: 81, band: 'green' }, bandBefore: 'yellow' }), AT).bandUpFrom).toBe('yellow');
    expect(digestFacts(reads({ health: { score: 81, band: 'green' }, bandBefore: 'green' }), AT).bandUpFrom).toBeUndefined();
    expect(digestFacts(reads({ health: { score: 41, band: 'yellow' }, bandBefore: 'green' }), AT).bandUpFrom).toBeUndefined();
  });

  it('given open tasks due before the note and after it, and one completed, then only the open ones past due are overdue', () => {
    const tasks = [
      { status: 'open' as const, dueAt: '2026-03-20T18:00:00+01:00' },
      { status: 'open' as const, dueAt: '2026-03-23T18:00:00+01:00' },
      { status: 'completed' as const, dueAt: '2026-03-19T18:00:00+01:00' },
    ];
    expect(digestFacts(reads({ tasks }), AT).overdueTasks).toBe(1);
  });

  it('given SLA breaches this week and the week before, then only this week\'s count', () => {
    expect(digestFacts(reads({ slaBreaches: [{ recordedAt: '2026-03-17T10:00:00+01:00' }, { recordedAt: '2026-03-12T10:00:00+01:00' }] }), AT).slaBreaches).toBe(1);
  });

  it('given answers of 10 and 8 this week and of 9 last month, then one promoter this week', () => {
    const npsAnswers = [
      { score: 10, respondedAt: '2026-03-18T10:00:00+01:00' },
      { score: 8, respondedAt: '2026-03-18T11:00:00+01:00' },
      { score: 9, respondedAt: '2026-02-18T10:00:00+01:00' },
    ];
    expect(digestFacts(reads({ npsAnswers }), AT).promoters).toBe(1);
  });

  it('given a call logged in January, a client e-mail in February and an NPS answer on 10 March, then the client was last heard from on 10 March', () => {
    const facts = digestFacts(
      reads({ lastTouchpointAt: '2026-01-12T10:00:00+01:00', clientEmailsAt: ['2026-02-03T09:00:00+01:00'], npsAnswers: [{ score: 6, respondedAt: '2026-03-10T12:00:00+01:00' }] }),
      AT,
    );
    expect(facts.lastInboundDay).toBe('2026-03-10');
  });

  it('given a breach at 07:30 Paris on the 23rd, before that 08:00 note, then it is in that note\'s week only, not in the next (167 hours, summer time since the 29th)', () => {
    const breach = { slaBreaches: [{ recordedAt: '2026-03-23T07:30:00+01:00' }] };
    expect(digestFacts(reads(breach), AT).slaBreaches).toBe(1);
    expect(digestFacts(reads(breach), { from: new Date('2026-03-23T07:00:00Z'), to: new Date('2026-03-30T06:00:00Z') }).slaBreaches).toBe(0);
  });

  it('given a renewal and a last call at midnight Paris time, then their days are the account\'s own dates, not UTC\'s', () => {
    const facts = digestFacts(reads({ account: { ...reads().account, renewalAt: '2026-04-30T22:30:00Z' }, lastTouchpointAt: '2026-03-16T23:30:00Z' }), AT);
    expect(facts).toMatchObject({ renewalDay: '2026-05-01', lastInboundDay: '2026-03-17' });
  });
});

describe('who gets a note, and when', () => {
  const people = [
    { id: 'csm-camille', timezone: 'Europe/Paris', role: 'csm' as const },
    { id: 'lead-jordan', timezone: 'Europe/Paris', role: 'team-lead' as const },
    { id: 'csm-hugo', timezone: 'America/New_York', role: 'csm' as const },
    { id: 'csm-aroha', timezone: 'Pacific/Auckland', role: 'csm' as const },
    { id: 'sales-sam', timezone: 'Europe/Paris', role: 'sales' as const },
  ];

  it('given the run of Monday 00:00 UTC, then Paris at 07:00 UTC (the CSM and the lead together) and New York at 12:00; Auckland\'s Monday was the day before; sales get none', () => {
    expect(planDigests(people, new Date('2026-03-23T00:00:00Z'), '08:00')).toEqual([
      {
        at: '2026-03-23T07:00:00Z',
        people: [
          { personId: 'csm-camille', monday: '2026-03-23', since: '2026-03-16T07:00:00Z' },
          { personId: 'lead-jordan', monday: '2026-03-23', since: '2026-03-16T07:00:00Z' },
        ],
      },
      // New York is on summer time since 8 March: its week is 168 hours, 16 March 12:00 UTC on.
      { at: '2026-03-23T12:00:00Z', people: [{ personId: 'csm-hugo', monday: '2026-03-23', since: '2026-03-16T12:00:00Z' }] },
    ]);
  });

  it('given the run of Sunday 00:00 UTC, then only Auckland, whose Monday 08:00 is Sunday 19:00 UTC', () => {
    expect(planDigests(people, new Date('2026-03-22T00:00:00Z'), '08:00')).toEqual([{ at: '2026-03-22T19:00:00Z', people: [{ personId: 'csm-aroha', monday: '2026-03-23', since: '2026-03-15T19:00:00Z' }] }]);
  });

  it('given the Monday after Paris moves to summer time, then the note is at 06:00 UTC and its week starts at the last one\'s 07:00 UTC: 167 hours, no hour twice', () => {
    expect(planDigests(people.slice(0, 1), new Date('2026-03-30T00:00:00Z'), '08:00')).toEqual([{ at: '2026-03-30T06:00:00Z', people: [{ personId: 'csm-camille', monday: '2026-03-30', since: '2026-03-23T07:00:00Z' }] }]);
  });

  it('given a Tuesday, then nobody', () => {
    expect(planDigests(people, new Date('2026-03-24T00:00:00Z'), '08:00')).toEqual([]);
  });
});

describe('the digest planning runs on Sunday, Monday and Tuesday (UTC) only', () => {
  const schedule = (PLAYBOOKS as readonly PlaybookEntry[]).find(({ id }) => id === 'monday-digest')!.schedule!;

  it('given Wednesday noon, then the next run is Sunday 00:00 UTC; given Sunday 00:00, then Monday 00:00, then Tuesday, then Sunday again', () => {
    const runs = [new Date('2026-03-18T12:00:00Z')];
    for (let i = 0; i < 4; i += 1) runs.push(nextScheduledInstant(runs.at(-1)!, schedule));
    expect(runs.slice(1).map((at) => at.toISOString())).toEqual(['2026-03-22T00:00:00.000Z', '2026-03-23T00:00:00.000Z', '2026-03-24T00:00:00.000Z', '2026-03-29T00:00:00.000Z']);
  });

  it('given a person at 00:00 in UTC+14 or at 23:59 in UTC-12, then their Monday falls within one of those runs', () => {
    const kiritimati = [{ id: 'csm-line', timezone: 'Pacific/Kiritimati', role: 'csm' as const }];
    const bakerIsland = [{ id: 'csm-baker', timezone: 'Etc/GMT+12', role: 'csm' as const }];
    expect(planDigests(kiritimati, new Date('2026-03-22T00:00:00Z'), '00:00')).toEqual([expect.objectContaining({ at: '2026-03-22T10:00:00Z' })]);
    expect(planDigests(bakerIsland, new Date('2026-03-24T00:00:00Z'), '23:59')).toEqual([expect.objectContaining({ at: '2026-03-24T11:59:00Z' })]);
  });
});
