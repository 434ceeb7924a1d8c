import { describe, expect, it } from 'vitest';
import type { RiskRecord } from '../../functions/adapters/ledger.ts';
import { ContractError } from '../../functions/contracts/index.ts';
import { openRisk } from '../../functions/risks/open-risk.ts';
import { invoke } from '../../functions/runtime/playbook-function.ts';
import { deliverQueued, depsAt, failureOf, FRIDAY_MORNING, givenAnAccount, ledger, newAccountId, useLocalLedger } from '../support/ledger-fixture.ts';

useLocalLedger('cs-playbooks-open-risk-test');

describe('open-risk: one open risk per account and kind', () => {
  const openRiskInput = (accountId: string, kind: string, reason: string) => ({ accountId, kind, origin: 'nps', reason });

  it('given a detractor answer, when a churn risk is opened, then it is created, open, with its origin and opened in the account offset', async () => {
    const account = await givenAnAccount('risk-first');

    const deps = depsAt(FRIDAY_MORNING);
    const result = await invoke(openRisk, deps, openRiskInput(account.id, 'churn-risk', 'evt-nps-1'));
    // Then the dispatch drain mirrors it to the CRM (here the ledger's outbox, no CRM configured) and marks it.
    await deliverQueued(deps);

    expect(result.created).toBe(true);
    const risks = (await ledger.scan<RiskRecord>('risk')).filter((risk) => risk.accountId === account.id);
    expect(risks).toEqual([
      { id: result.riskId, kind: 'churn-risk', accountId: account.id, status: 'open', origin: 'nps', reason: 'evt-nps-1', openedAt: '2026-11-13T10:00:00+01:00', crmId: `outbox:${result.riskId}` },
    ]);
  });

  it('given an open churn risk, when a second detractor answer (another reason) opens one, then no new risk is created and the first risk id is returned', async () => {
    const account = await givenAnAccount('risk-twice');

    const first = await invoke(openRisk, depsAt(FRIDAY_MORNING), openRiskInput(account.id, 'churn-risk', 'evt-nps-1'));
    const second = await invoke(openRisk, depsAt(FRIDAY_MORNING), openRiskInput(account.id, 'churn-risk', 'evt-nps-2'));

    expect(first.created).toBe(true);
    expect(second).toEqual({ riskId: first.riskId, created: false });
    const risks = (await ledger.scan<RiskRecord>('risk')).filter((risk) => risk.accountId === account.id);
    expect(risks.map((risk) => risk.id)).toEqual([first.riskId]);
  });

  it('given an open churn risk, when a downsell risk is opened, then it is a separate open risk', async () => {
    const account = await givenAnAccount('risk-downsell');

    const churn = await invoke(openRisk, depsAt(FRIDAY_MORNING), openRiskInput(account.id, 'churn-risk', 'evt-nps-1'));
    const downsell = await invoke(openRisk, depsAt(FRIDAY_MORNING), openRiskInput(account.id, 'downsell-risk', 'evt-crm-9'));

    expect(downsell.created).toBe(true);
    expect(downsell.riskId).not.toBe(churn.riskId);
    const risks = (await ledger.scan<RiskRecord>('risk')).filter((risk) => risk.accountId === account.id);
    expect(risks.map((risk) => risk.kind).sort()).toEqual(['churn-risk', 'downsell-risk']);
  });

  it('given an open churn risk on one account, when another account opens one, then it is created (the limit is per account)', async () => {
    const one = await givenAnAccount('risk-account-a');
    const other = await givenAnAccount('risk-account-b');

    await invoke(openRisk, depsAt(FRIDAY_MORNING), openRiskInput(one.id, 'churn-risk', 'evt-nps-1'));
    const result = await invoke(openRisk, depsAt(FRIDAY_MORNING), openRiskInput(other.id, 'churn-risk', 'evt-nps-1'));

    expect(result.created).toBe(true);
  });

  it('given an account the ledger has never heard of, when a risk is opened, then it fails with AccountNotFound', async () => {
    const error = await failureOf(() => invoke(openRisk, depsAt(FRIDAY_MORNING), openRiskInput(newAccountId('risk-unknown'), 'churn-risk', 'evt-1')));

    expect(error.name).toBe('AccountNotFound');
  });

  it('given an unknown risk kind, when a risk is opened, then it is refused with a ContractError naming kind', async () => {
    const account = await givenAnAccount('risk-bad-kind');

    const error = await failureOf(() => invoke(openRisk, depsAt(FRIDAY_MORNING), openRiskInput(account.id, 'upsell-risk', 'evt-1')));

    expect(error).toBeInstanceOf(ContractError);
    expect((error as ContractError).problems.some((problem) => problem.startsWith('kind:'))).toBe(true);
  });
});
