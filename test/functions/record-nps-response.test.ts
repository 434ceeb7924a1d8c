import { describe, expect, it } from 'vitest';
import { ContractError, DetailSchemas, resolveSettings, type DetailOf } from '../../functions/contracts/index.ts';
import { AccountNotFound } from '../../functions/core/errors.ts';
import { recordNpsResponse } from '../../functions/nps/record-nps-response.ts';
import { invoke } from '../../functions/runtime/playbook-function.ts';
import { depsAt, failureOf, FRIDAY_MORNING, givenAnAccount, newAccountId, useLocalLedger } from '../support/ledger-fixture.ts';

useLocalLedger('cs-playbooks-record-nps-response-test');

function npsAnswer(accountId: string, eventId: string, score: number): { detail: DetailOf<'NpsResponseReceived'> } {
  return {
    detail: DetailSchemas.NpsResponseReceived.parse({
      eventId,
      accountId,
      contactId: 'ct-clara',
      score,
      respondedAt: '2026-11-13T09:45:00+01:00',
    }),
  };
}

describe('record-nps-response: each answer recorded once and banded with the stage preset', () => {
  it.each([
    [6, 'detractor'],
    [7, 'passive'],
    [8, 'passive'],
    [9, 'promoter'],
  ] as const)('given the standard preset, when a score of %i is recorded, then the answer is a %s', async (score, band) => {
    const account = await givenAnAccount(`nps-standard-${score}`);

    const result = await invoke(recordNpsResponse, depsAt(FRIDAY_MORNING), npsAnswer(account.id, `evt-nps-${score}`, score));

    expect(result).toEqual({ duplicate: false, band, accountId: account.id, contactId: 'ct-clara', score });
  });

  it.each([
    [3, 'detractor'],
    [4, 'passive'],
    [6, 'passive'],
    [7, 'promoter'],
  ] as const)('given the alerte-fidelisation preset, when a score of %i is recorded, then the answer is a %s', async (score, band) => {
    const account = await givenAnAccount(`nps-alerte-${score}`);
    const deps = depsAt(FRIDAY_MORNING, resolveSettings({ nps: { preset: 'alerte-fidelisation' } }));

    const result = await invoke(recordNpsResponse, deps, npsAnswer(account.id, `evt-nps-${score}`, score));

    expect(result.band).toBe(band);
  });

  it('given an answer already recorded, when the same eventId is delivered again, then the second delivery is reported as a duplicate', async () => {
    const account = await givenAnAccount('nps-twice');
    const answer = npsAnswer(account.id, 'evt-nps-twice', 5);

    const first = await invoke(recordNpsResponse, depsAt(FRIDAY_MORNING), answer);
    const second = await invoke(recordNpsResponse, depsAt(FRIDAY_MORNING), answer);

    expect(first.duplicate).toBe(false);
    expect(second).toEqual({ ...first, duplicate: true });
  });

  it('given an answer already recorded, when the same eventId comes back with another score, then the recorded answer wins', async () => {
    const account = await givenAnAccount('nps-redelivered-changed');

    await invoke(recordNpsResponse, depsAt(FRIDAY_MORNING), npsAnswer(account.id, 'evt-nps-changed', 2));
    const second = await invoke(recordNpsResponse, depsAt(FRIDAY_MORNING), npsAnswer(account.id, 'evt-nps-changed', 10));

    expect(second).toMatchObject({ duplicate: true, score: 2, band: 'detractor' });
  });

  it('given two answers with different eventIds on one account, then both are recorded', async () => {
    const account = await givenAnAccount('nps-two-answers');

    const first = await invoke(recordNpsResponse, depsAt(FRIDAY_MORNING), npsAnswer(account.id, 'evt-nps-a', 3));
    const second = await invoke(recordNpsResponse, depsAt(FRIDAY_MORNING), npsAnswer(account.id, 'evt-nps-b', 3));

    expect([first.duplicate, second.duplicate]).toEqual([false, false]);
  });

  it('given an account the ledger has never heard of, when an answer arrives, then it fails with AccountNotFound', async () => {
    const accountId = newAccountId('nps-unknown');

    const error = await failureOf(() => invoke(recordNpsResponse, depsAt(FRIDAY_MORNING), npsAnswer(accountId, 'evt-nps-unknown', 2)));

    expect(error).toBeInstanceOf(AccountNotFound);
    expect(error.name).toBe('AccountNotFound');
  });

  it('given a score of 11, when the answer is recorded, then it is refused with a ContractError naming detail.score', async () => {
    const account = await givenAnAccount('nps-eleven');
    const raw = { detail: { ...npsAnswer(account.id, 'evt-nps-eleven', 10).detail, score: 11 } };

    const error = await failureOf(() => invoke(recordNpsResponse, depsAt(FRIDAY_MORNING), raw));

    expect(error).toBeInstanceOf(ContractError);
    expect((error as ContractError).problems.some((problem) => problem.startsWith('detail.score:'))).toBe(true);
  });
});
