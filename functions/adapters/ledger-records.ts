import type { RiskKind } from '../contracts/index.ts';
import type { AccountState } from '../core/accounts/merge-update.ts';
import type { ApprovalRecord } from '../core/approvals/approval.ts';
import type { CompetitorMeeting } from '../core/competitor-meeting/meeting.ts';
import type { EmailLanguage, EmailTemplateId } from '../core/emails/templates.ts';
import type { PreChurnCase } from '../core/pre-churn/case.ts';
import type { RefundRecord } from '../core/pre-churn/refund.ts';

/**
 * The shapes of the ledger's items (functions/adapters/table.ts lays out their keys), and what its
 * conditional writes answer. The domain's own records (Task, Alert, ApprovalRecord…) live in core/.
 */

export interface NpsResponseRecord {
  eventId: string;
  accountId: string;
  contactId: string;
  score: number;
  band: string;
  respondedAt: string;
  comment?: string | undefined;
}

export interface TouchpointRecord {
  eventId: string;
  accountId: string;
  contactId?: string | undefined;
  channel: 'call' | 'meeting' | 'email' | 'qbr';
  at: string;
}

export interface RiskRecord {
  id: string;
  kind: RiskKind;
  accountId: string;
  status: 'open';
  origin: string;
  reason?: string | undefined;
  /** What the team reads about it (a client risk's context). */
  context?: string | undefined;
  openedAt: string;
  /** The CRM record it was mirrored to (functions/adapters/mirror.ts); absent until the CRM accepted it. */
  crmId?: string | undefined;
}

export interface StoredAccountState extends AccountState {
  version: number;
  /**
   * True while the fields held lack some the account record requires: the ledger keeps them (each with
   * its time) until the rest arrives, and no playbook sees the account meanwhile.
   */
  pending: boolean;
  /**
   * When the ledger first learned of the account: its first write, pending or complete, kept on every
   * rewrite. Absent for an account written before it was recorded.
   */
  firstSeenAt?: string | undefined;
}

/** An account the ledger holds only part of (ids and field names, never values): what the report lists. */
export interface PendingAccount {
  accountId: string;
  /** The fields held, by name. */
  fields: string[];
  /** The required fields still missing, by name. */
  missing: string[];
  /** When the ledger first learned of it. */
  firstSeenAt: string;
  /** Its time zone, when one of the fields held is. */
  timezone?: string | undefined;
}

/** What a conditional write did: `created` false means an earlier delivery already wrote it. */
export interface Written<T> {
  created: boolean;
  item: T;
}

/** A note a playbook leaves on the account (a red alert with no coupled signal: no opportunity, a note). */
export interface AccountNote {
  id: string;
  accountId: string;
  playbook: string;
  reason: string;
  text: string;
  at: string;
}

/** A competitor meeting as stored, with the version its next write is conditioned on (0: not stored). */
export interface StoredCompetitorMeeting {
  meeting: CompetitorMeeting | undefined;
  version: number;
}

/** The `entity` attribute of every item: what a Scan filters on. */
export type Entity =
  | 'account'
  | 'execution'
  | 'pending-account'
  | 'nps-response'
  | 'risk'
  | 'task'
  | 'touchpoint'
  | 'competitor-meeting'
  | 'note'
  | 'outbox'
  | 'alert'
  | 'open-alert'
  | 'alert-reminder'
  | 'no-contact-check'
  | 'approval'
  | 'email'
  | 'email-cap'
  | 'reply'
  | 'sla-breach'
  | 'pre-churn-case'
  | 'refund'
  | 'notification'
  | 'dispatch'
  | 'sealed'
  | 'flood-count'
  | 'held-event'
  | 'contact-usage'
  | 'usage-day'
  | 'usage-check'
  | 'health-score'
  | 'health-day'
  | 'csm-pulse'
  | 'support-ticket'
  | 'health-roster'
  | 'renewal-check'
  | 'person'
  | 'digest'
  | 'digest-line';

