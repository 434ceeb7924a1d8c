import { describe, expect, it } from 'vitest';
import { MAX_MRR } from '../../functions/contracts/index.ts';
import { mergeCheckedUpdate, refusedFieldFollowUp } from '../../functions/core/accounts/checked-update.ts';
import { mergeAccountUpdate } from '../../functions/core/accounts/merge-update.ts';
import { COUNTRY_NOT_IN_CALENDAR, EMPTY_CONTACTS, sieveAccountUpdate } from '../../functions/core/accounts/sieve-update.ts';
import { isAheadOfClock, MAX_CLOCK_SKEW_MS, mergeTime } from '../../functions/core/accounts/update-time.ts';
import { taskId } from '../../functions/core/tasks/identity.ts';

// Issue 13, "bad data refused": a CRM update can neither freeze nor erase an account. Each field is checked
// on its own; the valid ones apply, the refused ones are kept as they were and reported to the CSM.

const NOW = new Date('2026-11-16T09:00:00Z');
const COUNTRIES = ['FR', 'BE', 'DE'];
const CHAMPION = { id: 'ct-clara', email: 'clara.petit@example.com', name: 'Clara Petit', role: 'champion' };
const held = {
  record: { name: 'Salon Horizon', country: 'FR', csmId: 'csm-camille', teamLeadId: 'lead-jordan', mrr: 900, contacts: [CHAMPION] },
  fieldTimes: { name: '2026-11-10T09:00:00Z', country: '2026-11-10T09:00:00Z', csmId: '2026-11-10T09:00:00Z', teamLeadId: '2026-11-10T09:00:00Z', mrr: '2026-11-10T09:00:00Z', contacts: '2026-11-10T09:00:00Z' },
};
const update = (fields: Record<string, unknown>, at = '2026-11-16T08:59:00Z') => mergeCheckedUpdate(held, fields, at, { countries: COUNTRIES, now: NOW });

describe('a time ahead of the clock never wins over the updates after it', () => {
  it('given the sender’s clock a few minutes ahead (within the skew), then its time is kept: it orders updates of the same minute', () => {
    const fourMinutesAhead = new Date(NOW.getTime() + 4 * 60_000).toISOString();
    expect(isAheadOfClock(fourMinutesAhead, NOW)).toBe(false);
    expect(mergeTime(fourMinutesAhead, NOW.toISOString(), NOW)).toEqual({ at: fourMinutesAhead, movedToArrival: false });
  });

  it('given a time more than the skew (five minutes) ahead, then it is ahead of the clock', () => {
    expect(MAX_CLOCK_SKEW_MS).toBe(5 * 60_000);
    expect(isAheadOfClock(NOW.getTime() + MAX_CLOCK_SKEW_MS + 1, NOW)).toBe(true);
  });

  it('given an update stamped 2999, then it is merged as of its arrival on the bus, and the next update wins over it', () => {
    const time = mergeTime('2999-01-01T00:00:00Z', '2026-11-16T08:59:30Z', NOW);
    expect(time).toEqual({ at: '2026-11-16T08:59:30.000Z', movedToArrival: true });

    const frozen = mergeAccountUpdate(held, { csmId: 'csm-yanis' }, time.at, NOW);
    const next = mergeAccountUpdate(frozen, { csmId: 'csm-lea' }, '2026-11-16T09:10:00Z', new Date('2026-11-16T09:10:01Z'));
    expect(next.record.csmId).toBe('csm-lea');
  });

  it('given an event whose bus time is later than now (a redriven execution reads its event again), then its arrival is now at the latest', () => {
    expect(mergeTime('2999-01-01T00:00:00Z', '2026-11-17T00:00:00Z', NOW).at).toBe(NOW.toISOString());
  });

  it('given an owner stored as of 2999 before the door refused such times, then it no longer blocks: the next update thaws it', () => {
    const frozen = { record: { csmId: 'csm-yanis' }, fieldTimes: { csmId: '2999-01-01T00:00:00Z' } };
    const merged = mergeAccountUpdate(frozen, { csmId: 'csm-lea' }, '2026-11-16T08:00:00Z', NOW);
    expect(merged.record.csmId).toBe('csm-lea');
    expect(merged.fieldTimes.csmId).toBe('2026-11-16T08:00:00Z');
  });
});

