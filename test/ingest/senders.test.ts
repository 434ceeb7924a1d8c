import { readFileSync } from 'node:fs';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { DETAIL_TYPES, DetailType, parseDomainEventMessage, type DomainEventMessage } from '../../functions/contracts/index.ts';
import { deliveries } from '../../functions/ingest/deliveries.ts';
import { receiveWebhook, type IngestDeps } from '../../functions/ingest/receive-webhook.ts';
import {
  DEFAULT_EVENT_SENDERS,
  deliveryKey,
  forbiddenPublication,
  mayPublish,
  NEVER_FROM_EVENTS,
  NEVER_FROM_SENDERS,
  webhooksConfigProblems,
  PRODUCT_FACTS,
  webhookSenders,
  type WebhookSenders,
} from '../../functions/ingest/senders.ts';
import type { InboundRequest } from '../../functions/ingest/vendor.ts';
import { VENDORS } from '../../functions/ingest/vendors/index.ts';
import { startLocalDynamoDB, type LocalDynamoDB } from '../../sandbox/database/dynamodb.ts';
import { parseStageFile, stageConfig } from '../../lib/stages.ts';
import { SIGNERS } from '../support/webhook-signers.ts';

// Who may say what (functions/ingest/senders.ts), through the ingest's real pipeline
// (functions/ingest/receive-webhook.ts) with Powertools idempotency on dynalite: every detail-type of
// the contract, for every vendor's path and every sender's secret of /webhooks/events, is accepted if
// and only if that sender may publish it; a refusal is 403, names the type and the sender, and leaves
// nothing on the bus and nothing recorded.

const NOW = new Date('2026-11-20T09:00:00Z');
const contractSample = (type: string) => readFileSync(new URL(`../../functions/contracts/samples/${type}.json`, import.meta.url), 'utf8');
/** A sender's secret, its own: `whsec_` then base64 of a key naming it. */
const secretOf = (vendor: string, sender: string) => (vendor === 'events' ? `whsec_${Buffer.from(`test signing key of the sender ${sender}`).toString('base64')}` : `test-signing-secret-of-${vendor}`);

let db: LocalDynamoDB;
let published: DomainEventMessage[];
let counter = 0;

beforeAll(async () => {
  db = await startLocalDynamoDB('cs-playbooks-senders-test');
});
afterAll(() => db?.close());
beforeEach(() => {
  published = [];
});

function depsFor(senders: WebhookSenders, secrets: (vendor: string, sender: string) => readonly string[] = (vendor, sender) => [secretOf(vendor, sender)]): IngestDeps {
  const { publishOnce } = deliveries({ dynamodb: db.client, tableName: db.tableName, publish: async (events) => void published.push(...events), remainingTimeMs: () => 10_000 });
  return { now: () => NOW, senders, secrets: async (vendor, sender) => secrets(vendor, sender), publishOnce };
}

/**
 * `body` sent to `/webhooks/<vendor>` as that vendor sends it, signed with `secret`: at NOW, the
 * pipeline's clock, except Standard Webhooks, whose library checks its window on the wall clock.
 */
function signed(vendor: string, body: string, secret: string, deliveryId = `delivery-${++counter}`): InboundRequest {
  const signer = SIGNERS[vendor]!;
  const url = `https://abc123.execute-api.eu-west-3.amazonaws.com/webhooks/${vendor}`;
  const at = vendor === 'events' ? new Date() : NOW;
  return { method: 'POST', url, headers: { 'content-type': signer.contentType, ...signer.sign({ body, secret, at, url, deliveryId }) }, rawBody: Buffer.from(body, 'utf8') };
}

