import type { BusinessCalendar, Locality } from '../calendar/business-time.ts';
import { dueOn, nextWakeUp } from '../checks/wake-up.ts';
import { addCalendarDays, daysBetween } from '../calendar/business-time.ts';
import { isLive, isOwnClaim, wakeUpOf, type Held, type HeldDecision, type HolderToken } from '../checks/held-check.ts';
import { accountDrop, dailyUse, type UsageWindow } from './usage.ts';

/**
 * The account's usage check (docs/playbooks.md, usage): one live check per account, held as the 91-day
 * check is (core/checks/held-check.ts), started by the account's use of the product and woken when
 * something may be due: the weekly comparison, the day the account would be idle `accountIdleDays`, a
 * key contact's `championIdleDays`, the check-in's `checkInDays` business days. Each wake-up re-reads
 * the account's usage and touchpoints (exit on goal) and decides; the record keeps what was raised so
 * nothing is raised twice.
 */

/** The prefix of the names of the usage check's executions (core/checks/held-check.ts handOverName). */
export const USAGE_CHECK_EXECUTIONS = 'uc';

/** An account drop the CSM was told of, open until usage resumes or someone talks with the account. */
export interface OpenDrop {
  /** The reason its alert, task and e-mail are keyed on: one each per drop. */
  id: string;
  kind: 'idle' | 'drop';
  /** When it was raised (the account's offset). */
  raisedAt: string;
  /** The account's last active day when it was raised: a later day is usage again. */
  lastActiveDay?: string;
  /**
   * The usual week before the drop, in user-days per business day (per calendar day without the
   * calendar): a week since back at `dropRatio` of it is usage resumed, on the same measure that found the fall.
   */
  usualRate: number;
  /** High-touch: when the CSM is asked whether a meeting is booked, until they are. */
  meetingCheckDue?: string;
  /**
   * When someone talked with the account after the drop: the CSM is on it, so no meeting check, and no
   * new drop is raised for the same episode; the drop stays until usage comes back.
   */
  handledAt?: string;
}

/** What a wake-up raised, kept so that a retried step answers it again. */
export interface UsageDecision extends HeldDecision {
  /** An account drop raised now. */
  drop?: { id: string; kind: OpenDrop['kind']; idleDays?: number; ratio?: number; highTouch: boolean };
  /** The check-in went unanswered: ask the CSM whether a meeting is booked (the drop's id). */
  meetingCheck?: { id: string };
  /** Key contacts idle while others use the product: a task for the CSM (high-touch) or a nudge e-mail (low-touch). */
  contacts: ContactDrop[];
  /** An open drop's goal met now: usage resumed (the drop closes), or a touchpoint since it was raised (handled: it stays until usage comes back). */
  closed?: { id: string; why: 'usage-resumed' | 'touchpoint' };
}

export interface ContactDrop {
  contactId: string;
  role: 'champion' | 'decision-maker';
  idleDays: number;
  action: 'task' | 'email';
  /** The reason its task or e-mail is keyed on: one per contact and idle spell. */
  id: string;
}

export interface UsageCheck extends Held {
  drop?: OpenDrop;
  /** The id of the latest drop raised: an idle spell closed by a touchpoint is not raised again while it lasts. */
  lastDropId?: string;
  /** Per key contact: the local day they were last alerted on (the cooldown counts from it); kept across restarts. */
  contactAlerts: Record<string, string>;
  decided?: UsageDecision;
}

export type UsageStart = { action: 'claimed'; check: UsageCheck; write: boolean } | { action: 'unchanged'; why: 'live' };

/**
 * The account is used and its check may not be watching (the recorder asks on the account's first use
 * of a day): claim it unless a holder is live; a check that ended (an idle low-touch account), failed
 * or lost its holder is resumed with what it had raised, so no drop or contact alert is raised twice.
 * The new holder reviews at once (`wakeAt`).
 */
