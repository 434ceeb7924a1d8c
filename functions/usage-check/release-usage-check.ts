import { defineReleaseCheck } from '../runtime/held-check-steps.ts';

/** The usage check's fatal path: its record marked failed if this execution holds it; the account's next day of use resumes it. */
export const releaseUsageCheck = defineReleaseCheck('release-usage-check', 'usage check', (ledger) => ledger.usageChecks);
