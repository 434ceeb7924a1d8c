import type { EmailRecord, RiskRecord } from '../../functions/adapters/ledger.ts';
import type { Alert } from '../../functions/core/alerts/alert.ts';
import { OUTBOX_MESSAGE_PREFIX, reportNotifications } from '../../functions/adapters/outbox/outbox.ts';
import { formatLocalIso } from '../../functions/core/calendar/business-time.ts';
import type { ApprovalView } from '../../functions/core/approvals/approval.ts';
import type { PreChurnCase } from '../../functions/core/pre-churn/case.ts';
import type { RefundRecord } from '../../functions/core/pre-churn/refund.ts';
import type { Task } from '../../functions/core/tasks/task.ts';
import type { Sandbox } from '../runtime/sandbox.ts';

/** The report format of DESIGN.md: what `GET /api/report` serves and `playbooks simulate --json` prints. */
export interface Report {
  tasks: Pick<Task, 'id' | 'kind' | 'accountId' | 'playbook' | 'owner' | 'createdAt' | 'dueAt' | 'title'>[];
  risks: Pick<RiskRecord, 'id' | 'kind' | 'accountId' | 'status' | 'origin' | 'openedAt'>[];
  /**
   * Every e-mail the playbooks recorded, from the ledger: `sent` (SES accepted it), `recorded` (no
   * mailer configured: the outbox holds it), `unsent` (recorded, not yet accepted: SES failing).
   * `subject` is an extension of DESIGN.md's format: what the contact reads first.
   */
  emails: { accountId: string; to: string; template: string; language: string; at: string; status: 'sent' | 'recorded' | 'unsent'; subject: string }[];
  /** `type` (an extension of DESIGN.md's format): the alert's type, or `unacknowledged-reminder` for the 17:00 reminder. */
  notifications: { channel: string; accountId: string; type: string; text: string; at: string }[];
  /** Refund requests finance received (posted to the finance channel, or recorded in its outbox), one per case. */
  refunds: { accountId: string; caseId: string; at: string; proofUrl: string }[];
  /**
   * Pre-churn cases (an extension of DESIGN.md's format, which leaves `cases` open): each case a
   * cancellation opened, its status and owner; a lost one carries its RETENTION case (type, origin, the
   * proof, the plan's expiry date).
   */
  cases: PreChurnCaseRow[];
  alerts: { accountId: string; type: string; acknowledged: boolean }[];
  /** `error`: the Fail state's error of a FAILED execution (an extension of DESIGN.md's format). */
  executions: { name: string; playbook: string; accountId: string; status: string; startedAt: string; stoppedAt: string | null; transitions: number; error?: string }[];
  /**
   * Approval mode (an extension of DESIGN.md's format): every e-mail put up for the CSM's approval, its
   * status (pending, approved, cancelled, expired) and decision, never its task tokens…
   */
  approvals: (Pick<ApprovalView, 'id' | 'accountId' | 'playbook' | 'template' | 'reason' | 'status' | 'requestedAt' | 'expiresAt' | 'taskId' | 'waiting'> & {
    decidedBy?: string;
    decidedAt?: string;
    edited?: boolean;
  })[];
  /** …and every decision taken (HTTP or scenario), refused ones with their status and reason. */
  decisions: { at: string; approvalId: string; decision: string; statusCode: number; error?: string }[];
  /**
   * What the run did that its author may not expect (an extension of DESIGN.md's format), one line
   * each naming its place: a scenario's event after `until`, or for an account it does not have.
   */
  warnings: string[];
}

export interface PreChurnCaseRow {
  caseId: string;
  accountId: string;
  status: PreChurnCase['status'];
  owner: string;
  ownerRole: string;
  openedAt: string;
  requestedAt: string;
  outcomeAt?: string;
  type?: 'RETENTION';
  origin?: 'SALES_PROCESS';
  proofUrl?: string;
  planExpiresOn?: string;
}

