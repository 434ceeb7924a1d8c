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
import type { EmailLanguage, EmailTemplateId } from '../../core/emails/templates.ts';
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
  EmailToSend,
  Mailer,
  SentEmail,
} from '../ports.ts';

export const OUTBOX_ALERT_CHANNEL = 'outbox:alerts';
/** The message id of an e-mail the outbox recorded instead of sending: how the report tells it from one SES accepted. */
export const OUTBOX_MESSAGE_PREFIX = 'outbox:';

export type OutboxEntry =
  | { kind: 'alert-posted'; idempotencyKey: string; accountId: string; alertType: AlertType; text: string; message: AlertMessageRef; at: string }
  | { kind: 'alert-acknowledged'; idempotencyKey: string; accountId: string; message: AlertMessageRef; at: string }
  | { kind: 'crm-task'; idempotencyKey: string; accountId: string; crmId: string; task: CrmTask; at: string }
  | { kind: 'crm-risk'; idempotencyKey: string; accountId: string; crmId: string; risk: CrmRisk; at: string }
  | { kind: 'crm-company'; idempotencyKey: string; accountId: string; update: CompanyUpdate; at: string }
  | {
      kind: 'email';
      idempotencyKey: string;
      accountId: string;
      to: string;
      template: EmailTemplateId;
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

  async list(): Promise<readonly OutboxEntry[]> {
    return [...this.entries];
  }
}

export interface OutboxDeps {
  store: OutboxStore;
  now(): Date;
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
    return entry.kind === 'alert-posted' ? entry.message : message;
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
  return entries
    .filter((e): e is Extract<OutboxEntry, { kind: 'alert-posted' }> => e.kind === 'alert-posted')
    .map((e) => ({ channel: 'alerts', accountId: e.accountId, type: e.alertType, text: e.text, at: e.at }));
}
