import { describe, expect, it } from 'vitest';
import { ContractError } from '../../functions/contracts/index.ts';
import { accountFactOf } from '../../functions/core/accounts/account-facts.ts';
import { accountCompleteness } from '../../functions/core/accounts/completeness.ts';

// docs/playbooks.md, lifecycle events: ContractSigned sets the account's signedAt, welcomeCallAt and quote;
// BillingStarted sets billingStartedAt. Each is a fact as of its own time, merged newest first.

const envelope = { eventId: 'evt-1', accountId: 'acc-1' };

describe('what each event says of the account record, and as of when', () => {
  it('given a contract signed on 2 November with a welcome call on the 5th, then it sets signedAt, the quote and the welcome call, as of the signature', () => {
    const fact = accountFactOf({
      detailType: 'ContractSigned',
      time: '2026-11-02T14:00:05Z',
      detail: { ...envelope, quoteId: 'quote-118', signedAt: '2026-11-02T15:00:00+01:00', welcomeCallAt: '2026-11-05T10:00:00+01:00' },
    });
    expect(fact).toEqual({ patch: { signedAt: '2026-11-02T15:00:00+01:00', quoteId: 'quote-118', welcomeCallAt: '2026-11-05T10:00:00+01:00' }, at: '2026-11-02T15:00:00+01:00' });
  });

  it('given a contract without a welcome call yet, then it leaves the welcome call as it is (absent from the patch, never cleared)', () => {
    const fact = accountFactOf({ detailType: 'ContractSigned', time: '2026-11-02T14:00:05Z', detail: { ...envelope, quoteId: 'quote-118', signedAt: '2026-11-02T15:00:00+01:00' } });
    expect(fact.patch).not.toHaveProperty('welcomeCallAt');
  });

  it('given billing that started on 9 November, then it sets billingStartedAt, as of that start', () => {
    expect(accountFactOf({ detailType: 'BillingStarted', time: '2026-11-09T08:00:00Z', detail: { ...envelope, at: '2026-11-09T00:00:00+01:00' } })).toEqual({
      patch: { billingStartedAt: '2026-11-09T00:00:00+01:00' },
      at: '2026-11-09T00:00:00+01:00',
    });
  });

  it("given a CRM update, then it sets what changed, as of the CRM's change time, else of the event's", () => {
    const detail = { ...envelope, mrr: 900 };
    expect(accountFactOf({ detailType: 'AccountUpdated', time: '2026-11-09T08:00:00Z', detail: { ...detail, updatedAt: '2026-11-09T07:59:58.120Z' } })).toEqual({ patch: { mrr: 900 }, at: '2026-11-09T07:59:58.120Z' });
    expect(accountFactOf({ time: '2026-11-09T08:00:00Z', detail })).toEqual({ patch: { mrr: 900 }, at: '2026-11-09T08:00:00Z' });
  });
});

describe('a record the playbooks may read, or a pending one', () => {
  const complete = { name: 'Salon Aurore', country: 'FR', timezone: 'Europe/Paris', language: 'fr', csmId: 'csm-camille', mrr: 450, contacts: [] };

  it('given every required field, then the account is complete', () => {
    expect(accountCompleteness('acc-1', complete)).toEqual({ status: 'complete', account: { id: 'acc-1', ...complete } });
  });

  it("given only a company's name, country and time zone (what HubSpot's company changes carry), then it is pending, missing the rest by name", () => {
    expect(accountCompleteness('acc-1', { name: 'Salon Aurore', country: 'FR', timezone: 'Europe/Paris' })).toEqual({ status: 'pending', missing: ['contacts', 'csmId', 'language', 'mrr'] });
  });

  it('given a value that is there but invalid, then it is refused naming it, even while other fields are missing', () => {
    const refusal = () => accountCompleteness('acc-1', { name: 'Salon Aurore', timezone: 'Europe/Atlantis' });
    expect(refusal).toThrow(ContractError);
    expect(refusal).toThrow(/^account acc-1 is invalid: timezone: expected an IANA time zone/);
  });
});
