import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, paginateQuery, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { StoredAccountRecord, parseContract, type AccountRecord, type DomainEventMessage } from '../contracts/index.ts';
import type { FieldTimes } from '../core/accounts/merge-update.ts';
import type { Alert } from '../core/alerts/alert.ts';
import type { AlertReminder } from '../core/alerts/reminder.ts';
import type { ApprovalRecord } from '../core/approvals/approval.ts';
import type { CompetitorMeeting } from '../core/competitor-meeting/meeting.ts';
import type { NoContactCheck } from '../core/no-contact/check.ts';
import { DigestRecords } from './digests.ts';
import { ExecutionTimeline } from './execution-timeline.ts';
import { PeopleDirectory } from './people.ts';
import type { RenewalCheck } from '../core/renewal/check.ts';
import type { UsageCheck } from '../core/usage/usage-check.ts';
import type { Task } from '../core/tasks/task.ts';
import type {
  AccountNote,
  EmailCap,
  EmailRecord,
  EmailStatus,
  Entity,
  MirrorAttribute,
  NotificationRecord,
  NpsResponseRecord,
  OpenAlertEntry,
  PendingAccount,
  RiskRecord,
  StoredAccountState,
  StoredApproval,
  StoredCompetitorMeeting,
  TouchpointRecord,
  Written,
} from './ledger-records.ts';
import { collect, LedgerTable, stripKeys } from './ledger-table.ts';
import { UsageRecords } from './usage-records.ts';
import { HealthRecords } from './health-records.ts';
import { HeldChecks } from './held-checks.ts';
import { collections, keys, partitionOf, type ItemKey } from './table.ts';

export type {
  AccountNote,
  EmailCap,
  EmailRecord,
  EmailStatus,
  MirrorAttribute,
  NotificationRecord,
  NpsResponseRecord,
  OpenAlertEntry,
  PendingAccount,
  ReplyMeeting,
  RiskRecord,
  SlaBreach,
  StoredAccountState,
  StoredApproval,
  StoredCompetitorMeeting,
  StoredPreChurnCase,
  StoredRefund,
  TouchpointRecord,
  Written,
} from './ledger-records.ts';

/**
 * The DynamoDB ledger: the system of record, always written before any outside effect.
 * Every write is a single-item conditional operation, which is what makes redeliveries and Lambda
 * retries harmless (and needs no transactions).
 */
export class Ledger extends LedgerTable {
  /** The accounts' 91-day checks and the executions that hold them (./held-checks.ts). */
  readonly noContactChecks = new HeldChecks<NoContactCheck>(this.db, this.tableName, keys.noContactCheck, 'no-contact-check');
  /** The accounts' usage checks and the executions that hold them (./held-checks.ts). */
  readonly usageChecks = new HeldChecks<UsageCheck>(this.db, this.tableName, keys.usageCheck, 'usage-check');
  readonly renewalChecks = new HeldChecks<RenewalCheck>(this.db, this.tableName, keys.renewalCheck, 'renewal-check');
  readonly people = new PeopleDirectory(this.db, this.tableName);
  /** Each account's playbook executions (functions/executions). */
  readonly executions = new ExecutionTimeline(this.db, this.tableName);
  /** Product usage, in the shape its questions need (./usage-records.ts). */
  readonly usage = new UsageRecords(this.db, this.tableName);
  /** The accounts' health scores, their days, the CSMs' pulses and the helpdesk's tickets (./health-records.ts). */
  readonly health = new HealthRecords(this.db, this.tableName);
  /** The Monday digests: each account's facts for a person's digest, and the digest claimed once (./digests.ts). */
  readonly digests = new DigestRecords(this, this.db, this.tableName);

  /** The account every playbook reads; undefined while the ledger holds none, or only part of one (pending). */
  async getAccount(accountId: string): Promise<AccountRecord | undefined> {
    return (await this.getAccountWithFirstSeen(accountId))?.account;
  }

