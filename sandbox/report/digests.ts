import type { DigestRecord } from '../../functions/adapters/digests.ts';
import type { OutboxEntry } from '../../functions/adapters/outbox/outbox.ts';
import { formatLocalIso } from '../../functions/core/calendar/business-time.ts';
import { digestId } from '../../functions/core/digest/schedule.ts';
import type { Sandbox } from '../runtime/sandbox.ts';
import type { Report } from './report.ts';

/**
 * The report's Monday digests: each note claimed, in its person's time, with what it said and what the
 * outbox received of it per channel (the outbox holds one entry per key: a count above 1 is impossible
 * there, which is why the tests count at a local Slack and SES).
 */
export async function digestsView(sandbox: Sandbox, outbox: readonly OutboxEntry[]): Promise<Report['digests']> {
  const zoneOf = (personId: string) => sandbox.settings.people.find(({ id }) => id === personId)?.timezone ?? 'UTC';
  return (await sandbox.ledger.scan<DigestRecord>('digest'))
    .map(({ personId, monday, claimedAt, to, text }) => {
      const sent = outbox.filter(({ idempotencyKey }) => idempotencyKey === digestId(personId, monday));
      return {
        personId,
        monday,
        at: formatLocalIso(new Date(claimedAt), zoneOf(personId)),
        channels: Object.keys(to),
        ...(text === undefined ? {} : { text }),
        delivered: { slack: sent.filter(({ kind }) => kind === 'direct-notification').length, email: sent.filter(({ kind }) => kind === 'email').length },
      };
    })
    .sort((a, b) => a.monday.localeCompare(b.monday) || a.personId.localeCompare(b.personId));
}
