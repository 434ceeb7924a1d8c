/** A playbook event about an account the ledger has never heard of: not retryable, goes to a person. */
export class AccountNotFound extends Error {
  override readonly name = 'AccountNotFound';
  constructor(readonly accountId: string) {
    super(`Account ${accountId} is not in the ledger: sync it from the CRM (AccountUpdated) first`);
  }
}

/**
 * A step that touches money (the RETENTION case, the plan's expiry, the refund request) was asked to run
 * outside the pre-churn rule: after the window, without proof, or for a case not lost. Never retried:
 * it goes to a person, and nothing was done.
 */
export class OutsidePreChurnRule extends Error {
  override readonly name = 'OutsidePreChurnRule';
  constructor(caseId: string, why: string) {
    super(`Case ${caseId}: refused, ${why}`);
  }
}

/** Another attempt holds the refund request's lease and may be posting it right now: try again once it expires. */
export class RefundInProgress extends Error {
  override readonly name = 'RefundInProgress';
  constructor(refundId: string, until: string) {
    super(`Refund ${refundId} is being requested by another attempt until ${until}`);
  }
}

/**
 * An alert the ledger does not hold on that account (a ✅ clicked on a message that is not one of ours, or
 * of another stage): it will not appear later, the alert is written before it is posted. Never retried.
 */
export class AlertNotFound extends Error {
  override readonly name = 'AlertNotFound';
  constructor(accountId: string, alertId: string) {
    super(`No alert ${alertId} on account ${accountId}`);
  }
}
