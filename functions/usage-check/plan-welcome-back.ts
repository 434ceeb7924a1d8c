import { seal } from '../adapters/sealed.ts';
import { DetailSchemas, type Sealed } from '../contracts/index.ts';
import { z } from '../contracts/zod.ts';
import { capCutoff } from '../core/emails/plan.ts';
import { AccountNotFound } from '../core/errors.ts';
import { welcomeBackCall } from '../core/usage/welcome-back.ts';
import { definePlaybookFunction } from '../runtime/playbook-function.ts';

export interface WelcomeBackPlan {
  action: 'welcome' | 'skip';
  why?: 'cooldown' | 'not-a-contact';
  /** A key contact: the welcome-back-call task's body, naming them (sealed). */
  call?: { details: Sealed };
}

/**
 * A contact is back (`ContactReturned`): whether they are welcomed (not within
 * `usage.welcomeBackCooldownDays` of the last welcome-back e-mail, still a contact of the account),
 * and, for a key contact, the call the CSM makes.
 */
export const planWelcomeBack = definePlaybookFunction({
  id: 'plan-welcome-back',
  input: z.object({ detail: DetailSchemas.ContactReturned }),
  async run({ detail }, { ledger, now, settings, logger }): Promise<WelcomeBackPlan> {
    const account = await ledger.getAccount(detail.accountId);
    if (!account) throw new AccountNotFound(detail.accountId);
    const contact = account.contacts.find(({ id }) => id === detail.contactId);
    if (!contact) return { action: 'skip', why: 'not-a-contact' };
    const cap = await ledger.getEmailCap(account.id, 'welcome-back', contact.id);
    if (cap && Date.parse(cap.at) > Date.parse(capCutoff('welcome-back', now(), settings)!)) {
      logger.info('welcomed back within the cooldown', { accountId: account.id, contactId: contact.id });
      return { action: 'skip', why: 'cooldown' };
    }
    const call = welcomeBackCall(contact, detail.idleDays);
    return { action: 'welcome', ...(call ? { call: { details: await seal(ledger, account.id, detail.eventId, 'welcome-back-call', call, now()) } } : {}) };
  },
});