export function decideUsageStart(accountId: string, stored: UsageCheck | undefined, execution: string, wakeAt: string, now: Date): UsageStart {
  if (stored && isOwnClaim(stored, execution)) return { action: 'claimed', check: stored, write: false };
  if (stored && isLive(stored, now)) return { action: 'unchanged', why: 'live' };
  const kept = stored
    ? { ...(stored.drop ? { drop: stored.drop } : {}), ...(stored.lastDropId ? { lastDropId: stored.lastDropId } : {}), contactAlerts: stored.contactAlerts }
    : { contactAlerts: {} };
  return { action: 'claimed', check: { accountId, ...kept, status: 'live', holder: execution, generation: 0, wakeAt }, write: true };
}

/** A key contact and the last local day they used the product (none: never seen, not watched). */
export interface KeyContact {
  contactId: string;
  role: 'champion' | 'decision-maker';
  lastDay?: string;
}

/** The instants a review needs, in the account's zone and business days. */
export interface UsageClock {
  now: Date;
  /** The account's local date now. */
  today: string;
  /** 09:00 on the first business day on or after a local date. */
  dueOn(day: string): Date;
  /** `days` business days after now, at 09:00. */
  afterBusinessDays(days: number): Date;
  /** When to wake for something due at `due`: it, or the end of a slice, or the next business moment if past. */
  wakeUpFor(due: Date): Date;
  local(at: Date): string;
}

export interface UsageSettings {
  accountIdleDays: number;
  dropRatio: number;
  checkInDays: number;
  championIdleDays: number;
  contactAlertCooldownDays: number;
}

export interface UsageReview {
  stored: UsageCheck | undefined;
  token: HolderToken;
  /** The account's window as of today (core/usage/usage.ts usageWindow). */
  window: UsageWindow;
  keyContacts: readonly KeyContact[];
  /** The latest touchpoint filed for the account. */
  latestTouchpointAt?: string | undefined;
  highTouch: boolean;
  settings: UsageSettings;
  clock: UsageClock;
}

export type ReviewOutcome =
  | { decision: 'superseded' }
  /** `check` undefined: a retry, already written. `decided.next` undefined: the check ends. */
  | { decision: 'reviewed'; decided: UsageDecision; check: UsageCheck | undefined };

/**
 * The holder wakes up and reviews the account (invariant 5: the open drop's goal first).
 * 1. An open drop closes when a day since its raise is back at `dropRatio` of the usual (an idle
 *    account: any use); someone who talked with the account since handles it (no meeting check, and
 *    nothing more raised until usage comes back); otherwise a high-touch drop's check-in past due asks
 *    for the meeting check, once.
 * 2. With no drop open: idle `accountIdleDays` → an idle drop; used this week but under `dropRatio`
 *    of the 4 weeks before → a drop. One episode, one drop: an open drop is not raised again.
 * 3. Each key contact idle `championIdleDays` while someone else used the product since → a task
 *    (high-touch) or a nudge (low-touch), once per contact per `contactAlertCooldownDays`; a contact
 *    of an account idle as a whole is the account drop's, not a second alert.
 * 4. Wake up for the next thing that may be due; with the account idle, its drop raised and nothing
 *    pending, or no usage on record, the check ends (the account's next use starts it again).
 */
