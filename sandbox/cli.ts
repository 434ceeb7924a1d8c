import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { randomUUID } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import { AccountRecord, parseContract, resolveSettings } from '../functions/contracts/index.ts';
import { stageConfig } from '../lib/stages.ts';
import { z } from '../functions/contracts/zod.ts';
import { wallClock } from './engine/clock.ts';
import { formatReport } from './report/format.ts';
import { Sandbox } from './runtime/sandbox.ts';
import { sandboxWebhookSecrets } from './secrets.ts';
import { startServer } from './server.ts';
import { parseScenario } from './simulate/scenario.ts';
import { simulate } from './simulate/simulate.ts';

const DEFAULT_ACCOUNTS = fileURLToPath(new URL('../examples/accounts.json', import.meta.url));

const USAGE = `playbooks <command>

  start [--port 3000] [--accounts examples/accounts.json] [--stage dev]
        Run the whole pipeline on 127.0.0.1 with the wall clock.
        POST /webhooks/events (Standard Webhooks), GET /api/report.
  send <event.json> [--url http://127.0.0.1:3000]
        Sign an event body ({ "type", "timestamp", "data" }) and post it to the sandbox.
  simulate <scenario.json> [--json] [--stage dev]
        Run a scenario on a virtual clock and print its report.

  --stage runs with that stage's settings (lib/stages.ts), as deployed; a scenario's
  "config" is merged over them.

Environment: PORT, STANDARD_WEBHOOK_SECRETS (comma-separated whsec_… secrets), LOG_LEVEL.`;

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'start':
      return start(rest);
    case 'send':
      return send(rest);
    case 'simulate':
      return runSimulation(rest);
    default:
      console.log(USAGE);
      return command === undefined || command === 'help' || command === '--help' ? 0 : 2;
  }
}

async function start(args: string[]): Promise<number> {
  const { values } = parseArgs({ args, options: { port: { type: 'string' }, accounts: { type: 'string' }, stage: { type: 'string' } } });
  const port = Number(values.port ?? process.env.PORT ?? 3000);
  const accounts = parseContract(z.array(AccountRecord), JSON.parse(await readFile(values.accounts ?? DEFAULT_ACCOUNTS, 'utf8')), 'accounts file');
  const sandbox = await Sandbox.start({ clock: wallClock, settings: stageSettings(values.stage), logLevel: logLevel() });
  await sandbox.importAccounts(accounts);
  const server = await startServer(sandbox, { port, secrets: sandboxWebhookSecrets() });
  console.log(`cs-playbooks sandbox on ${server.url} with ${accounts.length} accounts`);
  console.log(`  POST ${server.url}/webhooks/events   try: npx playbooks send functions/contracts/samples/NpsResponseReceived.json`);
  console.log(`  GET  ${server.url}/api/report`);
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await server.close();
  await sandbox.stop();
  return 0;
}

async function send(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { url: { type: 'string' } } });
  const [file] = positionals;
  if (!file) {
    console.error('Usage: playbooks send <event.json> [--url http://127.0.0.1:3000]');
    return 2;
  }
  const payload = await readFile(file, 'utf8');
  const [secret] = sandboxWebhookSecrets();
  const id = `msg_${randomUUID()}`;
  const timestamp = new Date();
  const url = `${values.url ?? `http://127.0.0.1:${process.env.PORT ?? 3000}`}/webhooks/events`;
  const response = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'webhook-id': id,
      'webhook-timestamp': String(Math.floor(timestamp.getTime() / 1000)),
      'webhook-signature': new Webhook(secret!).sign(id, timestamp, payload),
    },
    body: payload,
  });
  console.log(`${response.status} ${response.statusText}`);
  console.log(await response.text());
  return response.ok ? 0 : 1;
}

async function runSimulation(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { json: { type: 'boolean' }, stage: { type: 'string' } } });
  const [file] = positionals;
  if (!file) {
    console.error('Usage: playbooks simulate <scenario.json> [--json]');
    return 2;
  }
  const scenario = parseScenario(JSON.parse(await readFile(file, 'utf8')));
  const report = await simulate(scenario, { baseSettings: stageSettings(values.stage) });
  console.log(values.json ? JSON.stringify(report, null, 2) : formatReport(report));
  return 0;
}

/** A stage's settings as deployed (the defaults deep-merged with lib/stages.ts). */
function stageSettings(stage = 'dev') {
  return resolveSettings(stageConfig(stage).settings);
}

function logLevel() {
  const level = process.env.LOG_LEVEL?.toUpperCase();
  return level === 'DEBUG' || level === 'INFO' || level === 'WARN' || level === 'ERROR' ? level : 'SILENT';
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    // The message is for the user; the stack only when asked for (LOG_LEVEL=DEBUG).
    console.error(logLevel() === 'DEBUG' || !(error instanceof Error) ? error : `playbooks: ${error.message}`);
    process.exit(1);
  },
);
