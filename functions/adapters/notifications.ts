import type { AccountRecord, MessageButton, OwnerRole } from '../contracts/index.ts';
import { formatLocalIso } from '../core/calendar/business-time.ts';
import { slackTarget } from '../core/people/directory.ts';
import { notificationId } from '../core/tasks/identity.ts';
import type { Ledger } from './ledger.ts';
import { mirrorLater } from './mirror.ts';
import { keys } from './table.ts';

/** The people a direct notification can reach: whoever the account names in the role, never a stand-in. */
const PEOPLE: Partial<Record<OwnerRole, 'csmId' | 'teamLeadId' | 'salesId' | 'onboardingId'>> = {
  csm: 'csmId',
  teamLead: 'teamLeadId',
  sales: 'salesId',
  onboarding: 'onboardingId',
};

export interface PersonNotification {
  accountId: string;
  playbook: string;
  reason: string;
  recipientRole: OwnerRole;
  topic: string;
  /** Names the account (or a contact): for the person, never for logs nor an execution's state. */
  text: string;
  /** Buttons under the text: ids in their values, never a name. */
  buttons?: readonly MessageButton[] | undefined;
}

export type NotificationResult =
  | { notified: false; why: 'nobody-in-role' }
  | { notified: true; notificationId: string; recipientId: string; created: boolean; queued: boolean };

/**
 * Tell one person directly, outside the alert channel: recorded in the ledger first (once per account,
 * playbook, person and reason), then queued for the alert channel's direct message, once. Shared by
 * notify-person (a playbook's own text) and offer-approval (an e-mail waiting for the CSM, its text
 * built from the ledger).
 */
export async function notifyDirectly(ledger: Ledger, account: AccountRecord, notification: PersonNotification, now: Date): Promise<NotificationResult> {
  const { accountId, playbook, reason, recipientRole, topic, text, buttons } = notification;
  const field = PEOPLE[recipientRole];
  const recipientId = field ? account[field] : undefined;
  if (!recipientId) return { notified: false, why: 'nobody-in-role' };
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
    recordedAt: formatLocalIso(now, account.timezone),
  });
  // Who the CRM's id is in Slack (the people directory), read when the message is queued.
  const slackUser = slackTarget(recipientId, await ledger.people.get(recipientId));
  const { queued } = await mirrorLater(
    ledger,
    { key: keys.notification(accountId, id), mirrored: item.slackMessage },
    'slackMessage',
    { port: 'alerts', method: 'notifyPerson', request: { idempotencyKey: id, accountId, recipientId, slackUser, topic, text: item.text, ...(buttons ? { buttons } : {}) } },
    now,
  );
  return { notified: true, notificationId: id, recipientId, created, queued };
}
