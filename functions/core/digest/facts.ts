import { localDate } from '../calendar/business-time.ts';
import type { HealthBand, HealthMeasure } from '../health/score.ts';
import type { DigestAccount } from './compose.ts';

/**
 * What the Monday note says of one account, from what the ledger holds of it (docs/playbooks.md,
 * digest). Pure: the ledger's reads in, the account's digest facts out. The week is from the previous
 * Monday's digest time to this one's, in the person's zone (functions/core/digest/schedule.ts).
 */

const RANK: Record<HealthBand, number> = { red: 0, yellow: 1, green: 2 };
/** A promoter answers 9 or 10 (docs/playbooks.md, NPS). */
const PROMOTER = 9;

export interface DigestReads {
  account: { id: string; name: string; csmId: string; timezone: string; renewalAt?: string | undefined };
  health?:
    | {
        score?: number | undefined;
        band?: HealthBand | undefined;
        lastAlert?: { at: string; band: HealthBand; score?: number | undefined; fromBand?: HealthBand | undefined; measure?: HealthMeasure | undefined; day: string } | undefined;
      }
    | undefined;
  /** The band of the latest day scored before the week. */
  bandBefore?: HealthBand | undefined;
  lastActiveDay?: string | undefined;
  /** The latest exchange logged (a call, a meeting, an e-mail exchange, a QBR): its instant. */
  lastTouchpointAt?: string | undefined;
  /** When each of the client's e-mails came in (client feedback awaiting or given its first reply). */
  clientEmailsAt: readonly string[];
  tasks: readonly { status: 'open' | 'completed'; dueAt: string }[];
  slaBreaches: readonly { recordedAt: string }[];
  openAlerts: number;
  npsAnswers: readonly { score: number; respondedAt: string }[];
}

/** The account's facts for the note covering `week` (instants: from included, to excluded). */
export function digestFacts(reads: DigestReads, week: { from: Date; to: Date }): DigestAccount {
  const { account, health } = reads;
  const inWeek = (instant: string) => {
    const time = Date.parse(instant);
    return time >= week.from.getTime() && time < week.to.getTime();
  };
  const localDay = (instant: string) => localDate(new Date(instant), account.timezone);
  const alert = health?.lastAlert;
  const degraded =
    alert && inWeek(alert.at) && alert.score !== undefined && alert.fromBand !== undefined && alert.measure !== undefined
      ? { score: alert.score, band: alert.band, fromBand: alert.fromBand, measure: alert.measure, day: alert.day }
      : undefined;
  const bandUp = health?.band !== undefined && reads.bandBefore !== undefined && RANK[health.band] > RANK[reads.bandBefore];
  // What the client started: an exchange logged, an e-mail of theirs, an NPS answer. The latest, before the note.
  const inbound = [reads.lastTouchpointAt, ...reads.clientEmailsAt, ...reads.npsAnswers.map(({ respondedAt }) => respondedAt)]
    .filter((instant): instant is string => instant !== undefined && Date.parse(instant) < week.to.getTime())
    .sort((a, b) => Date.parse(a) - Date.parse(b))
    .at(-1);
  return {
    id: account.id,
    name: account.name,
    csmId: account.csmId,
    ...(health?.score !== undefined && health.band !== undefined ? { health: { score: health.score, band: health.band } } : {}),
    ...(degraded ? { degraded } : {}),
    ...(bandUp ? { bandUpFrom: reads.bandBefore } : {}),
    ...(reads.lastActiveDay ? { lastActiveDay: reads.lastActiveDay } : {}),
    ...(inbound ? { lastInboundDay: localDay(inbound) } : {}),
    ...(account.renewalAt ? { renewalDay: localDay(account.renewalAt) } : {}),
    overdueTasks: reads.tasks.filter(({ status, dueAt }) => status === 'open' && Date.parse(dueAt) < week.to.getTime()).length,
    slaBreaches: reads.slaBreaches.filter(({ recordedAt }) => inWeek(recordedAt)).length,
    openAlerts: reads.openAlerts,
    promoters: reads.npsAnswers.filter(({ score, respondedAt }) => score >= PROMOTER && inWeek(respondedAt)).length,
  };
}
