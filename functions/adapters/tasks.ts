import type { Task } from '../core/tasks/task.ts';
import type { Ledger } from './ledger.ts';
import type { Written } from './ledger-records.ts';
import { mirrorLater } from './mirror.ts';
import { keys } from './table.ts';

/**
 * File a planned task: in the ledger once (its id comes from its reason), with its CRM mirror queued
 * once. What create-task does, and what the dispatch drain does for a dead letter's follow-up.
 */
export async function fileTask(ledger: Ledger, task: Task, now: Date): Promise<Written<Task> & { queued: boolean }> {
  const written = await ledger.createTask(task);
  const { item } = written;
  const { queued } = await mirrorLater(
    ledger,
    { key: keys.task(item.accountId, item.id), mirrored: item.crmId },
    'crmId',
    {
      port: 'crm',
      method: 'upsertTask',
      request: { idempotencyKey: item.id, accountId: item.accountId, kind: item.kind, title: item.title, body: item.details, dueAt: item.dueAt, ownerId: item.owner },
    },
    now,
  );
  return { ...written, queued };
}
