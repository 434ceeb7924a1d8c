import { describe, expect, it } from 'vitest';
import { nextThresholdDay, snoozed, thresholdFacts, thresholdNews, thresholdsReached, type ThresholdFacts } from '../../functions/core/health/thresholds.ts';

// docs/playbooks.md, health: the threshold alerts, each raised on entry only, once per account and
// type, quiet while snoozed.

const SETTINGS = { noExchangeDays: 42, decisionMakerDays: 90, noQbrDays: 90, renewalWithinDays: 90, championIdleDays: 15 };
const TODAY = '2026-11-20';
const facts = (overrides: Partial<ThresholdFacts> = {}): ThresholdFacts => ({
  knownSince: '2026-01-05',
  lastExchangeDay: '2026-11-10',
  decisionMaker: { lastContactDay: '2026-10-01' },
  lastQbrDay: '2026-10-01',
  ...overrides,
});

describe('the thresholds reached', () => {
  it('given an account in touch, then none', () => {
    expect([...thresholdsReached(facts(), TODAY, SETTINGS)]).toEqual([]);
  });

  it('given no exchange for 42 days, then no-exchange; 41, nothing', () => {
    expect(thresholdsReached(facts({ lastExchangeDay: '2026-10-09' }), TODAY, SETTINGS).get('no-exchange')).toBe('No exchange for 42 days');
    expect(thresholdsReached(facts({ lastExchangeDay: '2026-10-10' }), TODAY, SETTINGS).has('no-exchange')).toBe(false);
  });

  it('given no touchpoint ever, then the counts start when the team got the account', () => {
    const reached = thresholdsReached(facts({ lastExchangeDay: undefined, decisionMaker: {}, lastQbrDay: undefined, knownSince: '2026-08-01' }), TODAY, SETTINGS);
    expect([...reached.keys()]).toEqual(['no-exchange', 'decision-maker-silent', 'no-qbr']);
  });

  it('given no decision-maker on file, then that alert does not apply', () => {
    expect(thresholdsReached(facts({ decisionMaker: undefined, lastQbrDay: '2026-11-01' }), '2027-06-01', SETTINGS).has('decision-maker-silent')).toBe(false);
  });

  it('given a renewal in 90 days, then renewal-near; in 91, or passed, nothing', () => {
    expect(thresholdsReached(facts({ renewalDay: '2027-02-18' }), TODAY, SETTINGS).get('renewal-near')).toBe('Renewal on 2027-02-18, in 90 days');
    expect(thresholdsReached(facts({ renewalDay: '2027-02-19' }), TODAY, SETTINGS).has('renewal-near')).toBe(false);
    expect(thresholdsReached(facts({ renewalDay: '2026-11-19' }), TODAY, SETTINGS).has('renewal-near')).toBe(false);
  });

  it('given the champion idle 15 days while the team uses the product, then champion-idle; the whole account idle, not this one', () => {
    expect(thresholdsReached(facts({ champion: { lastUseDay: '2026-11-05', accountUsedThisWeek: true } }), TODAY, SETTINGS).has('champion-idle')).toBe(true);
    expect(thresholdsReached(facts({ champion: { lastUseDay: '2026-11-05', accountUsedThisWeek: false } }), TODAY, SETTINGS).has('champion-idle')).toBe(false);
  });
});