  /**
   * The account, as `getAccount` reads it, and when the ledger first learned of it (absent for an
   * account written before that was recorded): one read for a rule that counts from the import.
   */
  async getAccountWithFirstSeen(accountId: string): Promise<{ account: AccountRecord; firstSeenAt: string | undefined } | undefined> {
    const Item = await this.getItem(keys.account(accountId));
    if (Item?.account === undefined) return undefined;
    // As stored, an empty teamLeadId written before the rules of contracts/account.ts included: a read never refuses an account the ledger holds.
    return { account: parseContract(StoredAccountRecord, Item.account, `stored account ${accountId}`), firstSeenAt: firstSeenAtOf(Item) };
  }

  /** The stored account, complete or pending, with its per-field times and its version, for a read-merge-write. */
  async readAccountState(accountId: string): Promise<StoredAccountState> {
    const Item = await this.getItem(keys.account(accountId));
    return {
      record: ((Item?.account ?? Item?.pendingFields) as Record<string, unknown> | undefined) ?? {},
      fieldTimes: (Item?.fieldTimes as FieldTimes | undefined) ?? {},
      version: typeof Item?.version === 'number' ? Item.version : 0,
      pending: Item !== undefined && Item.account === undefined,
      firstSeenAt: firstSeenAtOf(Item),
    };
  }

  /**
   * Write the complete account if nobody wrote it since `readVersion` was read (optimistic concurrency):
   * a concurrent update makes this throw ConditionalCheckFailedException, and the playbook's Retry
   * reads and merges again. A pending state becomes this account. `seenAt`: now, for a new item.
   */
  writeAccountState(accountId: string, account: AccountRecord, fieldTimes: FieldTimes, readVersion: number, seenAt?: Date): Promise<void> {
    return this.writeAccountItem(accountId, { entity: 'account', account }, fieldTimes, readVersion, seenAt);
  }

  /** Write the fields held of an account still missing required ones (`missing`), conditioned as `writeAccountState`. */
  writePendingAccountState(accountId: string, pending: { fields: Readonly<Record<string, unknown>>; missing: readonly string[] }, fieldTimes: FieldTimes, readVersion: number, seenAt?: Date): Promise<void> {
    return this.writeAccountItem(accountId, { entity: 'pending-account', accountId, pendingFields: pending.fields, missing: pending.missing }, fieldTimes, readVersion, seenAt);
  }

