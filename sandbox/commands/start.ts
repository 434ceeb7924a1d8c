import { fileURLToPath } from 'node:url';
import { AccountRecord, parseContract } from '../../functions/contracts/index.ts';
import { z } from '../../functions/contracts/zod.ts';
import { VENDOR_IDS } from '../../functions/ingest/vendors/index.ts';
import { wallClock } from '../engine/clock.ts';
import type { SandboxActivity } from '../runtime/activity.ts';
import { Sandbox, type SandboxOptions } from '../runtime/sandbox.ts';
import { sandboxApprovalSecrets, sandboxWebhookSecrets } from '../secrets.ts';
import { startServer, type SandboxServer } from '../server.ts';
import { activityLine } from './activity-log.ts';
import type { Command } from './command.ts';
import { readJsonFile } from './io.ts';
import { logLevel, parseOptions, stageSettings } from './options.ts';

const DEFAULT_ACCOUNTS = fileURLToPath(new URL('../../examples/accounts.json', import.meta.url));

export const start: Command = {
  name: 'start',
  summary: 'run the whole pipeline on 127.0.0.1 with the wall clock',
  usage: `playbooks start [--port 3000] [--accounts examples/accounts.json] [--stage dev] [--quiet]

  Run the whole pipeline on 127.0.0.1 with the wall clock.
  POST /webhooks/events (Standard Webhooks), GET /api/report.
  --stage runs with that stage's settings (lib/stages.ts), as deployed.
  Prints a line per event it accepts and per execution that ends (ids only; a failed
  execution says whether a manual-follow-up task was set); --quiet prints the banner only.`,
  async run(args) {
    const { values } = parseOptions({ args, options: { port: { type: 'string' }, accounts: { type: 'string' }, stage: { type: 'string' }, quiet: { type: 'boolean' } } });
    const running = await launch({
      port: Number(values.port ?? process.env.PORT ?? 3000),
      accountsFile: values.accounts,
      stage: values.stage,
      print: values.quiet ? undefined : (line) => console.log(line),
    });
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
  /** What tests pass to `Sandbox.start` besides: an injected outage, a redeployable fixture. */
  sandbox?: Pick<SandboxOptions, 'intercept' | 'playbooks'>;
}

export interface RunningSandbox {
  sandbox: Sandbox;
  server: SandboxServer;
  /** What `npm start` prints once it listens. */
  banner: string[];
  close(): Promise<void>;
}

/** What `npm start` runs: the wall-clock sandbox with the accounts imported, serving HTTP. Tests start it this way too. */
export async function launch({ port, accountsFile, stage, print, sandbox: extra = {} }: LaunchOptions): Promise<RunningSandbox> {
  const accounts = parseContract(z.array(AccountRecord), await readJsonFile(accountsFile ?? DEFAULT_ACCOUNTS, 'accounts file'), 'accounts file');
  const onActivity = print ? (activity: SandboxActivity) => print(activityLine(activity)) : undefined;
  const sandbox = await Sandbox.start({ ...extra, clock: wallClock, settings: stageSettings(stage), logLevel: logLevel(), onActivity });
  await sandbox.importAccounts(accounts);
  const server = await startServer(sandbox, { port, secrets: (vendor) => sandboxWebhookSecrets(vendor), approvalSecrets: sandboxApprovalSecrets() });
  const banner = [
    `cs-playbooks sandbox on ${server.url} with ${accounts.length} accounts`,
    `  POST ${server.url}/webhooks/events   try: npx playbooks send functions/contracts/samples/NpsResponseReceived.json`,
    `  POST ${server.url}/webhooks/<vendor>   ${VENDOR_IDS.filter((id) => id !== 'events').join(', ')} (README: "Connecting the vendors' webhooks")`,
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