describe('the rule: who may say what, least by default', () => {
  it('given a stage that configures nothing, then each vendor may publish what its webhooks make, and /webhooks/events has two senders: the product (its facts) and the import (accounts)', () => {
    expect(webhookSenders()).toEqual({
      events: {
        product: ['CompetitorMeetingDetected', 'ProductUsageRecorded', 'ContractSigned', 'BillingStarted', 'CancellationRequested'],
        import: ['AccountUpdated'],
      },
      typeform: { typeform: ['NpsResponseReceived'] },
      hubspot: { hubspot: ['AccountUpdated', 'ChurnRiskCreated', 'TouchpointLogged', 'TaskCompleted'] },
      zendesk: { zendesk: ['ClientFeedbackReceived', 'ClientReplySent'] },
      slack: { slack: ['AlertAcknowledged', 'ApprovalDecided', 'AlertSnoozed'] },
      segment: { segment: ['ProductUsageRecorded'] },
    });
  });

  it('given the defaults, then no sender of /webhooks/events may approve, acknowledge, complete a task, conclude a save, or send an NPS answer', () => {
    const granted = Object.values(DEFAULT_EVENT_SENDERS).flat();
    for (const type of ['ApprovalDecided', 'AlertAcknowledged', 'TaskCompleted', 'SaveAttemptConcluded', 'NpsResponseReceived'] as const) expect(granted).not.toContain(type);
  });

  it('given a stage that names its senders, then they replace the defaults whole, and a vendor it narrows gets only what it names', () => {
    expect(webhookSenders({ events: { 'nps-tool': ['NpsResponseReceived'] }, zendesk: ['ClientFeedbackReceived'] })).toMatchObject({
      events: { 'nps-tool': ['NpsResponseReceived'] },
      zendesk: { zendesk: ['ClientFeedbackReceived'] },
      typeform: { typeform: ['NpsResponseReceived'] },
    });
  });

  const SAID_BY_WHOM = {
    AccountFlooded: 'the ingest itself (its flood guard)',
    AccountActive: 'the usage recorder itself (from ProductUsageRecorded)',
    ContactReturned: 'the usage recorder itself (from ProductUsageRecorded)',
    FeatureFirstUsed: 'the usage recorder itself (from ProductUsageRecorded)',
    HealthDegraded: 'the health scorer itself (from the events that feed the health score, and nightly)',
    ThresholdReached: "the health scorer itself (from the account's touchpoints, contacts, renewal date and usage, at each event and nightly)",
  } as const;

  it.each(NEVER_FROM_SENDERS)('given %s, then no sender may publish it, on any path, whatever a list says: cs-playbooks says it itself', async (type) => {
    for (const vendor of Object.keys(VENDORS)) expect(mayPublish(vendor, [DETAIL_TYPES], type)).toBe(false);
    const answer = await receiveWebhook('events', signed('events', contractSample(type), secretOf('events', 'rogue')), depsFor({ events: { rogue: DETAIL_TYPES } }));
    expect(answer).toEqual({ statusCode: 403, body: { error: `The sender "rogue" of /webhooks/events may not publish ${type}: ${type} is said by ${SAID_BY_WHOM[type]}, never by a sender. Nothing of this delivery was accepted` } });
    expect(webhooksConfigProblems({ events: { 'nps-tool': ['NpsResponseReceived', type] } }).map(({ path, message }) => `${path.join('.')}: ${message}`)).toEqual([`events.nps-tool.1: ${type} is said by ${SAID_BY_WHOM[type]}, never by a sender`]);
  });

  it.each(NEVER_FROM_EVENTS)('given %s, then no list lets /webhooks/events publish it, and Slack may', (type) => {
    expect(mayPublish('events', [DETAIL_TYPES], type)).toBe(false);
    expect(mayPublish('slack', [VENDORS.slack!.produces], type)).toBe(true);
  });

  it('given a secret two senders share, then its holder may publish what either may', () => {
    const senders = { a: ['ContractSigned'], b: ['BillingStarted'] } as const;
    expect(forbiddenPublication('events', senders, ['a', 'b'], ['ContractSigned', 'BillingStarted'])).toBeUndefined();
    expect(forbiddenPublication('events', senders, ['a'], ['ContractSigned', 'BillingStarted'])).toBe(
      'The sender "a" of /webhooks/events may not publish BillingStarted: it may publish ContractSigned (the stage\'s webhooks.events.a). Nothing of this delivery was accepted',
    );
  });
});

