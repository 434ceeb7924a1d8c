import type { RiskRecord } from '../../functions/adapters/ledger.ts';
import { formatLocalIso } from '../../functions/core/calendar/business-time.ts';
import type { ApprovalView } from '../../functions/core/approvals/approval.ts';
import type { Task } from '../../functions/core/tasks/task.ts';
import type { Sandbox } from '../runtime/sandbox.ts';

/** The report format of DESIGN.md: what `GET /api/report` serves and `playbooks simulate --json` prints. */
export interface Report {
  tasks: Pick<Task, 'id' | 'kind' | 'accountId' | 'playbook' | 'owner' | 'createdAt' | 'dueAt' | 'title'>[];
  risks: Pick<RiskRecord, 'id' | 'kind' | 'accountId' | 'status' | 'origin' | 'openedAt'>[];
  emails: { accountId: string; to: string; template: string; language: string; at: string; status: string }[];
  notifications: { channel: string; accountId: string; text: string; at: string }[];
  refunds: { accountId: string; caseId: string; at: string; proofUrl: string }[];
  cases: unknown[];
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
}

export async function buildReport(sandbox: Sandbox): Promise<Report> {
  const timezones = new Map((await sandbox.accounts()).map((account) => [account.id, account.timezone]));
  const local = (at: number, accountId: string) => formatLocalIso(new Date(at), timezones.get(accountId) ?? 'UTC');
  const tasks = await sandbox.ledger.scan<Task>('task');
  const approvals = await sandbox.approvals();
  const approvalTimezones = new Map(approvals.map((approval) => [approval.id, approval.timezone]));
  const risks = await sandbox.ledger.scan<RiskRecord>('risk');
  return {
    tasks: tasks
      .map(({ id, kind, accountId, playbook, owner, createdAt, dueAt, title }) => ({ id, kind, accountId, playbook, owner, createdAt, dueAt, title }))
      .sort(byTimeThen('createdAt')),
    risks: risks
      .map(({ id, kind, accountId, status, origin, openedAt }) => ({ id, kind, accountId, status, origin, openedAt }))
      .sort(byTimeThen('openedAt')),
    // The e-mail, Slack, refund and case adapters arrive with their playbooks (issues 3 and 4);
    // until then nothing produces these, and the report says so with empty lists.
    emails: [],
    notifications: [],
    refunds: [],
    cases: [],
    alerts: [],
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
  };
}

/** Chronological (by instant, whatever the offsets), then by id: the same run gives the same order. */
function byTimeThen<K extends string>(key: K) {
  return (a: Record<K, string> & { id: string }, b: Record<K, string> & { id: string }) =>
    Date.parse(a[key]) - Date.parse(b[key]) || a.id.localeCompare(b.id);
}