export function reviewUsage(review: UsageReview): ReviewOutcome {
  const wakeUp = wakeUpOf(review.stored, review.token);
  if (wakeUp.as === 'superseded') return { decision: 'superseded' };
  if (wakeUp.as === 'retry') return { decision: 'reviewed', decided: wakeUp.decided, check: undefined };
  const { window, settings, clock, highTouch, token } = review;
  const decided: UsageDecision = { generation: token.generation, contacts: [] };
  let drop = wakeUp.check.drop;

  if (drop) {
    const goal = dropGoalMet(drop, window, review.latestTouchpointAt, settings.dropRatio, clock.now);
    if (goal === 'usage-resumed') {
      decided.closed = { id: drop.id, why: goal };
      drop = undefined;
    } else if (goal === 'touchpoint') {
      // The CSM is on it: no meeting check, and the episode raises nothing more until usage comes back.
      decided.closed = { id: drop.id, why: goal };
      const { meetingCheckDue: _, ...handled } = drop;
      drop = { ...handled, handledAt: clock.local(clock.now) };
    } else if (drop.meetingCheckDue && clock.now.getTime() >= Date.parse(drop.meetingCheckDue)) {
      decided.meetingCheck = { id: drop.id };
      const { meetingCheckDue: _, ...asked } = drop;
      drop = asked;
    }
  }

  // One episode, one drop: an open one is not raised again, whatever its kind, nor an idle spell already raised.
  const found = drop ? undefined : accountDrop(window, settings);
  const id = found?.kind === 'idle' ? idleSpellId(window) : `drop-${clock.today}`;
  if (found && id !== wakeUp.check.lastDropId) {
    const raisedAt = clock.local(clock.now);
    drop = {
      id,
      kind: found.kind,
      raisedAt,
      ...(window.lastActiveDay ? { lastActiveDay: window.lastActiveDay } : {}),
      usualRate: dailyUse(window.fourWeekAverage),
      ...(highTouch ? { meetingCheckDue: clock.local(clock.afterBusinessDays(settings.checkInDays)) } : {}),
    };
    decided.drop = { id, kind: found.kind, ...(found.kind === 'idle' ? { idleDays: found.idleDays } : { ratio: found.ratio }), highTouch };
  }

  const contactAlerts = { ...wakeUp.check.contactAlerts };
  for (const contact of review.keyContacts) {
    if (!contactDropped(contact, window, contactAlerts[contact.contactId], clock.today, settings)) continue;
    const idleDays = daysBetween(contact.lastDay!, clock.today) - 1;
    decided.contacts.push({ contactId: contact.contactId, role: contact.role, idleDays, action: highTouch ? 'task' : 'email', id: `${contact.contactId}-idle-since-${contact.lastDay}` });
    contactAlerts[contact.contactId] = clock.today;
  }

  const lastDropId = decided.drop?.id ?? wakeUp.check.lastDropId;
  const next = nextDue({ ...review, drop, lastDropId, contactAlerts });
  const base: UsageCheck = { ...wakeUp.check, contactAlerts, decided, ...(lastDropId ? { lastDropId } : {}) };
  if (!drop) delete base.drop;
  else base.drop = drop;
  if (!next) {
    const { wakeAt: _, ...ended } = base;
    return { decision: 'reviewed', decided, check: { ...ended, status: 'ended' } };
  }
  decided.next = { generation: token.generation + 1, wakeAt: clock.local(clock.wakeUpFor(next)) };
  return { decision: 'reviewed', decided, check: { ...base, generation: decided.next.generation, wakeAt: decided.next.wakeAt } };
}

/**
 * Whether an open drop's goal is met: use came back (an idle account: any use after its last active
 * day; a fall: the last 7 days back at `dropRatio` of the usual week before the drop, per business day,
 * the measure that found it, once a week has passed since), or someone talked with the account since it
 * was raised.
 */
export function dropGoalMet(drop: OpenDrop, window: UsageWindow, latestTouchpointAt: string | undefined, dropRatio: number, now: Date): 'usage-resumed' | 'touchpoint' | undefined {
  const resumed =
    drop.kind === 'idle'
      ? window.lastActiveDay !== undefined && (drop.lastActiveDay === undefined || window.lastActiveDay > drop.lastActiveDay)
      : now.getTime() - Date.parse(drop.raisedAt) >= WEEK_MS - DAY_MS && window.thisWeek.userDays > 0 && dailyUse(window.thisWeek) >= dropRatio * drop.usualRate;
  if (resumed) return 'usage-resumed';
  // A touchpoint meets the goal once: a drop already handled waits for usage.
  if (!drop.handledAt && latestTouchpointAt && Date.parse(latestTouchpointAt) > Date.parse(drop.raisedAt)) return 'touchpoint';
  return undefined;
}

