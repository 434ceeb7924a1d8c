import { defineReleaseCheck } from '../runtime/held-check-steps.ts';

/** The renewal check's fatal path: its record marked failed if this execution holds it; the account's next CRM update resumes it. */
export const releaseRenewalCheck = defineReleaseCheck('release-renewal-check', 'renewal check', (ledger) => ledger.renewalChecks);
