import type { Report } from './report.ts';

/** What a playbook did, or what landed on an owner's desk. */
export interface Counts {
  tasks: number;
  alerts: number;
  emails: number;
  /** Executions that ended FAILED (or TIMED_OUT), after any automatic redrive: the stayed-failed and timed-out alarms. */
  failedExecutions: number;
  /** `manual-follow-up` tasks: an automated step gave up and a person does it by hand. */
  manualFollowUps: number;
}

export interface Summary {
  byPlaybook: ReadonlyMap<string, Counts>;
  /** By owner id; `undefined` for what concerns an account the ledger does not hold (no CSM to name). */
  byOwner: ReadonlyMap<string | undefined, Counts>;
}

/** The manual follow-up of a step that failed after its retries (docs/playbooks.md invariant 1). */
const MANUAL_FOLLOW_UP = 'manual-follow-up';

/**
 * Counts per playbook and per owner. A task counts for its owner; an alert, an e-mail and a failed
 * execution for the CSM of their account (the Authority on it: they answer for what happened there).
 */
export function summarize(report: Pick<Report, 'tasks' | 'alerts' | 'emails' | 'executions' | 'accounts'>): Summary {
  const csmOf = new Map(report.accounts.map((account) => [account.id, account.csmId]));
  const byPlaybook = new Map<string, Counts>();
  const byOwner = new Map<string | undefined, Counts>();
  const count = (playbook: string, owner: string | undefined, what: keyof Counts) => {
    countsOf(byPlaybook, playbook)[what] += 1;
    countsOf(byOwner, owner)[what] += 1;
  };
  for (const task of report.tasks) {
    count(task.playbook, task.owner, 'tasks');
    if (task.kind === MANUAL_FOLLOW_UP) count(task.playbook, task.owner, 'manualFollowUps');
  }
  for (const alert of report.alerts) count(alert.playbook, csmOf.get(alert.accountId), 'alerts');
  for (const email of report.emails) count(email.playbook, csmOf.get(email.accountId), 'emails');
  for (const execution of report.executions) {
    if (execution.status === 'FAILED' || execution.status === 'TIMED_OUT') count(execution.playbook, csmOf.get(execution.accountId), 'failedExecutions');
  }
  return { byPlaybook, byOwner };
}

function countsOf<K>(counts: Map<K, Counts>, key: K): Counts {
  let entry = counts.get(key);
  if (!entry) counts.set(key, (entry = { tasks: 0, alerts: 0, emails: 0, failedExecutions: 0, manualFollowUps: 0 }));
  return entry;
}
