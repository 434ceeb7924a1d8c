import { afterEach, describe, expect, it } from 'vitest';
import { adaptersFromEnvironment, alertChannelFromEnvironment, crmFromEnvironment, financeChannelFromEnvironment, mailerFromEnvironment } from '../../functions/adapters/from-environment.ts';
import { InMemoryOutbox, reportNotifications } from '../../functions/adapters/outbox/outbox.ts';
import type { EmailToSend } from '../../functions/adapters/ports.ts';
import { ContractError } from '../../functions/contracts/index.ts';
import { renderEmail } from '../../functions/core/emails/templates.ts';
import { startLocalHubSpot, type LocalHubSpot } from '../support/vendors/hubspot.ts';
import { startLocalSes, type LocalSes } from '../support/vendors/ses.ts';
import { startLocalSlack, type LocalSlack } from '../support/vendors/slack.ts';

// "An environment without a CRM or Slack configured still works": the outbox adapters record what
// would have been sent; adaptersFromEnvironment picks the real adapter only when its vendor is set up.

const NOW = new Date('2026-11-10T09:15:00.000Z');
const now = () => NOW;

const email: EmailToSend = {
  idempotencyKey: 'eml-1',
  accountId: 'acc-1',
  to: 'camille.champion@example.com',
  language: 'en',
  template: 'review-request',
  ...renderEmail(
    { template: 'review-request', variables: { contactName: 'Camille', csmName: 'Alex Martin', reviewSite: 'Capterra', reviewUrl: 'https://reviews.example.com/cs' } },
    'en',
  ),
};

describe('an environment with no vendor configured', () => {
  it('given no Slack, CRM or SES settings, when the adapters are built, then every port records into the outbox', () => {
    const adapters = adaptersFromEnvironment({ AWS_REGION: 'eu-west-3', SLACK_BOT_TOKEN: '  ' }, { now, outbox: new InMemoryOutbox() });

    expect(adapters.modes).toEqual({ alerts: 'outbox', crm: 'outbox', mailer: 'outbox', finance: 'outbox' });
  });

  it('given the outbox, when a direct notification and a refund request are sent twice, then each is recorded once, the refund request is found by its key, and the notification is a report row for that person', async () => {
    const { alerts, finance, outbox } = adaptersFromEnvironment({}, { now, outbox: new InMemoryOutbox() });
    const since = NOW.toISOString();

    expect(await finance.findRefundRequest({ idempotencyKey: 'rfd-1', accountId: 'acc-1', since })).toBeUndefined();
    for (let attempt = 0; attempt < 2; attempt++) {
      await alerts.notifyPerson({ idempotencyKey: 'ntf-1', accountId: 'acc-1', recipientId: 'onb-olga', topic: 'pre-churn', text: 'Pre-churn: Salon Exemple wants to cancel' });
      await finance.postRefundRequest({ idempotencyKey: 'rfd-1', accountId: 'acc-1', caseId: 'pch-1', text: 'Refund request (pre-churn)' });
    }

    const entries = await outbox.list();
    expect(entries.map((e) => `${e.kind}:${e.idempotencyKey}`)).toEqual(['direct-notification:ntf-1', 'refund-request:rfd-1']);
    expect(await finance.findRefundRequest({ idempotencyKey: 'rfd-1', accountId: 'acc-1', since })).toEqual({ channel: 'outbox:finance', ts: 'rfd-1' });
    expect(reportNotifications(entries)).toEqual([
      { channel: 'direct:onb-olga', accountId: 'acc-1', type: 'pre-churn', text: 'Pre-churn: Salon Exemple wants to cancel', at: NOW.toISOString() },
    ]);
  });

  it('given the outbox, when alerts, CRM records and e-mails are sent twice with the same keys, then each is recorded once, and the report rows read from it', async () => {
    const { alerts, crm, mailer, outbox } = adaptersFromEnvironment({}, { now, outbox: new InMemoryOutbox() });

    for (let attempt = 0; attempt < 2; attempt++) {
      const message = await alerts.postAlert({ idempotencyKey: 'alert-1', accountId: 'acc-1', type: 'churn-risk', text: 'Churn risk: Salon Exemple' });
      await alerts.acknowledge({ idempotencyKey: 'ack-1', accountId: 'acc-1', message });
      await crm.upsertTask({ idempotencyKey: 'tsk-1', accountId: 'acc-1', kind: 'churn-risk-info-and-meeting', title: 'Churn risk', dueAt: '2026-11-10T18:00:00+01:00' });
      await mailer.send(email);
    }
    const risk = await crm.upsertRisk({ idempotencyKey: 'rsk-1', accountId: 'acc-1', kind: 'churn-risk', title: 'Churn risk', status: 'open' });
    const closed = await crm.upsertRisk({ idempotencyKey: 'rsk-1', accountId: 'acc-1', kind: 'churn-risk', title: 'Churn risk', status: 'saved' });

    const entries = await outbox.list();
    expect(entries.map((e) => `${e.kind}:${e.idempotencyKey}`)).toEqual(['alert-posted:alert-1', 'alert-acknowledged:ack-1', 'crm-task:tsk-1', 'email:eml-1', 'crm-risk:rsk-1']);
    expect(risk).toEqual({ crmId: 'outbox:rsk-1', created: true });
    expect(closed).toEqual({ crmId: 'outbox:rsk-1', created: false });
    expect(entries.find((e) => e.kind === 'crm-risk')).toMatchObject({ risk: { status: 'saved' } });
    expect(reportNotifications(entries)).toEqual([{ channel: 'alerts', accountId: 'acc-1', type: 'churn-risk', text: 'Churn risk: Salon Exemple', at: NOW.toISOString() }]);
    expect(entries.find((e) => e.kind === 'email')).toMatchObject({
      to: 'camille.champion@example.com',
      template: 'review-request',
      language: 'en',
      subject: 'Your opinion matters to us',
      messageId: 'outbox:eml-1',
      at: NOW.toISOString(),
    });
  });

  it('given a Lambda that calls one vendor, when it builds only its port, then the other vendors’ settings are not required', () => {
    const env = { SLACK_BOT_TOKEN: 'xoxb-1', SLACK_ALERT_CHANNEL: 'C0ALERTS01', HUBSPOT_ACCESS_TOKEN: 'pat-1' };

    expect(alertChannelFromEnvironment(env, { now, outbox: new InMemoryOutbox() }).mode).toBe('slack');
    expect(mailerFromEnvironment(env, { now, outbox: new InMemoryOutbox() }).mode).toBe('outbox');
    expect(() => crmFromEnvironment(env, { now, outbox: new InMemoryOutbox() })).toThrow(/HUBSPOT_RISK_PIPELINE: required when HUBSPOT_ACCESS_TOKEN is set/);
  });

  it('given a store passed in (the ledger-backed one, later), when a port records, then it records there', async () => {
    const store = new InMemoryOutbox();
    const { mailer } = adaptersFromEnvironment({}, { now, outbox: store });

    await mailer.send(email);

    expect(await store.list()).toHaveLength(1);
  });
});

