import { applyEdits, parseTree, type Edit, type Node } from 'jsonc-parser';
import { formatPath } from '../../functions/contracts/zod.ts';

/**
 * A sample's times moved so that it happens now, the spacing between its instants kept (a meeting 18
 * days after its detection stays 18 days after): what `playbooks send` does to a sample dated weeks
 * ago, so that the tasks it creates are due from now on, not overdue.
 *
 * What moves (every other byte of the JSON text is kept, so the body is still the sample's own):
 * - every string that is an ISO-8601 date-time with an offset or `Z`: a domain event's `timestamp`
 *   and the instants of its `data` (`respondedAt`, `meetingAt`, `signedAt`, `welcomeCallAt`, …),
 *   Typeform's `submitted_at` and `landed_at`, Zendesk's `ticket.updated_at`, an event
 *   subscription's `time` and `detail.created_at`… A date without a time (a Typeform date answer)
 *   is something a person typed, not when it was sent: it stays;
 * - the epoch times vendors send as numbers or digits, by their documented names: HubSpot's
 *   `occurredAt` (milliseconds), Slack's `action_ts` and `event_ts` (seconds, a string with
 *   microseconds) and `event_time` (seconds). Slack's `ts` and `message_ts` name a message: they stay.
 *
 * Which instant becomes now: a domain event's `timestamp` (its data may hold instants to come, a
 * meeting or a welcome call, which must stay ahead); for a vendor's payload, its latest instant. The
 * shift is a whole number of seconds, rounded down (the anchor lands within the second before `now`):
 * fractions of a second and each string's offset are kept as written.
 */
export interface Restamped {
  /** The JSON text, its times moved. */
  text: string;
  /** How far they moved, in milliseconds (negative for a sample dated in the future). */
  shiftMs: number;
  /** The places that moved, e.g. `timestamp`, `data.respondedAt`, `[0].occurredAt`. */
  moved: string[];
}

const EPOCH_MILLISECONDS = new Set(['occurredAt']);
const EPOCH_SECONDS = new Set(['action_ts', 'event_ts', 'event_time']);
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2})?(\.\d+)?(Z|[+-]\d{2}:?\d{2})$/;
const SECONDS = /^(\d{9,12})(\.\d+)?$/;
const SECOND = 1000;

interface Instant {
  place: (string | number)[];
  node: Node;
  at: number;
  /** The node's new JSON text once moved by `shift`. */
  moved(shift: number): string;
}

/** `text` (a JSON payload) with its times moved so that its anchor is now: see above for what moves. */
export function restampTimes(text: string, now: Date): Restamped {
  const root = parseTree(text);
  const instants = root ? instantsIn(root, []) : [];
  const anchor = anchorOf(root, instants);
  if (anchor === undefined) return { text, shiftMs: 0, moved: [] };
  const shiftMs = Math.floor((now.getTime() - anchor) / SECOND) * SECOND;
  if (shiftMs === 0) return { text, shiftMs, moved: [] };
  const edits: Edit[] = instants.map(({ node, moved }) => ({ offset: node.offset, length: node.length, content: moved(shiftMs) }));
  return { text: applyEdits(text, edits), shiftMs, moved: instants.map(({ place }) => formatPath(place)) };
}

/** What moved, in a line: `times moved by +27 days to now: timestamp, data.respondedAt`. */
export function describeRestamp({ shiftMs, moved }: Restamped): string | undefined {
  if (moved.length === 0) return undefined;
  // A batch's hundred `[n].occurredAt` read as one place and a count.
  const counts = new Map<string, number>();
  for (const place of moved.map((path) => path.replace(/\[\d+\]/g, '[*]'))) counts.set(place, (counts.get(place) ?? 0) + 1);
  const places = [...counts].map(([place, count]) => (count > 1 ? `${place} (×${count})` : place));
  return `times moved by ${formatShift(shiftMs)} to now: ${places.join(', ')}`;
}

function formatShift(ms: number): string {
  const sign = ms < 0 ? '-' : '+';
  const units: [number, string][] = [
    [86_400_000, 'day'],
    [3_600_000, 'hour'],
    [60_000, 'minute'],
    [SECOND, 'second'],
  ];
  const [size, unit] = units.find(([size]) => Math.abs(ms) >= size) ?? units.at(-1)!;
  const count = Math.round(Math.abs(ms) / size);
  return `${sign}${count} ${unit}${count === 1 ? '' : 's'}`;
}

function anchorOf(root: Node | undefined, instants: Instant[]): number | undefined {
  if (instants.length === 0) return undefined;
  const envelope = instants.find(({ place }) => place.length === 1 && place[0] === 'timestamp');
  const isDomainEvent = root?.type === 'object' && envelope !== undefined && root.children?.some((property) => property.children?.[0]?.value === 'data');
  return isDomainEvent ? envelope.at : Math.max(...instants.map(({ at }) => at));
}

function instantsIn(node: Node, place: (string | number)[]): Instant[] {
  if (node.type === 'object') return (node.children ?? []).flatMap((property) => {
    const [key, value] = property.children ?? [];
    return key && value ? instantsIn(value, [...place, String(key.value)]) : [];
  });
  if (node.type === 'array') return (node.children ?? []).flatMap((item, index) => instantsIn(item, [...place, index]));
  const instant = instantOf(node, place.at(-1));
  return instant ? [{ place, node, ...instant }] : [];
}

function instantOf(node: Node, key: string | number | undefined): Pick<Instant, 'at' | 'moved'> | undefined {
  const value: unknown = node.value;
  if (typeof value === 'string') {
    const iso = ISO_INSTANT.exec(value);
    if (iso && Number.isFinite(Date.parse(value))) {
      const [, fraction = '', offset = 'Z'] = iso;
      return { at: Date.parse(value), moved: (shift) => JSON.stringify(`${localTime(Date.parse(value) + shift, offset)}${fraction}${offset}`) };
    }
    const seconds = typeof key === 'string' && EPOCH_SECONDS.has(key) ? SECONDS.exec(value) : null;
    if (seconds) return { at: Number(value) * SECOND, moved: (shift) => JSON.stringify(`${Number(seconds[1]) + shift / SECOND}${seconds[2] ?? ''}`) };
  }
  if (typeof value === 'number' && Number.isInteger(value) && typeof key === 'string') {
    if (EPOCH_MILLISECONDS.has(key)) return { at: value, moved: (shift) => String(value + shift) };
    if (EPOCH_SECONDS.has(key)) return { at: value * SECOND, moved: (shift) => String(value + shift / SECOND) };
  }
  return undefined;
}

/** `YYYY-MM-DDTHH:MM:SS` of an instant at a fixed offset (`Z`, `+01:00`, `-0500`). */
function localTime(at: number, offset: string): string {
  const sign = offset.startsWith('-') ? -1 : 1;
  const minutes = offset === 'Z' ? 0 : sign * (Number(offset.slice(1, 3)) * 60 + Number(offset.slice(-2)));
  return new Date(at + minutes * 60_000).toISOString().slice(0, 19);
}
