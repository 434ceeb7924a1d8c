import { describe, expect, it } from 'vitest';
import type { AccountNote } from '../../functions/adapters/ledger.ts';
import { parseScenario } from '../../sandbox/simulate/scenario.ts';
import { simulate } from '../../sandbox/simulate/simulate.ts';
import { parisAccount, withoutAlertReminder } from '../support/scenario.ts';

// The lifecycle facts other playbooks depend on (docs/playbooks.md), sent as events rather than on the
// account record: ContractSigned gives pre-churn its 14-day window and its owner (Sales before the
// welcome call, the onboarding AM after it); BillingStarted gives client-feedback the 3 months in which
// a suspension cancels the sale. On the virtual clock, through the same ASL, functions and DynamoDB API.

/** Monday 2 November 2026, 15:00 in Paris: the contract is signed. The client asks to cancel on day 8. */
const SIGNED = '2026-11-02T15:00:00+01:00';
const WELCOME_CALL = '2026-11-05T10:00:00+01:00';
const CANCELLED = '2026-11-10T10:00:00+01:00';

// An account the CRM imported before the contract's event: no signature, no welcome call, no billing yet.
const imported = parisAccount({ salesId: 'sales-sam', onboardingId: 'onb-olga' });

const contractSigned = (welcomeCallAt?: string) => ({
  at: '2026-11-02T15:00:05+01:00',
  type: 'ContractSigned',
  detail: { eventId: 'evt-contract-1', accountId: 'acc-paris', quoteId: 'quote-2026-118', signedAt: SIGNED, ...(welcomeCallAt ? { welcomeCallAt } : {}) },
});
const cancellation = { at: CANCELLED, type: 'CancellationRequested', detail: { eventId: 'evt-cancel-1', accountId: 'acc-paris', requestedAt: CANCELLED, channel: 'email' } };

async function simulateWithNotes(scenario: object) {
  let notes: AccountNote[] = [];
  const report = await simulate(parseScenario(scenario), { inspect: async (sandbox) => void (notes = await sandbox.ledger.scan<AccountNote>('note')) });
  return { report: withoutAlertReminder(report), notes };
}

describe('ContractSigned: a cancellation within 14 days of the signature is a pre-churn save', () => {
  it('given a contract signed by event on 2 November and no welcome call yet, when the client cancels on day 8, then a pre-churn case opens for Sales, who gets the save task', async () => {
    const { report } = await simulateWithNotes({ start: '2026-11-02T08:00:00+01:00', until: '2026-11-11T00:00:00+01:00', accounts: [imported], events: [contractSigned(), cancellation] });

    expect(report.cases).toEqual([expect.objectContaining({ accountId: 'acc-paris', status: 'open', owner: 'sales-sam', ownerRole: 'sales', requestedAt: CANCELLED })]);
    expect(report.tasks.filter((task) => task.playbook === 'pre-churn').map((task) => [task.kind, task.owner])).toEqual([['pre-churn-save', 'sales-sam']]);
    expect(report.risks).toEqual([]);
  });

  it('given the contract event names a welcome call on 5 November, when the client cancels on day 8, then the onboarding AM owns the case and Sales is told directly', async () => {
    const { report } = await simulateWithNotes({ start: '2026-11-02T08:00:00+01:00', until: '2026-11-11T00:00:00+01:00', accounts: [imported], events: [contractSigned(WELCOME_CALL), cancellation] });

    expect(report.cases).toEqual([expect.objectContaining({ owner: 'onb-olga', ownerRole: 'onboarding' })]);
    expect(report.tasks.filter((task) => task.playbook === 'pre-churn').map((task) => [task.kind, task.owner])).toEqual([['pre-churn-save', 'onb-olga']]);
    expect(report.notifications.filter((notification) => notification.type === 'pre-churn').map((notification) => notification.channel)).toEqual(['direct:sales-sam']);
  });

  it('given no contract event, when the same client cancels on day 8, then there is no signature on file: a churn risk, not a pre-churn case (what the event changes)', async () => {
    const { report } = await simulateWithNotes({ start: '2026-11-02T08:00:00+01:00', until: '2026-11-11T00:00:00+01:00', accounts: [imported], events: [cancellation] });

    expect(report.cases).toEqual([]);
    expect(report.risks).toEqual([expect.objectContaining({ kind: 'churn-risk', origin: 'cancellation' })]);
  });
});

describe('BillingStarted: a suspension in the first 3 months of billing cancels the sale', () => {
  const billing = { at: '2026-10-01T09:00:00+02:00', type: 'BillingStarted', detail: { eventId: 'evt-billing-1', accountId: 'acc-paris', at: '2026-10-01T00:00:00+02:00' } };
  const suspension = {
    at: '2026-11-17T10:00:00+01:00',
    type: 'ClientFeedbackReceived',
    detail: { eventId: 'evt-suspend-1', accountId: 'acc-paris', contactId: 'ct-champion', channel: 'email', kind: 'suspension-request', messageId: 'msg-suspend-1', receivedAt: '2026-11-17T10:00:00+01:00' },
  };

  it('given billing started by event on 1 October, when the client asks to suspend on 17 November (month 2), then sale-cancelled is recorded on the account and Sales is told directly', async () => {
    const { report, notes } = await simulateWithNotes({ start: '2026-10-01T08:00:00+02:00', until: '2026-11-17T12:00:00+01:00', accounts: [imported], events: [billing, suspension] });

    expect(notes.map((note) => [note.accountId, note.playbook, note.text])).toEqual([
      ['acc-paris', 'client-feedback', 'sale-cancelled: suspension requested on 2026-11-17, within 3 months of billing (started 2026-10-01).'],
    ]);
    expect(report.notifications.filter((notification) => notification.channel === 'direct:sales-sam').map((notification) => notification.type)).toEqual(['sale-cancelled']);
  });

  it('given no billing event, when the same client asks to suspend, then no billing start is on file and no sale is cancelled', async () => {
    const { notes } = await simulateWithNotes({ start: '2026-10-01T08:00:00+02:00', until: '2026-11-17T12:00:00+01:00', accounts: [imported], events: [suspension] });

    expect(notes).toEqual([]);
  });
});
