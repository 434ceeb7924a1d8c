import { extname } from 'node:path';
import { DEFAULT_CONTACT_ROLE_PROPERTY, accountProperties } from '../../functions/ingest/vendors/hubspot-accounts.ts';
import { IMPORT_SENDER } from '../../functions/ingest/senders.ts';
import { stageConfig, type StageName } from '../../lib/stages.ts';
import { sandboxWebhookSecrets, webhookSecretsVariable } from '../secrets.ts';
import { CliError } from '../commands/command.ts';
import { readTextFile } from '../commands/io.ts';
import { baseUrl, stageSettings } from '../commands/options.ts';
import { checkRows } from './check-rows.ts';
import { readCsvAccounts } from './csv-accounts.ts';
import { deliverRows, type Delivery, type Endpoint } from './deliver.ts';
import { HUBSPOT_API_URL, hubspotApi } from './hubspot-api.ts';
import { readHubSpotAccounts } from './hubspot-portfolio.ts';
import { readJsonAccounts } from './json-accounts.ts';
import { importReport } from './report.ts';
import type { RetryOptions } from './retry.ts';
import type { ImportRow } from './rows.ts';
import { defaultAwsClients, stageEndpoint, stageHubSpotToken, type AwsClients } from './stage.ts';

/** What `playbooks import` was asked to do (sandbox/commands/import.ts reads it from the command line). */
export interface ImportPlan {
  /** A `.json` or `.csv` file, or HubSpot's companies. */
  source: { file: string } | { hubspot: true };
  /** The sandbox's address; absent with `stage`: the stage's deployed endpoint. */
  url?: string | undefined;
  /** Whose settings (calendar countries) and HubSpot mapping apply; deployed endpoint unless `url`. */
  stage?: StageName | undefined;
  dryRun: boolean;
  concurrency: number;
  /** Messages started per second; by default unlimited for a sandbox, half the stage's rate limit for a stage. */
  perSecond?: number | undefined;
}

/** Where the import writes and what it reads besides the plan: the console and the process in the CLI, a test's own in tests. */
export interface ImportIo {
  out(line: string): void;
  /** Progress and what is being done; stderr in the CLI. */
  err(line: string): void;
  env: NodeJS.ProcessEnv;
  /** The AWS clients `--stage` reads the stack and its secrets with (the SDK's defaults unless a test gives its own). */
  aws?: () => Promise<AwsClients>;
  retry?: RetryOptions;
}

/** Runs the plan; resolves the exit code (0: every row sent or unchanged; 1: any refused or unsent). */
export async function runImport(plan: ImportPlan, io: ImportIo): Promise<number> {
  const deployed = plan.stage !== undefined && plan.url === undefined ? plan.stage : undefined;
  const aws = memo(io.aws ?? defaultAwsClients);
  const rows = await readRows(plan, io, deployed, aws);
  // The machine's clock: an updatedAt ahead of it is refused by the endpoint, whose clock it stands for.
  const checked = checkRows(rows, await stageSettings(plan.stage), new Date());
  const accepted = checked.flatMap((entry) => ('detail' in entry ? [entry] : []));

  let deliveries: (Delivery | undefined)[] = [];
  let stopped: CliError | undefined;
  if (!plan.dryRun && accepted.length > 0) {
    const endpoint = deployed ? await stageEndpoint(deployed, await aws()) : sandboxEndpoint(plan.url, io.env);
    const perSecond = plan.perSecond ?? (deployed ? Math.max(1, Math.floor(stageConfig(deployed).webhookRateLimit / 2)) : undefined);
    io.err(`sending ${accepted.length} of ${rows.length} accounts to ${endpoint.url}, ${plan.concurrency} at a time${perSecond ? `, ${perSecond} a second at most` : ''}`);
    const result = await deliverRows(accepted, endpoint, { concurrency: plan.concurrency, perSecond, retry: io.retry, progress: every(500, (done) => io.err(`  ${done} of ${accepted.length} sent`)) });
    let next = 0;
    deliveries = checked.map((entry) => ('detail' in entry ? result.deliveries[next++] : undefined));
    stopped = result.stopped;
  }
  const report = importReport(checked, deliveries, plan.dryRun ? 'dry-run' : stopped ? 'stopped' : 'sent');
  report.lines.forEach((line) => io.out(line));
  // Said last, after what was sent before it: the one thing to fix.
  if (stopped) throw stopped;
  return report.clean ? 0 : 1;
}

async function readRows(plan: ImportPlan, io: ImportIo, deployed: StageName | undefined, aws: () => Promise<AwsClients>): Promise<ImportRow[]> {
  if ('file' in plan.source) {
    const { file } = plan.source;
    const kind = extname(file).toLowerCase();
    if (kind !== '.csv' && kind !== '.json') throw new CliError(`${file}: import reads a .csv or a .json file (README.md, "Importing accounts")`, 2);
    const text = await readTextFile(file, 'accounts file');
    return kind === '.csv' ? readCsvAccounts(text, file) : readJsonAccounts(text, file);
  }
  const hubspot = stageConfig(plan.stage ?? 'dev').vendors?.hubspot;
  const mapping = {
    properties: accountProperties(hubspot?.accountProperties),
    companyIdProperty: hubspot?.companyIdProperty,
    contactRoleProperty: hubspot?.contactRoleProperty ?? DEFAULT_CONTACT_ROLE_PROPERTY,
  };
  const token = io.env.HUBSPOT_ACCESS_TOKEN || (deployed ? await stageHubSpotToken(deployed, stageConfig(deployed).vendors?.secretName, await aws()) : undefined);
  if (!token) throw new CliError('the HubSpot backfill needs a private app token: set HUBSPOT_ACCESS_TOKEN (scopes crm.objects.companies.read, crm.objects.contacts.read, crm.objects.owners.read)', 2);
  const api = hubspotApi({ token, root: io.env.HUBSPOT_API_URL || HUBSPOT_API_URL, ...(io.retry ? { retry: io.retry } : {}) });
  io.err(`reading HubSpot's companies, owners and contacts from ${io.env.HUBSPOT_API_URL || HUBSPOT_API_URL}`);
  return readHubSpotAccounts(api, mapping, every(1000, (read) => io.err(`  ${read} companies read`)));
}

/**
 * The running sandbox's events endpoint, signed as its `import` sender (the one allowed AccountUpdated),
 * with the secret the sandbox verifies it with (`STANDARD_WEBHOOK_SECRETS_IMPORT`, else its development secret).
 */
function sandboxEndpoint(url: string | undefined, env: NodeJS.ProcessEnv): Endpoint {
  const [secret] = sandboxWebhookSecrets('events', env, IMPORT_SENDER);
  const variable = webhookSecretsVariable('events', IMPORT_SENDER);
  return { url: `${baseUrl(url)}/webhooks/events`, secret: secret!, secretSource: env[variable] ? `the first secret of ${variable}` : `the import sender's development secret (set ${variable} to the sandbox's)` };
}

/** `report(count)` each time the count passes a multiple of `step`. */
function every(step: number, report: (count: number) => void): (count: number) => void {
  let last = 0;
  return (count) => {
    if (Math.floor(count / step) > Math.floor(last / step)) report(count);
    last = count;
  };
}

function memo<T>(make: () => Promise<T>): () => Promise<T> {
  let made: Promise<T> | undefined;
  return () => (made ??= make());
}
