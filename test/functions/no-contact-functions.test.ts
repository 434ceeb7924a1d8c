import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';
import { resolveSettings } from '../../functions/contracts/index.ts';
import { recheckNoContact } from '../../functions/no-contact/recheck-no-contact.ts';
import { releaseNoContactCheck } from '../../functions/no-contact/release-no-contact-check.ts';
import { invoke } from '../../functions/runtime/playbook-function.ts';
import { startNoContactCheck } from '../../functions/no-contact/start-no-contact-check.ts';
import { upsertAccount } from '../../functions/accounts/upsert-account.ts';
import { accountUpdated, depsAt, FRIDAY_MORNING, failureOf, givenAnAccount, ledger, newAccountId, useLocalLedger } from '../support/ledger-fixture.ts';

// The three functions of the no-contact check and the check's record, against a real DynamoDB API
// (dynalite), never mocked. Paris, November 2026 (+01:00).
useLocalLedger('no-contact-functions-test');

const CALL = '2026-11-16T10:00:00+01:00';
const at = (iso: string) => depsAt(new Date(iso));
const touchpointStart = (accountId: string, touchpointAt: string, execution: string, eventId = `evt-${touchpointAt}`) => ({
  detailType: 'TouchpointLogged',
  detail: { eventId, accountId, channel: 'call', at: touchpointAt },
  time: touchpointAt,
  execution,
});
const accountStart = (accountId: string, time: string, execution: string) => ({
  detailType: 'AccountUpdated',
  // The whole CRM record may come along: only the account id is read.
  detail: { eventId: `evt-crm-${time}`, accountId, mrr: 500, name: 'Salon Horizon' },
  time,
  execution,
});

describe("the account's latest touchpoint", () => {
  it('given touchpoints filed out of order and with different offsets, then the latest by time, read as one item', async () => {
    const { id } = await givenAnAccount('latest');
    await ledger.recordTouchpoint({ eventId: 'evt-b', accountId: id, channel: 'call', at: '2026-11-16T10:00:00-05:00' }); // 15:00 UTC
    await ledger.recordTouchpoint({ eventId: 'evt-c', accountId: id, channel: 'email', at: '2026-11-16T12:00:00+01:00' }); // 11:00 UTC
    await ledger.recordTouchpoint({ eventId: 'evt-a', accountId: id, channel: 'qbr', at: '2026-11-10T09:00:00+01:00' });
    expect((await ledger.latestTouchpoint(id))?.eventId).toBe('evt-b');
  });

  it('given an account with no touchpoint, then none (and nothing of another collection, such as its tasks or its check)', async () => {
    const { id } = await givenAnAccount('no-touchpoint');
    await invoke(startNoContactCheck, at(CALL), accountStart(id, '2026-11-16T09:00:00Z', 'exec-1'));
    expect(await ledger.latestTouchpoint(id)).toBeUndefined();
  });
});

