import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DETAIL_TYPES } from '../../functions/contracts/index.ts';
import { formatReport } from '../../sandbox/report/format.ts';
import { parseScenario } from '../../sandbox/simulate/scenario.ts';
import { npsAnswer, parisAccount, run } from '../support/scenario.ts';

// A scenario's author learns what is wrong from one line per problem, each naming its place in the
// one style every message uses (`events[4].type`, `accounts[0].timezone`), and is warned of what the
// run will do that they may not expect (an event after `until`, an event for an account the run does
// not know), on stderr and in the report, never dropped silently.

const START = '2026-11-13T08:00:00+01:00';
const AT = '2026-11-13T10:00:00+01:00';

const problemsOf = (scenario: unknown): readonly string[] => {
  try {
    parseScenario(scenario);
  } catch (error) {
    return (error as { problems: readonly string[] }).problems;
  }
  throw new Error('the scenario was accepted');
};

describe('scenario errors name their place, one style everywhere', () => {
  it('given an account without a valid time zone, then accounts[0].timezone', () => {
    expect(problemsOf({ start: START, accounts: [parisAccount({ timezone: 'Mars/Olympus' })], events: [] })).toEqual(['accounts[0].timezone: expected an IANA time zone, e.g. Europe/Paris']);
  });

  it('given an event without its offset, then events[0].at and what an instant looks like', () => {
    expect(problemsOf({ start: START, accounts: [], events: [{ ...npsAnswer(AT, 3), at: '2026-11-13T10:00:00' }] })).toEqual([
      'events[0].at: expected an ISO-8601 time with its offset, e.g. 2026-11-13T09:00:00+01:00',
    ]);
  });

  it('given a detail with a score of 12 in the fifth event, then events[4].detail.score', () => {
    const events = [1, 2, 3, 4].map(() => npsAnswer(AT, 3));
    expect(problemsOf({ start: START, accounts: [parisAccount()], events: [...events, npsAnswer(AT, 12)] })).toEqual(['events[4].detail.score: Too big: expected number to be <=10']);
  });

  it('given a misspelt detail-type, then events[1].type, the closest one, and every valid one', () => {
    const [problem, ...others] = problemsOf({ start: START, accounts: [], events: [npsAnswer(AT, 3), { at: AT, type: 'npsresponserecieved', detail: {} }] });
    expect(others).toEqual([]);
    expect(problem).toBe(`events[1].type: unknown detail-type "npsresponserecieved" (did you mean "NpsResponseReceived"?); the detail-types are ${DETAIL_TYPES.join(', ')}`);
  });

  it('given a detail-type like nothing known, then the valid ones, and no guess', () => {
    expect(problemsOf({ start: START, accounts: [], events: [{ at: AT, type: 'Zzz', detail: {} }] })).toEqual([`events[0].type: unknown detail-type "Zzz"; the detail-types are ${DETAIL_TYPES.join(', ')}`]);
  });

  it('given an event that is neither a domain event, a webhook nor a decision, then what an event has', () => {
    expect(problemsOf({ start: START, accounts: [], events: [{ at: AT, detial: {} }, 'NpsResponseReceived'] })).toEqual([
      'events[0]: an event has "at" and either "type" and "detail" (a domain event), "webhook" and "body" (a vendor\'s payload) or "approve" (a CSM\'s decision)',
      'events[1]: expected an object; an event has "at" and either "type" and "detail" (a domain event), "webhook" and "body" (a vendor\'s payload) or "approve" (a CSM\'s decision)',
    ]);
  });

  it('given a decision with an unknown value, then events[0].approve.decision', () => {
    expect(problemsOf({ start: START, accounts: [], events: [{ at: AT, approve: { approvalId: 'apr-0123456789abcdef0123', decision: 'maybe' } }] })).toEqual([
      'events[0].approve.decision: Invalid option: expected one of "approve"|"cancel"',
    ]);
  });

  it('given a misspelt vendor, then events[0].webhook and the closest vendor', () => {
    expect(problemsOf({ start: START, accounts: [], events: [{ at: AT, webhook: 'typform', body: {} }] })[0]).toMatch(/^events\[0\]\.webhook: unknown vendor "typform" \(did you mean "typeform"\?\); the vendors are events, typeform/);
  });
});