describe('/webhooks/events: each sender by its own secret, every detail-type of the contract', () => {
  // The defaults, and the dev stage's five senders (stages/dev.json), which the sandbox runs with.
  const configurations: [name: string, senders: WebhookSenders][] = [
    ['a stage that configures nothing', webhookSenders()],
    ['the dev stage', webhookSenders(stageConfig('dev').webhooks)],
  ];
  const cases = configurations.flatMap(([name, senders]) => Object.entries(senders.events!).flatMap(([sender, types]) => DETAIL_TYPES.map((type) => [name, sender, type, types.includes(type), senders] as const)));

  it.each(cases)('given %s, when the sender %s signs a %s, then it is accepted if, and only if, its list has the type (%s)', async (_stage, sender, type, allowed, senders) => {
    const answer = await receiveWebhook('events', signed('events', contractSample(type), secretOf('events', sender)), depsFor(senders));

    if (allowed) {
      expect(answer.statusCode).toBe(202);
      expect(published.map((event) => event.type)).toEqual([type]);
    } else {
      expect(answer.statusCode).toBe(403);
      expect(answer.body.error).toMatch(new RegExp(`^The sender "${sender}" of /webhooks/events may not publish ${type}: `));
      expect(published).toEqual([]);
    }
  });

  it('given an NPS tool allowed NPS answers only, when it signs an AccountUpdated (contacts and their e-mails), then 403 naming the type, the sender and what it may publish', async () => {
    const answer = await receiveWebhook('events', signed('events', contractSample('AccountUpdated'), secretOf('events', 'nps-tool')), depsFor(webhookSenders({ events: { 'nps-tool': ['NpsResponseReceived'] } })));

    expect(answer).toEqual({
      statusCode: 403,
      body: { error: 'The sender "nps-tool" of /webhooks/events may not publish AccountUpdated: it may publish NpsResponseReceived (the stage\'s webhooks.events.nps-tool). Nothing of this delivery was accepted' },
    });
  });

  it.each(NEVER_FROM_EVENTS)('given a sender granted every type (a WEBHOOK_SENDERS edited by hand), when it signs a %s, then 403 all the same, saying where it comes from', async (type) => {
    const answer = await receiveWebhook('events', signed('events', contractSample(type), secretOf('events', 'rogue')), depsFor({ events: { rogue: DETAIL_TYPES } }));

    expect(answer.statusCode).toBe(403);
    expect(answer.body.error).toMatch(new RegExp(`may not publish ${type}: ${type} never comes through /webhooks/events: it is .*Slack`));
    expect(published).toEqual([]);
  });

  it('given a delivery refused 403, when the same delivery (same webhook-id) is sent again signed by the sender allowed it, then it is accepted: the refusal recorded nothing', async () => {
    const deps = depsFor(webhookSenders());
    const body = contractSample('AccountUpdated');

    const refused = await receiveWebhook('events', signed('events', body, secretOf('events', 'product'), 'msg_corrected'), deps);
    const corrected = await receiveWebhook('events', signed('events', body, secretOf('events', 'import'), 'msg_corrected'), deps);

    expect([refused.statusCode, corrected.statusCode]).toEqual([403, 202]);
    expect(corrected.body).not.toHaveProperty('redelivered');
    expect(published.map((event) => event.type)).toEqual(['AccountUpdated']);
  });

  it('given two senders that happen to pick the same webhook-id, then each delivery is accepted and published: a delivery is remembered per sender', async () => {
    const deps = depsFor(webhookSenders({ events: { product: ['ContractSigned'], billing: ['BillingStarted'] } }));

    const product = await receiveWebhook('events', signed('events', contractSample('ContractSigned'), secretOf('events', 'product'), 'msg_1'), deps);
    const billing = await receiveWebhook('events', signed('events', contractSample('BillingStarted'), secretOf('events', 'billing'), 'msg_1'), deps);

    expect([product.statusCode, billing.statusCode]).toEqual([202, 202]);
    expect(billing.body).not.toHaveProperty('redelivered');
    expect(published.map((event) => event.type)).toEqual(['ContractSigned', 'BillingStarted']);
  });

  it('the rule: a delivery is remembered by its path and id, and on /webhooks/events by its sender too', () => {
    expect(deliveryKey('typeform', ['typeform'], 'evt-1')).toBe('typeform#evt-1');
    expect(deliveryKey('events', ['billing'], 'msg_1')).toBe('events#billing#msg_1');
  });

  it('given a request whose secret is no sender’s, then 401 as before: the signature is checked against every sender', async () => {
    const answer = await receiveWebhook('events', signed('events', contractSample('ContractSigned'), secretOf('events', 'stranger')), depsFor(webhookSenders()));
    expect(answer).toEqual({ statusCode: 401, body: { error: 'Signature rejected: No matching signature found' } });
  });

  it('given two senders sharing one secret (pasted twice), then its holder may publish what either may, and nothing else', async () => {
    const deps = depsFor(webhookSenders({ events: { product: ['ContractSigned'], billing: ['BillingStarted'] } }), () => [secretOf('events', 'shared')]);
    const send = (type: string) => receiveWebhook('events', signed('events', contractSample(type), secretOf('events', 'shared')), deps);

    expect((await send('ContractSigned')).statusCode).toBe(202);
    expect((await send('BillingStarted')).statusCode).toBe(202);
    expect((await send('CancellationRequested')).body.error).toMatch(/^The senders "product" and "billing" of \/webhooks\/events may not publish CancellationRequested: they may publish ContractSigned, BillingStarted/);
  });

  it('given the sender whose secret cannot be read, then 503: nothing is decided on part of the senders', async () => {
    const deps = depsFor(webhookSenders());
    deps.secrets = async (_vendor, sender) => {
      if (sender === 'import') throw Object.assign(new Error('throttled'), { name: 'ThrottlingException' });
      return [secretOf('events', sender)];
    };
    expect((await receiveWebhook('events', signed('events', contractSample('ContractSigned'), secretOf('events', 'product')), deps)).statusCode).toBe(503);
  });
});

