/**
 * The buttons cs-playbooks puts on its Slack messages, and what a click on each means: the alert
 * channel's adapter renders them (functions/adapters/slack/), the Slack webhook reads the clicks back
 * (functions/ingest/vendors/slack.ts) as `AlertAcknowledged`, `AlertSnoozed` or `ApprovalDecided`. One list, so the
 * two sides cannot drift.
 */
export const ButtonAction = {
  /** The ✅ on an alert post: value `{ accountId, alertId }`. */
  acknowledgeAlert: 'acknowledge_alert',
  /** Snooze a threshold alert for `days`: value `{ accountId, alertId, alertType, days }`. */
  snoozeAlert: 'snooze_alert',
  /** Approve or reject a parked e-mail: value `{ accountId, approvalId }`. */
  approveEmail: 'approve_email',
  rejectEmail: 'reject_email',
} as const;
export type ButtonAction = (typeof ButtonAction)[keyof typeof ButtonAction];

export interface MessageButton {
  action: ButtonAction;
  /** What the button says (Slack: at most 75 characters). */
  label: string;
  /** What the click carries back: ids only, never a name (Slack: at most 2000 characters as JSON). */
  value: Readonly<Record<string, string>>;
  style?: 'primary' | 'danger';
}
