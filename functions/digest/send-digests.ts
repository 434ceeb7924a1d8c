import type { DigestRecord } from '../adapters/digests.ts';
import { mirrorLater } from '../adapters/mirror.ts';
import { keys } from '../adapters/table.ts';
import { z } from '../contracts/zod.ts';
import { composeDigest, digestText } from '../core/digest/compose.ts';
import { digestId, digestPartition } from '../core/digest/schedule.ts';
import { slackTarget } from '../core/people/directory.ts';
import { definePlaybookFunction } from '../runtime/playbook-function.ts';
import { DigestPeople } from './gather-digests.ts';

/**
 * The digests due at one instant, composed from the facts gathered for each person and sent: claimed
 * once per person and week (a conditional put), then queued for Slack (their direct conversation) and/or
 * e-mail (`digest.channels`) as dispatches of that record, once each. A retried step, a redriven
 * execution or a second schedule delivery finds the digest claimed, and queues nothing new. A person
 * no longer in the directory gets none; nothing to say, no digest (recorded, so the week is settled).
 * Counts and ids out: the text is in the ledger only.
 */
export const sendDigests = definePlaybookFunction({
  id: 'send-digests',
  input: z.object({ people: DigestPeople }),
  async run({ people }, { ledger, settings, now, logger, metrics }) {
    const directory = new Map((await ledger.people.list()).map((person) => [person.id, person]));
    const csmName = (id: string) => directory.get(id)?.name ?? id;
    const sent: string[] = [];
    const empty: string[] = [];
    const unknown: string[] = [];
    for (const { personId, monday } of people) {
      const person = directory.get(personId);
      if (!person) {
        unknown.push(personId);
        continue;
      }
      const sections = composeDigest(await ledger.digests.lines(personId, monday), monday, settings.digest, person.role === 'team-lead' ? { csmName } : {});
      const { created, item } = await ledger.digests.claim({
        personId,
        monday,
        empty: sections === undefined,
        ...(sections ? { text: digestText(person.name, monday, sections), subject: `Your Monday note for the week to ${monday}` } : {}),
        channels: settings.digest.channels,
        claimedAt: now().toISOString(),
      } satisfies DigestRecord);
      if (item.empty || item.text === undefined) {
        empty.push(personId);
        continue;
      }
      const key = keys.digest(personId, monday);
      const request = { idempotencyKey: digestId(personId, monday), accountId: digestPartition(personId) };
      if (item.channels.includes('slack')) {
        await mirrorLater(ledger, { key, mirrored: item.slackMessage }, 'slackMessage', { port: 'alerts', method: 'notifyPerson', request: { ...request, recipientId: personId, slackUser: slackTarget(personId, person), topic: 'monday-digest', text: item.text } }, now());
      }
      if (item.channels.includes('email') && person.email) {
        await mirrorLater(ledger, { key, mirrored: item.messageId }, 'messageId', { port: 'mailer', method: 'send', request: { ...request, to: person.email, language: person.language, template: 'monday-digest', subject: item.subject ?? '', text: item.text } }, now());
      }
      if (created) sent.push(personId);
      logger.info(created ? 'digest claimed and queued' : 'digest already claimed: its dispatches queued once', { personId, monday, channels: item.channels });
    }
    metrics.addMetric('DigestSent', 'Count', sent.length);
    return { sent, empty, unknown };
  },
});
