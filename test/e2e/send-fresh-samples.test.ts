import { readFile } from 'node:fs/promises';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildReport } from '../../sandbox/report/report.ts';
import { developmentSecret } from '../../sandbox/secrets.ts';
import { playbooks } from '../support/cli.ts';
import { until } from '../support/eventually.ts';
import { useRunningSandbox } from '../support/running-sandbox.ts';

// A newcomer's first minutes: `npm start`, then `npx playbooks send` of a sample dated weeks ago. The
// sample's times are moved to now, so the task it creates is due from now on, not weeks overdue; the
// body is signed as sent (the sandbox verifies each vendor's signature on the raw bytes).
// What is compared with the wall clock is the outcome, the same on any day: never a dated sample.

const NPS_SAMPLE = 'functions/contracts/samples/NpsResponseReceived.json';
const TYPEFORM_SAMPLE = 'functions/ingest/vendors/samples/typeform-nps-detractor.json';
const SECOND = 1000;

const running = useRunningSandbox();

const contextReviews = async () => (await buildReport(running().sandbox)).tasks.filter((task) => task.kind === 'detractor-context-review' && task.accountId === 'acc-salon-lumiere');

describe('npx playbooks send of a sample, against the running sandbox', () => {
  it("given the NPS sample (a detractor's answer, dated weeks or years from today), when it is sent, then stderr says which times moved, and the context review is due from now on", async () => {
    const sentAt = Date.now();
    const run = await playbooks(['send', NPS_SAMPLE, '--url', running().server.url], { STANDARD_WEBHOOK_SECRETS_NPS_TOOL: '' });

    expect(run.stdout).toMatch(/^202 Accepted/);
    expect(run.stderr).toMatch(/^times moved by [+-]\d+ (day|hour|minute|second)s? to now: timestamp, data\.respondedAt \(--keep-times sends them as written\)\nsigned as the sender nps-tool of \/webhooks\/events\n$/);
    await until(async () => (await contextReviews()).length > 0);
    // The answer is stamped within the second before the command ran: its task cannot be due earlier.
    for (const task of await contextReviews()) expect(Date.parse(task.dueAt)).toBeGreaterThanOrEqual(sentAt - SECOND);
  });

  it("given Typeform's sample, when it is sent as Typeform does, then it is accepted (signed on the moved body) and its context review is due from now on", async () => {
    const before = (await contextReviews()).length;
    const sentAt = Date.now();
    const run = await playbooks(['send', '--vendor', 'typeform', TYPEFORM_SAMPLE, '--url', running().server.url], { TYPEFORM_WEBHOOK_SECRETS: '' });

    expect(run.stdout).toMatch(/^202 Accepted/);
    expect(run.stderr).toMatch(/: form_response\.submitted_at, form_response\.landed_at \(--keep-times sends them as written\)\n$/);
    await until(async () => (await contextReviews()).length > before);
    for (const task of await contextReviews()) expect(Date.parse(task.dueAt)).toBeGreaterThanOrEqual(sentAt - SECOND);
  });
});

describe('what npx playbooks send posts', () => {
  let receiver: Server;
  let received: { headers: IncomingHttpHeaders; body: string }[] = [];
  let url: string;

  beforeAll(async () => {
    // A real endpoint on 127.0.0.1 that keeps what it was sent and answers as the sandbox does.
    receiver = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        received.push({ headers: request.headers, body: Buffer.concat(chunks).toString('utf8') });
        response.writeHead(202, { 'content-type': 'application/json' }).end('{"accepted":true}');
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(receiver.address() as { port: number }).port}`;
  });

  afterAll(() => new Promise<void>((resolve) => receiver.close(() => resolve())));

  it('given --keep-times, then the body is the file byte for byte, and nothing is said of times, only which sender signed', async () => {
    received = [];
    const run = await playbooks(['send', NPS_SAMPLE, '--keep-times', '--url', url], { STANDARD_WEBHOOK_SECRETS_NPS_TOOL: '' });

    expect(run).toMatchObject({ code: 0, stderr: 'signed as the sender nps-tool of /webhooks/events\n' });
    expect(received.map(({ body }) => body)).toEqual([await readFile(NPS_SAMPLE, 'utf8')]);
  });

  it('given no option, then the body is the sample with its times moved to the second before the command, and its signature (the NPS tool’s secret: the dev stage’s sender of NPS answers) verifies on that body', async () => {
    received = [];
    const sentAt = Date.now();
    await playbooks(['send', NPS_SAMPLE, '--url', url], { STANDARD_WEBHOOK_SECRETS_NPS_TOOL: '' });
    const [{ headers, body }] = received as [(typeof received)[number]];
    const event = new Webhook(developmentSecret('events', 'nps-tool')).verify(body, headers as Record<string, string>) as { timestamp: string; data: { respondedAt: string; comment: string } };

    expect(Date.parse(event.timestamp)).toBeGreaterThanOrEqual(sentAt - SECOND);
    expect(event.data.respondedAt).toBe(event.timestamp);
    expect(event.data.comment).toBe((JSON.parse(await readFile(NPS_SAMPLE, 'utf8')) as { data: { comment: string } }).data.comment);
  });
});
