import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { AwsServiceUnavailable } from '../../functions/adapters/aws-unavailable.ts';
import type { FunctionInterceptor } from '../../sandbox/runtime/sandbox.ts';
import { parseScenario } from '../../sandbox/simulate/scenario.ts';
import { simulate } from '../../sandbox/simulate/simulate.ts';
import { npsAnswer, parisAccount, run } from '../support/scenario.ts';
import { startLocalSes } from '../support/vendors/ses.ts';
import { startLocalSlack } from '../support/vendors/slack.ts';

// The Monday digest of docs/playbooks.md (digest), end to end in the sandbox: two CSMs and their team
// lead, over two Mondays either side of Europe's change to summer time (29 March 2026). Each gets their
// note at 08:00 in their own zone, by Slack and by e-mail, once per week, even when the step that sends
// it runs again (its retries) and its execution is redriven.

const people = [
  { id: 'csm-camille', name: 'Camille Martin', slackId: 'U0CAMILLE', email: 'camille@cs.example.com', timezone: 'Europe/Paris', language: 'fr', role: 'csm' },
  { id: 'csm-hugo', name: 'Hugo Petit', slackId: 'U0HUGO', email: 'hugo@cs.example.com', timezone: 'America/New_York', language: 'en', role: 'csm' },
  { id: 'lead-jordan', name: 'Jordan Lefèvre', slackId: 'U0JORDAN', email: 'jordan@cs.example.com', timezone: 'Europe/Paris', language: 'fr', role: 'team-lead' },
  // A CSM with no account yet: nothing to say, no note.
  { id: 'csm-zoe', name: 'Zoé Marchand', slackId: 'U0ZOE', timezone: 'Europe/Paris', language: 'fr', role: 'csm' },
  // Sales get no digest.
  { id: 'sales-sam', name: 'Sam Vendeur', timezone: 'Europe/Paris', language: 'fr', role: 'sales' },
];
const scenario = {
  start: '2026-03-16T09:00:00+01:00',
  until: '2026-04-01T00:00:00+02:00',
  config: { people, digest: { channels: ['slack', 'email'] } },
  accounts: [
    // Renewing on 15 May (53 days after the first Monday, 46 after the second) and on 20 April (28, then 21).
    parisAccount({ renewalAt: '2026-05-15T00:00:00+02:00' }),
    parisAccount({ id: 'acc-boston', name: 'Boston Barbers', renewalAt: '2026-04-20T00:00:00-04:00', country: 'US', timezone: 'America/New_York', language: 'en', csmId: 'csm-hugo', contacts: [{ id: 'ct-boston', email: 'owner@boston.example.com', name: 'Pat Owner', role: 'champion' }] }),
  ],
  // A promoter at Boston Barbers in the first week: good news for Hugo and Jordan on the 23rd only.
  // A call on the 31st: the simulation runs until its last event (or until no execution waits).
  events: [
    npsAnswer('2026-03-18T10:00:00-04:00', 10, { accountId: 'acc-boston', contactId: 'ct-boston' }),
    { at: '2026-03-31T10:00:00+02:00', type: 'TouchpointLogged', detail: { eventId: 'evt-call-end', accountId: 'acc-paris', contactId: 'ct-champion', channel: 'call', at: '2026-03-31T10:00:00+02:00' } },
  ],
};

const BOT_TOKEN = 'xoxb-digest-test';
const CHANNEL = 'C0ALERTS';
const REGION = 'eu-west-3';
const CREDENTIALS = { accessKeyId: 'AKIADIGESTTEST000001', secretAccessKey: 'digest-sandbox-secret-access-key' };

/** Attempts of one execution of a stage job's step after an AWS outage: its first try and its 20 retries (lib/failure-policies.ts). */
const ATTEMPTS_PER_RUN = 21;

const sentAt = (report: Awaited<ReturnType<typeof run>>) => report.digests.map(({ personId, at, delivered }) => ({ personId, at, delivered }));

