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

/** The languages a note is written in: the person's (the people directory). */
export type DigestLanguage = 'fr' | 'en';

/** What a note says, in each language: titles, and each line's words around the figures. */
const WORDS: Record<DigestLanguage, {
  greeting: (name: string, monday: string) => string;
  subject: (monday: string) => string;
  colon: string;
  band: Record<HealthBand, string>;
  measure: Record<HealthMeasure, string>;
  titles: [degraded: string, ghosting: string, renewals30: string, renewals90: string, late: string, alerts: string, goodNews: string];
  degraded: (score: number, band: string, fromBand: string, measure: string) => string;
  ghosting: (idleDays: number, silentDays: number | undefined) => string;
  renewal: (day: string, days: number) => string;
  late: { task: Plural; breach: Plural };
  alert: Plural;
  bandUp: (band: string, score: number, from: string) => string;
  promoters: (count: number) => string;
}> = {
  en: {
    greeting: (name, monday) => `Your Monday note, ${name}, for the week to ${monday}:`,
    subject: (monday) => `Your Monday note for the week to ${monday}`,
    colon: ':',
    band: { red: 'red', yellow: 'yellow', green: 'green' },
    measure: { usage: 'usage', engagement: 'engagement', nps: 'NPS', pulse: 'the CSM pulse', support: 'support' },
    titles: [
      ':small_red_triangle_down: Newly red and dropping',
      ':ghost: Ghosting',
      ':calendar: Renewals in the next 30 days',
      ':calendar: Renewals in 31 to 90 days',
      ':hourglass: Overdue tasks and SLA breaches',
      ':bell: Alerts without ✅',
      ':sunny: Good news',
    ],
    degraded: (score, band, fromBand, measure) => `${score} ${band} (was ${fromBand}), ${measure} dragged it down`,
    ghosting: (idle, silent) => `no use for ${idle} days, nothing from the client for ${silent === undefined ? 'as long as we know' : `${silent} days`}`,
    renewal: (day, days) => `${day} (in ${days} days)`,
    late: { task: ['overdue task', 'overdue tasks'], breach: ['SLA breach', 'SLA breaches'] },
    alert: ['alert', 'alerts'],
    bandUp: (band, score, from) => `up to ${band} (${score}) from ${from}`,
    promoters: (count) => `${plural(count, ['promoter', 'promoters'])} this week`,
  },
  fr: {
    greeting: (name, monday) => `Votre note du lundi, ${name}, pour la semaine au ${monday} :`,
    subject: (monday) => `Votre note du lundi, semaine au ${monday}`,
    colon: ' :',
    band: { red: 'rouge', yellow: 'jaune', green: 'vert' },
    measure: { usage: "l'usage", engagement: "l'engagement", nps: 'le NPS', pulse: 'le ressenti du CSM', support: 'le support' },
    titles: [
      ':small_red_triangle_down: Passés au rouge ou en chute',
      ':ghost: Silencieux',
      ':calendar: Renouvellements dans les 30 jours',
      ':calendar: Renouvellements dans 31 à 90 jours',
      ':hourglass: Tâches en retard et SLA dépassés',
      ':bell: Alertes sans ✅',
      ':sunny: Bonnes nouvelles',
    ],
    degraded: (score, band, fromBand, measure) => `${score} ${band} (était ${fromBand}), tiré vers le bas par ${measure}`,
    ghosting: (idle, silent) => `aucune utilisation depuis ${idle} jours, rien du client depuis ${silent === undefined ? 'toujours, à notre connaissance' : `${silent} jours`}`,
    renewal: (day, days) => `${day} (dans ${days} jours)`,
    late: { task: ['tâche en retard', 'tâches en retard'], breach: ['SLA dépassé', 'SLA dépassés'] },
    alert: ['alerte', 'alertes'],
    bandUp: (band, score, from) => `passé à ${band} (${score}), depuis ${from}`,
    promoters: (count) => `${plural(count, ['promoteur', 'promoteurs'])} cette semaine`,
  },
};

type Plural = readonly [one: string, many: string];

