import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { randomUUID } from 'node:crypto';
import { userInfo } from 'node:os';
import { Webhook } from 'standardwebhooks';
import { AccountRecord, parseContract, resolveSettings } from '../functions/contracts/index.ts';
import { stageConfig } from '../lib/stages.ts';
import { z } from '../functions/contracts/zod.ts';
import { wallClock } from './engine/clock.ts';
import { formatReport } from './report/format.ts';
import { Sandbox } from './runtime/sandbox.ts';
import { sandboxApprovalSecrets, sandboxWebhookSecrets } from './secrets.ts';
import { startServer } from './server.ts';
import { signedDelivery, SIGNED_VENDORS } from './vendor-signing.ts';
import { VENDOR_IDS } from '../functions/ingest/vendors/index.ts';
import { parseScenario } from './simulate/scenario.ts';
import { simulate } from './simulate/simulate.ts';

const DEFAULT_ACCOUNTS = fileURLToPath(new URL('../examples/accounts.json', import.meta.url));

const USAGE = `playbooks <command>

  start [--port 3000] [--accounts examples/accounts.json] [--stage dev]
        Run the whole pipeline on 127.0.0.1 with the wall clock.
        POST /webhooks/events (Standard Webhooks), GET /api/report.
  send <payload.json> [--vendor events|typeform|hubspot|zendesk|slack] [--url http://127.0.0.1:3000]
        Sign a payload the vendor's way and post it to the sandbox's /webhooks/<vendor>:
        by default a domain event ({ "type", "timestamp", "data" }) as a Standard Webhooks
        message; the vendors' documented samples are in functions/ingest/vendors/samples/.
  simulate <scenario.json> [--json] [--stage dev]
        Run a scenario on a virtual clock and print its report.
  approvals [--url http://127.0.0.1:3000] [--all]
        List the e-mails waiting for a CSM's approval (all approvals with --all).
  approve <approvalId> [--edit-subject <text>] [--edit-text <text>] [--by <who>] [--url …]
        Approve an e-mail, edited or not: the playbook resumes and sends it.
  cancel-approval <approvalId> [--by <who>] [--url …]
        Cancel it: the playbook ends without sending (also: approve <approvalId> --cancel).

  --stage runs with that stage's settings (lib/stages.ts), as deployed; a scenario's
  "config" is merged over them.

Environment: PORT, STANDARD_WEBHOOK_SECRETS and APPROVAL_SIGNING_SECRETS (comma-separated whsec_…
secrets; both default to the development secret), <VENDOR>_WEBHOOK_SECRETS (TYPEFORM_, HUBSPOT_,
ZENDESK_, SLACK_: each defaults to its development secret), LOG_LEVEL.`;

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'start':
      return start(rest);
    case 'send':
      return send(rest);
    case 'simulate':
      return runSimulation(rest);
    case 'approvals':
      return listApprovals(rest);
    case 'approve':
      return decideApproval(rest, 'approve');
    case 'cancel-approval':
      return decideApproval(rest, 'cancel');
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
  const server = await startServer(sandbox, { port, secrets: (vendor) => sandboxWebhookSecrets(vendor), approvalSecrets: sandboxApprovalSecrets() });
  console.log(`cs-playbooks sandbox on ${server.url} with ${accounts.length} accounts`);
  console.log(`  POST ${server.url}/webhooks/events   try: npx playbooks send functions/contracts/samples/NpsResponseReceived.json`);
  console.log(`  POST ${server.url}/webhooks/<vendor>   ${VENDOR_IDS.filter((id) => id !== 'events').join(', ')} (README: "Connecting the vendors' webhooks")`);
  console.log(`  GET  ${server.url}/api/report`);
  console.log(`  POST ${server.url}/approvals/<id>   GET ${server.url}/api/approvals   try: npx playbooks approvals`);
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await server.close();
  await sandbox.stop();
  return 0;
}

async function send(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { url: { type: 'string' }, vendor: { type: 'string' } } });
  const [file] = positionals;
  const vendor = values.vendor ?? 'events';
  if (!file || !SIGNED_VENDORS.includes(vendor)) {
    console.error(`Usage: playbooks send <payload.json> [--vendor ${SIGNED_VENDORS.join('|')}] [--url http://127.0.0.1:3000]`);
    return 2;
  }
  const payload = await readFile(file, 'utf8');
  const [secret] = sandboxWebhookSecrets(vendor);
  const url = `${baseUrl(values.url)}/webhooks/${vendor}`;
  const delivery = signedDelivery(vendor, payload, secret!, url);
  const response = await fetch(url, { method: 'POST', headers: delivery.headers, body: delivery.body });
  console.log(`${response.status} ${response.statusText}`);
  console.log(await response.text());
  return response.ok ? 0 : 1;
}

async function listApprovals(args: string[]): Promise<number> {
  const { values } = parseArgs({ args, options: { url: { type: 'string' }, all: { type: 'boolean' } } });
  const response = await fetch(`${baseUrl(values.url)}/api/approvals${values.all ? '?status=all' : ''}`);
  console.log(await response.text());
  return response.ok ? 0 : 1;
}

/**
 * `approve` and `cancel-approval`: a decision signed with the sandbox's approval secret, posted to
 * `POST /approvals/<id>` of the running sandbox, exactly as a deployed stage's endpoint receives it.
 */
async function decideApproval(args: string[], command: 'approve' | 'cancel'): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      url: { type: 'string' },
      by: { type: 'string' },
      cancel: { type: 'boolean' },
      'edit-subject': { type: 'string' },
      'edit-text': { type: 'string' },
    },
  });
  const [approvalId] = positionals;
  const decision = command === 'cancel' || values.cancel ? 'cancel' : 'approve';
  const edits = {
    ...(values['edit-subject'] === undefined ? {} : { subject: values['edit-subject'] }),
    ...(values['edit-text'] === undefined ? {} : { text: values['edit-text'] }),
  };
  if (!approvalId || (decision === 'cancel' && Object.keys(edits).length > 0)) {
    console.error('Usage: playbooks approve <approvalId> [--edit-subject <text>] [--edit-text <text>] [--by <who>] [--url …]\n       playbooks cancel-approval <approvalId> [--by <who>] [--url …]');
    return 2;
  }
  const body = {
    approvalId,
    decision,
    ...(Object.keys(edits).length > 0 ? { edits } : {}),
    decidedBy: values.by ?? userInfo().username,
  };
  const [secret] = sandboxApprovalSecrets();
  return postSigned(`${baseUrl(values.url)}/approvals/${encodeURIComponent(approvalId)}`, JSON.stringify(body), secret!);
}

/** POST `payload` as a Standard Webhooks message signed with `secret`; prints the answer. */
async function postSigned(url: string, payload: string, secret: string): Promise<number> {
  const id = `msg_${randomUUID()}`;
  const timestamp = new Date();
  const response = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'webhook-id': id,
      'webhook-timestamp': String(Math.floor(timestamp.getTime() / 1000)),
      'webhook-signature': new Webhook(secret).sign(id, timestamp, payload),
    },
    body: payload,
  });
  console.log(`${response.status} ${response.statusText}`);
  console.log(await response.text());
  return response.ok ? 0 : 1;
}

function baseUrl(url: string | undefined): string {
  return (url ?? `http://127.0.0.1:${process.env.PORT ?? 3000}`).replace(/\/+$/, '');
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
