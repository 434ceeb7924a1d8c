import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DETAIL_TYPES } from '../../functions/contracts/index.ts';
import { stageConfig } from '../../lib/stages.ts';
import { launch, type RunningSandbox } from '../../sandbox/commands/start.ts';
import { developmentSecret, sandboxWebhookSecrets } from '../../sandbox/secrets.ts';
import { signedDelivery } from '../../sandbox/vendor-signing.ts';
import { playbooks } from '../support/cli.ts';

// Who may say what on the running sandbox, as `npm start` runs it (`launch`: the dev stage's file, HTTP
// on 127.0.0.1): each sender of /webhooks/events signs with its own secret (its development secret, or
// STANDARD_WEBHOOK_SECRETS_<SENDER>), and may publish the types stages/dev.json gives it, nothing else.
// No playbook is deployed: what is checked is the answer and the bus.

const NPS_TOOL_SECRET = `whsec_${Buffer.from('the nps tool secret, set by env').toString('base64')}`;
const sample = (type: string) => readFileSync(`functions/contracts/samples/${type}.json`, 'utf8');

let running: RunningSandbox;
const env = { STANDARD_WEBHOOK_SECRETS_NPS_TOOL: NPS_TOOL_SECRET };
const published: string[] = [];

beforeAll(async () => {
  running = await launch({ port: 0, env, sandbox: { playbooks: [] } });
  // What the ingest puts on the bus, a delivery's events at once.
  const publishAll = running.sandbox.publishAll.bind(running.sandbox);
  running.sandbox.publishAll = (messages) => {
    published.push(...messages.map((message) => message.type));
    return publishAll(messages);
  };
});
afterAll(async () => {
  await running?.close();
});

async function post(vendor: string, payload: string, secret: string): Promise<{ status: number; body: { error?: string } }> {
  const url = `${running.server.url}/webhooks/${vendor}`;
  const delivery = signedDelivery(vendor, payload, secret, url);
  const response = await fetch(url, { method: 'POST', headers: delivery.headers, body: delivery.body });
  return { status: response.status, body: (await response.json()) as { error?: string } };
}

describe('npm start: each sender of /webhooks/events by its own secret, every detail-type of the contract', () => {
  const senders = stageConfig('dev').webhooks!.events!;
  const cases = Object.entries(senders).flatMap(([sender, types]) => DETAIL_TYPES.map((type) => [sender, type, (types as readonly string[]).includes(type)] as const));

  it.each(cases)('given the sender %s signing a %s, then the sandbox accepts it if, and only if, stages/dev.json allows it (%s)', async (sender, type, allowed) => {
    published.length = 0;
    const answer = await post('events', sample(type), sandboxWebhookSecrets('events', env, sender)[0]!);

    if (allowed) {
      expect(answer.status).toBe(202);
      expect(published).toEqual([type]);
    } else {
      expect(answer.status).toBe(403);
      expect(answer.body.error).toMatch(new RegExp(`^The sender "${sender}" of /webhooks/events may not publish ${type}: `));
      expect(published).toEqual([]);
    }
  });

  it('given STANDARD_WEBHOOK_SECRETS_NPS_TOOL set, then the NPS tool’s development secret no longer verifies: its variable’s does', async () => {
    expect((await post('events', sample('NpsResponseReceived'), developmentSecret('events', 'nps-tool'))).status).toBe(401);
    expect((await post('events', sample('NpsResponseReceived'), NPS_TOOL_SECRET)).status).toBe(202);
  });

  it('given the attack run’s approval posted with the NPS tool’s secret, then 403, saying approvals come from Slack or POST /approvals/<id>', async () => {
    const answer = await post('events', sample('ApprovalDecided'), NPS_TOOL_SECRET);
    expect(answer.status).toBe(403);
    expect(answer.body.error).toContain('ApprovalDecided never comes through /webhooks/events');
  });

  it('given the attack run’s 262 KB client e-mail from the helpdesk sender, then 413 naming the limit, nothing on the bus', async () => {
    published.length = 0;
    const email = JSON.parse(sample('ClientFeedbackReceived')) as { data: Record<string, unknown> };
    email.data.text = '€'.repeat(87_000);
    const answer = await post('events', JSON.stringify(email), sandboxWebhookSecrets('events', env, 'helpdesk')[0]!);

    expect(answer.status).toBe(413);
    expect(answer.body.error).toMatch(/the limit is 245760 bytes$/);
    expect(published).toEqual([]);
  });
});

describe('npx playbooks send picks the sender the stage allows the type', () => {
  it('given the AlertAcknowledged sample, then it is not sent, and the error says Slack’s button sends it', async () => {
    const run = await playbooks(['send', 'AlertAcknowledged', '--url', running.server.url], {});
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('AlertAcknowledged never comes through /webhooks/events, only from Slack\'s buttons: try playbooks send slack-block-actions-acknowledge-alert --vendor slack');
  });

  it('given the AccountFlooded sample, then it is not sent, and the error says the ingest says it itself and how to see it', async () => {
    const run = await playbooks(['send', 'AccountFlooded', '--url', running.server.url], {});
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('AccountFlooded is said by the ingest itself (its flood guard), never by a sender: send more of an account');
  });

  it('given --sender naming a sender the type is not granted to, then it is sent as that sender and the sandbox answers 403', async () => {
    const run = await playbooks(['send', 'ContractSigned', '--sender', 'nps-tool', '--url', running.server.url], env);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/^403 Forbidden\n/);
    expect(run.stdout).toContain('The sender \\"nps-tool\\" of /webhooks/events may not publish ContractSigned');
  });
});
