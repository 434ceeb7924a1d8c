import { addCalendarDays } from '../calendar/business-time.ts';

/**
 * The renewal's calendar (docs/playbooks.md, renewal), anchored on the notice date (the last day the
 * client can give notice: `renewalAt` less `renewal.noticeDays`), not the contract's end: the branch
 * `renewal.startDays` before it, then a reminder at each of `renewal.reminderDays` before it. Local
 * dates of the account; pure.
 */

export interface RenewalCalendarSettings {
  noticeDays: number;
  startDays: number;
  /** Days before the notice date, largest first (90, 60, 30). */
  reminderDays: readonly number[];
}

/** `start`: the branch; `remind-90`: the reminder 90 days before the notice date. */
export type MilestoneId = 'start' | `remind-${number}`;

export interface Milestone {
  id: MilestoneId;
  /** The local date it is due on (acted on at the start of business hours, the first business day on or after it). */
  day: string;
  daysBefore: number;
}

/** The notice date of a renewal on `renewalDay`. */
export function noticeDay(renewalDay: string, settings: Pick<RenewalCalendarSettings, 'noticeDays'>): string {
  return addCalendarDays(renewalDay, -settings.noticeDays);
}

/** The branch, then the reminders, in date order. */
export function renewalMilestones(renewalDay: string, settings: RenewalCalendarSettings): Milestone[] {
  const notice = noticeDay(renewalDay, settings);
  const at = (daysBefore: number) => addCalendarDays(notice, -daysBefore);
  return [
    { id: 'start', day: at(settings.startDays), daysBefore: settings.startDays },
    ...[...settings.reminderDays].sort((a, b) => b - a).map((daysBefore) => ({ id: `remind-${daysBefore}` as const, day: at(daysBefore), daysBefore })),
  ];
}

/**
 * What is due, `reached` telling whether a milestone's day has come (its business moment: 09:00 on the
 * first business day on or after it): the branch first, whenever it was missed (a renewal date set 45
 * days ahead starts with its branch at once, a reminder's date passed folded into it); else the latest
 * reminder due, the earlier ones passed folded into it (one task, not three on the same morning).
 * `folded`: the milestones passed and done by this one.
 */
export function dueMilestone(milestones: readonly Milestone[], done: readonly string[], reached: (day: string) => boolean): { act: Milestone; folded: MilestoneId[] } | undefined {
  const due = milestones.filter(({ id, day }) => !done.includes(id) && reached(day));
  if (due.length === 0) return undefined;
  const act = due.find(({ id }) => id === 'start') ?? due.at(-1)!;
  return { act, folded: due.filter(({ id }) => id !== act.id).map(({ id }) => id) };
}

/** The next milestone not done and not reached: when the check wakes next. Undefined: nothing left to do for this renewal. */
export function nextMilestone(milestones: readonly Milestone[], done: readonly string[], reached: (day: string) => boolean): Milestone | undefined {
  return milestones.find(({ id, day }) => !done.includes(id) && !reached(day));
}
