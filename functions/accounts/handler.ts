import { domainHandler, lambdaAction } from '../runtime/lambda.ts';
import { findTouchpoint } from './find-touchpoint.ts';
import { recordAccountNote } from './record-account-note.ts';
import { recordTouchpoint } from './record-touchpoint.ts';
import { upsertAccount } from './upsert-account.ts';

/**
 * The account record and what the ledger keeps about it: its touchpoints and notes. Rules: ../core/accounts/
 * (merging CRM updates and lifecycle facts), ../core/notes/ (a note's identity), and whether a contact
 * was reached since a time in ../core/nps/exit-goals.ts.
 */
export const handler = domainHandler('accounts', {
  'upsert-account': lambdaAction(upsertAccount),
  'record-touchpoint': lambdaAction(recordTouchpoint),
  'find-touchpoint': lambdaAction(findTouchpoint),
  'record-account-note': lambdaAction(recordAccountNote),
});
