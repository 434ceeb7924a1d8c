/** A playbook event about an account the ledger has never heard of: not retryable, goes to a person. */
export class AccountNotFound extends Error {
  override readonly name = 'AccountNotFound';
  constructor(readonly accountId: string) {
    super(`Account ${accountId} is not in the ledger: sync it from the CRM (AccountUpdated) first`);
  }
}