/**
 * The digest of `accounts` on `monday`, its sections in order: newly red and dropping, ghosting,
 * renewals in 30 then 90 days, overdue tasks and SLA breaches, alerts without ✅, good news, in the
 * person's `language` (English by default). A team lead's note names each account's CSM (`csmName`).
 * Undefined: nothing to say (no digest is sent).
 */
export function composeDigest(
  accounts: readonly DigestAccount[],
  monday: string,
  settings: DigestSettings,
  { csmName, language = 'en' }: { csmName?: (csmId: string) => string; language?: DigestLanguage } = {},
): DigestSection[] | undefined {
  const words = WORDS[language];
  const line = (account: DigestAccount, text: string) => `${csmName ? `${account.name} (${csmName(account.csmId)})` : account.name}${words.colon} ${text}`;
  const sorted = [...accounts].sort((a, b) => a.name.localeCompare(b.name));
  const renewalIn = (account: DigestAccount) => (account.renewalDay === undefined ? undefined : daysBetween(monday, account.renewalDay));
  const idleSince = (day: string | undefined) => (day === undefined ? undefined : daysBetween(day, monday));
  const ghosting = (account: DigestAccount) => {
    const used = idleSince(account.lastActiveDay);
    const heard = idleSince(account.lastInboundDay);
    return used !== undefined && used >= settings.ghostDays && (heard === undefined || heard >= settings.ghostDays);
  };
  const renewals = (from: number, to: number) =>
    sorted.flatMap((account) => {
      const days = renewalIn(account);
      return days !== undefined && days >= from && days <= to ? [line(account, words.renewal(account.renewalDay!, days))] : [];
    });
  const [degradedTitle, ghostingTitle, renewals30Title, renewals90Title, lateTitle, alertsTitle, goodNewsTitle] = words.titles;
  const sections: DigestSection[] = [
    {
      title: degradedTitle,
      lines: sorted.flatMap((account) => {
        const drop = account.degraded;
        return drop ? [line(account, words.degraded(drop.score, words.band[drop.band], words.band[drop.fromBand], words.measure[drop.measure]))] : [];
      }),
    },
    { title: ghostingTitle, lines: sorted.filter(ghosting).map((account) => line(account, words.ghosting(idleSince(account.lastActiveDay)!, idleSince(account.lastInboundDay)))) },
    { title: renewals30Title, lines: renewals(0, 30) },
    { title: renewals90Title, lines: renewals(31, 90) },
    {
      title: lateTitle,
      lines: sorted.flatMap((account) =>
        account.overdueTasks + account.slaBreaches === 0
          ? []
          : [line(account, [account.overdueTasks > 0 ? plural(account.overdueTasks, words.late.task) : '', account.slaBreaches > 0 ? plural(account.slaBreaches, words.late.breach) : ''].filter(Boolean).join(', '))],
      ),
    },
    { title: alertsTitle, lines: sorted.flatMap((account) => (account.openAlerts > 0 ? [line(account, plural(account.openAlerts, words.alert))] : [])) },
    {
      title: goodNewsTitle,
      lines: sorted.flatMap((account) => [
        ...(account.bandUpFrom && account.health ? [line(account, words.bandUp(words.band[account.health.band], account.health.score, words.band[account.bandUpFrom]))] : []),
        ...(account.promoters > 0 ? [line(account, words.promoters(account.promoters))] : []),
      ]),
    },
  ].filter((section) => section.lines.length > 0);
  return sections.length === 0 ? undefined : sections;
}

/** The digest as a message: a greeting line, then each section and its lines. */
export function digestText(personName: string, monday: string, sections: readonly DigestSection[], language: DigestLanguage = 'en'): string {
  return [WORDS[language].greeting(personName, monday), ...sections.flatMap(({ title, lines }) => ['', `*${title}*`, ...lines.map((line) => `• ${line}`)])].join('\n');
}

/** The digest e-mail's subject. */
export function digestSubject(monday: string, language: DigestLanguage = 'en'): string {
  return WORDS[language].subject(monday);
}

function plural(count: number, [one, many]: Plural): string {
  return `${count} ${count === 1 ? one : many}`;
}
