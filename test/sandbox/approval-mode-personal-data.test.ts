import { describe, expect, it } from 'vitest';
import type { EmailRecord } from '../../functions/adapters/ledger.ts';
import type { AccountRecord } from '../../functions/contracts/index.ts';
import type { ApprovalView } from '../../functions/core/approvals/approval.ts';
import { countId } from '../../functions/core/no-contact/check.ts';
import type { EventLog } from '../../sandbox/runtime/executions.ts';
import type { FunctionInterceptor } from '../../sandbox/runtime/sandbox.ts';
import { parseScenario } from '../../sandbox/simulate/scenario.ts';
import { simulate } from '../../sandbox/simulate/simulate.ts';
import { touchpoint } from '../support/no-contact.ts';
import { npsAnswer, parisAccount } from '../support/scenario.ts';

// Issue 13: execution state carries ids, not personal data. Step Functions keeps every state's input
// and output for 90 days and shows them in the console; the e-mail path (prepare, the CSM's approval
// and its Slack message, the send) reads the e-mail from the ledger by its id instead. Each scenario
// runs through the sandbox, its history told to `onHistoryEvent` as Step Functions records it, and
// what the e-mail and approval states receive, send to their function and return is searched for the
// contacts' names and addresses, every e-mail's subject and text (the drafts, the e-mails queued) and
// the CSM's edits.

const ANSWER_AT = '2026-12-15T10:00:00+01:00';
const REVIEWS = { reviewSite: 'Capterra', reviewUrl: 'https://reviews.example.com/cs-playbooks' };
const account = parisAccount({
  lastStoreOrderAt: '2026-12-08T10:00:00+01:00',
  contacts: [
    { id: 'ct-champion', email: 'alex.champion@example.com', name: 'Alex Champion', role: 'champion' },
    { id: 'ct-user', email: 'sam.user@example.com', name: 'Sam User', role: 'user' },
  ],
});
const EDITS = { subject: 'Une minute pour un avis, Sam ?', text: 'Bonjour Sam User, votre avis compte beaucoup pour nous.' };

/** The e-mail and approval states of each playbook: from the e-mail's preparation to the path's end. */
const EMAIL_STATES: Record<string, RegExp> = { 'nps-response': /ReviewRequest|^Promoter$/, 'no-contact': /Proposal/ };
/** The functions those states call: what Step Functions records as each Task's parameters. */
const EMAIL_ACTIONS = new Set(['prepare-email', 'plan-approval', 'offer-approval', 'request-approval', 'send-email']);

interface Observed {
  /** Each e-mail or approval state's input and output, by state name. */
  states: Map<string, unknown[]>;
  /** What those states' functions received. */
  inputs: { action: string; input: unknown }[];
  emails: EmailRecord[];
  approvals: ApprovalView[];
}

async function observe(playbook: string, raw: Record<string, unknown>): Promise<Observed> {
  const observed: Observed = { states: new Map(), inputs: [], emails: [], approvals: [] };
  const record: FunctionInterceptor = (action, input, call) => {
    if (EMAIL_ACTIONS.has(action)) observed.inputs.push({ action, input });
    return call();
  };
  const onHistoryEvent = (execution: { playbook: string }, event: EventLog) => {
    if (execution.playbook !== playbook || !('state' in event) || !EMAIL_STATES[playbook]!.test(event.state.name)) return;
    const seen = observed.states.get(event.state.name) ?? [];
    observed.states.set(event.state.name, [...seen, event.state.input, event.state.output]);
  };
  await simulate(parseScenario({ accounts: [account], ...raw }), {
    intercept: record,
    onHistoryEvent,
    inspect: async (sandbox) => {
      observed.emails = await sandbox.ledger.scan<EmailRecord>('email');
      observed.approvals = await sandbox.approvals();
    },
  });
  return observed;
}

/** Every personal value the run could have carried: the contacts', and every e-mail's words, drafted, edited or sent. */
function personalValues({ emails }: Observed, contacts: AccountRecord['contacts'], edits: object = {}): string[] {
  return [...contacts.flatMap((contact) => [contact.name, contact.email]), ...emails.flatMap((email) => [email.to, email.subject, email.text]), ...Object.values(edits)];
}

/** Where a value shows in a JSON document, raw or JSON-escaped (a text's line breaks). */
function found(document: unknown, values: readonly string[]): string[] {
  const text = JSON.stringify(document) ?? '';
  return values.filter((value) => text.includes(value) || text.includes(JSON.stringify(value).slice(1, -1)));
}

function expectIdsOnly(observed: Observed, values: readonly string[]): void {
  const leaks = [
    ...[...observed.states].flatMap(([state, documents]) => documents.flatMap((document) => found(document, values).map((value) => `${state}: ${value}`))),
    ...observed.inputs.flatMap(({ action, input }) => found(input, values).map((value) => `${action} input: ${value}`)),
  ];
  expect(leaks).toEqual([]);
}

