import { formatLocalIso } from '../calendar/business-time.ts';
import type { HealthBand, HealthMeasure } from '../health/score.ts';
import type { DigestAccount } from './compose.ts';

/**
 * What the Monday note says of one account, from what the ledger holds of it (docs/playbooks.md,
 * digest). Pure: the ledger's reads in, the account's digest facts out. "The week" is the seven days
 * before the digest's instant.
 */

const RANK: Record<HealthBand, number> = { red: 0, yellow: 1, green: 2 };
const WEEK_MS = 7 * 86_400_000;
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
  /** The band of the day before the week, from the day's score. */
  bandBefore?: HealthBand | undefined;
  lastActiveDay?: string | undefined;
  /** The latest exchange logged (a call, a meeting, an e-mail exchange, a QBR): its instant. */
  lastTouchpointAt?: string | undefined;
  tasks: readonly { status: 'open' | 'completed'; dueAt: string }[];
  slaBreaches: readonly { recordedAt: string }[];
  openAlerts: number;
  npsAnswers: readonly { score: number; respondedAt: string }[];
}

/** The account's facts for the digest due at `at` (its Monday `monday`, the person's local date). */
export function digestFacts(reads: DigestReads, at: Date): DigestAccount {
  const { account, health } = reads;
  const inWeek = (instant: string) => {
    const time = Date.parse(instant);
    return time >= at.getTime() - WEEK_MS && time < at.getTime();
  };
  const alert = health?.lastAlert;
  const degraded =
    alert && inWeek(alert.at) && alert.score !== undefined && alert.fromBand !== undefined && alert.measure !== undefined
      ? { score: alert.score, band: alert.band, fromBand: alert.fromBand, measure: alert.measure, day: alert.day }
      : undefined;
  const localDay = (instant: string) => formatLocalIso(new Date(instant), account.timezone).slice(0, 10);
  const bandUp = health?.band !== undefined && reads.bandBefore !== undefined && RANK[health.band] > RANK[reads.bandBefore];
  return {
    id: account.id,
    name: account.name,
    csmId: account.csmId,
    ...(health?.score !== undefined && health.band !== undefined ? { health: { score: health.score, band: health.band } } : {}),
    ...(degraded ? { degraded } : {}),
    ...(bandUp ? { bandUpFrom: reads.bandBefore } : {}),
    ...(reads.lastActiveDay ? { lastActiveDay: reads.lastActiveDay } : {}),
    ...(reads.lastTouchpointAt ? { lastInboundDay: localDay(reads.lastTouchpointAt) } : {}),
    ...(account.renewalAt ? { renewalDay: localDay(account.renewalAt) } : {}),
    overdueTasks: reads.tasks.filter(({ status, dueAt }) => status === 'open' && Date.parse(dueAt) < at.getTime()).length,
    slaBreaches: reads.slaBreaches.filter(({ recordedAt }) => inWeek(recordedAt)).length,
    openAlerts: reads.openAlerts,
    promoters: reads.npsAnswers.filter(({ score, respondedAt }) => score >= PROMOTER && inWeek(respondedAt)).length,
  };
}
