import { daysBetween } from '../calendar/business-time.ts';
import type { HealthBand, HealthMeasure } from '../health/score.ts';

/**
 * The Monday note (docs/playbooks.md, digest; seed 004): what a CSM, or a team lead for their team,
 * should know of the week, from what the ledger holds of their accounts. Sections in a fixed order, an
 * empty one left out, and no digest at all when there is nothing to say. Pure: the facts in, the text out.
 */

/** What the digest reads of one account, as of the digest's Monday (local dates of the person). */
export interface DigestAccount {
  id: string;
  name: string;
  csmId: string;
  health?: { score: number; band: HealthBand } | undefined;
  /** A degradation raised during the week: the band it fell to and the measure that dragged it down. */
  degraded?: { score: number; band: HealthBand; fromBand: HealthBand; measure: HealthMeasure; day: string } | undefined;
  /** The band at the week's start, when it was lower than today's (good news). */
  bandUpFrom?: HealthBand | undefined;
  /** The account's latest day of use, and its latest exchange the client started (an e-mail, a call logged). */
  lastActiveDay?: string | undefined;
  lastInboundDay?: string | undefined;
  renewalDay?: string | undefined;
  overdueTasks: number;
  slaBreaches: number;
  /** Alerts posted and still without ✅. */
  openAlerts: number;
  /** Promoters (9–10) who answered during the week. */
  promoters: number;
}

export interface DigestSettings {
  /** No usage and no exchange started by the client for this many days: the account is ghosting. */
  ghostDays: number;
}

export interface DigestSection {
  title: string;
  lines: string[];
}

/**
 * The digest of `accounts` on `monday`, its sections in order: newly red and dropping, ghosting,
 * renewals in 30 then 90 days, overdue tasks and SLA breaches, alerts without ✅, good news. A team lead's
 * note names each account's CSM (`csmName`). Undefined: nothing to say (no digest is sent).
 */
export function composeDigest(accounts: readonly DigestAccount[], monday: string, settings: DigestSettings, { csmName }: { csmName?: (csmId: string) => string } = {}): DigestSection[] | undefined {
  const named = (account: DigestAccount) => (csmName ? `${account.name} (${csmName(account.csmId)})` : account.name);
  const sorted = [...accounts].sort((a, b) => a.name.localeCompare(b.name));
  const renewalIn = (account: DigestAccount) => (account.renewalDay === undefined ? undefined : daysBetween(monday, account.renewalDay));
  const idleSince = (day: string | undefined) => (day === undefined ? undefined : daysBetween(day, monday));
  const ghosting = (account: DigestAccount) => {
    const used = idleSince(account.lastActiveDay);
    const heard = idleSince(account.lastInboundDay);
    return used !== undefined && used >= settings.ghostDays && (heard === undefined || heard >= settings.ghostDays);
  };
  const sections: DigestSection[] = [
    {
      title: ':small_red_triangle_down: Newly red and dropping',
      lines: sorted.flatMap((account) => (account.degraded ? [`${named(account)}: ${account.degraded.score} ${account.degraded.band} (was ${account.degraded.fromBand}), ${account.degraded.measure} dragged it down`] : [])),
    },
    {
      title: ':ghost: Ghosting',
      lines: sorted.filter(ghosting).map((account) => `${named(account)}: no use for ${idleSince(account.lastActiveDay)} days, nothing from the client for ${account.lastInboundDay === undefined ? 'as long as we know' : `${idleSince(account.lastInboundDay)} days`}`),
    },
    {
      title: ':calendar: Renewals in the next 30 days',
      lines: sorted.flatMap((account) => {
        const days = renewalIn(account);
        return days !== undefined && days >= 0 && days <= 30 ? [`${named(account)}: ${account.renewalDay} (in ${days} days)`] : [];
      }),
    },
    {
      title: ':calendar: Renewals in 31 to 90 days',
      lines: sorted.flatMap((account) => {
        const days = renewalIn(account);
        return days !== undefined && days > 30 && days <= 90 ? [`${named(account)}: ${account.renewalDay} (in ${days} days)`] : [];
      }),
    },
    {
      title: ':hourglass: Overdue tasks and SLA breaches',
      lines: sorted.flatMap((account) =>
        account.overdueTasks + account.slaBreaches === 0 ? [] : [`${named(account)}: ${[account.overdueTasks > 0 ? plural(account.overdueTasks, 'overdue task') : '', account.slaBreaches > 0 ? plural(account.slaBreaches, 'SLA breach', 'SLA breaches') : ''].filter(Boolean).join(', ')}`],
      ),
    },
    {
      title: ':bell: Alerts without ✅',
      lines: sorted.flatMap((account) => (account.openAlerts > 0 ? [`${named(account)}: ${plural(account.openAlerts, 'alert')}`] : [])),
    },
    {
      title: ':sunny: Good news',
      lines: sorted.flatMap((account) => [
        ...(account.bandUpFrom && account.health ? [`${named(account)}: up to ${account.health.band} (${account.health.score}) from ${account.bandUpFrom}`] : []),
        ...(account.promoters > 0 ? [`${named(account)}: ${plural(account.promoters, 'promoter')} this week`] : []),
      ]),
    },
  ].filter((section) => section.lines.length > 0);
  return sections.length === 0 ? undefined : sections;
}

/** The digest as a message: a greeting line, then each section and its lines. */
export function digestText(personName: string, monday: string, sections: readonly DigestSection[]): string {
  return [`Your Monday note, ${personName}, for the week to ${monday}:`, ...sections.flatMap(({ title, lines }) => ['', `*${title}*`, ...lines.map((line) => `• ${line}`)])].join('\n');
}

function plural(count: number, singular: string, pluralForm = `${singular}s`): string {
  return `${count} ${count === 1 ? singular : pluralForm}`;
}