describe('an environment with its vendors configured', () => {
  let slack: LocalSlack | undefined;
  let hubspot: LocalHubSpot | undefined;
  let ses: LocalSes | undefined;

  afterEach(async () => {
    await Promise.all([slack?.close(), hubspot?.close(), ses?.close()]);
    slack = hubspot = ses = undefined;
  });

  it('given tokens from the environment (Secrets Manager on AWS), when the adapters are built, then each port talks to its vendor and nothing goes to the outbox', async () => {
    slack = await startLocalSlack({ botToken: 'xoxb-env', channels: ['C0ALERTS01', 'C0FINANCE1'] });
    hubspot = await startLocalHubSpot({
      accessToken: 'pat-env',
      uniqueProperties: { tasks: ['cs_playbooks_id'], deals: ['cs_playbooks_id'] },
      companies: [{ id: '9001', properties: {} }],
      companyProperties: [],
      companyDateProperties: [],
      companyBooleanProperties: ['cs_nps_survey_suppressed'],
      pipelines: { retention: ['open', 'saved', 'lost'] },
    });
    const credentials = { accessKeyId: 'AKIAENVTEST000000001', secretAccessKey: 'env-test-secret' };
    ses = await startLocalSes({ region: 'eu-west-3', credentials, verifiedIdentities: ['cs.example.com'] });

    const adapters = adaptersFromEnvironment(
      {
        SLACK_BOT_TOKEN: 'xoxb-env',
        SLACK_ALERT_CHANNEL: 'C0ALERTS01',
        SLACK_FINANCE_CHANNEL: 'C0FINANCE1',
        SLACK_API_URL: slack.apiUrl,
        HUBSPOT_ACCESS_TOKEN: 'pat-env',
        HUBSPOT_API_URL: hubspot.url,
        HUBSPOT_RISK_PIPELINE: 'retention',
        HUBSPOT_RISK_STAGE_OPEN: 'open',
        HUBSPOT_RISK_STAGE_SAVED: 'saved',
        HUBSPOT_RISK_STAGE_LOST: 'lost',
        SES_FROM_ADDRESS: 'success@cs.example.com',
        SES_ENDPOINT: ses.url,
        AWS_REGION: 'eu-west-3',
        AWS_ACCESS_KEY_ID: credentials.accessKeyId,
        AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
      },
      { now: () => new Date(), outbox: new InMemoryOutbox() },
    );

    expect(adapters.modes).toEqual({ alerts: 'slack', crm: 'hubspot', mailer: 'ses', finance: 'slack' });
    const message = await adapters.alerts.postAlert({ idempotencyKey: 'alert-1', accountId: '9001', type: 'nps-detractor', text: 'Detractor NPS' });
    await adapters.alerts.acknowledge({ idempotencyKey: 'ack-1', accountId: 'acc-1', message });
    await adapters.crm.upsertRisk({ idempotencyKey: 'rsk-1', accountId: '9001', kind: 'churn-risk', title: 'Churn risk', status: 'open' });
    await adapters.crm.updateCompany({ idempotencyKey: 'sup-1', accountId: '9001', npsSurveySuppressed: true });
    await adapters.mailer.send(email);
    const refund = await adapters.finance.postRefundRequest({ idempotencyKey: 'rfd-1', accountId: '9001', caseId: 'pch-1', text: 'Refund request (pre-churn)' });

    expect(slack.messages.map((m) => m.channel)).toEqual(['C0ALERTS01', 'C0FINANCE1']);
    expect([...slack.messages[0]!.reactions]).toEqual(['white_check_mark']);
    expect(refund).toEqual({ channel: 'C0FINANCE1', ts: slack.messages[1]!.ts });
    expect(hubspot.objects('deals')).toHaveLength(1);
    expect(hubspot.objects('companies')[0]!.properties.cs_nps_survey_suppressed).toBe('true');
    expect(ses.sent).toHaveLength(1);
    expect(await adapters.outbox.list()).toEqual([]);
    expect([...slack.refusals, ...hubspot.refusals, ...ses.refusals]).toEqual([]);
  });

  it('given a Slack token without its channel, or a HubSpot token without the retention pipeline, when the adapters are built, then the cold start fails naming what is missing', () => {
    const build = () => adaptersFromEnvironment({ SLACK_BOT_TOKEN: 'xoxb-1', HUBSPOT_ACCESS_TOKEN: 'pat-1', HUBSPOT_RISK_PIPELINE: 'retention' }, { now, outbox: new InMemoryOutbox() });

    expect(build).toThrow(ContractError);
    expect(build).toThrow(
      'outbound adapters environment is invalid: SLACK_ALERT_CHANNEL: required when SLACK_BOT_TOKEN is set; HUBSPOT_RISK_STAGE_OPEN: required when HUBSPOT_ACCESS_TOKEN is set; HUBSPOT_RISK_STAGE_SAVED: required when HUBSPOT_ACCESS_TOKEN is set; HUBSPOT_RISK_STAGE_LOST: required when HUBSPOT_ACCESS_TOKEN is set',
    );
  });

  it('given a Slack token without the finance channel, when the refund function’s port is built, then its cold start fails: refunds never slip into an outbox unnoticed', () => {
    expect(() => financeChannelFromEnvironment({ SLACK_BOT_TOKEN: 'xoxb-1' }, { now, outbox: new InMemoryOutbox() })).toThrow(
      'outbound adapters environment is invalid: SLACK_FINANCE_CHANNEL: required when SLACK_BOT_TOKEN is set',
    );
  });

  it('given an SES sender without a region, when the adapters are built, then the cold start fails', () => {
    expect(() => adaptersFromEnvironment({ SES_FROM_ADDRESS: 'success@cs.example.com' }, { now, outbox: new InMemoryOutbox() })).toThrow(
      'outbound adapters environment is invalid: SES_REGION: required (or AWS_REGION) when SES_FROM_ADDRESS is set',
    );
  });
});