describe('what is raised', () => {
  const noExchange = new Map([['no-exchange', 'No exchange for 42 days']] as const);

  it('given a threshold newly reached, then raised once; reached the next day still, then quiet', () => {
    const first = thresholdNews({}, noExchange, {}, TODAY);
    expect(first.raise).toEqual([{ type: 'no-exchange', reading: 'No exchange for 42 days', since: TODAY }]);
    expect(thresholdNews(first.held, noExchange, {}, '2026-11-21').raise).toEqual([]);
  });

  it('given a threshold left, then reached again, then raised again: on entry', () => {
    const first = thresholdNews({}, noExchange, {}, TODAY);
    const left = thresholdNews(first.held, new Map(), {}, '2026-11-21');
    expect(left.held).toEqual({});
    expect(thresholdNews(left.held, noExchange, {}, '2027-01-05').raise).toHaveLength(1);
  });

  it('given a snooze until 1 December, then quiet until then, and raised on 1 December if still reached', () => {
    const snoozes = { 'no-exchange': { until: '2026-12-01' } };
    const snoozed = thresholdNews({}, noExchange, snoozes, TODAY);
    expect(snoozed.raise).toEqual([]);
    expect(thresholdNews(snoozed.held, noExchange, snoozes, '2026-11-30').raise).toEqual([]);
    expect(thresholdNews(snoozed.held, noExchange, snoozes, '2026-12-01').raise).toEqual([{ type: 'no-exchange', reading: 'No exchange for 42 days', since: TODAY }]);
  });

  it('given a threshold raised, then snoozed until 1 December, then quiet until then, and raised again on 1 December if still reached', () => {
    const raised = thresholdNews({}, noExchange, {}, TODAY);
    const snoozes = { 'no-exchange': { until: '2026-12-01' } };
    const after = snoozed(raised.held, 'no-exchange');
    expect(thresholdNews(after, noExchange, snoozes, '2026-11-30').raise).toEqual([]);
    expect(thresholdNews(after, noExchange, snoozes, '2026-12-01').raise).toEqual([{ type: 'no-exchange', reading: 'No exchange for 42 days', since: TODAY }]);
  });

  it('given the first look at an account already past a line, then nothing raised, and nothing the next day while it stays past', () => {
    const first = thresholdNews(undefined, noExchange, {}, TODAY);
    expect(first.raise).toEqual([]);
    expect(thresholdNews(first.held, noExchange, {}, '2026-11-21').raise).toEqual([]);
    // Left, then reached again: entered, raised.
    const left = thresholdNews(first.held, new Map(), {}, '2026-11-22');
    expect(thresholdNews(left.held, noExchange, {}, '2027-01-05').raise).toHaveLength(1);
  });
});

describe('the facts from the ledger', () => {
  const contacts = [
    { id: 'c-champion', role: 'champion' },
    { id: 'c-boss', role: 'decision-maker' },
  ];

  it('given touchpoints, then the latest exchange, the decision-maker\'s latest and the latest QBR, each on its own', () => {
    const facts = thresholdFacts(
      {
        knownSince: '2026-01-05',
        contacts,
        touchpoints: [
          { day: '2026-11-02', channel: 'call', contactId: 'c-champion' },
          { day: '2026-06-10', channel: 'qbr', contactId: 'c-boss' },
          { day: '2026-08-20', channel: 'meeting', contactId: 'c-boss' },
        ],
      },
      TODAY,
    );
    expect(facts).toMatchObject({ lastExchangeDay: '2026-11-02', decisionMaker: { lastContactDay: '2026-08-20' }, lastQbrDay: '2026-06-10' });
  });

  it('given the champion\'s days and the account used 3 days ago, then the champion watched; the account idle a week, not', () => {
    const sources = { knownSince: '2026-01-05', contacts, touchpoints: [], championDays: ['2026-10-30', '2026-11-01'] };
    expect(thresholdFacts({ ...sources, lastActiveDay: '2026-11-17' }, TODAY).champion).toEqual({ lastUseDay: '2026-11-01', accountUsedThisWeek: true });
    expect(thresholdFacts({ ...sources, lastActiveDay: '2026-11-13' }, TODAY).champion).toEqual({ lastUseDay: '2026-11-01', accountUsedThisWeek: false });
  });

  it('given the renewal\'s outcome recorded, then that renewal is no longer near; the next date is', () => {
    const sources = { knownSince: '2026-01-05', contacts, touchpoints: [], renewalDay: '2027-01-12', recordedRenewalDay: '2027-01-12' };
    expect(thresholdFacts(sources, TODAY).renewalDay).toBeUndefined();
    expect(thresholdFacts({ ...sources, renewalDay: '2028-01-12' }, TODAY).renewalDay).toBe('2028-01-12');
  });

  it('given no decision-maker among the contacts, then the decision-maker alert has nothing to watch', () => {
    expect(thresholdFacts({ knownSince: '2026-01-05', contacts: [contacts[0]!], touchpoints: [] }, TODAY).decisionMaker).toBeUndefined();
  });
});

describe('when to look again', () => {
  it('given an account in touch, then the day the first line would be reached: 42 days after its latest exchange', () => {
    expect(nextThresholdDay(facts(), TODAY, SETTINGS, {})).toBe('2026-12-22');
  });

  it('given a renewal, then 90 days before it; given a snooze ending sooner, then its end', () => {
    expect(nextThresholdDay(facts({ renewalDay: '2027-02-28' }), TODAY, SETTINGS, {})).toBe('2026-11-30');
    expect(nextThresholdDay(facts({ renewalDay: '2027-02-28' }), TODAY, SETTINGS, { 'no-qbr': { until: '2026-11-25' } })).toBe('2026-11-25');
  });

  it('given every line already reached, then none: the night has nothing to wait for', () => {
    expect(nextThresholdDay({ knownSince: '2025-01-01' }, TODAY, SETTINGS, {})).toBeUndefined();
  });
});