describe('start-no-contact-check', () => {
  it('given no check, when a call is logged, then the execution claims the check and waits one slice (the record says so)', async () => {
    const { id } = await givenAnAccount('claim');
    const start = await invoke(startNoContactCheck, at(CALL), touchpointStart(id, CALL, 'exec-1'));
    expect(start).toEqual({ action: 'claimed', accountId: id, holder: 'exec-1', generation: 0, wakeAt: '2026-12-16T09:00:00Z' });
    expect(await ledger.noContactChecks.get(id)).toEqual({
      version: 1,
      check: expect.objectContaining({ holder: 'exec-1', generation: 0, status: 'live', cycleFrom: CALL, wakeAt: '2026-12-16T10:00:00+01:00' }),
    });
  });

  it('given two starts at once for an account with no check, then one claims it and the other’s write fails its condition; retried, it finds the check live', async () => {
    const { id } = await givenAnAccount('race');
    const read = await ledger.noContactChecks.get(id);
    await invoke(startNoContactCheck, at(CALL), touchpointStart(id, CALL, 'exec-1'));
    // What the second start would write after reading "no check" at the same time.
    const stale = { accountId: id, lastTouchpointAt: CALL, countFrom: 'touchpoint' as const, cycleFrom: CALL, phase: 'waiting' as const, status: 'live' as const, holder: 'exec-2', generation: 0 };
    await expect(ledger.noContactChecks.write(stale, read.version)).rejects.toBeInstanceOf(ConditionalCheckFailedException);
    expect(await invoke(startNoContactCheck, at(CALL), touchpointStart(id, CALL, 'exec-2'))).toEqual({ action: 'unchanged', accountId: id, why: 'live' });
    expect((await ledger.noContactChecks.get(id)).check?.holder).toBe('exec-1');
  });

  it('given a live check, when a newer call arrives, then it is noted on the check and the holder stays', async () => {
    const { id } = await givenAnAccount('noted');
    await invoke(startNoContactCheck, at(CALL), touchpointStart(id, CALL, 'exec-1'));
    const later = '2026-11-20T15:00:00+01:00';
    expect(await invoke(startNoContactCheck, at(later), touchpointStart(id, later, 'exec-2'))).toEqual({ action: 'noted', accountId: id, why: 'newer-touchpoint' });
    expect((await ledger.noContactChecks.get(id)).check).toMatchObject({ holder: 'exec-1', lastTouchpointAt: later, cycleFrom: CALL });
  });

  it('given an account with no touchpoint, signed after the ledger learned of it, when the CRM sends it, then the count starts from its signature', async () => {
    const { id } = await givenAnAccount('signed'); // synced on Friday 13 November
    await ledger.writeAccountState(id, { ...(await ledger.getAccount(id))!, signedAt: '2026-11-14T11:00:00+01:00' }, {}, 1);
    await invoke(startNoContactCheck, at(CALL), accountStart(id, '2026-11-16T09:00:00Z', 'exec-1'));
    expect((await ledger.noContactChecks.get(id)).check).toMatchObject({ countFrom: 'signed', cycleFrom: '2026-11-14T11:00:00+01:00' });
  });

  it('given an account signed in 2019 and synced on Friday 13 November, when the CRM sends it, then the count starts from the sync: the day the ledger learned of it', async () => {
    const { id } = await givenAnAccount('signed-long-ago');
    await ledger.writeAccountState(id, { ...(await ledger.getAccount(id))!, signedAt: '2019-03-12T11:00:00+01:00' }, {}, 1);
    await invoke(startNoContactCheck, at(CALL), accountStart(id, '2026-11-16T09:00:00Z', 'exec-1'));
    expect((await ledger.noContactChecks.get(id)).check).toMatchObject({ countFrom: 'imported', cycleFrom: '2026-11-13T10:00:00+01:00', wakeAt: '2026-12-16T10:00:00+01:00' });
  });

  it('given an account the ledger does not know, then AccountNotFound (the playbook retries it for an hour)', async () => {
    expect((await failureOf(() => invoke(startNoContactCheck, at(CALL), touchpointStart('acc-nobody', CALL, 'exec-1')))).name).toBe('AccountNotFound');
  });

  it('given an account the ledger holds only in part (pending), when its partial CRM update reaches the check, then the check ends at once, saying pending, and nothing is claimed', async () => {
    const id = newAccountId('pending');
    await invoke(upsertAccount, depsAt(FRIDAY_MORNING), accountUpdated(id, 'evt-partial', { name: 'Salon Horizon', mrr: 500 }));
    expect(await invoke(startNoContactCheck, at(CALL), accountStart(id, '2026-11-16T09:00:00Z', 'exec-1'))).toEqual({ action: 'skipped', accountId: id, why: 'pending' });
    expect(await invoke(startNoContactCheck, at(CALL), touchpointStart(id, CALL, 'exec-2'))).toEqual({ action: 'skipped', accountId: id, why: 'pending' });
    expect((await ledger.noContactChecks.get(id)).check).toBeUndefined();
  });

  it('given another detail-type, then the input contract refuses it', async () => {
    const { id } = await givenAnAccount('contract');
    expect((await failureOf(() => invoke(startNoContactCheck, at(CALL), { ...touchpointStart(id, CALL, 'exec-1'), detailType: 'NpsResponseReceived' }))).name).toBe('ContractError');
  });
});

