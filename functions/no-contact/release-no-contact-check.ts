import { defineReleaseCheck } from '../runtime/held-check-steps.ts';

/** The 91-day check's fatal path: its record marked failed if this execution holds it; the account's next touchpoint or CRM update resumes it. */
export const releaseNoContactCheck = defineReleaseCheck('release-no-contact-check', 'no-contact check', (ledger) => ledger.noContactChecks);
