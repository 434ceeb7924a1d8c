import { DIGEST_KEPT_DAYS, type DigestRecord } from '../adapters/digests.ts';
import { mirrorLater } from '../adapters/mirror.ts';
import { keys } from '../adapters/table.ts';
import type { Person } from '../contracts/settings.ts';
import { z } from '../contracts/zod.ts';
import { composeDigest, digestSubject, digestText } from '../core/digest/compose.ts';
import { digestId, digestPartition } from '../core/digest/schedule.ts';
import { slackTarget } from '../core/people/directory.ts';
import { definePlaybookFunction, type PlaybookDeps } from '../runtime/playbook-function.ts';
import { DigestPeople } from './gather-digests.ts';

/**
 * The digests due at one instant, composed from the facts gathered for each person and sent: claimed
 * once per person and week (a conditional put) with what it says and where it goes (the channels of
 * `digest.channels` the person has an address for), then queued for Slack (their direct conversation)
 * and/or e-mail as dispatches of that record, once each. A retried step, a redriven execution or a
 * second schedule delivery finds the digest claimed, and queues nothing new. A person no longer in the
 * directory gets none; nothing to say, no digest (recorded, so the week is settled). A person whose note
 * fails is logged and counted (`DigestFailed`), and the others' are sent. Counts and ids out: the text
 * is in the ledger only.
 */
export const sendDigests = definePlaybookFunction({
  id: 'send-digests',
  input: z.object({ people: DigestPeople }),
  async run({ people }, deps) {
    const { ledger, logger, metrics } = deps;
    const directory = new Map((await ledger.people.list()).map((person) => [person.id, person]));
    const outcome: Record<'sent' | 'empty' | 'unknown' | 'failed', string[]> = { sent: [], empty: [], unknown: [], failed: [] };
    let firstError: unknown;
    for (const { personId, monday } of people) {
      const person = directory.get(personId);
      if (!person) {
        outcome.unknown.push(personId);
        continue;
      }
      try {
        outcome[await sendDigest(person, monday, directory, deps)].push(personId);
      } catch (error) {
        outcome.failed.push(personId);
        firstError ??= error;
        logger.error('digest failed: not sent this week', { personId, monday, error: error as Error });
      }
    }
    metrics.addMetric('DigestSent', 'Count', outcome.sent.length);
    if (outcome.failed.length > 0) {
      metrics.addMetric('DigestFailed', 'Count', outcome.failed.length);
      // Every note failing is the table's failure, not the people's: the step's, with its error (an AWS outage is retried).
      if (outcome.failed.length === people.length) throw firstError;
    }
    return outcome;
  },
});

/** One person's note: composed, claimed once, queued once per channel. `sent` also when a retry finds it claimed. */
async function sendDigest(person: Person, monday: string, directory: ReadonlyMap<string, Person>, { ledger, settings, now, logger, metrics }: PlaybookDeps): Promise<'sent' | 'empty'> {
  const csmName = (id: string) => directory.get(id)?.name ?? id;
  const sections = composeDigest(await ledger.digests.lines(person.id, monday), monday, settings.digest, { language: person.language, ...(person.role === 'team-lead' ? { csmName } : {}) });
  const to = {
    ...(settings.digest.channels.includes('slack') ? { slack: slackTarget(person.id, person) } : {}),
    ...(settings.digest.channels.includes('email') && person.email ? { email: person.email } : {}),
  };
  if (settings.digest.channels.includes('email') && !person.email) {
    metrics.addMetric('DigestWithoutEmail', 'Count', 1);
    logger.warn('digest by e-mail asked, but the directory has no e-mail for the person: Slack only', { personId: person.id });
  }
  const claimedAt = now();
  const { created, item } = await ledger.digests.claim({
    personId: person.id,
    monday,
    empty: sections === undefined,
    ...(sections ? { text: digestText(person.name, monday, sections, person.language), subject: digestSubject(monday, person.language) } : {}),
    to,
    claimedAt: claimedAt.toISOString(),
    expiresAt: Math.floor(claimedAt.getTime() / 1000) + DIGEST_KEPT_DAYS * 86_400,
  } satisfies DigestRecord);
  if (item.empty || item.text === undefined) return 'empty';
  const key = keys.digest(person.id, monday);
  const request = { idempotencyKey: digestId(person.id, monday), accountId: digestPartition(person.id) };
  if (item.to.slack) {
    await mirrorLater(ledger, { key, mirrored: item.slackMessage }, 'slackMessage', { port: 'alerts', method: 'notifyPerson', request: { ...request, recipientId: person.id, slackUser: item.to.slack, topic: 'monday-digest', text: item.text } }, now());
  }
  if (item.to.email) {
    await mirrorLater(ledger, { key, mirrored: item.messageId }, 'messageId', { port: 'mailer', method: 'send', request: { ...request, to: item.to.email, language: person.language, template: 'monday-digest', subject: item.subject ?? '', text: item.text } }, now());
  }
  logger.info(created ? 'digest claimed and queued' : 'digest already claimed: its dispatches queued once', { personId: person.id, monday, channels: Object.keys(item.to) });
  return 'sent';
}
