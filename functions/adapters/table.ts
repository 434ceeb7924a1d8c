/**
 * The single-table layout, shared by the CDK table definition and the sandbox's DynamoDB, so
 * both create the same keys. Each item type of an account has a partition of its own, named after the
 * type and the account: `<TYPE>#<accountId>`. IAM can confine a role to partitions
 * (`dynamodb:LeadingKeys`, lib/table-grants.ts) but not to sort keys, so the type is in the partition
 * key and a role writes only the types it owns. The sort key still begins with the type, as it did
 * when every item of an account shared `ACCOUNT#<id>` (before the migration, scripts/migrate-ledger.ts):
 * the ids derived from it (a dispatch's `<sk>@<attribute>`), the range queries and the stream's filter
 * on `DISPATCH#` are the same in both layouts.
 *
 *   pk ACCOUNT#<id>       sk ACCOUNT               the account record
 *   pk NPS#<id>           sk NPS#<eventId>         one NPS answer (its put is the dedup on eventId)
 *   pk RISK#<id>          sk RISK#<kind>#OPEN      the open risk of a kind (at most one, by key)
 *   pk TASK#<id>          sk TASK#<taskId>         a task (id derived from its reason: exactly once)
 *   pk TOUCHPOINT#<id>    sk TOUCHPOINT#<utc>#<id> a call, meeting, e-mail exchange or QBR, in time order
 *   pk MEETING#<id>       sk MEETING#<meetingId>   a competitor meeting (latest detection) and its live follow-up
 *   pk NOTE#<id>          sk NOTE#<noteId>         a note on the account (id derived from its reason: once)
 *   pk NO_CONTACT#<id>    sk NO_CONTACT            the account's 91-day check and the execution that holds it (one per account, by key)
 *   pk OUTBOX#<id>        sk OUTBOX#<kind>#<key>   what a vendor would have received, when it is not configured
 *   pk ALERT#<id>         sk ALERT#<alertId>       an alert of the alert channel, open until a task or a resolution
 *   pk REPLY#<id>         sk REPLY#<messageKey>    a client e-mail's first reply: when it was sent, and the task token of
 *                                                  the execution waiting for it (whichever comes first, both meet here)
 *   pk SLA_BREACH#<id>    sk SLA_BREACH#<sla>#<key> a broken service level (a first reply later than 24 h), once
 *   pk EMAIL#<id>         sk EMAIL#<emailId>       an e-mail a playbook sent: to whom, what, and SES's message id once sent
 *   pk EMAIL_CAP#<id>     sk EMAIL_CAP#<template>#<contactId>
 *                                                  the last e-mail of a capped template to a contact (the review
 *                                                  request's once per 12 months: a conditional write, by key)
 *   pk REMINDER#<id>      sk REMINDER#<date>       the account's 17:00 reminder of a local date and the execution that
 *                                                  holds it (one per account and day, by key), then where it was posted
 *   pk PRE_CHURN#<id>     sk PRE_CHURN#<caseId>    a pre-churn case (id derived from the contract: account + signature): the
 *                                                  cancellation that opened it, its owner, the save's outcome, the
 *                                                  executions parked on it, the RETENTION case once lost
 *   pk REFUND#<id>        sk REFUND#<caseId>       the finance refund request of a lost pre-churn case (one per case, by
 *                                                  key): written before the post, then where Slack posted it
 *   pk NOTIFICATION#<id>  sk NOTIFICATION#<id>     a direct notification to a person (id from its reason: once)
 *   pk DISPATCH#<id>      sk DISPATCH#<id>         what a vendor must still receive (a CRM mirror, a Slack post, an e-mail),
 *                                                  until it is delivered or dead (functions/dispatch): while due or dead it
 *                                                  is in the sparse index `dispatch-queue` (dispatchQueue due|dead, dispatchDue)
 *   pk SEALED#<id>        sk SEALED#<sealedId>     a personal value the bus and execution state name by id only (an NPS
 *                                                  comment, a client's e-mail, contacts, a task's body naming people),
 *                                                  expiring when no execution can still need it (functions/adapters/sealed.ts)
 *   pk FLOOD#<id>         sk FLOOD#<hour>          how many of the account's guarded events the ingest took in that clock hour
 *                                                  (one atomic counter; expires two days later: functions/core/flood)
 *   pk HELD#<id>          sk HELD#<eventId>        an event the flood guard held (sealed as it would have gone on the bus),
 *                                                  until `playbooks release` puts it on the bus
 *   pk USAGE#<id>         sk USAGE#CONTACT#<c>     a contact's days of use (the last 35) and the features they ever used
 *                         sk USAGE#DAY#<date>      the account's active users that local day, kept 400 days: the latest says
 *                                                  since when it is idle (functions/adapters/usage-records.ts)
 *   pk USAGE_CHECK#<id>   sk USAGE_CHECK           the account's usage check and the execution that holds it (one per account,
 *                                                  its own partition: the recorder only reads it, the check's steps only write it)
 *   pk HEALTH#<id>        sk HEALTH                the account's latest health score: every measure's value, points and weight, the
 *                                                  settings version, the score before it, the band's entry and the last degradation
 *                         sk HEALTH#DAY#<date>     the day's score (its latest, highest and lowest), kept 400 days: the trend
 *                                                  (functions/adapters/health-records.ts)
 *   pk PULSE#<id>         sk PULSE                 the CSM's latest pulse of the account (1–5, its reasons), the newest by time
 *   pk TICKET#<id>        sk TICKET#<ticketId>     a helpdesk ticket's latest status (open, pending, solved), the newest by time
 *   pk RENEWAL#<id>       sk RENEWAL               the account's renewal check: the renewal date it watches, the milestones done,
 *                                                  the branch, the renewal recorded, and the execution that holds it
 *
 * and, outside the account partitions:
 *
 *   pk OPEN_ALERTS        sk <accountId>#<alertId> the open alerts of every account, for the 17:00 reminder (one
 *                                                  small partition: an alert leaves it when acknowledged)
 *   pk APPROVAL#<id>      sk APPROVAL              an e-mail waiting for the CSM's approval (id derived from
 *                                                  account + playbook + kind + reason: once), with the task
 *                                                  tokens of the executions parked on it; the signed
 *                                                  `POST /approvals/<id>` finds it by that id alone
 *   pk WEBHOOK_DELIVERY   sk <hash>                a vendor delivery the ingest published (functions/ingest/deliveries.ts)
 *   pk HEALTH_ROSTER      sk <accountId>           every account the health scorer looked at: what the nightly rescore goes through,
 *                                                  with whether it has a score and the day its thresholds are next due (read a page at a time)
 *   pk PEOPLE             sk <personId>            the people directory: a person's name, Slack member id, e-mail, time zone,
 *                                                  language and role, from the stage's settings (functions/adapters/people.ts)
 *   pk DIGEST#<personId>  sk DIGEST#<monday>       a person's Monday digest: claimed once per person and week, what it said, and
 *                                                  where Slack and SES took it (functions/adapters/digests.ts)
 *                         sk DIGEST#<monday>#<acc> one account's facts for that digest, gathered at its hour (expire after 60 days)
 *   pk LAYOUT             sk LAYOUT                which layout the table is in while it is migrated (scripts/migrate-ledger.ts)
 */