describe("a vendor's path: every detail-type of the contract, the vendor's own secret", () => {
  const vendorIds = Object.keys(VENDORS).filter((id) => id !== 'events');
  const cases = vendorIds.flatMap((vendor) => DETAIL_TYPES.map((type) => [vendor, type, VENDORS[vendor]!.produces.includes(type)] as const));
  afterEach(() => vi.restoreAllMocks());

  // The vendor's own translation makes only what it `produces`: to show the pipeline refuses anything
  // else a translation might ever make, its translation is replaced by one yielding the type's sample.
  // The signature, the idempotency and the refusal are the real pipeline's.
  it.each(cases)('given %s, when a signed delivery yields a %s, then it is accepted if, and only if, the vendor may publish it (%s)', async (vendor, type, allowed) => {
    vi.spyOn(VENDORS[vendor]!, 'translate').mockReturnValue({ deliveryId: `translated-${++counter}`, events: [parseDomainEventMessage(JSON.parse(contractSample(type)))] });

    const answer = await receiveWebhook(vendor, signed(vendor, '{}', secretOf(vendor, vendor)), depsFor(webhookSenders()));

    if (allowed) {
      expect(answer.statusCode).toBe(VENDORS[vendor]!.acceptedStatus ?? 202);
      expect(published.map((event) => event.type)).toEqual([type]);
    } else {
      expect(answer.statusCode).toBe(403);
      expect(answer.body.error).toMatch(new RegExp(`^${VENDORS[vendor]!.name} may not publish ${type}: ${(NEVER_FROM_SENDERS as readonly string[]).includes(type) ? `${type} is said by the (ingest|usage recorder|health scorer) itself` : 'it may publish '}`));
      expect(published).toEqual([]);
    }
  });

  it('given a stage that narrows Zendesk to client e-mails, when Zendesk delivers its documented agent reply, then 403: ClientReplySent is not in webhooks.zendesk', async () => {
    const body = readFileSync('functions/ingest/vendors/samples/zendesk-agent-reply.json', 'utf8');
    const answer = await receiveWebhook('zendesk', signed('zendesk', body, secretOf('zendesk', 'zendesk')), depsFor(webhookSenders({ zendesk: ['ClientFeedbackReceived'] })));

    expect(answer).toEqual({
      statusCode: 403,
      body: { error: "Zendesk may not publish ClientReplySent: it may publish ClientFeedbackReceived (the stage's webhooks.zendesk). Nothing of this delivery was accepted" },
    });
    expect(published).toEqual([]);
  });

  it('given the defaults, when Slack and Zendesk deliver their documented samples, then they are accepted', async () => {
    const sample = (name: string) => readFileSync(`functions/ingest/vendors/samples/${name}.json`, 'utf8');
    const deps = depsFor(webhookSenders());
    const slackBody = SIGNERS.slack!.encode!(JSON.parse(sample('slack-block-actions-acknowledge-alert')));

    expect((await receiveWebhook('slack', signed('slack', slackBody, secretOf('slack', 'slack')), deps)).statusCode).toBe(200);
    expect((await receiveWebhook('zendesk', signed('zendesk', sample('zendesk-agent-reply'), secretOf('zendesk', 'zendesk')), deps)).statusCode).toBe(202);
    expect(published.map((event) => event.type)).toEqual([DetailType.AlertAcknowledged, DetailType.ClientReplySent]);
  });
});