  /**
   * One UpdateItem, not a Put: `firstSeenAt` is set when the item is created and never written again,
   * so no rewrite (complete or pending, whoever calls) can move or drop it.
   */
  private async writeAccountItem(accountId: string, state: { entity: Entity } & Record<string, unknown>, fieldTimes: FieldTimes, readVersion: number, seenAt: Date | undefined): Promise<void> {
    if (readVersion === 0 && seenAt === undefined) throw new Error(`account ${accountId}: a new account needs seenAt, when the ledger first learned of it`);
    const set = { ...state, fieldTimes, version: readVersion + 1, ...(readVersion === 0 ? { firstSeenAt: seenAt!.toISOString() } : {}) };
    const removed = ACCOUNT_STATE_ATTRIBUTES.filter((attribute) => !(attribute in set));
    const names = Object.fromEntries([...Object.keys(set), ...removed].map((attribute) => [`#${attribute}`, attribute]));
    await this.db.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: keys.account(accountId),
        UpdateExpression: `SET ${Object.keys(set).map((attribute) => `#${attribute} = :${attribute}`).join(', ')}${removed.length > 0 ? ` REMOVE ${removed.map((attribute) => `#${attribute}`).join(', ')}` : ''}`,
        ConditionExpression: readVersion === 0 ? 'attribute_not_exists(pk)' : '#version = :read',
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: { ...Object.fromEntries(Object.entries(set).map(([attribute, value]) => [`:${attribute}`, value])), ...(readVersion === 0 ? {} : { ':read': readVersion }) },
      }),
    );
  }

  /** Every account the ledger holds only part of, by the names of its fields: a scan, for the sandbox report. */
  async pendingAccounts(): Promise<PendingAccount[]> {
    const items = await this.scan<{ accountId: string; pendingFields: Record<string, unknown>; missing: string[]; firstSeenAt: string }>('pending-account');
    return items.map(({ accountId, pendingFields, missing, firstSeenAt }) => ({
      accountId,
      fields: Object.keys(pendingFields).sort(),
      missing,
      firstSeenAt,
      timezone: typeof pendingFields.timezone === 'string' ? pendingFields.timezone : undefined,
    }));
  }

  /** Dedup on the vendor's eventId: the second delivery of an answer finds it recorded. */
  recordNpsResponse(response: NpsResponseRecord): Promise<Written<NpsResponseRecord>> {
    return this.putOnce(keys.npsResponse(response.accountId, response.eventId), 'nps-response', response);
  }

  /** One open risk per account and kind: the key itself is the constraint. */
  openRisk(risk: RiskRecord): Promise<Written<RiskRecord>> {
    return this.putOnce(keys.openRisk(risk.accountId, risk.kind), 'risk', risk);
  }

  createTask(task: Task): Promise<Written<Task>> {
    return this.putOnce(keys.task(task.accountId, task.id), 'task', task);
  }

  /** Once per eventId, filed under its time: the no-contact check and exits on goal read them in order. */
  recordTouchpoint(touchpoint: TouchpointRecord): Promise<Written<TouchpointRecord>> {
    return this.putOnce(keys.touchpoint(touchpoint.accountId, touchpoint.at, touchpoint.eventId), 'touchpoint', touchpoint);
  }

  /** The account's touchpoints at or after `since`, oldest first. */
  touchpointsSince(accountId: string, since: string): Promise<TouchpointRecord[]> {
    const from = `${collections.touchpoint}${new Date(since).toISOString()}`;
    return this.query<TouchpointRecord>('TOUCHPOINT', accountId, { from, to: `${collections.touchpoint}\uffff` });
  }

  /**
   * The account's latest touchpoint (by its time, whatever the delivery order), or undefined: one item
   * read from the end of the time-ordered collection, however long the account's history.
   */
  async latestTouchpoint(accountId: string): Promise<TouchpointRecord | undefined> {
    const { Items } = await this.db.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
        ExpressionAttributeValues: { ':pk': partitionOf('TOUCHPOINT', accountId), ':from': collections.touchpoint, ':to': `${collections.touchpoint}\uffff` },
        ScanIndexForward: false,
        Limit: 1,
        ConsistentRead: true,
      }),
    );
    const [item] = Items ?? [];
    return item ? (stripKeys(item) as unknown as TouchpointRecord) : undefined;
  }

  /** Every NPS answer of the account (a few a year): its 360° history. */
  npsResponses(accountId: string): Promise<NpsResponseRecord[]> {
    return this.query<NpsResponseRecord>('NPS', accountId, { from: collections.nps, to: `${collections.nps}\uffff` });
  }

  /** The account's open risks, one per kind at most. */
  async openRisks(accountId: string): Promise<RiskRecord[]> {
    const risks = await this.query<RiskRecord>('RISK', accountId, { from: collections.risk, to: `${collections.risk}\uffff` });
    return risks.filter((risk) => risk.status === 'open');
  }

  async getCompetitorMeeting(accountId: string, meetingId: string): Promise<StoredCompetitorMeeting> {
    const Item = await this.getItem(keys.competitorMeeting(accountId, meetingId));
    return { meeting: Item?.meeting as CompetitorMeeting | undefined, version: typeof Item?.version === 'number' ? Item.version : 0 };
  }

  /**
   * Write the meeting if nobody wrote it since `readVersion` was read, and never over a newer detection:
   * the condition on the stored detectedAt is what keeps an older redelivery from overwriting a newer
   * one. A concurrent write makes this throw ConditionalCheckFailedException; the playbook's Retry
   * reads and decides again.
   */
  async writeCompetitorMeeting(meeting: CompetitorMeeting, readVersion: number): Promise<void> {
    const detectedAtMs = Date.parse(meeting.detectedAt);
    await this.db.send(
      new PutCommand({
        TableName: this.tableName,
        Item: {
          ...keys.competitorMeeting(meeting.accountId, meeting.meetingId),
          entity: 'competitor-meeting' satisfies Entity,
          meeting,
          detectedAtMs,
          version: readVersion + 1,
        },
        ConditionExpression: readVersion === 0 ? 'attribute_not_exists(pk)' : 'version = :version AND detectedAtMs <= :detectedAtMs',
        ExpressionAttributeValues: readVersion === 0 ? undefined : { ':version': readVersion, ':detectedAtMs': detectedAtMs },
      }),
    );
  }

  /** Once per note id (derived from its reason): a retried step writes it once. */
  recordNote(note: AccountNote): Promise<Written<AccountNote>> {
    return this.putOnce(keys.note(note.accountId, note.id), 'note', note);
  }

  /**
   * Record on an existing item what it became at a vendor (the CRM id, the Slack ts, the SES message
   * id). Written after the vendor answered: an item without it has not been mirrored yet, and the next
   * run (a Retry, a redelivery, a redrive) sends it again with the same idempotency key.
   */
  async recordMirror(key: ItemKey, attribute: MirrorAttribute, value: string): Promise<void> {
    const path = attribute.split('.');
    const versioned = path.length > 1;
    await this.db.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: key,
        // A dotted attribute is a path into a versioned record (`record.retention.crmId`, the pre-churn
        // case's RETENTION record): its version moves too, so a writer that read before the mark retries.
        UpdateExpression: `SET ${path.map((_, i) => `#a${i}`).join('.')} = :value${versioned ? ', version = version + :one' : ''}`,
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeNames: Object.fromEntries(path.map((name, i) => [`#a${i}`, name])),
        ExpressionAttributeValues: { ':value': value, ...(versioned ? { ':one': 1 } : {}) },
      }),
    );
  }

  /** The owner closed the task (TaskCompleted). `false`: the ledger holds no such task. Completing twice keeps the first time. */
  async completeTask(accountId: string, taskId: string, at: string): Promise<boolean> {
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.task(accountId, taskId),
          UpdateExpression: 'SET #status = :completed, completedAt = if_not_exists(completedAt, :at)',
          ConditionExpression: 'attribute_exists(pk)',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':completed': 'completed', ':at': at },
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  async getTask(accountId: string, taskId: string): Promise<Task | undefined> {
    const Item = await this.getItem(keys.task(accountId, taskId));
    return Item ? (stripKeys(Item) as unknown as Task) : undefined;
  }

  /**
   * Record the draft prepare-email rendered, once per e-mail id: a retry, a redelivery or a replay finds
   * the first draft (and its decision), never overwrites it, nor anything send-email queued from it.
   */
  prepareEmail(draft: EmailRecord & { status: 'prepared' }): Promise<Written<EmailRecord>> {
    return this.putOnce(keys.email(draft.accountId, draft.id), 'email', draft);
  }

  /**
   * Turn a draft into the e-mail queued for the mailer, once: a conditional update from `prepared`, so
   * that of two sends (a retry, a redelivered event's execution) the first one's words and address win;
   * the second gets them back (`created` false). Undefined when the ledger holds no such e-mail.
   */
  async queueEmail(
    accountId: string,
    emailId: string,
    queued: { to: string; subject: string; text: string; recordedAt: string; approvedBy?: string | undefined },
  ): Promise<Written<EmailRecord> | undefined> {
    const fields: Record<string, unknown> = { status: 'queued' satisfies EmailStatus, ...queued };
    const set = Object.entries(fields).filter(([, value]) => value !== undefined);
    try {
      const item = await this.updateItem(keys.email(accountId, emailId), {
        expression: `SET ${set.map(([name]) => `#${name} = :${name}`).join(', ')}`,
        condition: '#status = :prepared',
        names: Object.fromEntries(set.map(([name]) => [`#${name}`, name])),
        values: { ...Object.fromEntries(set.map(([name, value]) => [`:${name}`, value])), ':prepared': 'prepared' satisfies EmailStatus },
      });
      return { created: true, item: item as unknown as EmailRecord };
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      const stored = await this.getEmail(accountId, emailId);
      return stored && { created: false, item: stored };
    }
  }

  async getEmail(accountId: string, emailId: string): Promise<EmailRecord | undefined> {
    const Item = await this.getItem(keys.email(accountId, emailId));
    return Item ? (stripKeys(Item) as unknown as EmailRecord) : undefined;
  }

  /**
   * A sealed value (functions/adapters/sealed.ts): personal data the bus and execution state name by id
   * only. Written again as it is by a redelivery or a retried step; DynamoDB's TTL removes it at `expiresAt`.
   */
  async putSealed(accountId: string, sealedId: string, value: unknown, at: string, expiresAt: number, { firstWins = false } = {}): Promise<void> {
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...keys.sealed(accountId, sealedId), entity: 'sealed' satisfies Entity, accountId, id: sealedId, value, writtenAt: at, expiresAt },
          // `firstWins`: a value already sealed under this id stays as it is (an event id delivered again).
          ...(firstWins ? { ConditionExpression: 'attribute_not_exists(pk)' } : {}),
        }),
      );
    } catch (error) {
      if (!(firstWins && error instanceof ConditionalCheckFailedException)) throw error;
    }
  }

  /** A sealed value, `found` false once it expired (or for an id never sealed). */
  async getSealed(accountId: string, sealedId: string): Promise<{ found: true; value: unknown } | { found: false }> {
    const Item = await this.getItem(keys.sealed(accountId, sealedId));
    return Item && 'value' in Item ? { found: true, value: Item.value } : { found: false };
  }

  /**
   * Count one more guarded event of the account in `window` (an atomic ADD) and answer the count,
   * this one included (functions/core/flood). The counter expires at `expiresAt`.
   */
  async countGuardedEvent(accountId: string, window: string, expiresAt: number): Promise<number> {
    const { Attributes } = await this.db.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: keys.floodCount(accountId, window),
        UpdateExpression: 'ADD #count :one SET entity = :entity, accountId = :accountId, expiresAt = :expiresAt',
        ExpressionAttributeNames: { '#count': 'count' },
        ExpressionAttributeValues: { ':one': 1, ':entity': 'flood-count' satisfies Entity, ':accountId': accountId, ':expiresAt': expiresAt },
        ReturnValues: 'UPDATED_NEW',
      }),
    );
    return Number(Attributes?.count ?? 1);
  }

  /**
   * Hold an event the flood guard kept off the bus, as it would have gone on it (sealed), at `position`
   * (its window and count: the order it arrived in). A redelivery writes it again, at its new position.
   */
  async holdEvent(accountId: string, message: DomainEventMessage, heldAt: string, position: string): Promise<void> {
    await this.db.send(new PutCommand({ TableName: this.tableName, Item: { ...keys.heldEvent(accountId, message.data.eventId), entity: 'held-event' satisfies Entity, accountId, message, heldAt, position } }));
  }

  /** The account's held events, in the order they arrived. */
  async heldEvents(accountId: string): Promise<{ message: DomainEventMessage; heldAt: string }[]> {
    const items = await collect<{ message: DomainEventMessage; heldAt: string; position: string }>(
      paginateQuery({ client: this.db }, { TableName: this.tableName, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': partitionOf('HELD', accountId) } }),
    );
    return items.sort((a, b) => a.position.localeCompare(b.position)).map(({ message, heldAt }) => ({ message, heldAt }));
  }

  /** Forget a held event, once it is on the bus. */
  async releaseHeld(accountId: string, eventId: string): Promise<void> {
    await this.db.send(new DeleteCommand({ TableName: this.tableName, Key: keys.heldEvent(accountId, eventId) }));
  }

  async getEmailCap(accountId: string, template: string, contactId: string): Promise<EmailCap | undefined> {
    const Item = await this.getItem(keys.emailCap(accountId, template, contactId));
    return Item ? (stripKeys(Item) as unknown as EmailCap) : undefined;
  }

  /**
   * Take a contact's frequency cap for an e-mail: allowed when the contact has none on file, when the
   * last one went out at or before `cutoff`, or when it is this very e-mail (a retry). One conditional
   * put, so two e-mails racing for one contact cannot both go out. `false`: another e-mail holds it.
   */
  async claimEmailCap(claim: { accountId: string; template: string; contactId: string; cutoff: string } & EmailCap): Promise<boolean> {
    const cap: EmailCap = { emailId: claim.emailId, at: claim.at };
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...keys.emailCap(claim.accountId, claim.template, claim.contactId), entity: 'email-cap' satisfies Entity, ...cap },
          ConditionExpression: 'attribute_not_exists(pk) OR emailId = :emailId OR #at <= :cutoff',
          ExpressionAttributeNames: { '#at': 'at' },
          ExpressionAttributeValues: { ':emailId': claim.emailId, ':cutoff': claim.cutoff },
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  async getApproval(approvalId: string): Promise<StoredApproval> {
    const Item = await this.getItem(keys.approval(approvalId));
    return { approval: Item?.approval as ApprovalRecord | undefined, version: typeof Item?.version === 'number' ? Item.version : 0 };
  }

  /**
   * Write the approval if nobody wrote it since `readVersion` was read (0: if it does not exist yet).
   * A concurrent write (a second decision, a retried request) makes this throw
   * ConditionalCheckFailedException: the caller reads and decides again. Exactly one decision wins.
   */
  async writeApproval(approval: ApprovalRecord, readVersion: number): Promise<void> {
    await this.db.send(
      new PutCommand({
        TableName: this.tableName,
        Item: { ...keys.approval(approval.id), entity: 'approval' satisfies Entity, approval, version: readVersion + 1 },
        ConditionExpression: readVersion === 0 ? 'attribute_not_exists(pk)' : 'version = :version',
        ExpressionAttributeValues: readVersion === 0 ? undefined : { ':version': readVersion },
      }),
    );
  }

  /** Once per key (`replace` false), or the latest write wins (`replace` true: an upsert). */
  async putOutboxEntry<T extends { accountId: string; kind: string; idempotencyKey: string }>(entry: T, replace: boolean): Promise<Written<T>> {
    const key = keys.outbox(entry.accountId, entry.kind, entry.idempotencyKey);
    if (!replace) return this.putOnce(key, 'outbox', entry);
    const { Attributes } = await this.db.send(
      new PutCommand({ TableName: this.tableName, Item: { ...key, entity: 'outbox' satisfies Entity, ...entry }, ReturnValues: 'ALL_OLD' }),
    );
    return { created: Attributes === undefined, item: entry };
  }

  /**
   * Raise an alert once per id, and list it among the open ones. The index entry is written after the
   * alert and before anything is posted: a retry re-puts it (idempotent), so an open alert is never
   * missing from the reminder.
   */
  async raiseAlert(alert: Alert): Promise<Written<Alert>> {
    const written = await this.putOnce(keys.alert(alert.accountId, alert.id), 'alert', alert);
    if (written.item.status === 'open') {
      const entry: OpenAlertEntry = { accountId: alert.accountId, alertId: alert.id };
      await this.db.send(new PutCommand({ TableName: this.tableName, Item: { ...keys.openAlert(alert.accountId, alert.id), entity: 'open-alert', ...entry } }));
    }
    return written;
  }

  async getAlert(accountId: string, alertId: string): Promise<Alert | undefined> {
    const Item = await this.getItem(keys.alert(accountId, alertId));
    return Item ? (stripKeys(Item) as unknown as Alert) : undefined;
  }

  /**
   * Mark an open alert acknowledged (✅), once: `changed` is false when it already was. Then it leaves
   * the open list (a retry after a crash between the two deletes it then).
   */
  async acknowledgeAlert(accountId: string, alertId: string, handledBy: string, at: string): Promise<{ changed: boolean }> {
    let changed = true;
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.alert(accountId, alertId),
          UpdateExpression: 'SET #status = :acknowledged, handledBy = :handledBy, acknowledgedAt = :at',
          ConditionExpression: '#status = :open',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':acknowledged': 'acknowledged', ':open': 'open', ':handledBy': handledBy, ':at': at },
        }),
      );
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      changed = false;
    }
    await this.db.send(new DeleteCommand({ TableName: this.tableName, Key: keys.openAlert(accountId, alertId) }));
    return { changed };
  }

  /** Every open alert, all accounts: one Query on the small open-alerts partition. */
  openAlerts(): Promise<OpenAlertEntry[]> {
    return collect<OpenAlertEntry>(
      paginateQuery(
        { client: this.db },
        { TableName: this.tableName, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': 'OPEN_ALERTS' }, ConsistentRead: true },
      ),
    );
  }

  /**
   * The open alerts of one account: a Query on the open-alerts partition from `<accountId>#`. The entry's
   * own accountId is checked too, so that an id with `#` in it (`acc#2`) never lends its alerts to a
   * shorter one (`acc`).
   */
  async openAlertsOf(accountId: string): Promise<OpenAlertEntry[]> {
    const entries = await collect<OpenAlertEntry>(
      paginateQuery(
        { client: this.db },
        {
          TableName: this.tableName,
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :account)',
          ExpressionAttributeValues: { ':pk': 'OPEN_ALERTS', ':account': `${accountId}#` },
          ConsistentRead: true,
        },
      ),
    );
    return entries.filter((entry) => entry.accountId === accountId);
  }

  /**
   * Claim an account's reminder of a day for `reminder.holder`, once: a conditional put, so that of two
   * executions planning the same day one holds it. `claimed` is true for the holder, also when it asks
   * again (a retried step); false for any other execution, which then ends.
   */
  async claimAlertReminder(reminder: AlertReminder): Promise<{ claimed: boolean; created: boolean; reminder: AlertReminder }> {
    const { created, item } = await this.putOnce(keys.alertReminder(reminder.accountId, reminder.day), 'alert-reminder', reminder);
    return { claimed: item.holder === reminder.holder, created, reminder: item };
  }

  async getAlertReminder(accountId: string, day: string): Promise<AlertReminder | undefined> {
    const Item = await this.getItem(keys.alertReminder(accountId, day));
    return Item ? (stripKeys(Item) as unknown as AlertReminder) : undefined;
  }

  /** Once per notification id (derived from its reason): a retry or a redelivery finds it recorded. */
  recordNotification(notification: NotificationRecord): Promise<Written<NotificationRecord>> {
    return this.putOnce(keys.notification(notification.accountId, notification.id), 'notification', notification);
  }
}

/** The attributes of the account item that say what it holds: a complete record, or the fields of a pending one. */
const ACCOUNT_STATE_ATTRIBUTES = ['entity', 'account', 'accountId', 'pendingFields', 'missing'] as const;

function firstSeenAtOf(item: Record<string, unknown> | undefined): string | undefined {
  return typeof item?.firstSeenAt === 'string' ? item.firstSeenAt : undefined;
}
