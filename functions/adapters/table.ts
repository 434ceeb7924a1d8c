/**
 * The single-table layout, shared by the CDK table definition and the sandbox's DynamoDB, so
 * both create the same keys. Every item of an account lives under its partition:
 *
 *   pk ACCOUNT#<id>  sk ACCOUNT               the account record
 *   pk ACCOUNT#<id>  sk NPS#<eventId>         one NPS answer (its put is the dedup on eventId)
 *   pk ACCOUNT#<id>  sk RISK#<kind>#OPEN      the open risk of a kind (at most one, by key)
 *   pk ACCOUNT#<id>  sk TASK#<taskId>         a task (id derived from its reason: exactly once)
 *   pk ACCOUNT#<id>  sk TOUCHPOINT#<utc>#<id> a call, meeting, e-mail exchange or QBR, in time order
 *   pk ACCOUNT#<id>  sk MEETING#<meetingId>   a competitor meeting (latest detection) and its live follow-up
 *   pk ACCOUNT#<id>  sk NOTE#<noteId>         a note on the account (id derived from its reason: once)
 *   pk ACCOUNT#<id>  sk NO_CONTACT            the account's 91-day check and the execution that holds it (one per account, by key)
 *   pk ACCOUNT#<id>  sk OUTBOX#<kind>#<key>   what a vendor would have received, when it is not configured
 *   pk ACCOUNT#<id>  sk ALERT#<alertId>       an alert of the alert channel, open until a task or a resolution
 *   pk ACCOUNT#<id>  sk REPLY#<messageKey>    a client e-mail's first reply: when it was sent, and the task token of
 *                                             the execution waiting for it (whichever comes first, both meet here)
 *   pk ACCOUNT#<id>  sk SLA_BREACH#<sla>#<key> a broken service level (a first reply later than 24 h), once
 *   pk ACCOUNT#<id>  sk EMAIL#<emailId>       an e-mail a playbook sent: to whom, what, and SES's message id once sent
 *   pk ACCOUNT#<id>  sk EMAIL_CAP#<template>#<contactId>
 *                                             the last e-mail of a capped template to a contact (the review
 *                                             request's once per 12 months: a conditional write, by key)
 *   pk ACCOUNT#<id>  sk REMINDER#<date>       the account's 17:00 reminder of a local date and the execution that
 *                                             holds it (one per account and day, by key), then where it was posted
 *   pk ACCOUNT#<id>  sk PRE_CHURN#<caseId>    a pre-churn case (id derived from the contract: account + signature): the
 *                                             cancellation that opened it, its owner, the save's outcome, the
 *                                             executions parked on it, the RETENTION case once lost
 *   pk ACCOUNT#<id>  sk REFUND#<caseId>       the finance refund request of a lost pre-churn case (one per case, by
 *                                             key): written before the post, then where Slack posted it
 *   pk ACCOUNT#<id>  sk NOTIFICATION#<id>     a direct notification to a person (id from its reason: once)
 *   pk ACCOUNT#<id>  sk DISPATCH#<id>         what a vendor must still receive (a CRM mirror, a Slack post, an e-mail),
 *                                             until it is delivered or dead (functions/dispatch): while due or dead it
 *                                             is in the sparse index `dispatch-queue` (dispatchQueue due|dead, dispatchDue)
 *   pk OPEN_ALERTS   sk <accountId>#<alertId> the open alerts of every account, for the 17:00 reminder (one
 *                                             small partition: an alert leaves it when acknowledged)
 *
 * and, outside the account partitions, what is looked up by its own id:
 *
 *   pk APPROVAL#<id> sk APPROVAL              an e-mail waiting for the CSM's approval (id derived from
 *                                             account + playbook + kind + reason: once), with the task
 *                                             tokens of the executions parked on it; the signed
 *                                             `POST /approvals/<id>` finds it by that id alone
 */
