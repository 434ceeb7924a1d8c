/**
 * The outbound ports the playbooks call, in the domain's words. Each has a real adapter (Slack Web
 * API, HubSpot CRM v3, SES v2) and an outbox adapter (sandbox, or a stage without that vendor):
 * functions/adapters/from-environment.ts picks one per port.
 *
 * Contract of every method:
 * - The DynamoDB ledger is written first; a port call only mirrors what the ledger already holds.
 * - `idempotencyKey` is derived by the caller from the ledger record the call is for (the task id,
 *   the risk id, `alert:<alert id>`…), so a retried Task state or a redelivered event sends the same
 *   key. Each adapter uses it the way its vendor allows (see each adapter's header).
 * - Failures are `VendorUnavailable` (retryable: let the state machine's Retry back off) or
 *   `VendorRejected` (not retryable: the playbook's Catch makes a `manual-follow-up` task); see
 *   vendor-errors.ts.
 * - Names, e-mail addresses and message text may be sent to the vendor, never logged.
 */
import type { MessageButton, RiskKind, TaskKind } from '../contracts/index.ts';
import type { EmailLanguage, EmailTemplateId } from '../core/emails/templates.ts';

import type { AlertType as DomainAlertType } from '../core/alerts/alert.ts';

/** Why a message is posted to the alert channel (docs/playbooks.md, alert channel): an alert, or the 17:00 reminder of the open ones. */
export type AlertType = DomainAlertType | 'unacknowledged-reminder';

/** Where an alert was posted: what `acknowledge` needs. The ledger keeps it with the alert. */
export interface AlertMessageRef {
  channel: string;
  /** Slack's message timestamp, its id within the channel. */
  ts: string;
}

export interface AlertToPost {
  idempotencyKey: string;
  accountId: string;
  type: AlertType;
  /** What the CS team reads in the channel (account name, reason). Sent, never logged. */
  text: string;
  /** Buttons under the text (the ✅ that acknowledges the alert). */
  buttons?: readonly MessageButton[];
}

export interface AlertAcknowledgement {
  idempotencyKey: string;
  accountId: string;
  message: AlertMessageRef;
}

/**
 * A message for one person, not the alert channel (seed 001, pre-churn: "Le sales doit prévenir la
 * personne de l'onboarding ou l'inverse (ne pas passer par la channel alerte-fidélisation)").
 */
export interface DirectNotification {
  /** The ledger's notification id. */
  idempotencyKey: string;
  accountId: string;
  /** The person, as the account record names them (`salesId`, `onboardingId`…). */
  recipientId: string;
  /** Their Slack member id, from the people directory (absent in a message queued before it: the recipient id is one). */
  slackUser?: string;
  /** What it is about (`pre-churn`): carried in the message's metadata, never the text. */
  topic: string;
  /** What the person reads (account name, dates). Sent, never logged. */
  text: string;
  /** Buttons under the text (approve or reject an e-mail). */
  buttons?: readonly MessageButton[];
}

/** The alert channel of seed 001: post an alert, then mark it handled with ✅ (`white_check_mark`); and a word to one person. */
export interface AlertChannel {
  postAlert(alert: AlertToPost): Promise<AlertMessageRef>;
  /** Adds ✅ to the alert's message. Acknowledging twice is not an error. */
  acknowledge(acknowledgement: AlertAcknowledgement): Promise<void>;
  /** Tells one person directly (a direct message), outside the alert channel. */
  notifyPerson(notification: DirectNotification): Promise<AlertMessageRef>;
}

export interface CrmTask {
  /** The ledger's task id. */
  idempotencyKey: string;
  accountId: string;
  kind: TaskKind;
  title: string;
  /** The task's notes (e.g. the 360° context of a detractor review). */
  body?: string | undefined;
  /** ISO-8601 instant with offset: when the task is due. */
  dueAt: string;
  /** The owner's CRM user id when the account record carries it (HubSpot owner ids are numeric). */
  ownerId?: string | undefined;
  /** Sent only when given, so that a retry never reopens a task someone completed in the CRM. */
  status?: 'open' | 'completed' | undefined;
}

