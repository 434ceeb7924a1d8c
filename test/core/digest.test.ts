import { describe, expect, it } from 'vitest';
import { composeDigest, digestSubject, digestText, type DigestAccount } from '../../functions/core/digest/compose.ts';
import { digestDueBetween, digestId } from '../../functions/core/digest/schedule.ts';

// docs/playbooks.md, digest: every Monday at digest.time in each person's time zone, one note per CSM
// and per team lead; empty sections left out, no note when there is nothing to say.

describe('when the Monday note is due', () => {
  const hour = (utc: string) => [new Date(Date.parse(utc) - 3_600_000), new Date(utc)] as const;

  it('given a CSM in Paris, then 08:00 Paris: 07:00 UTC on 23 March (winter time), 06:00 UTC on 30 March (summer time, since the 29th)', () => {
    expect(digestDueBetween(...hour('2026-03-23T07:00:00Z'), '08:00', 'Europe/Paris')?.monday).toBe('2026-03-23');
    expect(digestDueBetween(...hour('2026-03-23T06:00:00Z'), '08:00', 'Europe/Paris')).toBeUndefined();
    expect(digestDueBetween(...hour('2026-03-30T06:00:00Z'), '08:00', 'Europe/Paris')?.monday).toBe('2026-03-30');
    expect(digestDueBetween(...hour('2026-03-30T07:00:00Z'), '08:00', 'Europe/Paris')).toBeUndefined();
  });

  it('given a team lead in New York (summer time since 8 March), then 12:00 UTC both Mondays', () => {
    expect(digestDueBetween(...hour('2026-03-23T12:00:00Z'), '08:00', 'America/New_York')?.monday).toBe('2026-03-23');
    expect(digestDueBetween(...hour('2026-03-30T12:00:00Z'), '08:00', 'America/New_York')?.monday).toBe('2026-03-30');
  });

  it('given any hour of a Tuesday, or 08:00 on a Sunday, then nothing is due', () => {
    expect(digestDueBetween(...hour('2026-03-24T07:00:00Z'), '08:00', 'Europe/Paris')).toBeUndefined();
    expect(digestDueBetween(...hour('2026-03-22T07:00:00Z'), '08:00', 'Europe/Paris')).toBeUndefined();
  });

  it('given a run that covers a missed day (from Sunday to Monday noon), then Monday\'s note is still due', () => {
    expect(digestDueBetween(new Date('2026-03-22T05:00:00Z'), new Date('2026-03-23T11:00:00Z'), '08:00', 'Europe/Paris')?.monday).toBe('2026-03-23');
  });

  it('then one note per person and week: its id from the person and the Monday', () => {
    expect(digestId('csm-camille', '2026-03-23')).toBe('digest-csm-camille-2026-03-23');
  });
});

const quiet = (overrides: Partial<DigestAccount> = {}): DigestAccount => ({
  id: 'acc-quiet',
  name: 'Salon Calme',
  csmId: 'csm-camille',
  health: { score: 80, band: 'green' },
  lastActiveDay: '2026-03-20',
  overdueTasks: 0,
  slaBreaches: 0,
  openAlerts: 0,
  promoters: 0,
  ...overrides,
});
const MONDAY = '2026-03-23';