const reviewRequest = (config: object, events: object[] = [], until?: string) => ({
  start: '2026-12-15T08:00:00+01:00',
  ...(until ? { until } : {}),
  config: { nps: { ...REVIEWS, ...config } },
  events: [npsAnswer(ANSWER_AT, 10, { contactId: 'ct-user', eventId: 'evt-review' }), ...events],
});
const decide = (at: string, playbook: string, reason: string, decision: object) => ({ at, approve: { accountId: 'acc-paris', playbook, reason, decidedBy: 'csm-camille', ...decision } });

describe('nps-response: the review request carries ids only through its states', () => {
  it('given approval mode, when the CSM approves with their own subject and text, then the e-mail goes out as edited and no state, Task input or callback carries an address, a name, a subject or a text', async () => {
    const observed = await observe('nps-response', reviewRequest({ reviewRequestMode: 'approval' }, [decide('2026-12-15T14:00:00+01:00', 'nps-response', 'evt-review', { edits: EDITS })]));

    // The path ran: prepared, offered in Slack, approved (edited), sent as edited.
    expect([...observed.states.keys()]).toEqual(expect.arrayContaining(['PrepareReviewRequest', 'OfferReviewRequestApproval', 'RequestReviewRequestApproval', 'SendReviewRequest']));
    expect(observed.emails).toEqual([expect.objectContaining({ status: 'queued', to: 'sam.user@example.com', ...EDITS, approvedBy: 'csm-camille' })]);
    expect(observed.approvals).toEqual([expect.objectContaining({ status: 'approved', edits: EDITS })]);
    expectIdsOnly(observed, personalValues(observed, account.contacts, EDITS));
  });

  it('given approval mode, when the CSM cancels, or nobody decides within the window, then nothing is sent and the states carry ids only', async () => {
    const cancelled = await observe('nps-response', reviewRequest({ reviewRequestMode: 'approval' }, [decide('2026-12-15T11:00:00+01:00', 'nps-response', 'evt-review', { decision: 'cancel' })]));
    const expired = await observe('nps-response', reviewRequest({ reviewRequestMode: 'approval' }, [], '2027-01-15T00:00:00+01:00'));

    expect(cancelled.states.has('ReviewRequestCancelled')).toBe(true);
    expect(expired.states.has('ReviewRequestExpired')).toBe(true);
    for (const observed of [cancelled, expired]) {
      expect(observed.emails).toEqual([expect.objectContaining({ status: 'prepared' })]);
      expectIdsOnly(observed, personalValues(observed, account.contacts));
    }
  });

  it('given auto mode, then the e-mail goes out at once, and the states carry ids only', async () => {
    const observed = await observe('nps-response', reviewRequest({}));

    expect(observed.states.has('SendReviewRequest')).toBe(true);
    expect(observed.emails).toEqual([expect.objectContaining({ status: 'queued', to: 'sam.user@example.com' })]);
    expectIdsOnly(observed, personalValues(observed, account.contacts));
  });
});

describe('no-contact: the proposal carries ids only through its states', () => {
  // A call on Monday 16 November 2026; day 91 is Monday 15 February 2027, 09:00.
  const START = '2026-11-16T08:00:00+01:00';
  const CALL = '2026-11-16T10:00:00+01:00';
  const APPROVAL = { noContact: { noContactEmailMode: 'approval' } };

  it('given approval mode, when the CSM approves with their own text, then it goes out as edited and the e-mail and approval states carry ids only', async () => {
    const observed = await observe('no-contact', {
      start: START,
      config: APPROVAL,
      events: [touchpoint(CALL), decide('2027-02-15T14:00:00+01:00', 'no-contact', countId(CALL), { edits: { text: EDITS.text } })],
    });

    expect([...observed.states.keys()]).toEqual(expect.arrayContaining(['PrepareProposal', 'OfferProposalApproval', 'RequestProposalApproval', 'SendProposal']));
    expect(observed.emails).toEqual([expect.objectContaining({ status: 'queued', to: 'alex.champion@example.com', text: EDITS.text, approvedBy: 'csm-camille' })]);
    expectIdsOnly(observed, personalValues(observed, account.contacts, { text: EDITS.text }));
  });

  it('given approval mode and nobody decides, then it expires unsent, and the states carry ids only', async () => {
    const observed = await observe('no-contact', { start: START, until: '2027-03-15T00:00:00+01:00', config: APPROVAL, events: [touchpoint(CALL)] });

    expect(observed.states.has('ProposalExpired')).toBe(true);
    expect(observed.emails).toEqual([expect.objectContaining({ status: 'prepared', to: 'alex.champion@example.com' })]);
    expectIdsOnly(observed, personalValues(observed, account.contacts));
  });
});
