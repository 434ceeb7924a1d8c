import type { DetailType } from '../../contracts/events.ts';

/**
 * The flood guard (issue 13): a CRM or a survey tool gone wrong can send fifty detractor answers for
 * one account in a minute, and each would give the CSM a context review and the channel a post. Past
 * `floodGuard.eventsPerAccountPerHour` events of an account within a clock hour, the ingest holds the
 * rest in the ledger (never dropped) and raises one alert that says so; whoever knows the cause
 * releases them (`playbooks release`) or leaves them held.
 */

/** The events that make work for people (a task, a post, an e-mail): the ones a flood of turns into noise. */
export const GUARDED_TYPES = [
  'NpsResponseReceived',
  'ChurnRiskCreated',
  'CompetitorMeetingDetected',
  'ClientFeedbackReceived',
  'CancellationRequested',
  'UpsellRequested',
  'HardwareOrderRequested',
] as const satisfies readonly DetailType[];

export function isGuarded(type: DetailType): boolean {
  return (GUARDED_TYPES as readonly string[]).includes(type);
}

/** The window an event is counted in: the clock hour (UTC) it reaches the ingest in. */
export function floodWindow(at: Date): string {
  const hour = new Date(at);
  hour.setUTCMinutes(0, 0, 0);
  return hour.toISOString();
}

/**
 * What the guard does with an event that is the `count`th of its account in the window: the first
 * `limit` go on the bus, the rest are held.
 */
export type Admission = 'publish' | 'hold';

export function admission(count: number, limit: number): Admission {
  return count <= limit ? 'publish' : 'hold';
}

/**
 * The id of a window's flood event: every event held in the window raises it with this id (so that an
 * ingest that failed after counting the first still raises it on the vendor's retry), and the alert it
 * becomes is one per account and window.
 */
export function floodEventId(accountId: string, window: string): string {
  return `flood:${accountId}:${window}`;
}
