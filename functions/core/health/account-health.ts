import { createHash } from 'node:crypto';
import { DetailType } from '../../contracts/events.ts';
import type { Settings } from '../../contracts/settings.ts';
import type { UsageWindow } from '../usage/usage.ts';
import { engagementReading, npsReading, pulseReading, supportReading, usageReading } from './measures.ts';
import { healthScore, profileOf, type HealthMeasure, type HealthScore, type MeasureReading } from './score.ts';

/**
 * An account's health from what the ledger holds of it (docs/playbooks.md, health): the facts each
 * measure reads, the event that asked for the score folded in, the score of the account's profile, and
 * the version of the settings that produced it. Pure.
 */

/**
 * The events that move a measure, each of which asks for the account's score at once (lib/catalog.ts,
 * the health scorer): the account's segment (its profile), an NPS answer, a touchpoint, the CSM's pulse,
 * a ticket, a client's e-mail and its reply, the account used again.
 */
export const FEEDS_HEALTH = [
  DetailType.AccountUpdated,
  DetailType.NpsResponseReceived,
  DetailType.TouchpointLogged,
  DetailType.CsmPulseRecorded,
  DetailType.SupportTicketUpdated,
  DetailType.ClientFeedbackReceived,
  DetailType.ClientReplySent,
  DetailType.AccountActive,
] as const;

/** What asks the scorer for a look at the account: the events that move a measure, and a threshold alert snoozed (its thresholds). */
export const SCORED_ON = [...FEEDS_HEALTH, DetailType.AlertSnoozed] as const;

/** What the ledger holds of an account that a measure reads; a fact absent: nothing on file. */
export interface HealthFacts {
  usage?: UsageWindow | undefined;
  /** The account's local date of its latest touchpoint. */
  lastTouchpointDay?: string | undefined;
  latestNps?: { score: number; day: string; at: string } | undefined;
  pulse?: { pulse: number; day: string; at: string } | undefined;
  /** Undefined: no ticket and no client e-mail ever on file. */
  support?: { openTickets: number; unansweredFeedback: number } | undefined;
}

/**
 * The event that asked for a score, folded into the facts read: the NPS answer or the touchpoint may
 * be recorded by its own playbook a moment after the scorer reads the ledger, and the score must not
 * miss it. The newer fact wins; an older one (a redelivery, a late event) changes nothing.
 */
export type ScoredEvent =
  | { type: 'NpsResponseReceived'; score: number; at: string; day: string }
  | { type: 'TouchpointLogged'; at: string; day: string; channel: string; contactId?: string | undefined }
  /** A client e-mail waiting for its first reply, or the reply (`answered`): the support measure reads it with the ledger's. */
  | { type: 'ClientEmail'; replyKey: string; answered: boolean }
  | { type: 'other' };

export function withEvent(facts: HealthFacts, event: ScoredEvent): HealthFacts {
  switch (event.type) {
    case 'NpsResponseReceived':
      return facts.latestNps && Date.parse(facts.latestNps.at) >= Date.parse(event.at) ? facts : { ...facts, latestNps: { score: event.score, day: event.day, at: event.at } };
    case 'TouchpointLogged':
      return facts.lastTouchpointDay !== undefined && facts.lastTouchpointDay >= event.day ? facts : { ...facts, lastTouchpointDay: event.day };
    default:
      return facts;
  }
}

/** Each measure's reading of the facts on `today` (the account's local date). */
export function readingsOf(facts: HealthFacts, today: string, settings: Pick<Settings, 'health' | 'noContact' | 'usage'>): Partial<Record<HealthMeasure, MeasureReading>> {
  const readings: Partial<Record<HealthMeasure, MeasureReading | undefined>> = {
    usage: usageReading(facts.usage, settings.usage.accountIdleDays),
    engagement: engagementReading(facts.lastTouchpointDay, today, settings.noContact.noContactDays),
    nps: npsReading(facts.latestNps, today),
    pulse: pulseReading(facts.pulse, today, settings.health.pulseValidDays),
    support: supportReading(facts.support),
  };
  return Object.fromEntries(Object.entries(readings).filter(([, reading]) => reading !== undefined));
}

export interface AccountHealth extends HealthScore {
  /** The profile whose weights scored it (`default`, or the one listing the account's segment). */
  profile: string;
  settingsVersion: string;
}

/** The account's score on `today`, with the profile and the settings version that produced it. */
export function accountHealth(facts: HealthFacts, segment: string | undefined, today: string, settings: Pick<Settings, 'health' | 'noContact' | 'usage'>): AccountHealth {
  const profile = profileOf(segment, settings.health.profiles);
  return { ...healthScore(readingsOf(facts, today, settings), profile.weights, settings.health.bands, settings.health.minimumWeight), profile: profile.name, settingsVersion: healthSettingsVersion(settings) };
}

/**
 * The version of the settings a score was computed with: a digest of every setting a measure or the
 * score reads, so two scores with the same version are comparable, and a score stored before a change
 * of weights says so.
 */
export function healthSettingsVersion(settings: Pick<Settings, 'health' | 'noContact' | 'usage'>): string {
  const read = { health: settings.health, noContactDays: settings.noContact.noContactDays, accountIdleDays: settings.usage.accountIdleDays };
  return createHash('sha256').update(JSON.stringify(read, sortedKeys)).digest('hex').slice(0, 12);
}

/** JSON.stringify's replacer writing every object's keys in order: the same settings, the same digest, however they were merged. */
function sortedKeys(_key: string, value: unknown): unknown {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? Object.fromEntries(Object.entries(value).sort(([a], [b]) => (a < b ? -1 : 1))) : value;
}