export const TABLE_SCHEMA = {
  partitionKey: 'pk',
  sortKey: 'sk',
  /** Epoch seconds: the ingest's delivery records and the sealed values expire. */
  timeToLiveAttribute: 'expiresAt',
  /**
   * The dispatches still owed to a vendor, by when they are due: a sparse index (only a due or dead
   * dispatch has `dispatchQueue`), so the drain reads what is due in one Query, whatever the table holds.
   * One partition per state: a few hundred dispatches a day, far under a partition's 1,000 writes a second.
   */
  dispatchIndex: { name: 'dispatch-queue', partitionKey: 'dispatchQueue', sortKey: 'dispatchDue' },
} as const;

/** The item types of an account: each has a partition per account, `<TYPE>#<accountId>`. */
export const ACCOUNT_ITEM_TYPES = [
  'ACCOUNT',
  'NPS',
  'RISK',
  'TASK',
  'TOUCHPOINT',
  'MEETING',
  'NOTE',
  'NO_CONTACT',
  'OUTBOX',
  'ALERT',
  'REPLY',
  'SLA_BREACH',
  'EMAIL',
  'EMAIL_CAP',
  'REMINDER',
  'PRE_CHURN',
  'REFUND',
  'NOTIFICATION',
  'DISPATCH',
  'SEALED',
  'FLOOD',
  'HELD',
  'USAGE',
  'USAGE_CHECK',
  'HEALTH',
  'PULSE',
  'TICKET',
  'RENEWAL',
  'EXECUTION',
] as const;
export type AccountItemType = (typeof ACCOUNT_ITEM_TYPES)[number];

