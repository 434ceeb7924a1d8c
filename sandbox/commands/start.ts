import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import type { SandboxActivity } from '../runtime/activity.ts';
import type { Sandbox, SandboxOptions } from '../runtime/sandbox.ts';
import type { SandboxServer } from '../server.ts';
import { activityLine } from './activity-log.ts';
import { CliError, type Command } from './command.ts';
import { readContractFile } from './io.ts';
import { logLevel, parseOptions, portOption, stageSettings, stageWebhookSenders } from './options.ts';

const DEFAULT_ACCOUNTS = fileURLToPath(new URL('../../examples/accounts.json', import.meta.url));

export const start: Command = {
  name: 'start',
  summary: 'run the whole pipeline on 127.0.0.1 with the wall clock',
  usage: `playbooks start [--port 3000] [--accounts examples/accounts.json] [--stage dev] [--quiet]

  Run the whole pipeline on 127.0.0.1 with the wall clock.
  POST /webhooks/events (Standard Webhooks), GET /api/report.
  --port (or PORT) the port to listen on, 0 for any free one.
  --stage runs with that stage's settings (stages/<stage>.json), as deployed.
  Prints a line per event it accepts and per execution that ends (ids only; a failed
  execution says whether a manual-follow-up task was set); --quiet prints the banner only.`,
  async run(args) {
    const { values } = parseOptions({ args, options: { port: { type: 'string' }, accounts: { type: 'string' }, stage: { type: 'string' }, quiet: { type: 'boolean' } } });
    const port = portOption(values.port);
    // Mistakes are said at once, before the sandbox takes seconds to start.
    await stageSettings(values.stage);
    await checkPortIsFree(port);
    const running = await launch({ port, accountsFile: values.accounts, stage: values.stage, print: values.quiet ? undefined : (line) => console.log(line) });
    for (const line of running.banner) console.log(line);
    await new Promise<void>((resolve) => {
      process.once('SIGINT', resolve);
      process.once('SIGTERM', resolve);
    });
    await running.close();
    return 0;
  },
};

export interface LaunchOptions {
  /** 0 for any free port. */
  port: number;
  accountsFile?: string | undefined;
  stage?: string | undefined;
  /** Where the activity lines go (the terminal); none when absent. */
  print?: ((line: string) => void) | undefined;
  /** What tests pass to `Sandbox.start` besides: an injected outage, a redeployable fixture, a virtual clock instead of the wall clock. */
  sandbox?: Partial<Pick<SandboxOptions, 'intercept' | 'playbooks' | 'clock'>>;
  /** Where the signing secrets are read (`<VENDOR>_WEBHOOK_SECRETS`, `APPROVAL_SIGNING_SECRETS`): the process's environment. */
  env?: NodeJS.ProcessEnv;
}

export interface RunningSandbox {
  sandbox: Sandbox;
  server: SandboxServer;
  /** What `npm start` prints once it listens. */
  banner: string[];
  close(): Promise<void>;
}

/** What `npm start` runs: the wall-clock sandbox with the accounts imported, serving HTTP. Tests start it this way too. */
export async function launch({ port, accountsFile, stage, print, sandbox: extra = {}, env = process.env }: LaunchOptions): Promise<RunningSandbox> {
  const settings = await stageSettings(stage);
  // Who may post what, as the stage's ingest enforces it: each sender signs with its own secret.
  const webhookSenders = await stageWebhookSenders(stage);
  const [{ AccountRecord, parseContract }, { z }] = await Promise.all([import('../../functions/contracts/index.ts'), import('../../functions/contracts/zod.ts')]);
  const accounts = await readContractFile(accountsFile ?? DEFAULT_ACCOUNTS, 'accounts file', (raw) => parseContract(z.array(AccountRecord), raw, 'accounts file'));
  // The engine is loaded once the command line and the accounts are known good.
  const [{ VENDOR_IDS }, { wallClock }, { Sandbox }, { sandboxApprovalSecrets, sandboxWebhookSecrets }, { startServer }] = await Promise.all([
    import('../../functions/ingest/vendors/index.ts'),
    import('../engine/clock.ts'),
    import('../runtime/sandbox.ts'),
    import('../secrets.ts'),
    import('../server.ts'),
  ]);
  const onActivity = print ? (activity: SandboxActivity) => print(activityLine(activity)) : undefined;
  const sandbox = await Sandbox.start({ ...extra, clock: extra.clock ?? wallClock, settings, webhookSenders, logLevel: logLevel(), onActivity });
  await sandbox.importAccounts(accounts);
  const server = await startServer(sandbox, { port, secrets: (vendor, sender) => sandboxWebhookSecrets(vendor, env, sender), approvalSecrets: sandboxApprovalSecrets(env) }).catch(async (error: unknown) => {
    await sandbox.stop();
    throw listenError(error as NodeJS.ErrnoException, port);
  });
  const banner = [
    `cs-playbooks sandbox on ${server.url} with ${accounts.length} accounts`,
    `  POST ${server.url}/webhooks/events   try: npx playbooks send functions/contracts/samples/NpsResponseReceived.json`,
    `    its senders, each with its own secret: ${Object.keys(webhookSenders.events ?? {}).join(', ') || 'none'} (README: "Who may send what")`,
    `  POST ${server.url}/webhooks/<vendor>   ${VENDOR_IDS.filter((id) => id !== 'events').join(', ')} (README: "Vendor webhooks")`,
    `  GET  ${server.url}/   the console: accounts, timelines, execution graphs, the report's plots`,
    `  GET  ${server.url}/api/report`,
    `  POST ${server.url}/approvals/<id>   GET ${server.url}/api/approvals   try: npx playbooks approvals`,
  ];
  return {
    sandbox,
    server,
    banner,
    async close() {
      await server.close();
      await sandbox.stop();
    },
  };
}

/**
 * A port in use said before the sandbox starts (which takes seconds), by listening on it and letting
 * it go; a process taking it in between is still caught when the server listens.
 */
async function checkPortIsFree(port: number): Promise<void> {
  if (port === 0) return;
  const probe = createServer();
  await new Promise<void>((resolve, reject) => {
    probe.once('error', (error: NodeJS.ErrnoException) => reject(listenError(error, port)));
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolve()));
  });
}

/** Why the server could not listen, as the user fixes it: never a raw `EADDRINUSE`. */
function listenError(error: NodeJS.ErrnoException, port: number): Error {
  if (error.code === 'EADDRINUSE') return new CliError(`port ${port} is in use (another sandbox?): stop it, or choose another with --port or PORT`);
  if (error.code === 'EACCES') return new CliError(`port ${port} needs administrator rights on this machine: choose one from 1024 up with --port or PORT`);
  return error.code ? new CliError(`cannot listen on 127.0.0.1:${port} (${error.code}): choose another port with --port or PORT`) : error;
}