describe('recheck-no-contact and release-no-contact-check', () => {
  async function claimed(label: string) {
    const { id } = await givenAnAccount(label);
    await invoke(startNoContactCheck, at(CALL), touchpointStart(id, CALL, 'exec-1'));
    return id;
  }

  it('given the holder after its first slice, then it hands over, by a name derived from the check, to generation 1 with the next wake-up', async () => {
    const id = await claimed('hand-over');
    const check = await invoke(recheckNoContact, at('2026-12-16T10:00:00+01:00'), { accountId: id, holder: 'exec-1', generation: 0 });
    expect(check).toEqual({
      decision: 'wait',
      why: 'not-due',
      next: { name: expect.stringMatching(/^nc-acc-hand-over-\d+-[0-9a-f]{16}-1$/), check: { accountId: id, holder: 'exec-1', generation: 1, wakeAt: '2027-01-15T09:00:00Z' } },
    });
    // Retried (its answer lost): the same answer, the same name.
    expect(await invoke(recheckNoContact, at('2026-12-16T10:00:05+01:00'), { accountId: id, holder: 'exec-1', generation: 0 })).toEqual(check);
  });

  it('given the due date, then the outreach names the champion and the count it is about', async () => {
    const id = await claimed('outreach');
    await ledger.noContactChecks.write({ ...(await ledger.noContactChecks.get(id)).check!, generation: 3, wakeAt: '2027-02-15T09:00:00+01:00' }, 1);
    const check = await invoke(recheckNoContact, at('2027-02-15T09:00:00+01:00'), { accountId: id, holder: 'exec-1', generation: 3 });
    expect(check).toMatchObject({
      decision: 'outreach',
      cycle: 'count-from-2026-11-16T09:00:00.000Z',
      details: { sealed: expect.stringMatching(/^sld-/), accountId: id },
      next: { check: { generation: 4, wakeAt: '2027-02-22T08:00:00Z' } },
    });
    // The text names the champion: it stays in the ledger, for create-task to file; the decision carries its id.
    expect(JSON.stringify(check)).not.toContain('Clara Petit');
    expect(await ledger.getSealed(id, check.details!.sealed)).toMatchObject({ found: true, value: expect.stringContaining('Propose it to the champion, Clara Petit (clara.petit@example.com).') });
  });

  it('given an execution that no longer holds the check, then superseded, and the record is untouched', async () => {
    const id = await claimed('superseded');
    const before = await ledger.noContactChecks.get(id);
    expect(await invoke(recheckNoContact, at('2026-12-16T10:00:00+01:00'), { accountId: id, holder: 'exec-stale', generation: 0 })).toEqual({ decision: 'superseded' });
    expect(await ledger.noContactChecks.get(id)).toEqual(before);
  });

  it('given the holder failed, then release marks its check failed; another execution’s release changes nothing', async () => {
    const id = await claimed('release');
    expect(await invoke(releaseNoContactCheck, at(CALL), { accountId: id, holder: 'exec-other', generation: 0 })).toEqual({ accountId: id, released: false });
    expect(await invoke(releaseNoContactCheck, at(CALL), { accountId: id, holder: 'exec-1', generation: 0 })).toEqual({ accountId: id, released: true });
    expect((await ledger.noContactChecks.get(id)).check?.status).toBe('failed');
  });

  it('given noContactDays 30, then the due date comes within the first slice', async () => {
    const { id } = await givenAnAccount('short');
    const deps = depsAt(new Date(CALL), resolveSettings({ noContact: { noContactDays: 30 } }));
    expect(await invoke(startNoContactCheck, deps, touchpointStart(id, CALL, 'exec-1'))).toMatchObject({ wakeAt: '2026-12-16T08:00:00Z' });
  });
});