describe('what the Monday note says', () => {
  it('given accounts with nothing to tell, then no note at all', () => {
    expect(composeDigest([quiet(), quiet({ id: 'acc-2', name: 'Spa Calme' })], MONDAY, { ghostDays: 30 })).toBeUndefined();
  });

  it('given a drop, a ghosting account and a renewal in 20 days, then those three sections only, in order, each naming what moved', () => {
    const sections = composeDigest(
      [
        quiet({ name: 'Institut Lumière', degraded: { score: 42, band: 'red', fromBand: 'yellow', measure: 'usage', day: '2026-03-19' } }),
        quiet({ name: 'Salon Silence', lastActiveDay: '2026-02-10', lastInboundDay: '2026-02-01' }),
        quiet({ name: 'Spa Renouveau', renewalDay: '2026-04-12' }),
      ],
      MONDAY,
      { ghostDays: 30 },
    );
    expect(sections).toEqual([
      { title: ':small_red_triangle_down: Newly red and dropping', lines: ['Institut Lumière: 42 red (was yellow), usage dragged it down'] },
      { title: ':ghost: Ghosting', lines: ['Salon Silence: no use for 41 days, nothing from the client for 50 days'] },
      { title: ':calendar: Renewals in the next 30 days', lines: ['Spa Renouveau: 2026-04-12 (in 20 days)'] },
    ]);
  });

  it('given an account unused for 40 days whose client wrote last week, then it is not ghosting', () => {
    expect(composeDigest([quiet({ lastActiveDay: '2026-02-11', lastInboundDay: '2026-03-17' })], MONDAY, { ghostDays: 30 })).toBeUndefined();
  });

  it('given the team lead\'s note, then each line names the account\'s CSM; the good news last', () => {
    const sections = composeDigest([quiet({ bandUpFrom: 'yellow', promoters: 2 }), quiet({ name: 'Salon Retard', csmId: 'csm-hugo', overdueTasks: 2, slaBreaches: 1, openAlerts: 1 })], MONDAY, { ghostDays: 30 }, { csmName: (id) => ({ 'csm-hugo': 'Hugo Petit', 'csm-camille': 'Camille Martin' })[id] ?? id });
    expect(sections!.map(({ title }) => title)).toEqual([':hourglass: Overdue tasks and SLA breaches', ':bell: Alerts without ✅', ':sunny: Good news']);
    expect(sections![0]!.lines).toEqual(['Salon Retard (Hugo Petit): 2 overdue tasks, 1 SLA breach']);
    expect(sections![2]!.lines).toEqual(['Salon Calme (Camille Martin): up to green (80) from yellow', 'Salon Calme (Camille Martin): 2 promoters this week']);
  });

  it('then the message reads as a note: a greeting, each section bold, a bullet per line', () => {
    const sections = composeDigest([quiet({ renewalDay: '2026-05-01' })], MONDAY, { ghostDays: 30 })!;
    expect(digestText('Camille Martin', MONDAY, sections)).toBe('Your Monday note, Camille Martin, for the week to 2026-03-23:\n\n*:calendar: Renewals in 31 to 90 days*\n• Salon Calme: 2026-05-01 (in 39 days)');
  });

  it('given a French-speaking CSM, then the note is in French, figures and dates as they are', () => {
    const sections = composeDigest(
      [
        quiet({ name: 'Institut Lumière', degraded: { score: 42, band: 'red', fromBand: 'yellow', measure: 'usage', day: '2026-03-19' } }),
        quiet({ name: 'Spa Renouveau', renewalDay: '2026-04-12', overdueTasks: 1, promoters: 2 }),
      ],
      MONDAY,
      { ghostDays: 30 },
      { language: 'fr' },
    )!;
    expect(digestText('Camille Martin', MONDAY, sections, 'fr')).toBe(
      [
        'Votre note du lundi, Camille Martin, pour la semaine au 2026-03-23 :',
        '',
        '*:small_red_triangle_down: Passés au rouge ou en chute*',
        "• Institut Lumière : 42 rouge (était jaune), tiré vers le bas par l'usage",
        '',
        '*:calendar: Renouvellements dans les 30 jours*',
        '• Spa Renouveau : 2026-04-12 (dans 20 jours)',
        '',
        '*:hourglass: Tâches en retard et SLA dépassés*',
        '• Spa Renouveau : 1 tâche en retard',
        '',
        '*:sunny: Bonnes nouvelles*',
        '• Spa Renouveau : 2 promoteurs cette semaine',
      ].join('\n'),
    );
    expect(digestSubject(MONDAY, 'fr')).toBe('Votre note du lundi, semaine au 2026-03-23');
  });
});