export const TABLE_SCHEMA = {
  partitionKey: 'pk',
  sortKey: 'sk',
  /** Epoch seconds. Nothing expires yet; the ingest idempotency records (vendor delivery ids) will. */
  timeToLiveAttribute: 'expiresAt',
  /**
   * The dispatches still owed to a vendor, by when they are due: a sparse index (only a due or dead
   * dispatch has `dispatchQueue`), so the drain reads what is due in one Query, whatever the table holds.
   * One partition per state: a few hundred dispatches a day, far under a partition's 1,000 writes a second.
   */
  dispatchIndex: { name: 'dispatch-queue', partitionKey: 'dispatchQueue', sortKey: 'dispatchDue' },
} as const;

export const keys = {
  account: (accountId: string) => ({ pk: `ACCOUNT#${accountId}`, sk: 'ACCOUNT' }),
  npsResponse: (accountId: string, eventId: string) => ({ pk: `ACCOUNT#${accountId}`, sk: `NPS#${eventId}` }),
  openRisk: (accountId: string, kind: string) => ({ pk: `ACCOUNT#${accountId}`, sk: `RISK#${kind}#OPEN` }),
  task: (accountId: string, taskId: string) => ({ pk: `ACCOUNT#${accountId}`, sk: `TASK#${taskId}` }),
  // UTC in the key: sort keys compare as strings, and offsets would break time order.
  touchpoint: (accountId: string, at: string, eventId: string) => ({
    pk: `ACCOUNT#${accountId}`,
    sk: `TOUCHPOINT#${new Date(at).toISOString()}#${eventId}`,
  }),
  competitorMeeting: (accountId: string, meetingId: string) => ({ pk: `ACCOUNT#${accountId}`, sk: `MEETING#${meetingId}` }),
  note: (accountId: string, noteId: string) => ({ pk: `ACCOUNT#${accountId}`, sk: `NOTE#${noteId}` }),
  noContactCheck: (accountId: string) => ({ pk: `ACCOUNT#${accountId}`, sk: 'NO_CONTACT' }),
  alert: (accountId: string, alertId: string) => ({ pk: `ACCOUNT#${accountId}`, sk: `ALERT#${alertId}` }),
  openAlert: (accountId: string, alertId: string) => ({ pk: 'OPEN_ALERTS', sk: `${accountId}#${alertId}` }),
  reply: (accountId: string, messageKey: string) => ({ pk: `ACCOUNT#${accountId}`, sk: `REPLY#${messageKey}` }),
  slaBreach: (accountId: string, sla: string, key: string) => ({ pk: `ACCOUNT#${accountId}`, sk: `SLA_BREACH#${sla}#${key}` }),
  email: (accountId: string, emailId: string) => ({ pk: `ACCOUNT#${accountId}`, sk: `EMAIL#${emailId}` }),
  emailCap: (accountId: string, template: string, contactId: string) => ({ pk: `ACCOUNT#${accountId}`, sk: `EMAIL_CAP#${template}#${contactId}` }),
  alertReminder: (accountId: string, day: string) => ({ pk: `ACCOUNT#${accountId}`, sk: `REMINDER#${day}` }),
  preChurnCase: (accountId: string, caseId: string) => ({ pk: `ACCOUNT#${accountId}`, sk: `PRE_CHURN#${caseId}` }),
  refund: (accountId: string, caseId: string) => ({ pk: `ACCOUNT#${accountId}`, sk: `REFUND#${caseId}` }),
  notification: (accountId: string, notificationId: string) => ({ pk: `ACCOUNT#${accountId}`, sk: `NOTIFICATION#${notificationId}` }),
  dispatch: (accountId: string, dispatchId: string) => ({ pk: `ACCOUNT#${accountId}`, sk: `DISPATCH#${dispatchId}` }),
  outbox: (accountId: string, kind: string, idempotencyKey: string) => ({ pk: `ACCOUNT#${accountId}`, sk: `OUTBOX#${kind}#${idempotencyKey}` }),
  approval: (approvalId: string) => ({ pk: `APPROVAL#${approvalId}`, sk: 'APPROVAL' }),
};

/** A ledger item's key: what a mirror marker (functions/adapters/mirror.ts) is written on. */
export type ItemKey = { pk: string; sk: string };

/** Sort-key prefixes of an account's item collections, for Query. */
export const collections = { nps: 'NPS#', risk: 'RISK#', task: 'TASK#', touchpoint: 'TOUCHPOINT#' } as const;