describe("a stage file's webhooks, checked when the stage is loaded", () => {
  const stageWith = (webhooks: unknown) => JSON.stringify({ retainData: false, logRetentionDays: 7, archiveRetentionDays: 7, webhookRateLimit: 20, webhooks });
  const problemsOf = (webhooks: unknown) => {
    try {
      parseStageFile(stageWith(webhooks), 'stages/test.json');
      return [];
    } catch (error) {
      return (error as { problems: string[] }).problems;
    }
  };

  it('given the shipped stages, then each loads, and only dev names its senders', () => {
    expect(Object.keys(stageConfig('dev').webhooks!.events!)).toEqual(['product', 'import', 'nps-tool', 'crm', 'helpdesk']);
    expect(stageConfig('staging').webhooks).toBeUndefined();
    expect(stageConfig('prod').webhooks).toBeUndefined();
  });

  it.each(NEVER_FROM_EVENTS)('given a sender of /webhooks/events granted %s, then the stage is refused, saying where it comes from', (type) => {
    expect(problemsOf({ events: { 'nps-tool': ['NpsResponseReceived', type] } })).toEqual([expect.stringMatching(new RegExp(`^webhooks\\.events\\.nps-tool\\[1\\]: ${type} never comes through /webhooks/events: it is `))]);
  });

  it('given a vendor granted a type its webhooks never make, then refused naming what they make', () => {
    expect(problemsOf({ typeform: ['NpsResponseReceived', 'AccountUpdated'] })).toEqual(['webhooks.typeform[1]: Typeform never sends AccountUpdated: its webhooks make NpsResponseReceived']);
  });

  it('given a type that is not in the contract, a path that is no vendor’s, and a sender name that cannot name a secret, then each is named', () => {
    const problems = problemsOf({ events: { 'NPS tool': ['NpsResponseReceived'], billing: ['InvoicePaid'] }, mailchimp: [] });
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^webhooks\.events\.billing\[0\]: Invalid option/),
        expect.stringMatching(/^webhooks: Unrecognized key: "mailchimp"/),
      ]),
    );
  });

  it.each(['NPS tool', 'nps_tool', '1st', 'nps--tool', 'nps-1'])('given a sender named %j, which cannot name a secret, then refused', (name) => {
    expect(problemsOf({ events: { [name]: [] } })).toEqual([expect.stringMatching(new RegExp(`^webhooks\\.events\\.${name.replace(/[-]/g, '\\-')}: a sender is named in lower case letters`))]);
  });

  it('given more senders and types than the ingest’s environment holds (Lambda takes 4 KB), then refused saying so', () => {
    const everything = DETAIL_TYPES.filter((type) => ![...NEVER_FROM_EVENTS, ...NEVER_FROM_SENDERS].includes(type as never));
    const problems = problemsOf({ events: Object.fromEntries(['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'].map((name) => [`sender-${name}`, everything])) });
    expect(problems).toEqual([expect.stringMatching(/^webhooks: its senders and their types would take \d+ bytes of the ingest's environment, where 2800 fit/)]);
  });

  it('given the product facts, then they are what the README lists for the product sender', () => {
    expect(PRODUCT_FACTS).toEqual(['ProductUsageRecorded', 'CompetitorMeetingDetected', 'ContractSigned', 'BillingStarted', 'CancellationRequested']);
  });
});
