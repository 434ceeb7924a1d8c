import { createHash } from 'node:crypto';

/** A note's id is derived from what it is for (account + playbook + reason), like a task's: written once. */
export function noteId(parts: { accountId: string; playbook: string; reason: string }): string {
  const key = JSON.stringify([parts.accountId, parts.playbook, parts.reason]);
  return `note-${createHash('sha256').update(key).digest('hex').slice(0, 20)}`;
}
