import { seal } from '../adapters/sealed.ts';
import { DetailSchemas, type Sealed } from '../contracts/index.ts';
import { z } from '../contracts/zod.ts';
import { capCutoff } from '../core/emails/plan.ts';
import { AccountNotFound } from '../core/errors.ts';
import { emailId } from '../core/tasks/identity.ts';
import { welcomeBackCall } from '../core/usage/welcome-back.ts';
import { definePlaybookFunction } from '../runtime/playbook-function.ts';

export interface WelcomeBackPlan {
  action: 'welcome' | 'skip';
  why?: 'cooldown' | 'not-a-contact';
  /** A key contact: the welcome-back-call task's body, naming them (sealed). */
  call?: { details: Sealed };
}

/**
 * A contact is back (`ContactReturned`): whether they are welcomed (still a contact of the account, and
 * not within `usage.welcomeBackCooldownDays` of their last welcome-back: the cooldown is claimed here,
 * once per return), and, for a key contact, the call the CSM makes.
 */
export const planWelcomeBack = definePlaybookFunction({
  id: 'plan-welcome-back',
  input: z.object({ detail: DetailSchemas.ContactReturned }),
  async run({ detail }, { ledger, now, settings, logger }): Promise<WelcomeBackPlan> {
    const account = await ledger.getAccount(detail.accountId);
    if (!account) throw new AccountNotFound(detail.accountId);
    const contact = account.contacts.find(({ id }) => id === detail.contactId);
    if (!contact) return { action: 'skip', why: 'not-a-contact' };
    // The cooldown is taken now, for the e-mail this return prepares (its id), so that the call and the
    // e-mail are once per cooldown whatever becomes of the e-mail (skipped, refused, not approved).
    const id = emailId({ accountId: account.id, template: 'welcome-back', contactId: contact.id, reason: detail.eventId });
    const claimed = await ledger.claimEmailCap({ accountId: account.id, template: 'welcome-back', contactId: contact.id, emailId: id, at: now().toISOString(), cutoff: capCutoff('welcome-back', now(), settings)! });
    if (!claimed) {
      logger.info('welcomed back within the cooldown', { accountId: account.id, contactId: contact.id });
      return { action: 'skip', why: 'cooldown' };
    }
    const call = welcomeBackCall(contact, detail.idleDays);
    return { action: 'welcome', ...(call ? { call: { details: await seal(ledger, account.id, detail.eventId, 'welcome-back-call', call, now()) } } : {}) };
  },
});
