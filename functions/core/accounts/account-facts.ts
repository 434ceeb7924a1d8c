import { DetailType, type DetailOf } from '../../contracts/index.ts';

/**
 * An `AccountUpdated` detail as account-sync reads it: its envelope checked, its fields as sent, each
 * checked on its own when it is merged (./sieve-update.ts), so that one refused field does not drop
 * the others. A detail the contract accepts is one.
 */
export type AccountUpdatedAsSent = { eventId: string; accountId: string; updatedAt?: string | undefined } & Readonly<Record<string, unknown>>;

/** An event that says something about the account record: what account-sync merges into it. */
export type AccountFactEvent =
  | { detailType: typeof DetailType.ContractSigned; time: string; detail: DetailOf<'ContractSigned'> }
  | { detailType: typeof DetailType.BillingStarted; time: string; detail: DetailOf<'BillingStarted'> }
  // No detail-type: an AccountUpdated from an execution started before account-sync took lifecycle facts.
  | { detailType?: typeof DetailType.AccountUpdated | undefined; time: string; detail: AccountUpdatedAsSent };

/**
 * The fields an event sets on the account record (as sent: checked when merged), and the fact's own
 * time, by which they are merged newest first.
 */
export interface AccountFact {
  patch: Readonly<Record<string, unknown>>;
  at: string;
}

/**
 * What each event says of the account (docs/playbooks.md, lifecycle events): a CRM update its fields, as
 * of the CRM's change time (else the event's); a signed contract its signature, quote and welcome
 * call, as of the signature; the first invoice the start of billing, as of that start. A fact's own
 * time, not its delivery's: a contract redelivered after a newer CRM update must not undo it.
 */
export function accountFactOf(event: AccountFactEvent): AccountFact {
  switch (event.detailType) {
    case DetailType.ContractSigned: {
      const { quoteId, signedAt, welcomeCallAt } = event.detail;
      return { patch: { signedAt, quoteId, ...(welcomeCallAt === undefined ? {} : { welcomeCallAt }) }, at: signedAt };
    }
    case DetailType.BillingStarted:
      return { patch: { billingStartedAt: event.detail.at }, at: event.detail.at };
    default: {
      const { eventId: _eventId, accountId: _accountId, updatedAt, ...patch } = event.detail;
      return { patch, at: updatedAt ?? event.time };
    }
  }
}
