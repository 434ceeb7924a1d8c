import { runImport, type ImportIo } from '../import/run.ts';
import { CliError, type Command } from './command.ts';
import { parseOptions, stageOption } from './options.ts';

export const importCommand: Command = {
  name: 'import',
  summary: "load accounts (CSV, JSON or HubSpot) into the sandbox or a stage, through its events endpoint",
  usage: `playbooks import <accounts.csv|accounts.json> [--url http://127.0.0.1:3000 | --stage <stage>] [--dry-run]
playbooks import --from hubspot [--url … | --stage …] [--dry-run]

  Send each account as a complete AccountUpdated to POST /webhooks/events, signed as its
  import sender (the one allowed AccountUpdated): the endpoint's contract and idempotency apply (the same
  row again is answered "unchanged", a changed row is sent again). Rows the contract or
  the stage's calendar countries refuse are reported (file:line, the field, why) and not sent.

  --url        the running sandbox (default http://127.0.0.1:$PORT), signed with
               STANDARD_WEBHOOK_SECRETS_IMPORT (else the import sender's development secret)
  --stage      a deployed stage: its WebhookUrl and ImportSenderWebhookSecretArn outputs (stack
               CsPlaybooks-<stage>, your AWS credentials and region); its settings and HubSpot
               mapping (stages/<stage>.json) also apply with --url
  --dry-run    check every row and report, send nothing
  --from hubspot   read HubSpot's companies, owners and contacts (HUBSPOT_ACCESS_TOKEN, or with
               --stage the stage's vendor secret) through the stage's property mapping
  --concurrency <n>   messages in flight (default 8)
  --rate <n>   messages started per second (default: half the stage's webhook rate limit;
               unlimited for a sandbox)

  CSV: a header of account-record fields (id,name,country,timezone,language,csmId,mrr,…),
  contacts as <role>.id, <role>.name, <role>.email (champion, sponsor, decision-maker, user;
  user.2.email for a second one). See examples/accounts.csv. Exit code 1 when a row was refused.`,
  run: (args) => importAccounts(args, { out: (line) => console.log(line), err: (line) => console.error(line), env: process.env }),
};

/** `playbooks import <args>`, writing to `io`: what the command runs, and what tests run. */
export async function importAccounts(args: string[], io: ImportIo): Promise<number> {
  const { values, positionals } = parseOptions({
    args,
    allowPositionals: true,
    options: {
      url: { type: 'string' },
      stage: { type: 'string' },
      from: { type: 'string' },
      'dry-run': { type: 'boolean' },
      concurrency: { type: 'string' },
      rate: { type: 'string' },
    },
  }, 1);
  const [file] = positionals;
  if (values.from !== undefined && values.from !== 'hubspot') throw new CliError(`--from ${values.from}: the one source besides files is hubspot`, 2);
  if (values.from && file) throw new CliError('import reads a file or --from hubspot, not both', 2);
  if (!values.from && !file) throw new CliError('import needs an accounts file (.csv or .json) or --from hubspot: playbooks import <accounts.csv>', 2);
  const stage = values.stage === undefined ? undefined : (await stageOption(values.stage)).name;
  return runImport(
    {
      source: file ? { file } : { hubspot: true },
      url: values.url,
      stage,
      dryRun: values['dry-run'] ?? false,
      concurrency: count(values.concurrency, '--concurrency', 8, 64),
      perSecond: values.rate === undefined ? undefined : count(values.rate, '--rate', undefined, 1000),
    },
    io,
  );
}

function count<T extends number | undefined>(value: string | undefined, option: string, fallback: T, max: number): number | T {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > max) throw new CliError(`${option} ${value}: expected a whole number from 1 to ${max}`, 2);
  return n;
}
