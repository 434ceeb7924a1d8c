/**
 * The outbox: each port implemented by recording what would have been sent, for the sandbox and
 * for a stage without that vendor configured ("an environment without a CRM or Slack configured
 * still works": ledger and report only). The report's `emails` and `notifications` are read from it.
 *
 * The store is a small interface: `LedgerOutbox` (ledger-outbox.ts) keeps the entries in the table,
 * under their account (what a deployed stage and the sandbox use); `InMemoryOutbox` is for tests. It honours the
 * idempotency keys the way the real vendors' adapters do: an alert or an e-mail is recorded once
 * per key; a CRM record is upserted (the latest call wins, as HubSpot's upsert does).
 * References are derived from the key, so a simulation's report is the same on every run.
 */
import type { EmailLanguage } from '../../core/emails/templates.ts';
import type {
  AlertAcknowledgement,
  AlertChannel,
  AlertMessageRef,
  AlertToPost,
  AlertType,
  CompanyUpdate,
  CrmRecordRef,
  CrmRisk,
  CrmSync,
  CrmTask,
  DirectNotification,
  EmailToSend,
  FinanceChannel,
  FinanceMessageRef,
  Mailer,
  RefundRequestToPost,
  SentEmail,
} from '../ports.ts';

export const OUTBOX_ALERT_CHANNEL = 'outbox:alerts';
export const OUTBOX_FINANCE_CHANNEL = 'outbox:finance';
/** A direct message to a person, as the outbox records it: `outbox:direct:<person>`. */
export const OUTBOX_DIRECT_PREFIX = 'outbox:direct:';
/** The message id of an e-mail the outbox recorded instead of sending: how the report tells it from one SES accepted. */
export const OUTBOX_MESSAGE_PREFIX = 'outbox:';

export type OutboxEntry =
  | { kind: 'alert-posted'; idempotencyKey: string; accountId: string; alertType: AlertType; text: string; message: AlertMessageRef; at: string }
  | { kind: 'alert-acknowledged'; idempotencyKey: string; accountId: string; message: AlertMessageRef; at: string }
  | { kind: 'direct-notification'; idempotencyKey: string; accountId: string; recipientId: string; slackUser?: string; topic: string; text: string; message: AlertMessageRef; at: string }
  | { kind: 'refund-request'; idempotencyKey: string; accountId: string; caseId: string; text: string; message: FinanceMessageRef; at: string }
  | { kind: 'crm-task'; idempotencyKey: string; accountId: string; crmId: string; task: CrmTask; at: string }
  | { kind: 'crm-risk'; idempotencyKey: string; accountId: string; crmId: string; risk: CrmRisk; at: string }
  | { kind: 'crm-company'; idempotencyKey: string; accountId: string; update: CompanyUpdate; at: string }
  | {
      kind: 'email';
      idempotencyKey: string;
      accountId: string;
      to: string;
      template: EmailToSend['template'];
      language: EmailLanguage;
      subject: string;
      text: string;
      messageId: string;
      at: string;
    };

export type OutboxEntryKind = OutboxEntry['kind'];

/** Kinds whose later entries replace the earlier one with the same key (CRM upserts). */
export const UPSERTED: ReadonlySet<OutboxEntryKind> = new Set(['crm-task', 'crm-risk', 'crm-company']);

export interface OutboxStore {
  /**
   * Record an entry once per (kind, idempotency key). For CRM kinds a later entry replaces the
   * earlier one (upsert); for the others the first one stays. Returns what is stored.
   */
  put(entry: OutboxEntry): Promise<{ created: boolean; entry: OutboxEntry }>;
  /** The entry of that kind and key, if recorded. */
  get(entry: Pick<OutboxEntry, 'kind' | 'accountId' | 'idempotencyKey'>): Promise<OutboxEntry | undefined>;
  list(): Promise<readonly OutboxEntry[]>;
}

export class InMemoryOutbox implements OutboxStore {
  private readonly entries: OutboxEntry[] = [];

  async put(entry: OutboxEntry): Promise<{ created: boolean; entry: OutboxEntry }> {
    const index = this.entries.findIndex((e) => e.kind === entry.kind && e.idempotencyKey === entry.idempotencyKey);
    if (index < 0) {
      this.entries.push(entry);
      return { created: true, entry };
    }
    if (UPSERTED.has(entry.kind)) this.entries[index] = entry;
    return { created: false, entry: this.entries[index]! };
  }

  async get(key: Pick<OutboxEntry, 'kind' | 'accountId' | 'idempotencyKey'>): Promise<OutboxEntry | undefined> {
    return this.entries.find((e) => e.kind === key.kind && e.accountId === key.accountId && e.idempotencyKey === key.idempotencyKey);
  }

  async list(): Promise<readonly OutboxEntry[]> {
    return [...this.entries];
  }
}

export interface OutboxDeps {
  store: OutboxStore;
  now(): Date;
}

/** Where a message the outbox recorded was "posted": the first record's, when the key was seen before. */
function messageOf<M>(stored: OutboxEntry, proposed: M): M {
  return 'message' in stored ? (stored.message as M) : proposed;
}

export class OutboxAlertChannel implements AlertChannel {
  constructor(private readonly deps: OutboxDeps) {}