/**
 * A key contact is dropped when not seen for `championIdleDays` while someone else used the product
 * within them (an account idle as a whole is the account drop's), not alerted already for this idle
 * spell, and not alerted within `contactAlertCooldownDays`.
 */
export function contactDropped(contact: KeyContact, window: UsageWindow, alertedOn: string | undefined, today: string, settings: UsageSettings): boolean {
  if (!contact.lastDay) return false;
  const idleDays = daysBetween(contact.lastDay, today) - 1;
  const othersUseIt = window.idleDays !== undefined && window.idleDays < settings.championIdleDays && window.lastActiveDay! > contact.lastDay;
  const spellAlerted = alertedOn !== undefined && alertedOn > contact.lastDay;
  const coolingDown = alertedOn !== undefined && daysBetween(alertedOn, today) < settings.contactAlertCooldownDays;
  return idleDays >= settings.championIdleDays && othersUseIt && !spellAlerted && !coolingDown;
}

const DAY_MS = 86_400_000;
const WEEK_MS = 7 * DAY_MS;

/** An idle spell's drop id: since the account's last active day. */
function idleSpellId(window: UsageWindow): string {
  return `idle-since-${window.lastActiveDay}`;
}

interface NextDueState {
  drop: OpenDrop | undefined;
  lastDropId: string | undefined;
  contactAlerts: Record<string, string>;
}

/**
 * The next instant something may be due: next week's comparison, the day the account would be idle,
 * the meeting check, each key contact's idle day or the end of their cooldown. None: the account is
 * idle with its drop raised and nothing pending, or has no usage on record: the check ends.
 */
function nextDue({ window, keyContacts, settings, clock, drop, lastDropId, contactAlerts }: UsageReview & NextDueState): Date | undefined {
  if (window.lastActiveDay === undefined) return undefined;
  const idle = window.idleDays !== undefined && window.idleDays >= settings.accountIdleDays;
  const idleRaised = idle && (drop !== undefined || lastDropId === idleSpellId(window));
  if (idleRaised && !drop?.meetingCheckDue) return undefined;
  const dues: Date[] = [];
  if (drop?.meetingCheckDue) dues.push(new Date(drop.meetingCheckDue));
  if (!idleRaised) {
    dues.push(clock.dueOn(addCalendarDays(clock.today, 7)));
    dues.push(clock.dueOn(addCalendarDays(window.lastActiveDay, settings.accountIdleDays + 1)));
    for (const contact of keyContacts) {
      const alertedOn = contactAlerts[contact.contactId];
      // Not seen yet, or alerted for this idle spell: nothing due until they use the product again.
      if (!contact.lastDay || (alertedOn !== undefined && alertedOn > contact.lastDay)) continue;
      const idleOn = addCalendarDays(contact.lastDay, settings.championIdleDays + 1);
      const cooledOn = alertedOn ? addCalendarDays(alertedOn, settings.contactAlertCooldownDays) : idleOn;
      dues.push(clock.dueOn(idleOn > cooledOn ? idleOn : cooledOn));
    }
  }
  const future = dues.filter((due) => due.getTime() > clock.now.getTime());
  return future.length > 0 ? new Date(Math.min(...future.map((due) => due.getTime()))) : undefined;
}

/** The review's clock for one account: its zone, its country's business days, business hours from the settings. */
export function usageClock(now: Date, where: Locality, calendar: BusinessCalendar, local: (at: Date) => string): UsageClock {
  const today = calendar.localDate(now, where.timezone);
  return {
    now,
    today,
    dueOn: (day) => dueOn(day, where, calendar),
    afterBusinessDays: (days) => calendar.startOfBusinessDay(calendar.addBusinessDays(today, days, where.country), where),
    wakeUpFor: (due) => nextWakeUp(due, now, where, calendar),
    local,
  };
}
