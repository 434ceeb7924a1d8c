import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import type { AccountRecord } from '../../functions/contracts/index.ts';
import { sandboxWebhookSecrets } from '../../sandbox/secrets.ts';
import { signedDelivery } from '../../sandbox/vendor-signing.ts';

// `npm start` itself: the `playbooks start` process on a free port, as a user runs it, watched
// through what it prints. What happens inside it is long-running-sandbox.test.ts's subject.

const DEADLINE_MS = 45_000;

let child: ChildProcessWithoutNullStreams | undefined;
afterEach(() => {
  if (child && child.exitCode === null) child.kill('SIGKILL');
  child = undefined;
});

/** The process's stdout, line by line as it comes, and a way to wait for a line. */
function startProcess(args: string[]) {
  const process_ = spawn(process.execPath, ['sandbox/playbooks.mjs', 'start', '--port', '0', ...args], { env: { ...process.env, LOG_LEVEL: '' } });
  child = process_;
  const lines: string[] = [];
  let pending = '';
  let stderr = '';
  process_.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    const parts = (pending + chunk).split('\n');
    pending = parts.pop()!;
    lines.push(...parts);
  });
  process_.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  return {
    lines,
    async lineMatching(pattern: RegExp): Promise<string> {
      const deadline = Date.now() + DEADLINE_MS;
      for (;;) {
        const line = lines.find((candidate) => pattern.test(candidate));
        if (line) return line;
        if (process_.exitCode !== null || Date.now() > deadline) throw new Error(`no line matching ${pattern} in:\n${lines.join('\n')}\nstderr:\n${stderr}`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    },
  };
}

describe('npm start (the playbooks start process)', () => {
  it('given it started on a free port, when the upsell sample is sent, then the terminal shows the event, the playbooks it started and the one that ended, by id only; SIGTERM stops it cleanly', async () => {
    const started = startProcess([]);
    const banner = await started.lineMatching(/^cs-playbooks sandbox on http:\/\/127\.0\.0\.1:\d+ with 5 accounts$/);
    const url = /(http:\/\/\S+)/.exec(banner)![1]!;

    const payload = readFileSync('functions/contracts/samples/UpsellRequested.json', 'utf8');
    const delivery = signedDelivery('events', payload, sandboxWebhookSecrets('events')[0]!, `${url}/webhooks/events`);
    expect((await fetch(`${url}/webhooks/events`, { method: 'POST', headers: delivery.headers, body: delivery.body })).status).toBe(202);

    await started.lineMatching(/^\d\d:\d\d:\d\d {2}event {6}UpsellRequested {2}acc-salon-lumiere {2}evt-sample-upsellRequested → upsell-request, alert-reminder$/);
    await started.lineMatching(/^\d\d:\d\d:\d\d {2}SUCCEEDED {2}upsell-request {2}acc-salon-lumiere$/);
    // Ids only: no account or contact name, no address, not the request's text.
    const accounts = JSON.parse(readFileSync('examples/accounts.json', 'utf8')) as AccountRecord[];
    const personal = [...accounts.flatMap((account) => [account.name, ...account.contacts.flatMap((contact) => [contact.name, contact.email])]), 'Add 2 collaborators'];
    expect(started.lines.filter((line) => personal.some((text) => line.includes(text)))).toEqual([]);

    child!.kill('SIGTERM');
    const [code] = (await once(child!, 'exit')) as [number | null];
    expect(code).toBe(0);
  });
});