export interface CrmRisk {
  /** The ledger's risk id. */
  idempotencyKey: string;
  accountId: string;
  kind: RiskKind;
  title: string;
  /** `saved` and `lost` close the risk (the outcome of `SaveAttemptConcluded`). */
  status: 'open' | 'saved' | 'lost';
  reason?: string | undefined;
  /** Revenue at stake, in EUR (e.g. the account's ARR). */
  amountAtRisk?: number | undefined;
}

export interface CompanyUpdate {
  /** E.g. `<account>:plan-expires:<case id>` or `<account>:nps-suppression:<risk id>`. */
  idempotencyKey: string;
  accountId: string;
  /** The account-local date the nightly sync churns the account (`PLAN EXPIRATION DATE`), `YYYY-MM-DD`; `null` clears it. */
  planExpiresOn?: string | null | undefined;
  /** NPS surveys suppressed while a detractor action plan is open. */
  npsSurveySuppressed?: boolean | undefined;
}

/** The CRM record a task or a risk became. `created` is false when the key had already been seen. */
export interface CrmRecordRef {
  crmId: string;
  created: boolean;
}

/** Tasks, risks and account properties mirrored to the CRM. */
export interface CrmSync {
  upsertTask(task: CrmTask): Promise<CrmRecordRef>;
  upsertRisk(risk: CrmRisk): Promise<CrmRecordRef>;
  /** Absolute values, not deltas: sending the same update twice leaves the same state. */
  updateCompany(update: CompanyUpdate): Promise<void>;
}

/**
 * An e-mail as the ledger recorded it: rendered from its template (functions/core/emails/templates.ts)
 * when the playbook prepared it, then possibly edited by the CSM in approval mode. The adapter sends
 * exactly this subject and text; it renders nothing.
 */
export interface EmailToSend {
  /** The ledger's e-mail id (`eml-…`): derived from account + template + contact + reason. */
  idempotencyKey: string;
  accountId: string;
  /** The one recipient. Sent, never logged. */
  to: string;
  language: EmailLanguage;
  /** The playbook template it was rendered from, or the team's own Monday digest (a tag at SES, never a rendering). */
  template: EmailTemplateId | 'monday-digest';
  subject: string;
  text: string;
}

export interface SentEmail {
  messageId: string;
}

/** E-mails to one recipient, sent as the ledger recorded them. */
export interface Mailer {
  send(email: EmailToSend): Promise<SentEmail>;
}

/** A finance refund request (seed 001: "faire un slack finance-support pour demander le remboursement"). */
export interface RefundRequestToPost {
  /** The ledger's refund id: one per case, carried in the message's metadata. */
  idempotencyKey: string;
  accountId: string;
  caseId: string;
  /** What finance reads: who, what, why, the proof's link. Sent, never logged. */
  text: string;
}

/** Where a refund request was posted. */
export interface FinanceMessageRef {
  channel: string;
  ts: string;
}

/**
 * The finance channel. Posting has no idempotency key of its own (Slack), so the port can also look
 * for a request posted since a time: what a retry does after a crash between the post and its record.
 */
export interface FinanceChannel {
  postRefundRequest(request: RefundRequestToPost): Promise<FinanceMessageRef>;
  /** The refund request with this key posted at or after `since` (ISO instant), if there is one. */
  findRefundRequest(query: { idempotencyKey: string; accountId: string; since: string }): Promise<FinanceMessageRef | undefined>;
}

/** The ports a playbook function may call: it names them (`definePlaybookFunction({ ports })`), its Lambda wires exactly those. */
export interface OutboundPorts {
  alerts: AlertChannel;
  crm: CrmSync;
  mailer: Mailer;
  finance: FinanceChannel;
}

export type PortName = keyof OutboundPorts;
