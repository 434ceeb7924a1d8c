import { notifyDirectly } from '../adapters/notifications.ts';
import { ButtonAction, OwnerRole } from '../contracts/index.ts';
import { z } from '../contracts/zod.ts';
import { AccountNotFound } from '../core/errors.ts';
import { definePlaybookFunction } from '../runtime/playbook-function.ts';

/**
 * Tell one person directly, outside the alert channel (seed 001, pre-churn: "Le sales doit prévenir la
 * personne de l'onboarding ou l'inverse (ne pas passer par la channel alerte-fidélisation)"): recorded
 * in the ledger first (once per account, playbook, person and reason), then sent, once.
 */
export const notifyPerson = definePlaybookFunction({
  id: 'notify-person',
  input: z.object({
    accountId: z.string().check(z.minLength(1)),
    playbook: z.string().check(z.minLength(1)),
    reason: z.string().check(z.minLength(1)),
    recipientRole: OwnerRole,
    topic: z.string().check(z.minLength(1), z.maxLength(60)),
    text: z.string().check(z.minLength(1), z.maxLength(4000)),
    /** Buttons under the text (approve or reject a parked e-mail): ids in their values, never a name. */
    buttons: z.optional(
      z
        .array(
          z.object({
            action: z.enum(Object.values(ButtonAction) as [ButtonAction, ...ButtonAction[]]),
            label: z.string().check(z.minLength(1), z.maxLength(75)),
            value: z.record(z.string(), z.string().check(z.maxLength(256))),
            style: z.optional(z.enum(['primary', 'danger'])),
          }),
        )
        .check(z.maxLength(5)),
    ),
  }),
  async run(input, { ledger, now, logger }) {
    const account = await ledger.getAccount(input.accountId);
    if (!account) throw new AccountNotFound(input.accountId);
    const result = await notifyDirectly(ledger, account, input, now());
    const { accountId, recipientRole, topic } = input;
    if (!result.notified) {
      logger.info('nobody to notify in that role', { accountId, recipientRole, topic });
      return result;
    }
    const { notificationId, recipientId, created, queued } = result;
    // Ids and roles only: the text names the account.
    logger.info(queued ? 'notification queued' : 'notification already queued or sent', { accountId, notificationId, recipientRole, recipientId, topic });
    return { notified: true as const, notificationId, recipientId, created };
  },
});