/** The partitions outside the accounts': one partition each (its key is the type), but the approvals' (`APPROVAL#<id>`). */
const SHARED_PARTITIONS = { OPEN_ALERTS: 'one', APPROVAL: 'per-id', WEBHOOK_DELIVERY: 'one', LAYOUT: 'one', HEALTH_ROSTER: 'one', PEOPLE: 'one', DIGEST: 'per-id' } as const;
export type ItemType = AccountItemType | keyof typeof SHARED_PARTITIONS;
export const ITEM_TYPES: readonly ItemType[] = [...ACCOUNT_ITEM_TYPES, ...(Object.keys(SHARED_PARTITIONS) as (keyof typeof SHARED_PARTITIONS)[])];

/**
 * The partition keys of a type, as an IAM `StringLike` pattern on `dynamodb:LeadingKeys`: `TASK#*` for
 * the tasks of every account, `OPEN_ALERTS` for that one partition. The `#` after the type keeps
 * `EMAIL#*` from matching `EMAIL_CAP#…`.
 */
export function partitionPattern(type: ItemType): string {
  return type in SHARED_PARTITIONS && SHARED_PARTITIONS[type as keyof typeof SHARED_PARTITIONS] === 'one' ? type : `${type}#*`;
}

/** The item type a partition key belongs to; undefined for a key of no type (not one this code writes). */
export function itemTypeOf(pk: string): ItemType | undefined {
  return ITEM_TYPES.find((type) => {
    const pattern = partitionPattern(type);
    return pattern.endsWith('*') ? pk.startsWith(pattern.slice(0, -1)) : pk === pattern;
  });
}

/** An item of an account: `pk <TYPE>#<accountId>`, `sk <TYPE>` or `<TYPE>#<rest>`. */
const ofAccount = (type: AccountItemType, accountId: string, rest?: string): ItemKey => ({ pk: partitionOf(type, accountId), sk: rest === undefined ? type : `${type}#${rest}` });

/** The partition of an account's items of one type. */
export const partitionOf = (type: AccountItemType, accountId: string) => `${type}#${accountId}`;

