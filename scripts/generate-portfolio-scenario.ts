// Writes examples/portfolio-month.scenario.json: a month of a 200-account portfolio (invented
// accounts, example.com addresses), deterministic, so the example can be regenerated after a
// contract change: `npx tsx scripts/generate-portfolio-scenario.ts`.
import { writeFileSync } from 'node:fs';
import type { AccountRecord, Person } from '../functions/contracts/index.ts';

const START = Date.parse('2026-11-02T07:00:00Z');
const DAY = 86_400_000;
const ACCOUNTS = 200;

/** A small deterministic PRNG: the same file on every run. */
let seed = 20261102;
const random = () => {
  seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
  return seed / 2 ** 31;
};
const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;

const PLACES = [
  { country: 'FR', timezone: 'Europe/Paris', language: 'fr', offset: '+01:00', city: 'Paris' },
  { country: 'FR', timezone: 'Europe/Paris', language: 'fr', offset: '+01:00', city: 'Lyon' },
  { country: 'BE', timezone: 'Europe/Brussels', language: 'fr', offset: '+01:00', city: 'Bruxelles' },
  { country: 'CH', timezone: 'Europe/Zurich', language: 'fr', offset: '+01:00', city: 'Genève' },
  { country: 'GB', timezone: 'Europe/London', language: 'en', offset: '+00:00', city: 'London' },
  { country: 'US', timezone: 'America/New_York', language: 'en', offset: '-05:00', city: 'Brooklyn' },
  { country: 'CA', timezone: 'America/Toronto', language: 'en', offset: '-05:00', city: 'Toronto' },
] as const;
const KINDS = ['Salon', 'Spa', 'Barbier', 'Institut', 'Studio'] as const;
const CSMS = ['csm-camille', 'csm-yanis', 'csm-ava', 'csm-louis', 'csm-nora'] as const;
/** The team (invented people): the report names them instead of their ids. */
const PEOPLE: Person[] = [
  { id: 'csm-camille', name: 'Camille Martin', slackId: 'U07CAMILLE', email: 'camille.martin@example.com', timezone: 'Europe/Paris', language: 'fr', role: 'csm' },
  { id: 'csm-yanis', name: 'Yanis Haddad', slackId: 'U07YANIS', email: 'yanis.haddad@example.com', timezone: 'Europe/Brussels', language: 'fr', role: 'csm' },
  { id: 'csm-ava', name: 'Ava Thompson', slackId: 'U07AVA', email: 'ava.thompson@example.com', timezone: 'America/New_York', language: 'en', role: 'csm' },
  { id: 'csm-louis', name: 'Louis Girard', slackId: 'U07LOUIS', email: 'louis.girard@example.com', timezone: 'Europe/Paris', language: 'fr', role: 'csm' },
  { id: 'csm-nora', name: 'Nora Keller', slackId: 'U07NORA', email: 'nora.keller@example.com', timezone: 'Europe/Zurich', language: 'en', role: 'csm' },
  { id: 'lead-jordan', name: 'Jordan Lefèvre', slackId: 'U07JORDAN', email: 'jordan.lefevre@example.com', timezone: 'Europe/Paris', language: 'fr', role: 'team-lead' },
  { id: 'sales-noa', name: 'Noa Perrin', slackId: 'U07NOA', email: 'noa.perrin@example.com', timezone: 'Europe/Paris', language: 'fr', role: 'sales' },
];

/** Local wall time on day `day` of the month, as ISO with the place's (winter) offset. */
function localTime(day: number, hour: number, minute: number, offset: string): string {
  const date = new Date(START + day * DAY).toISOString().slice(0, 10);
  return `${date}T${String(hour).padStart(2, '0')}:${String(minute).padStart(2, '0')}:00${offset}`;
}