  async postAlert(alert: AlertToPost): Promise<AlertMessageRef> {
    const message: AlertMessageRef = { channel: OUTBOX_ALERT_CHANNEL, ts: alert.idempotencyKey };
    const { entry } = await this.deps.store.put({
      kind: 'alert-posted',
      idempotencyKey: alert.idempotencyKey,
      accountId: alert.accountId,
      alertType: alert.type,
      text: alert.text,
      message,
      at: this.deps.now().toISOString(),
    });
    return messageOf(entry, message);
  }

  async acknowledge(acknowledgement: AlertAcknowledgement): Promise<void> {
    await this.deps.store.put({
      kind: 'alert-acknowledged',
      idempotencyKey: acknowledgement.idempotencyKey,
      accountId: acknowledgement.accountId,
      message: acknowledgement.message,
      at: this.deps.now().toISOString(),
    });
  }

  async notifyPerson(notification: DirectNotification): Promise<AlertMessageRef> {
    const message: AlertMessageRef = { channel: `${OUTBOX_DIRECT_PREFIX}${notification.recipientId}`, ts: notification.idempotencyKey };
    const { entry } = await this.deps.store.put({
      kind: 'direct-notification',
      idempotencyKey: notification.idempotencyKey,
      accountId: notification.accountId,
      recipientId: notification.recipientId,
      ...(notification.slackUser ? { slackUser: notification.slackUser } : {}),
      topic: notification.topic,
      text: notification.text,
      message,
      at: this.deps.now().toISOString(),
    });
    return messageOf(entry, message);
  }
}

/**
 * The finance channel as the outbox: a refund request is recorded once per refund id, and found again
 * by it, which is what the Slack channel's history search does for a message posted before a crash.
 */
export class OutboxFinanceChannel implements FinanceChannel {
  constructor(private readonly deps: OutboxDeps) {}

  async postRefundRequest(request: RefundRequestToPost): Promise<FinanceMessageRef> {
    const message: FinanceMessageRef = { channel: OUTBOX_FINANCE_CHANNEL, ts: request.idempotencyKey };
    const { entry } = await this.deps.store.put({
      kind: 'refund-request',
      idempotencyKey: request.idempotencyKey,
      accountId: request.accountId,
      caseId: request.caseId,
      text: request.text,
      message,
      at: this.deps.now().toISOString(),
    });
    return messageOf(entry, message);
  }

  async findRefundRequest(query: { idempotencyKey: string; accountId: string; since: string }): Promise<FinanceMessageRef | undefined> {
    const entry = await this.deps.store.get({ kind: 'refund-request', accountId: query.accountId, idempotencyKey: query.idempotencyKey });
    return entry?.kind === 'refund-request' ? entry.message : undefined;
  }
}

export class OutboxCrm implements CrmSync {
  constructor(private readonly deps: OutboxDeps) {}

  async upsertTask(task: CrmTask): Promise<CrmRecordRef> {
    const crmId = `outbox:${task.idempotencyKey}`;
    const { created } = await this.deps.store.put({
      kind: 'crm-task',
      idempotencyKey: task.idempotencyKey,
      accountId: task.accountId,
      crmId,
      task,
      at: this.deps.now().toISOString(),
    });
    return { crmId, created };
  }

  async upsertRisk(risk: CrmRisk): Promise<CrmRecordRef> {
    const crmId = `outbox:${risk.idempotencyKey}`;
    const { created } = await this.deps.store.put({
      kind: 'crm-risk',
      idempotencyKey: risk.idempotencyKey,
      accountId: risk.accountId,
      crmId,
      risk,
      at: this.deps.now().toISOString(),
    });
    return { crmId, created };
  }

  async updateCompany(update: CompanyUpdate): Promise<void> {
    await this.deps.store.put({
      kind: 'crm-company',
      idempotencyKey: update.idempotencyKey,
      accountId: update.accountId,
      update,
      at: this.deps.now().toISOString(),
    });
  }
}

export class OutboxMailer implements Mailer {
  constructor(private readonly deps: OutboxDeps) {}

  async send(email: EmailToSend): Promise<SentEmail> {
    const { subject, text } = email;
    const { entry } = await this.deps.store.put({
      kind: 'email',
      idempotencyKey: email.idempotencyKey,
      accountId: email.accountId,
      to: email.to,
      template: email.template,
      language: email.language,
      subject,
      text,
      messageId: `${OUTBOX_MESSAGE_PREFIX}${email.idempotencyKey}`,
      at: this.deps.now().toISOString(),
    });
    return { messageId: entry.kind === 'email' ? entry.messageId : `${OUTBOX_MESSAGE_PREFIX}${email.idempotencyKey}` };
  }
}

/**
 * The report's `notifications` rows: the alert-channel posts the outbox holds. `type` tells an alert
 * (its type) from the 17:00 reminder of the open ones (`unacknowledged-reminder`).
 */
export function reportNotifications(entries: readonly OutboxEntry[]) {
  return entries.flatMap((e) => {
    if (e.kind === 'alert-posted') return [{ channel: 'alerts', accountId: e.accountId, type: e.alertType as string, text: e.text, at: e.at }];
    // A word to one person (pre-churn: Sales or the onboarding AM): `direct:<person>`, typed by its topic.
    if (e.kind === 'direct-notification') return [{ channel: `direct:${e.recipientId}`, accountId: e.accountId, type: e.topic, text: e.text, at: e.at }];
    return [];
  });
}