describe('scenario warnings: delivered as written, never silently', () => {
  it('given an answer after `until`, then a warning names it and says it is never delivered', () => {
    const { warnings } = parseScenario({ start: START, until: '2026-11-13T12:00:00+01:00', accounts: [parisAccount()], events: [npsAnswer(AT, 7), npsAnswer('2026-11-13T13:00:00+01:00', 7)] });
    expect(warnings).toEqual(['events[1].at: 2026-11-13T13:00:00+01:00 is after "until" (2026-11-13T12:00:00+01:00): never delivered; move it before "until", or "until" after it']);
  });

  it('given an answer at `until` exactly, then no warning: it is delivered', () => {
    expect(parseScenario({ start: START, until: AT, accounts: [parisAccount()], events: [npsAnswer(AT, 7)] }).warnings).toEqual([]);
  });

  it('given two answers for an account the scenario does not have, then one warning names the account, both events and what the run will do', () => {
    const { warnings } = parseScenario({ start: START, accounts: [parisAccount()], events: [npsAnswer(AT, 3, { accountId: 'acc-lyon' }), npsAnswer(AT, 9), npsAnswer(AT, 4, { accountId: 'acc-lyon' })] });
    expect(warnings).toEqual([
      'events[0].detail.accountId, events[2].detail.accountId: account "acc-lyon" is not in "accounts" and no earlier complete AccountUpdated creates it: its playbooks wait for it (about an hour of retries), then fail; add it to "accounts" unless that is what you rehearse',
    ]);
  });

  it('given a complete AccountUpdated that creates the account before its answer, then no warning', () => {
    const { id, ...record } = parisAccount({ id: 'acc-lyon' });
    const created = { at: '2026-11-13T09:00:00+01:00', type: 'AccountUpdated', detail: { eventId: 'evt-crm-1', accountId: id, ...record } };
    expect(parseScenario({ start: START, accounts: [], events: [npsAnswer(AT, 3, { accountId: 'acc-lyon' }), created] }).warnings).toEqual([]);
  });

  it('given an AccountUpdated that comes after the answer, or names only the account, then the answer is still for an unknown account', () => {
    const { id, ...record } = parisAccount({ id: 'acc-lyon' });
    const later = { at: '2026-11-13T11:00:00+01:00', type: 'AccountUpdated', detail: { eventId: 'evt-crm-1', accountId: id, ...record } };
    const partial = { at: '2026-11-13T09:00:00+01:00', type: 'AccountUpdated', detail: { eventId: 'evt-crm-2', accountId: id, name: 'Salon Lyon' } };
    expect(parseScenario({ start: START, accounts: [], events: [npsAnswer(AT, 3, { accountId: 'acc-lyon' }), later] }).warnings).toEqual([expect.stringMatching(/^events\[0\]\.detail\.accountId: account "acc-lyon"/)]);
    expect(parseScenario({ start: START, accounts: [], events: [partial, npsAnswer(AT, 3, { accountId: 'acc-lyon' })] }).warnings).toEqual([
      expect.stringMatching(/^events\[0\]\.detail\.accountId, events\[1\]\.detail\.accountId: account "acc-lyon"/),
    ]);
  });

  it('given account facts that complete the account between them (a contract, then the CRM’s fields in two updates), then no warning for the answer after them', () => {
    const { id, name, ...rest } = parisAccount({ id: 'acc-lyon' });
    const events = [
      { at: '2026-11-13T08:00:00+01:00', type: 'ContractSigned', detail: { eventId: 'evt-contract', accountId: id, quoteId: 'q-1', signedAt: '2026-11-12T10:00:00+01:00' } },
      { at: '2026-11-13T08:30:00+01:00', type: 'AccountUpdated', detail: { eventId: 'evt-crm-1', accountId: id, name } },
      { at: '2026-11-13T09:00:00+01:00', type: 'AccountUpdated', detail: { eventId: 'evt-crm-2', accountId: id, ...rest } },
      npsAnswer(AT, 3, { accountId: id }),
    ];
    expect(parseScenario({ start: START, accounts: [], events }).warnings).toEqual([
      expect.stringMatching(/^events\[0\]\.detail\.accountId, events\[1\]\.detail\.accountId: account "acc-lyon"/),
    ]);
  });

  it("given Typeform's sample for an account the scenario does not have, then the warning names the webhook's body", () => {
    const body = JSON.parse(readFileSync('functions/ingest/vendors/samples/typeform-nps-detractor.json', 'utf8')) as unknown;
    expect(parseScenario({ start: START, accounts: [parisAccount()], events: [{ at: AT, webhook: 'typeform', body }] }).warnings).toEqual([expect.stringMatching(/^events\[0\]\.body: account "acc-salon-lumiere" is not in "accounts"/)]);
  });

  it('given a webhook entry that the door would refuse (an approval through /webhooks/events, a flood from a sender), then the scenario is refused naming the place and the rule, as the endpoint refuses it', () => {
    const message = (type: string, data: Record<string, unknown>) => ({ type, timestamp: AT, data: { eventId: `evt-${type}`, accountId: 'acc-paris', ...data } });
    const approval = message('ApprovalDecided', { approvalId: `apr-${'0'.repeat(20)}`, decision: 'approve', decidedBy: 'someone', at: AT });
    const flood = message('AccountFlooded', { windowStart: '2026-11-13T09:00:00.000Z', limit: 30, heldType: 'NpsResponseReceived', at: AT });
    expect(problemsOf({ start: START, accounts: [parisAccount()], events: [{ at: AT, webhook: 'events', body: approval }, { at: AT, webhook: 'events', body: flood }] })).toEqual([
      expect.stringMatching(/^events\[0\]\.body: The sender "scenario" of \/webhooks\/events may not publish ApprovalDecided: ApprovalDecided never comes through \/webhooks\/events: it is a CSM's decision/),
      'events[1].body: The sender "scenario" of /webhooks/events may not publish AccountFlooded: AccountFlooded is said by the ingest itself (its flood guard), never by a sender',
    ]);
  });

  it('given a run with a warning, then the report keeps it in `warnings`, and the terminal report shows it first', async () => {
    const report = await run({ start: START, until: '2026-11-13T09:00:00+01:00', accounts: [parisAccount()], events: [npsAnswer(AT, 7)] });

    expect(report.warnings).toEqual([expect.stringMatching(/^events\[0\]\.at: 2026-11-13T10:00:00\+01:00 is after "until"/)]);
    expect(report.executions).toEqual([]);
    expect(formatReport(report).split('\n').slice(0, 3)).toEqual(['Warnings (1)', '-'.repeat('Warnings (1)'.length), report.warnings[0]]);
  });
});

describe('the example scenarios of the repository', () => {
  it.each(readdirSync('examples').filter((file) => file.endsWith('.scenario.json')))('given %s, then no warning: no event after `until`, none for an account it does not have', (file) => {
    expect(parseScenario(JSON.parse(readFileSync(`examples/${file}`, 'utf8'))).warnings).toEqual([]);
  });
});
