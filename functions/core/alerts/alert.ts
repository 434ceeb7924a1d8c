import { ButtonAction, type AccountRecord, type MessageButton } from '../../contracts/index.ts';
import type { ThresholdAlert } from '../../contracts/thresholds.ts';

/**
 * The alert channel of seed 001: every inbound alert is posted, then tracked until its playbook set a
 * task or resolved it ("Pas de ✅ sans que le cas n'ait été résolu ou qu'une tâche n'ait été mise").
 */
export type AlertType = 'churn-risk' | 'red-alert' | 'nps-detractor' | 'upsell-request' | 'hardware-order' | 'first-reply-overdue' | 'account-flooded' | 'usage-drop' | 'health-drop' | 'threshold';

export interface Alert {
  id: string;
  accountId: string;
  type: AlertType;
  playbook: string;
  /** What raised it (the event id, the risk id): with the type, what makes it one alert however often it is raised. */
  reason: string;
  /** What the channel reads: names are fine there, never in logs. */
  text: string;
  raisedAt: string;
  status: 'open' | 'acknowledged';
  /** How it was handled: the task set, or the resolution (e.g. "meeting already past"). */
  handledBy?: string;
  acknowledgedAt?: string;
  /** Where the channel shows it, `<channel>/<ts>`, once posted (the mirror marker: the ledger is written first). */
  slackMessage?: string;
}

/** `<channel>/<ts>` ⇄ the message reference the alert channel answers and acknowledges. */
export const messageKey = (message: { channel: string; ts: string }) => `${message.channel}/${message.ts}`;
export function messageRef(key: string): { channel: string; ts: string } {
  const slash = key.lastIndexOf('/');
  return { channel: key.slice(0, slash), ts: key.slice(slash + 1) };
}

/** One alert per account, type and reason (the same digest as task and risk ids). */
export { alertId } from '../tasks/identity.ts';

const HEADLINES: Record<AlertType, string> = {
  'churn-risk': ':warning: Churn risk',
  'red-alert': ':rotating_light: Red alert: meeting with a competitor',
  'nps-detractor': ':small_red_triangle_down: Detractor NPS answer',
  'upsell-request': ':moneybag: Upsell request',
  'hardware-order': ':package: Hardware order',
  'first-reply-overdue': ':hourglass: First reply overdue',
  'account-flooded': ':ocean: Events held by the flood guard',
  'usage-drop': ':chart_with_downwards_trend: Usage drop',
  'health-drop': ':broken_heart: Health score down',
  threshold: ':bell: Threshold reached',
};

/** The post the CS team reads in the alert channel: what, for whom, and the detail the playbook knows. */
export function alertText(type: AlertType, account: Pick<AccountRecord, 'name' | 'csmId'>, detail?: string): string {
  const lines = [`${HEADLINES[type]} — ${account.name} (CSM ${account.csmId})`];
  if (detail) lines.push(detail.length > 500 ? `${detail.slice(0, 499)}…` : detail);
  return lines.join('\n');
}

/**
 * The ✅ under an alert post, for whoever handles the alert by hand (docs/playbooks.md: a ✅ says "this
 * alert has been handled: a task is set or it is resolved"); the click comes back through the Slack
 * webhook as `AlertAcknowledged`.
 */
export function acknowledgeButton(accountId: string, alertId: string): MessageButton {
  return { action: ButtonAction.acknowledgeAlert, label: '✅ Handled', value: { accountId, alertId }, style: 'primary' };
}

/** How long the 💤 under a threshold alert's post silences it: a month, the cadence of a CSM's book review. */
export const SNOOZE_BUTTON_DAYS = 30;

/**
 * The 💤 under a threshold alert's post: quiet for SNOOZE_BUTTON_DAYS, the alert acknowledged (a snooze is
 * a decision about it); the click comes back through the Slack webhook as `AlertSnoozed`. A date of one's
 * own and a reason: `AlertSnoozed` through `/webhooks/events`.
 */
export function snoozeButton(accountId: string, alertId: string, alertType: ThresholdAlert): MessageButton {
  return { action: ButtonAction.snoozeAlert, label: `💤 Snooze ${SNOOZE_BUTTON_DAYS} days`, value: { accountId, alertId, alertType, days: String(SNOOZE_BUTTON_DAYS) } };
}

/** The 17:00 reminder: every alert still waiting for a task or a resolution, oldest first. */
export function reminderText(open: readonly Pick<Alert, 'type' | 'raisedAt' | 'text'>[]): string {
  const sorted = [...open].sort((a, b) => Date.parse(a.raisedAt) - Date.parse(b.raisedAt));
  const lines = sorted.map((alert) => `• ${alert.text.split('\n')[0]} — raised ${alert.raisedAt}`);
  return [`:bell: ${open.length} alert${open.length === 1 ? '' : 's'} without a task or a resolution yet (no ✅):`, ...lines].join('\n');
}