export const keys = {
  account: (accountId: string) => ofAccount('ACCOUNT', accountId),
  npsResponse: (accountId: string, eventId: string) => ofAccount('NPS', accountId, eventId),
  openRisk: (accountId: string, kind: string) => ofAccount('RISK', accountId, `${kind}#OPEN`),
  task: (accountId: string, taskId: string) => ofAccount('TASK', accountId, taskId),
  // UTC in the key: sort keys compare as strings, and offsets would break time order.
  touchpoint: (accountId: string, at: string, eventId: string) => ofAccount('TOUCHPOINT', accountId, `${new Date(at).toISOString()}#${eventId}`),
  competitorMeeting: (accountId: string, meetingId: string) => ofAccount('MEETING', accountId, meetingId),
  note: (accountId: string, noteId: string) => ofAccount('NOTE', accountId, noteId),
  noContactCheck: (accountId: string) => ofAccount('NO_CONTACT', accountId),
  alert: (accountId: string, alertId: string) => ofAccount('ALERT', accountId, alertId),
  openAlert: (accountId: string, alertId: string) => ({ pk: 'OPEN_ALERTS', sk: `${accountId}#${alertId}` }),
  reply: (accountId: string, messageKey: string) => ofAccount('REPLY', accountId, messageKey),
  slaBreach: (accountId: string, sla: string, key: string) => ofAccount('SLA_BREACH', accountId, `${sla}#${key}`),
  email: (accountId: string, emailId: string) => ofAccount('EMAIL', accountId, emailId),
  emailCap: (accountId: string, template: string, contactId: string) => ofAccount('EMAIL_CAP', accountId, `${template}#${contactId}`),
  alertReminder: (accountId: string, day: string) => ofAccount('REMINDER', accountId, day),
  preChurnCase: (accountId: string, caseId: string) => ofAccount('PRE_CHURN', accountId, caseId),
  refund: (accountId: string, caseId: string) => ofAccount('REFUND', accountId, caseId),
  notification: (accountId: string, notificationId: string) => ofAccount('NOTIFICATION', accountId, notificationId),
  dispatch: (accountId: string, dispatchId: string) => ofAccount('DISPATCH', accountId, dispatchId),
  sealed: (accountId: string, sealedId: string) => ofAccount('SEALED', accountId, sealedId),
  floodCount: (accountId: string, window: string) => ofAccount('FLOOD', accountId, window),
  heldEvent: (accountId: string, eventId: string) => ofAccount('HELD', accountId, eventId),
  contactUsage: (accountId: string, contactId: string) => ofAccount('USAGE', accountId, `CONTACT#${contactId}`),
  usageDay: (accountId: string, day: string) => ofAccount('USAGE', accountId, `DAY#${day}`),
  usageCheck: (accountId: string) => ofAccount('USAGE_CHECK', accountId),
  renewalCheck: (accountId: string) => ofAccount('RENEWAL', accountId),
  health: (accountId: string) => ofAccount('HEALTH', accountId),
  healthDay: (accountId: string, day: string) => ofAccount('HEALTH', accountId, `DAY#${day}`),
  pulse: (accountId: string) => ofAccount('PULSE', accountId),
  ticket: (accountId: string, ticketId: string) => ofAccount('TICKET', accountId, ticketId),
  healthRoster: (accountId: string) => ({ pk: 'HEALTH_ROSTER', sk: accountId }),
  person: (personId: string) => ({ pk: 'PEOPLE', sk: personId }),
  digest: (personId: string, monday: string) => ({ pk: `DIGEST#${personId}`, sk: `DIGEST#${monday}` }),
  digestLine: (personId: string, monday: string, accountId: string) => ({ pk: `DIGEST#${personId}`, sk: `DIGEST#${monday}#${accountId}` }),
  /** By start (UTC, so that keys sort in time order), then the execution's `<state machine>:<name>`. */
  execution: (accountId: string, startedAt: string, executionArn: string) => ofAccount('EXECUTION', accountId, `${new Date(startedAt).toISOString()}#${executionArn.slice(executionArn.indexOf(':execution:') + ':execution:'.length)}`),
  outbox: (accountId: string, kind: string, idempotencyKey: string) => ofAccount('OUTBOX', accountId, `${kind}#${idempotencyKey}`),
  approval: (approvalId: string) => ({ pk: `APPROVAL#${approvalId}`, sk: 'APPROVAL' }),
  /** Which layout the table is in, while a migration runs (scripts/migrate-ledger.ts). */
  layout: () => ({ pk: 'LAYOUT', sk: 'LAYOUT' }),
};

/** A ledger item's key: what a mirror marker (functions/adapters/mirror.ts) is written on. */
export type ItemKey = { pk: string; sk: string };

/** Sort-key prefixes of an account's item collections (each in its own partition), for Query. */
export const collections = { nps: 'NPS#', risk: 'RISK#', task: 'TASK#', touchpoint: 'TOUCHPOINT#', held: 'HELD#' } as const;
