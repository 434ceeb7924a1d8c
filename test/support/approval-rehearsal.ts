import { DetailType } from '../../functions/contracts/index.ts';
import type { PlaybookEntry } from '../../lib/catalog.ts';

/**
 * A test-only playbook (not in the catalog): the smallest flow that asks the CSM to approve an e-mail,
 * run through the sandbox's interpreter path, synthesized by the stack and checked by validate-asl,
 * so approval mode is proven end to end before nps-response and no-contact use it.
 */
export const APPROVAL_REHEARSAL = {
  id: 'approval-rehearsal',
  description: 'Test fixture: ask the CSM to approve an e-mail, then send, stop, or report the expiry',
  definitionFile: 'test/fixtures/approval-rehearsal.asl.json',
  trigger: [DetailType.UpsellRequested],
  functions: ['plan-approval', 'request-approval', 'create-task'],
} as const satisfies PlaybookEntry;