describe('each field is checked on its own: the valid ones apply, the refused ones are kept and reported', () => {
  it('given a country the stage does not schedule in next to valid fields, then the valid ones apply and only country is refused', () => {
    const merged = update({ country: 'ZZ', mrr: 1500, salesId: 'sales-yanis' });

    expect(merged.record).toMatchObject({ country: 'FR', mrr: 1500, salesId: 'sales-yanis' });
    expect(merged.applied.sort()).toEqual(['mrr', 'salesId']);
    expect(merged.refused.map((refusal) => refusal.field)).toEqual(['country']);
    expect(merged.refused[0]!.details).toContain(COUNTRY_NOT_IN_CALENDAR);
  });

  it('given an empty team lead, then it is refused, not applied and not treated as absent: the team lead is kept and the CSM told', () => {
    const merged = update({ teamLeadId: '' });

    expect(merged.record.teamLeadId).toBe('lead-jordan');
    expect(merged.refused).toEqual([
      {
        field: 'teamLeadId',
        problem: 'empty or blank, which is no value: leave the field out to keep the one held',
        reason: 'refused-field:teamLeadId:2026-11-10T09:00:00Z',
        details:
          'The CRM\'s update of teamLeadId was refused (empty or blank, which is no value: leave the field out to keep the one held). The account keeps the teamLeadId it had; the other fields of the update were applied. Correct teamLeadId in the CRM: the update that brings it sets it.',
      },
    ]);
  });

  it('given a blank name, then it is refused the same way', () => {
    expect(update({ name: '   ' }).refused.map((refusal) => refusal.field)).toEqual(['name']);
  });

  it('given an MRR of 1e200 (DynamoDB would refuse the whole write), then mrr is refused naming its bound, and the MRR is kept', () => {
    const merged = update({ mrr: 1e200 });
    expect(merged.record.mrr).toBe(900);
    expect(merged.refused[0]!.details).toContain(`Too big: expected number to be <=${MAX_MRR}`);
  });

  it('given a refused value that is older than the value held, then it is skipped as any late value, not reported', () => {
    const merged = update({ country: 'ZZ' }, '2026-11-01T00:00:00Z');
    expect(merged.refused).toEqual([]);
    expect(merged.skipped).toEqual(['country']);
  });

  it('given a field the CRM could not send (crmRefused: HubSpot’s property holding a formatted amount), then it is refused with the CRM’s reason, the MRR is kept, and the fields beside it apply', () => {
    const merged = update({ segment: 'premium', crmRefused: [{ field: 'mrr', problem: "HubSpot's company property cs_mrr is not an amount: digits, and a dot before decimals" }] });
    expect(merged.record).toMatchObject({ mrr: 900, segment: 'premium' });
    expect(merged.refused.map(({ field, details }) => [field, details.split(' was refused')[0]])).toEqual([['mrr', "The CRM's update of mrr"]]);
    expect(merged.refused[0]!.details).toContain("(as read from the CRM: HubSpot's company property cs_mrr is not an amount");
    // Not a field of the record: `crmRefused` itself is never stored.
    expect(merged.record).not.toHaveProperty('crmRefused');
  });

  it('given a value the refusal never quotes (a contact e-mail), then the problem names the field and the rule only', () => {
    const merged = update({ contacts: [{ ...CHAMPION, email: 'clara.petit at example' }] });
    expect(merged.refused[0]!.details).toContain('[0].email: Invalid email address');
    expect(merged.refused[0]!.details).not.toContain('clara');
  });
});

describe('an empty contact list removes the contacts only when the update says so', () => {
  it('given contacts: [] alone for an account with a champion, then the contacts are kept and contacts is refused', () => {
    const merged = update({ contacts: [] });
    expect(merged.record.contacts).toEqual([CHAMPION]);
    expect(merged.refused.map((refusal) => [refusal.field, refusal.details.includes(EMPTY_CONTACTS)])).toEqual([['contacts', true]]);
  });

  it('given contacts: [] with removeAllContacts: true, then the account has no contacts any more', () => {
    const merged = update({ contacts: [], removeAllContacts: true });
    expect(merged.record.contacts).toEqual([]);
    expect(merged.refused).toEqual([]);
  });

  it('given contacts: [] for an account without contacts (a new one), then it erases nothing and is taken', () => {
    expect(sieveAccountUpdate({ contacts: [] }, {}, COUNTRIES)).toEqual({ patch: { contacts: [] }, refused: [] });
  });

  it('given removeAllContacts: true beside a list of contacts, then the flag is refused and the list applies', () => {
    const sieved = sieveAccountUpdate({ contacts: [CHAMPION], removeAllContacts: true }, held.record, COUNTRIES);
    expect(sieved.patch).toEqual({ contacts: [CHAMPION] });
    expect(sieved.refused.map((refusal) => refusal.field)).toEqual(['removeAllContacts']);
  });

  it('given the flag never leaves the update: it is no field of the record', () => {
    expect(update({ contacts: [], removeAllContacts: true }).record).not.toHaveProperty('removeAllContacts');
  });
});

describe("the CSM's follow-up: one per account and field, until the field is set again", () => {
  const followUpId = (accountId: string, reason: string) => taskId({ accountId, playbook: 'account-sync', kind: 'manual-follow-up', reason });

  it('given the same wrong country sent twice, then both refusals make the same task', () => {
    const first = update({ country: 'ZZ', mrr: 1500 });
    const again = mergeCheckedUpdate(first, { country: 'ZZ', mrr: 1500 }, '2026-11-16T08:59:30Z', { countries: COUNTRIES, now: NOW });
    expect(followUpId('acc-1', again.refused[0]!.reason)).toBe(followUpId('acc-1', first.refused[0]!.reason));
  });

  it('given a country corrected, then wrong again, then the second refusal is a new task', () => {
    const first = update({ country: 'ZZ' });
    const corrected = mergeCheckedUpdate(first, { country: 'BE' }, '2026-11-16T08:59:30Z', { countries: COUNTRIES, now: NOW });
    const wrongAgain = mergeCheckedUpdate(corrected, { country: 'ZZ' }, '2026-11-16T08:59:45Z', { countries: COUNTRIES, now: NOW });
    expect(wrongAgain.refused[0]!.reason).not.toBe(first.refused[0]!.reason);
  });

  it('given a field the account never had, then the follow-up says it still has none', () => {
    expect(refusedFieldFollowUp({ field: 'segment', problem: 'empty or blank' }, { setAt: undefined, held: false }).details).toMatch(/^The CRM's update of segment was refused \(empty or blank\)\. The account still has no segment;/);
  });
});
