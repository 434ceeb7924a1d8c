import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { AccountNote } from '../../functions/adapters/ledger.ts';
import { resolveSettings } from '../../functions/contracts/index.ts';
import { ACTIONS } from '../../lib/catalog.ts';
import type { Sandbox } from '../../sandbox/runtime/sandbox.ts';
import { formatReport } from '../../sandbox/report/format.ts';
import { parseScenario } from '../../sandbox/simulate/scenario.ts';
import { simulate } from '../../sandbox/simulate/simulate.ts';
import { expectWithinTableAccess } from '../support/table-access.ts';

// The example scenarios are documentation a CSM runs: they must stay valid as the contracts grow.
const examples = readdirSync('examples').filter((file) => file.endsWith('.scenario.json'));

/** dynalite checks no IAM: what each function did is held against its grant (the catalog's table access: operations and item types). */
function expectWithinGrants({ tableActions, tableAccess }: Pick<Sandbox, 'tableActions' | 'tableAccess'>): void {
  for (const [actionId, actions] of tableActions) expect([...ACTIONS[actionId].tableActions], actionId).toEqual(expect.arrayContaining([...actions]));
  expectWithinTableAccess(tableAccess);
}

describe('the example scenarios of the repository', () => {
  it.each(examples)('given %s, then it parses against the current contracts', (file) => {
    expect(() => parseScenario(JSON.parse(readFileSync(`examples/${file}`, 'utf8')))).not.toThrow();
  });

  it.each(examples)('given %s, then its people directory names everyone its accounts name, so that its report shows names', (file) => {
    const { accounts, config } = parseScenario(JSON.parse(readFileSync(`examples/${file}`, 'utf8')));
    const named = accounts.flatMap(({ csmId, teamLeadId, salesId, onboardingId, strategistId, expertId }) => [csmId, teamLeadId, salesId, onboardingId, strategistId, expertId]);
    const directory = resolveSettings(config).people.map((person) => person.id);
    expect([...new Set(named.filter((id) => id !== undefined))].filter((id) => !directory.includes(id))).toEqual([]);
  });

  it('given a month of the 200-account portfolio, when it is simulated, then every playbook runs without a failure, the CSMs have tasks, and no function used the table beyond its IAM grant', async () => {
    let observed: Pick<Sandbox, 'tableActions' | 'tableAccess'> = { tableActions: new Map(), tableAccess: new Map() };
    const report = await simulate(parseScenario(JSON.parse(readFileSync('examples/portfolio-month.scenario.json', 'utf8'))), {
      inspect: ({ tableActions, tableAccess }) => void (observed = { tableActions, tableAccess }),
    });
    expect(observed.tableActions.size).toBeGreaterThan(5);
    expectWithinGrants(observed);
    expect(report.executions.filter((execution) => execution.status === 'FAILED')).toEqual([]);
    expect(report.tasks.filter((task) => task.kind === 'manual-follow-up')).toEqual([]);
    expect(new Set(report.tasks.map((task) => task.kind))).toEqual(
      new Set(['detractor-context-review', 'detractor-call', 'nps-follow-up-call', 'store-call', 'red-alert-call', 'churn-risk-info-and-meeting']),
    );
    // The promoters' review requests (the scenario configures the review page), one per contact at most.
    const reviewRequests = report.emails.filter((email) => email.template === 'review-request');
    expect(reviewRequests.length).toBeGreaterThan(0);
    expect(new Set(reviewRequests.map((email) => `${email.accountId}/${email.to}`)).size).toBe(reviewRequests.length);
    // Read as a CSM reads it: every owner by name, no raw JSON.
    const text = formatReport(report);
    expect(new Set(report.tasks.map((task) => task.owner)).size).toBeGreaterThan(1);
    for (const owner of new Set(report.tasks.map((task) => task.owner))) expect(text).toMatch(new RegExp(`for [A-Z][^(]+ \\(${owner}\\)`));
    expect(text.split('\n').filter((line) => /^\s*[{[]/.test(line))).toEqual([]);
  });

  it('given the lifecycle example, when it is simulated, then the contracts sent as events set the pre-churn owners (Sales before the welcome call, the onboarding AM after it) and the billing event makes the suspension of month 2 cancel the sale', async () => {
    let notes: AccountNote[] = [];
    let observed: Pick<Sandbox, 'tableActions' | 'tableAccess'> = { tableActions: new Map(), tableAccess: new Map() };
    const report = await simulate(parseScenario(JSON.parse(readFileSync('examples/lifecycle.scenario.json', 'utf8'))), {
      inspect: async (sandbox) => {
        notes = await sandbox.ledger.scan<AccountNote>('note');
        observed = sandbox;
      },
    });
    expect(observed.tableActions.get('upsert-account')).toBeDefined();
    expectWithinGrants(observed);
    expect(report.cases.map((row) => [row.accountId, row.owner, row.ownerRole])).toEqual([
      ['acc-salon-aurore', 'sales-noa', 'sales'],
      ['acc-coiffure-delta', 'onb-sam', 'onboarding'],
    ]);
    expect(notes.map((note) => [note.accountId, note.text.split(':')[0]])).toEqual([['acc-institut-sirius', 'sale-cancelled']]);
    expect(report.executions.filter((execution) => execution.playbook === 'account-sync').map((execution) => execution.status)).toEqual(['SUCCEEDED', 'SUCCEEDED', 'SUCCEEDED']);
    expect(report.executions.filter((execution) => execution.status === 'FAILED')).toEqual([]);
    expect(report.pendingAccounts).toEqual([]);
  });
});

