import type { AccountRecord, OwnerRole, TaskKind } from '../../contracts/index.ts';
import { formatLocalIso, type BusinessCalendar } from '../calendar/business-time.ts';
import { taskId } from './identity.ts';
import { resolveOwner } from './owner.ts';
import { taskTitle } from './titles.ts';

/** When a task is due. "today" follows invariant 4 (account's time zone, business days, 18:00 cut-off). */
export type DueRule = { rule: 'today' } | { rule: 'at'; at: string };

export interface TaskRequest {
  accountId: string;
  playbook: string;
  kind: TaskKind;
  ownerRole: OwnerRole;
  /** Why this task exists (e.g. the NPS event id): the dedup key with account, playbook and kind. */
  reason: string;
  due: DueRule;
  details?: string | undefined;
}

/** Long enough for a context summary; an error's full cause or a pasted thread is cut, never refused. */
export const MAX_DETAILS_LENGTH = 4000;

export interface Task {
  id: string;
  kind: TaskKind;
  accountId: string;
  playbook: string;
  owner: string;
  ownerRole: OwnerRole;
  /** `completed` once the owner closed it (TaskCompleted, from the CRM). */
  status: 'open' | 'completed';
  completedAt?: string;
  createdAt: string;
  dueAt: string;
  title: string;
  details?: string;
  /** The CRM record it was mirrored to; absent until the CRM accepted it (functions/adapters/mirror.ts). */
  crmId?: string;
}

/** A new task for `request`, created at `now`, with times in the account's offset. */
export function planTask(request: TaskRequest, account: AccountRecord, now: Date, calendar: BusinessCalendar): Task {
  const owner = resolveOwner(request.ownerRole, account);
  const dueAt = request.due.rule === 'today' ? calendar.dueToday(now, account) : new Date(request.due.at);
  return {
    id: taskId({ accountId: account.id, playbook: request.playbook, kind: request.kind, reason: request.reason }),
    kind: request.kind,
    accountId: account.id,
    playbook: request.playbook,
    owner: owner.id,
    ownerRole: owner.role,
    status: 'open',
    createdAt: formatLocalIso(now, account.timezone),
    dueAt: formatLocalIso(dueAt, account.timezone),
    title: taskTitle(request.kind, account),
    ...(request.details ? { details: truncate(request.details, MAX_DETAILS_LENGTH) } : {}),
  };
}

function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