/** The attributes that record what an item became at a vendor (functions/adapters/mirror.ts). */
export type MirrorAttribute = 'crmId' | 'slackMessage' | 'messageId' | 'record.retention.crmId';

/** An open alert as the 17:00 reminder lists it. */
export interface OpenAlertEntry {
  accountId: string;
  alertId: string;
}

/**
 * An e-mail a playbook sends (EMAIL#<id>). prepare-email records it as a draft (`prepared`): what it
 * rendered, to whom, and what it decided (send at once, or ask the CSM). send-email turns it into the
 * e-mail queued for the mailer (`queued`): the CSM's edits applied, the contact's current address, who
 * approved it; `messageId` once SES accepted it. Only ids travel through the executions' state.
 */
export interface EmailRecord {
  id: string;
  accountId: string;
  playbook: string;
  template: EmailTemplateId;
  reason: string;
  contactId: string;
  /**
   * `prepared`: a draft, nothing queued yet; `queued`: recorded for the mailer, once. Absent on an
   * e-mail recorded before drafts were (send-email recorded it): queued.
   */
  status?: EmailStatus;
  /** prepare-email's decision: `send` at once (auto mode), or `ask-approval` of the CSM first. */
  action?: 'send' | 'ask-approval';
  /** The approval the draft waits for (approval mode): what send-email reads the CSM's decision and edits from. */
  approvalId?: string;
  /** Exit on goal: send only if no touchpoint was logged after this instant (UTC; the no-contact proposal). */
  unlessTouchpointSince?: string;
  /** The address: the draft's, then the one it went to (the contact's, at send time). Never logged. */
  to: string;
  language: EmailLanguage;
  /** As rendered in the draft; as sent (the CSM's edits applied) once queued. */
  subject: string;
  text: string;
  /** When the draft was rendered (account's offset). */
  preparedAt?: string;
  /** Who approved it (approval mode), with the edits already in `subject` and `text`. */
  approvedBy?: string;
  /** When send-email queued it for the mailer (account's offset); absent on a draft. */
  recordedAt?: string;
  messageId?: string;
}

export type EmailStatus = 'prepared' | 'queued';

/** The last e-mail of a capped template a contact got (EMAIL_CAP#<template>#<contact>). */
export interface EmailCap {
  emailId: string;
  /** `Date.toISOString()` (fixed width, so the cap's conditional write can compare it as a string). */
  at: string;
}

/** Where a client e-mail's first reply and the execution waiting for it meet (REPLY#<message>). */
export interface ReplyMeeting {
  /** When the reply was sent (the first ClientReplySent for the message). */
  repliedAt?: string;
  /**
   * The executions parked until the reply, by execution id: their task tokens (never logged). More than
   * one when the feedback was delivered twice; a retried wait replaces its execution's token.
   */
  waiters?: Record<string, string>;
}

/** A broken service level, recorded once (SLA_BREACH#<sla>#<key>). */
export interface SlaBreach {
  accountId: string;
  sla: 'first-reply';
  key: string;
  dueAt: string;
  recordedAt: string;
}

/** An approval as stored, with the version its next write is conditioned on (0: not stored). */
export interface StoredApproval {
  approval: ApprovalRecord | undefined;
  version: number;
}

/** A pre-churn case as stored, with the version its next write is conditioned on (0: not stored). */
export interface StoredPreChurnCase {
  record: PreChurnCase | undefined;
  version: number;
}

/** A refund request as stored, with the version its next write is conditioned on (0: not stored). */
export interface StoredRefund {
  refund: RefundRecord | undefined;
  version: number;
}

/** A direct notification to a person: recorded first, then sent; `slackMessage` once sent. */
export interface NotificationRecord {
  id: string;
  accountId: string;
  playbook: string;
  reason: string;
  recipientRole: string;
  recipientId: string;
  topic: string;
  /** Names the account: for the person, never for logs. */
  text: string;
  recordedAt: string;
  slackMessage?: string;
}