describe('the Monday digest, two Mondays across the change to summer time', () => {
  it('given two CSMs (Paris, New York) and their team lead (Paris), then each gets one note each Monday at 08:00 in their own zone, by Slack and by e-mail; a CSM with nothing to say none, and sales none', async () => {
    const report = await run(scenario);

    const once = { slack: 1, email: 1 };
    expect(sentAt(report)).toEqual([
      { personId: 'csm-camille', at: '2026-03-23T08:00:00+01:00', delivered: once },
      { personId: 'csm-hugo', at: '2026-03-23T08:00:00-04:00', delivered: once },
      { personId: 'csm-zoe', at: '2026-03-23T08:00:00+01:00', delivered: { slack: 0, email: 0 } },
      { personId: 'lead-jordan', at: '2026-03-23T08:00:00+01:00', delivered: once },
      // Paris is on summer time since the 29th: 08:00 is now 06:00 UTC.
      { personId: 'csm-camille', at: '2026-03-30T08:00:00+02:00', delivered: once },
      { personId: 'csm-hugo', at: '2026-03-30T08:00:00-04:00', delivered: once },
      { personId: 'csm-zoe', at: '2026-03-30T08:00:00+02:00', delivered: { slack: 0, email: 0 } },
      { personId: 'lead-jordan', at: '2026-03-30T08:00:00+02:00', delivered: once },
    ]);
    expect(report.digests.filter(({ personId }) => personId === 'csm-zoe').map(({ text }) => text)).toEqual([undefined, undefined]);
    // A run at 00:00 UTC on Sundays, Mondays and Tuesdays (17, 22–24 and 29–31 March): the Mondays' found the notes.
    expect(report.scheduledRuns.find(({ playbook }) => playbook === 'monday-digest')).toMatchObject({ schedule: 'every SUN, MON, TUE at 00:00 (UTC)', runs: 7, succeeded: 7, failed: [] });
  });

  it('given Slack and SES, and the sending step failing after its work (the answer lost) until its retries run out, then the execution is redriven, and Slack and SES each got every note once', async () => {
    const slack = await startLocalSlack({ botToken: BOT_TOKEN, channels: [CHANNEL], users: ['U0CAMILLE', 'U0HUGO', 'U0JORDAN'] });
    const ses = await startLocalSes({ region: REGION, credentials: CREDENTIALS, verifiedIdentities: ['cs.example.com'] });
    try {
      // Every attempt of the first Monday's sending runs, then "times out": its retries, then the failed execution's redrive.
      let failures = 0;
      const intercept: FunctionInterceptor = async (action, input, call) => {
        const answer = await call();
        if (action === 'send-digests' && failures < ATTEMPTS_PER_RUN) {
          failures += 1;
          throw new AwsServiceUnavailable('Lambda Invoke', 'ServiceException');
        }
        return answer;
      };
      const report = await simulate(parseScenario(scenario), {
        intercept,
        vendorEnvironment: {
          SLACK_BOT_TOKEN: BOT_TOKEN,
          SLACK_ALERT_CHANNEL: CHANNEL,
          SLACK_API_URL: slack.apiUrl,
          SES_FROM_ADDRESS: 'cs@cs.example.com',
          SES_REGION: REGION,
          SES_ENDPOINT: ses.url,
          AWS_ACCESS_KEY_ID: CREDENTIALS.accessKeyId,
          AWS_SECRET_ACCESS_KEY: CREDENTIALS.secretAccessKey,
        },
      });

      expect(failures).toBe(ATTEMPTS_PER_RUN);
      expect(report.scheduledRuns.find(({ playbook }) => playbook === 'monday-digest')).toMatchObject({ runs: 7, failed: [] });
      // What the vendors received, counted at the vendors: one direct message (in the bot's conversation with the member, D…) and one e-mail per person and Monday.
      const notes = slack.messages.filter((message) => /^(Your|Votre) (Monday note|note du lundi)/.test(message.text));
      expect(notes.map(({ channel, text }) => `${channel} ${text.split('\n')[0]}`).sort()).toEqual([
        'D0CAMILLE Votre note du lundi, Camille Martin, pour la semaine au 2026-03-23 :',
        'D0CAMILLE Votre note du lundi, Camille Martin, pour la semaine au 2026-03-30 :',
        'D0HUGO Your Monday note, Hugo Petit, for the week to 2026-03-23:',
        'D0HUGO Your Monday note, Hugo Petit, for the week to 2026-03-30:',
        'D0JORDAN Votre note du lundi, Jordan Lefèvre, pour la semaine au 2026-03-23 :',
        'D0JORDAN Votre note du lundi, Jordan Lefèvre, pour la semaine au 2026-03-30 :',
      ]);
      expect(ses.sent.map(({ to, subject }) => `${to.join()} ${subject}`).sort()).toEqual([
        'camille@cs.example.com Votre note du lundi, semaine au 2026-03-23',
        'camille@cs.example.com Votre note du lundi, semaine au 2026-03-30',
        'hugo@cs.example.com Your Monday note for the week to 2026-03-23',
        'hugo@cs.example.com Your Monday note for the week to 2026-03-30',
        'jordan@cs.example.com Votre note du lundi, semaine au 2026-03-23',
        'jordan@cs.example.com Votre note du lundi, semaine au 2026-03-30',
      ]);
      expect(slack.refusals).toEqual([]);
      expect(ses.refusals).toEqual([]);
    } finally {
      await slack.close();
      await ses.close();
    }
  });

  it('then each reads their own accounts; the team lead reads the team\'s, each with its CSM; the week\'s promoter only in the first week', async () => {
    const report = await run(scenario);
    const text = (personId: string, monday: string) => report.digests.find((digest) => digest.personId === personId && digest.monday === monday)?.text;

    // Camille and Jordan read French (the directory's language), Hugo English.
    expect(text('csm-camille', '2026-03-23')).toBe(
      'Votre note du lundi, Camille Martin, pour la semaine au 2026-03-23 :\n\n*:calendar: Renouvellements dans 31 à 90 jours*\n• Salon Test Paris : 2026-05-15 (dans 53 jours)',
    );
    expect(text('csm-hugo', '2026-03-23')).toBe(
      'Your Monday note, Hugo Petit, for the week to 2026-03-23:\n\n*:calendar: Renewals in the next 30 days*\n• Boston Barbers: 2026-04-20 (in 28 days)\n\n*:sunny: Good news*\n• Boston Barbers: 1 promoter this week',
    );
    expect(text('csm-hugo', '2026-03-30')).toBe('Your Monday note, Hugo Petit, for the week to 2026-03-30:\n\n*:calendar: Renewals in the next 30 days*\n• Boston Barbers: 2026-04-20 (in 21 days)');
    expect(text('lead-jordan', '2026-03-23')).toBe(
      [
        'Votre note du lundi, Jordan Lefèvre, pour la semaine au 2026-03-23 :',
        '',
        '*:calendar: Renouvellements dans les 30 jours*',
        '• Boston Barbers (Hugo Petit) : 2026-04-20 (dans 28 jours)',
        '',
        '*:calendar: Renouvellements dans 31 à 90 jours*',
        '• Salon Test Paris (Camille Martin) : 2026-05-15 (dans 53 jours)',
        '',
        '*:sunny: Bonnes nouvelles*',
        '• Boston Barbers (Hugo Petit) : 1 promoteur cette semaine',
      ].join('\n'),
    );
  });
});

describe('the Monday digest: the example of the repository (examples/monday-digest.scenario.json)', () => {
  it('given the same team and a detractor at Salon Iris on Wednesday the 25th, then six notes, and Camille\'s second one names its three overdue tasks', async () => {
    const report = await simulate(parseScenario(JSON.parse(readFileSync('examples/monday-digest.scenario.json', 'utf8'))));

    expect(report.digests.map(({ personId, at, delivered }) => `${personId} ${at} ${delivered.slack}+${delivered.email}`)).toEqual([
      'csm-camille 2026-03-23T08:00:00+01:00 1+1',
      'csm-hugo 2026-03-23T08:00:00-04:00 1+1',
      'lead-jordan 2026-03-23T08:00:00+01:00 1+1',
      'csm-camille 2026-03-30T08:00:00+02:00 1+1',
      'csm-hugo 2026-03-30T08:00:00-04:00 1+1',
      'lead-jordan 2026-03-30T08:00:00+02:00 1+1',
    ]);
    expect(report.digests[3]!.text).toContain('*:hourglass: Tâches en retard et SLA dépassés*\n• Salon Iris : 3 tâches en retard');
  });
});