export async function buildReport(sandbox: Sandbox, { warnings = [] }: { warnings?: readonly string[] } = {}): Promise<Report> {
  const timezones = new Map((await sandbox.accounts()).map((account) => [account.id, account.timezone]));
  const local = (at: number, accountId: string) => formatLocalIso(new Date(at), timezones.get(accountId) ?? 'UTC');
  const tasks = await sandbox.ledger.scan<Task>('task');
  const approvals = await sandbox.approvals();
  const approvalTimezones = new Map(approvals.map((approval) => [approval.id, approval.timezone]));
  const risks = await sandbox.ledger.scan<RiskRecord>('risk');
  const alerts = await sandbox.ledger.scan<Alert>('alert');
  const emails = await sandbox.ledger.scan<EmailRecord>('email');
  const refunds = await sandbox.ledger.scan<{ refund: RefundRecord }>('refund');
  const cases = await sandbox.ledger.scan<{ record: PreChurnCase }>('pre-churn-case');
  // What the vendors would have received: the ledger's outbox (a port whose vendor is configured sends instead).
  const outbox = await sandbox.outbound.outbox.list();
  const inAccountTime = <T extends { accountId: string; at: string }>(row: T): T => ({ ...row, at: local(Date.parse(row.at), row.accountId) });
  return {
    tasks: tasks
      .map(({ id, kind, accountId, playbook, owner, createdAt, dueAt, title }) => ({ id, kind, accountId, playbook, owner, createdAt, dueAt, title }))
      .sort(byTimeThen('createdAt')),
    risks: risks
      .map(({ id, kind, accountId, status, origin, openedAt }) => ({ id, kind, accountId, status, origin, openedAt }))
      .sort(byTimeThen('openedAt')),
    emails: emails
      .map(({ accountId, to, template, language, recordedAt, messageId, subject }) => ({
        accountId,
        to,
        template,
        language,
        at: recordedAt,
        status: messageId === undefined ? ('unsent' as const) : messageId.startsWith(OUTBOX_MESSAGE_PREFIX) ? ('recorded' as const) : ('sent' as const),
        subject,
      }))
      .map(inAccountTime)
      .sort(byTimeThen('at', 'accountId')),
    notifications: reportNotifications(outbox).map(inAccountTime).sort(byTimeThen('at', 'accountId')),
    // Only a request finance received: one still `posting` was not confirmed posted (its step retries, or a person took over).
    refunds: refunds
      .filter(({ refund }) => refund.status === 'posted')
      .map(({ refund }) => ({ accountId: refund.accountId, caseId: refund.caseId, at: refund.postedAt!, proofUrl: refund.proofUrl }))
      .sort(byTimeThen('at', 'caseId')),
    // A case only an early outcome touched (no cancellation yet) is not a case the team works on.
    cases: cases
      .filter(({ record }) => record.opened !== undefined)
      .map(({ record }) => caseRow(record))
      .sort(byTimeThen('openedAt', 'caseId')),
    alerts: alerts
      .sort((a, b) => Date.parse(a.raisedAt) - Date.parse(b.raisedAt) || a.id.localeCompare(b.id))
      .map(({ accountId, type, status }) => ({ accountId, type, acknowledged: status === 'acknowledged' })),
    executions: sandbox.executions.map((execution) => ({
      name: execution.name,
      playbook: execution.playbook,
      accountId: execution.accountId,
      status: execution.status,
      startedAt: local(execution.startedAt, execution.accountId),
      stoppedAt: execution.stoppedAt === undefined ? null : local(execution.stoppedAt, execution.accountId),
      transitions: execution.transitions,
      ...(execution.error ? { error: execution.error } : {}),
    })),
    approvals: approvals.map(({ id, accountId, playbook, template, reason, status, requestedAt, expiresAt, taskId, waiting, outcome }) => ({
      id,
      accountId,
      playbook,
      template,
      reason,
      status,
      requestedAt,
      expiresAt,
      taskId,
      waiting,
      ...(outcome && status !== 'expired' ? { decidedBy: outcome.decidedBy, decidedAt: outcome.decidedAt, edited: Object.keys(outcome.edits).length > 0 } : {}),
    })),
    decisions: sandbox.decisions.map(({ at, ...decision }) => ({
      at: formatLocalIso(new Date(at), approvalTimezones.get(decision.approvalId) ?? 'UTC'),
      ...decision,
    })),
    warnings: [...warnings],
  };
}

function caseRow(record: PreChurnCase): PreChurnCaseRow {
  const opened = record.opened!;
  const retention = record.retention;
  return {
    caseId: record.id,
    accountId: record.accountId,
    status: record.status,
    owner: opened.owner,
    ownerRole: opened.ownerRole,
    openedAt: opened.openedAt,
    requestedAt: opened.requestedAt,
    ...(record.outcome ? { outcomeAt: record.outcome.at } : {}),
    ...(retention ? { type: retention.type, origin: retention.origin, proofUrl: retention.proofUrl, planExpiresOn: retention.planExpiresOn } : {}),
  };
}

/** Chronological (by instant, whatever the offsets), then by id: the same run gives the same order. */
function byTimeThen<K extends string, I extends string = 'id'>(key: K, id: I = 'id' as I) {
  return (a: Record<K | I, string>, b: Record<K | I, string>) => Date.parse(a[key]) - Date.parse(b[key]) || a[id].localeCompare(b[id]);
}
