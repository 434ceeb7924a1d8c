import { mirrorLater } from '../adapters/mirror.ts';
import { keys } from '../adapters/table.ts';
import { ButtonAction, OwnerRole } from '../contracts/index.ts';
import { z } from '../contracts/zod.ts';
import { formatLocalIso } from '../core/calendar/business-time.ts';
import { AccountNotFound } from '../core/errors.ts';
import { notificationId } from '../core/tasks/identity.ts';
import { definePlaybookFunction } from '../runtime/playbook-function.ts';

/** The people a direct notification can reach: whoever the account names in the role, never a stand-in. */
const PEOPLE: Partial<Record<OwnerRole, 'csmId' | 'teamLeadId' | 'salesId' | 'onboardingId'>> = {
  csm: 'csmId',
  teamLead: 'teamLeadId',
  sales: 'salesId',
  onboarding: 'onboardingId',
};

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
  async run({ accountId, playbook, reason, recipientRole, topic, text, buttons }, { ledger, now, logger }) {
    const account = await ledger.getAccount(accountId);
    if (!account) throw new AccountNotFound(accountId);
    const field = PEOPLE[recipientRole];
    const recipientId = field ? account[field] : undefined;
    if (!recipientId) {
      logger.info('nobody to notify in that role', { accountId, recipientRole, topic });
      return { notified: false as const, why: 'nobody-in-role' as const };
    }
    const id = notificationId({ accountId, playbook, recipientId, reason });
    const { created, item } = await ledger.recordNotification({
      id,
      accountId,
      playbook,
      reason,
      recipientRole,
      recipientId,
      topic,
      text,
      recordedAt: formatLocalIso(now(), account.timezone),
    });
    const sent = await mirrorLater(
      ledger,
      { key: keys.notification(accountId, id), mirrored: item.slackMessage },
      'slackMessage',
      { port: 'alerts', method: 'notifyPerson', request: { idempotencyKey: id, accountId, recipientId, topic, text: item.text, ...(buttons ? { buttons } : {}) } },
      now(),
    );
    // Ids and roles only: the text names the account.
    logger.info(sent.queued ? 'notification queued' : 'notification already queued or sent', { accountId, notificationId: id, recipientRole, recipientId, topic });
    return { notified: true as const, notificationId: id, recipientId, created };
  },
});