const accounts: (AccountRecord & { offset: string })[] = Array.from({ length: ACCOUNTS }, (_, i) => {
  const place = pick(PLACES);
  const mrr = Math.round(200 + random() * 2600);
  const n = String(i + 1).padStart(3, '0');
  return {
    id: `acc-${n}`,
    name: `${pick(KINDS)} ${place.city} ${n}`,
    country: place.country,
    timezone: place.timezone,
    language: place.language,
    csmId: CSMS[i % CSMS.length]!,
    teamLeadId: 'lead-jordan',
    salesId: 'sales-noa',
    mrr,
    arr: mrr * 12,
    ...(random() < 0.6 ? { lastStoreOrderAt: localTime(-Math.floor(random() * 150), 15, 0, place.offset) } : {}),
    contacts: [
      { id: `ct-${n}-a`, email: `owner.${n}@example.com`, name: `Owner ${n}`, role: 'champion' },
      { id: `ct-${n}-b`, email: `staff.${n}@example.com`, name: `Staff ${n}`, role: 'user' },
    ],
    offset: place.offset,
  };
});

const events: object[] = [];
let counter = 0;
const id = (prefix: string) => `${prefix}-${String(++counter).padStart(5, '0')}`;

for (const account of accounts) {
  const { offset } = account;
  // About a third answer the monthly NPS survey.
  if (random() < 0.35) {
    const at = localTime(Math.floor(random() * 26), 8 + Math.floor(random() * 12), Math.floor(random() * 60), offset);
    const score = Math.floor(random() * 11);
    const contact = random() < 0.5 ? `ct-${account.id.slice(4)}-a` : `ct-${account.id.slice(4)}-b`;
    events.push({ at, type: 'NpsResponseReceived', detail: { eventId: id('evt-nps'), accountId: account.id, contactId: contact, score, respondedAt: at } });
    // Some detractors get a call before the cool-down ends: the playbook must not call them twice.
    if (score <= 6 && random() < 0.3) {
      const callAt = new Date(Date.parse(at) + DAY).toISOString();
      events.push({ at: callAt, type: 'TouchpointLogged', detail: { eventId: id('evt-call'), accountId: account.id, contactId: contact, channel: 'call', at: callAt } });
    }
  }
  // A few red alerts: competitor meetings from a few days to a month ahead.
  if (random() < 0.05) {
    const at = localTime(Math.floor(random() * 20), 9 + Math.floor(random() * 9), 30, offset);
    const meetingAt = localTime(Math.floor(random() * 20) + 3 + Math.floor(random() * 25), 14, 0, offset);
    if (Date.parse(meetingAt) > Date.parse(at)) {
      events.push({ at, type: 'CompetitorMeetingDetected', detail: { eventId: id('evt-red'), accountId: account.id, competitor: 'Planity', meetingAt, detectedAt: at } });
    }
  }
  // The CRM flags a few churn and downsell risks.
  if (random() < 0.04) {
    const at = localTime(Math.floor(random() * 26), 11, 0, offset);
    const kind = random() < 0.7 ? 'churn-risk' : 'downsell-risk';
    events.push({ at, type: 'ChurnRiskCreated', detail: { eventId: id('evt-crm'), accountId: account.id, kind, reason: 'Flagged by the account manager', createdAt: at } });
  }
}
events.sort((a, b) => Date.parse((a as { at: string }).at) - Date.parse((b as { at: string }).at));

const scenario = {
  start: new Date(START).toISOString(),
  until: new Date(START + 30 * DAY).toISOString(),
  // The company's review page: promoters get a review request (once per contact per 12 months).
  config: { nps: { reviewSite: 'G2', reviewUrl: 'https://reviews.example.com/cs-playbooks' }, people: PEOPLE },
  accounts: accounts.map(({ offset: _offset, ...account }) => account),
  events,
};
writeFileSync(new URL('../examples/portfolio-month.scenario.json', import.meta.url), `${JSON.stringify(scenario, null, 2)}\n`);
console.log(`examples/portfolio-month.scenario.json: ${accounts.length} accounts, ${events.length} events`);
