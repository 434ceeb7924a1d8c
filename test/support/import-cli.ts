import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveSettings } from '../../functions/contracts/index.ts';
import { IMPORT_SENDER, type WebhookSenders } from '../../functions/ingest/senders.ts';
import { PLAYBOOKS } from '../../lib/catalog.ts';
import { wallClock } from '../../sandbox/engine/clock.ts';
import { importAccounts } from '../../sandbox/commands/import.ts';
import type { ImportIo } from '../../sandbox/import/run.ts';
import { Sandbox } from '../../sandbox/runtime/sandbox.ts';
import { developmentSecret } from '../../sandbox/secrets.ts';
import { startServer, type SandboxServer } from '../../sandbox/server.ts';
import { until } from './eventually.ts';

/** What `playbooks import <args>` printed and returned (or the one-line error it stopped with). */
export interface ImportRun {
  code: number | undefined;
  /** The report (stdout). */
  out: string[];
  /** What it said it was doing (stderr). */
  err: string[];
  error: Error | undefined;
}

/** `playbooks import <args>` as the CLI runs it, its output kept; retries without their waits. */
export async function runImportCli(args: string[], io: Partial<Pick<ImportIo, 'env' | 'aws'>> = {}): Promise<ImportRun> {
  const run: ImportRun = { code: undefined, out: [], err: [], error: undefined };
  try {
    run.code = await importAccounts(args, {
      out: (line) => run.out.push(line),
      err: (line) => run.err.push(line),
      env: io.env ?? {},
      ...(io.aws ? { aws: io.aws } : {}),
      retry: { attempts: 3, sleep: async () => undefined },
    });
  } catch (error) {
    run.error = error as Error;
  }
  return run;
}

/**
 * A running sandbox on the wall clock with its HTTP server on 127.0.0.1, as `npm start` runs it,
 * verifying the `import` sender of `/webhooks/events` (the one allowed AccountUpdated) with `secrets`,
 * by default its development secret. Only account-sync is deployed: an
 * import's news is the ledger's accounts (the no-contact check each update also starts has tests of
 * its own, and would double the work of a 2,000-account import).
 */
export async function startImportSandbox(
  secrets: readonly string[] = [developmentSecret('events', IMPORT_SENDER)],
  webhookSenders?: WebhookSenders,
): Promise<{ sandbox: Sandbox; server: SandboxServer; close(): Promise<void> }> {
  const sandbox = await Sandbox.start({ clock: wallClock, settings: resolveSettings(), playbooks: PLAYBOOKS.filter((playbook) => playbook.id === 'account-sync'), ...(webhookSenders ? { webhookSenders } : {}) });
  const server = await startServer(sandbox, { port: 0, secrets: (vendor, sender) => (vendor === 'events' && sender === IMPORT_SENDER ? secrets : []) });
  return {
    sandbox,
    server,
    async close() {
      await server.close();
      await sandbox.stop();
    },
  };
}

/** A file with `text` in a fresh temporary folder: its path. */
export async function writeTemp(name: string, text: string): Promise<string> {
  const path = join(await mkdtemp(join(tmpdir(), 'cs-playbooks-import-')), name);
  await writeFile(path, text, 'utf8');
  return path;
}

/** Polls until `condition` holds, for at most 5 minutes: thousands of imported accounts' executions on a loaded machine outlast `until`'s 60 s. */
export async function eventually(condition: () => Promise<boolean>): Promise<void> {
  await until(condition, { deadlineMs: 300_000, pollMs: 250 });
}
