import { z } from '../contracts/zod.ts';
import { formatLocalIso } from '../core/calendar/business-time.ts';
import { AccountNotFound } from '../core/errors.ts';
import { noteId } from '../core/notes/identity.ts';
import { definePlaybookFunction } from '../runtime/playbook-function.ts';

const MAX_NOTE_LENGTH = 4000;

/**
 * Leave a note on the account, once per reason (seed 001: "des notes sur le contact suffisent" for a
 * red alert with no other signal). Kept in the ledger; the CRM adapter will copy it to the account.
 */
export const recordAccountNote = definePlaybookFunction({
  id: 'record-account-note',
  input: z.object({
    accountId: z.string().check(z.minLength(1)),
    playbook: z.string().check(z.minLength(1)),
    reason: z.string().check(z.minLength(1)),
    // Any length: a shop name has no bound in the contract; the note keeps the start of it.
    text: z.string().check(z.minLength(1)),
  }),
  async run({ accountId, playbook, reason, text }, { ledger, now, logger }) {
    const account = await ledger.getAccount(accountId);
    if (!account) throw new AccountNotFound(accountId);
    const { created, item } = await ledger.recordNote({
      id: noteId({ accountId, playbook, reason }),
      accountId,
      playbook,
      reason,
      text: text.length <= MAX_NOTE_LENGTH ? text : `${text.slice(0, MAX_NOTE_LENGTH - 1)}…`,
      at: formatLocalIso(now(), account.timezone),
    });
    logger.info(created ? 'note recorded' : 'note already recorded', { accountId, noteId: item.id, playbook });
    return { noteId: item.id, created };
  },
});
