import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { buildReport } from '../../sandbox/report/report.ts';
import { until } from '../support/eventually.ts';
import { useRunningSandbox } from '../support/running-sandbox.ts';

// What a team does to try a tool's payload: `npm start` (the example accounts, each vendor's
// development secret), then `npx playbooks send --vendor <id> <payload.json>`, which signs it the
// vendor's way. The vendors' documented samples are in functions/ingest/vendors/samples/.

const run = promisify(execFile);
const running = useRunningSandbox();

const send = (...args: string[]) => run(process.execPath, ['sandbox/playbooks.mjs', 'send', ...args, '--url', running().server.url], { env: { ...process.env, TYPEFORM_WEBHOOK_SECRETS: '', SLACK_WEBHOOK_SECRETS: '' } });

describe('npx playbooks send --vendor, against the running sandbox', () => {
  it("given Typeform's NPS sample (a detractor, 4, from Salon Lumière's user), when it is sent, then 202 and the detractor's context review for the CSM", async () => {
    const { stdout } = await send('--vendor', 'typeform', 'functions/ingest/vendors/samples/typeform-nps-detractor.json');

    expect(stdout).toMatch(/^202 Accepted[\s\S]*"type": "NpsResponseReceived"/);
    await until(async () => (await buildReport(running().sandbox)).tasks.some((task) => task.kind === 'detractor-context-review'));
    expect((await buildReport(running().sandbox)).tasks.filter((task) => task.kind === 'detractor-context-review').map((task) => task.accountId)).toContain('acc-salon-lumiere');
  });

  it("given Slack's url_verification sample, when it is sent, then 200 with the challenge: the handshake Slack makes when the Request URL is saved", async () => {
    const { stdout } = await send('--vendor', 'slack', 'functions/ingest/vendors/samples/slack-url-verification.json');
    const { challenge } = JSON.parse(await readFile('functions/ingest/vendors/samples/slack-url-verification.json', 'utf8')) as { challenge: string };

    expect(stdout).toMatch(/^200 OK/);
    expect(stdout).toContain(challenge);
  });

  it('given an unknown vendor, then one line naming the vendors and exit 2, nothing sent', async () => {
    const failure = await send('--vendor', 'mailchimp', 'functions/ingest/vendors/samples/typeform-nps-detractor.json').catch((error: { code: number; stderr: string }) => error);
    expect(failure).toMatchObject({ code: 2, stderr: 'playbooks: unknown vendor "mailchimp": use one of events, typeform, hubspot, zendesk, slack, segment; see playbooks send --help\n' });
  });
});
