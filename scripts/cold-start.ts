/**
 * `npm run cold-start [-- --runs <n>] [--only <id,…>] [--node <binary>] [--stage <stage>] [--synth] [--budget <ratio>]`:
 * the cold start of every Lambda the stack deploys (one per domain, the two HTTP endpoints and the executions function),
 * measured, and held to a budget. Each bundle (as `npm run bundle-sizes` synthesizes it:
 * scripts/bundle-sizes.ts) is loaded in `runs` fresh processes of the runtime's Node (FUNCTION_RUNTIME's
 * major, from the npm registry's `node-<platform>-<arch>` package into node_modules/.cache/node<major>;
 * this machine's Node when that fails, said in the table's header), with the environment Lambda and the
 * stack give it (active tracing and the function's NODE_OPTIONS included), pointed at a local DynamoDB
 * (dynalite), Secrets Manager, Step Functions and X-Ray daemon; scripts/cold-start-probe.mjs times its `import()` and
 * its first `handler(event, context)` call. The first call's event makes each function reach its first
 * AWS request where a minimal valid input does (FIRST_CALLS, per action; a domain's function gets its
 * first action's, as `{ action, input }`): an account that does not exist, so most end in
 * AccountNotFound after one GetItem. The table's last column says what each first call did, as observed
 * (the requests it made).
 *
 * The baseline is an empty handler module, loaded the same way in the same run, between the functions
 * (runs are interleaved, so a busy machine slows every row alike): the ratio is a function's median
 * (import + first call) over the empty module's. The budget: every function's ratio at most
 * COLD_START_BUDGET (README, "Cold start"); the script exits 1 when one is over, naming it.
 */
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { arch, availableParallelism, loadavg, platform, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { Readable } from 'node:stream';
import { pathToFileURL } from 'node:url';
import { FUNCTION_RUNTIME } from '../lib/constructs/bundled-function.ts';
import { actionsOf, DOMAIN_IDS, type ActionId, type DomainId } from '../lib/functions.ts';
import { PROJECT_ROOT } from '../lib/project-root.ts';
import { stageConfig, type StageName } from '../lib/stages.ts';
import { startLocalDynamoDB } from '../sandbox/database/dynamodb.ts';
import { lambdaPlatformEnvironment } from '../test/support/aws/lambda-platform.ts';
import { startLocalSecretsManager } from '../test/support/aws/secrets-manager.ts';
import { startLocalStepFunctions } from '../test/support/aws/step-functions.ts';
import { startLocalXRayDaemon } from '../test/support/aws/xray-daemon.ts';
import { synthesizedBundles } from './bundle-sizes.ts';

/**
 * The budget: a function's median import + first call, at most this many times the empty module's in
 * the same run (README, "Cold start"). The SDK clients with Powertools Tracer and source maps measured
 * 346–502× and 351–560× on a loaded machine (load 4–6): room for a busier one, and a function whose
 * cold start doubles is over it.
 */
export const COLD_START_BUDGET = 800;

/** The functions that are no domain (POWERTOOLS_SERVICE_NAME in the template): the two HTTP endpoints and the executions function (its service still named `redrive`). */
const STANDALONE = ['ingest', 'decide-approval', 'redrive'] as const;
type Standalone = (typeof STANDALONE)[number];
const isStandalone = (id: string): id is Standalone => (STANDALONE as readonly string[]).includes(id);

/** Every function measured: a domain's, and the standalone ones. */
export type MeasuredId = DomainId | Standalone;

/** What has a first call planned: every action of the catalog, and the standalone functions. */
export type FirstCallId = ActionId | Standalone;

/** A domain's first call runs its first action in the catalog (upsert-account, create-task, …): a cold start loads the whole domain's bundle, whichever action it routes to. */
export const measuredAction = (domain: DomainId): ActionId => actionsOf(domain)[0]!;

export const isMeasuredId = (id: string): id is MeasuredId => isStandalone(id) || (DOMAIN_IDS as readonly string[]).includes(id);

/**
 * What makes one function's first call in one run its own: it never finds what an earlier run, or
 * another function, wrote (upsert-account creates its account), so every run takes the same path.
 */
export interface RunIds {
  accountId: string;
  eventId: string;
  execution: string;
}

export type Run = number | 'warm-up';

export const runIds = (id: MeasuredId | FirstCallId, run: Run): RunIds => ({
  accountId: `acc-${id}-cold-start-${run}`,
  eventId: `evt-${id}-cold-start-${run}`,
  execution: `exec-${id}-cold-start-${run}`,
});

/** A function whose input is too specific to derive: called with `{}`, a contract error before any I/O. */
export const CONTRACT_ERROR_ONLY = 'contract error only';

const AT = '2026-11-20T10:00:00+01:00';
const LATER = '2026-11-25T10:00:00+01:00';
const accountUpdated = JSON.parse(readFileSync(join(PROJECT_ROOT, 'functions/contracts/samples/AccountUpdated.json'), 'utf8')) as { data: Record<string, unknown> };
const npsAnswer = ({ accountId, eventId }: RunIds) => ({ eventId, accountId, contactId: 'ct-cold-start', score: 4, respondedAt: AT });
const touchpoint = ({ accountId, eventId }: RunIds) => ({ eventId, accountId, channel: 'call', at: AT });
const hex20 = '0123456789abcdef0123';

/**
 * Each action's first input: the minimal valid input of its contract, about an account the table does
 * not hold (so an action reading the account first stops at AccountNotFound, after its first DynamoDB
 * request). upsert-account creates it; the endpoints get an unsigned request (401 once the signing
 * secret is read from Secrets Manager).
 */
export const FIRST_CALLS: { readonly [id in FirstCallId]: ((ids: RunIds) => unknown) | typeof CONTRACT_ERROR_ONLY } = {
  'upsert-account': ({ accountId, eventId }) => ({ time: AT, detail: { ...accountUpdated.data, accountId, eventId } }),
  'record-nps-response': (ids) => ({ detail: npsAnswer(ids) }),
  'open-risk': ({ accountId, eventId }) => ({ accountId, kind: 'churn-risk', origin: 'cold-start', reason: eventId }),
  'record-touchpoint': (ids) => ({ detail: touchpoint(ids) }),
  'plan-competitor-meeting': ({ accountId, eventId, execution }) => ({
    detail: { eventId, accountId, competitor: 'Planity', meetingAt: LATER, detectedAt: AT },
    execution,
    startedAt: AT,
  }),
  'recheck-competitor-meeting': ({ accountId, execution }) => ({ accountId, meetingId: 'mtg-cold-start', execution, startedAt: AT }),
  'release-competitor-meeting': ({ accountId, execution }) => ({ detail: { accountId, competitor: 'Planity' }, execution }),
  'record-account-note': ({ accountId, eventId }) => ({ accountId, playbook: 'nps-response', reason: eventId, text: 'Cold start.' }),
  'create-task': ({ accountId, eventId }) => ({ accountId, playbook: 'nps-response', kind: 'detractor-call', ownerRole: 'csm', reason: eventId, due: { rule: 'today' } }),
  'gather-detractor-context': (ids) => ({ detail: npsAnswer(ids), band: 'detractor' }),
  'suppress-nps-surveys': ({ accountId }) => ({ accountId }),
  'plan-detractor-follow-up': ({ accountId }) => ({ accountId, respondedAt: AT }),
  'find-touchpoint': ({ accountId }) => ({ accountId, contactId: 'ct-cold-start', since: AT, channels: ['call'] }),
  'find-open-risk': ({ accountId }) => ({ accountId, riskId: 'risk-cold-start' }),
  'check-store-call': ({ accountId }) => ({ accountId, respondedAt: AT }),
  'post-alert': ({ accountId, eventId }) => ({ accountId, type: 'churn-risk', playbook: 'nps-response', reason: eventId }),
  'acknowledge-alert': ({ accountId }) => ({ accountId, alertId: 'alert-cold-start', handledBy: 'csm-cold-start' }),
  'plan-alert-reminder': ({ accountId, eventId, execution }) => ({ reminder: { accountId, source: eventId }, holder: execution }),
  'snooze-alert': ({ accountId }) => ({ detail: { accountId, alertType: 'no-exchange', until: '2026-12-20', by: 'csm-cold-start' } }),
  'remind-open-alerts': ({ accountId }) => ({ accountId, day: '2026-11-20' }),
  'start-no-contact-check': (ids) => ({ detailType: 'TouchpointLogged', detail: touchpoint(ids), time: AT, execution: ids.execution }),
  'recheck-no-contact': ({ accountId, execution }) => ({ accountId, holder: execution, generation: 1 }),
  'release-no-contact-check': ({ accountId, execution }) => ({ accountId, holder: execution, generation: 1 }),
  'start-renewal-check': ({ accountId, eventId, execution }) => ({ detailType: 'AccountUpdated', detail: { accountId, eventId, renewalAt: '2027-06-30T00:00:00+02:00' }, time: AT, execution }),
  'recheck-renewal': ({ accountId, execution }) => ({ accountId, holder: execution, generation: 1 }),
  'release-renewal-check': ({ accountId, execution }) => ({ accountId, holder: execution, generation: 1 }),
  'plan-approval': ({ accountId, eventId }) => ({ accountId, playbook: 'no-contact', kind: 'email', reason: eventId }),
  'offer-approval': ({ accountId }) => ({ accountId, playbook: 'no-contact', approvalId: `apr-${hex20}`, emailId: `eml-${hex20}` }),
  'request-approval': ({ accountId, eventId, execution }) => ({
    accountId,
    playbook: 'no-contact',
    kind: 'email',
    reason: eventId,
    emailId: `eml-${hex20}`,
    expiresAt: LATER,
    executionId: execution,
    taskToken: `token-${execution}`,
  }),
  'prepare-email': ({ accountId, eventId }) => ({ accountId, playbook: 'no-contact', template: 'no-contact-proposal', reason: eventId }),
  'send-email': ({ accountId }) => ({ accountId, emailId: `eml-${hex20}` }),
  'plan-first-reply': ({ accountId, eventId }) => ({ accountId, eventId, contactId: 'ct-cold-start', receivedAt: AT }),
  'await-first-reply': ({ accountId, eventId, execution }) => ({ accountId, replyKey: eventId, executionId: execution, taskToken: `token-${execution}` }),
  'record-client-reply': ({ accountId, eventId }) => ({ accountId, eventId, inReplyTo: 'msg-cold-start', at: AT }),
  'record-sla-breach': ({ accountId, eventId }) => ({ accountId, sla: 'first-reply', key: eventId, dueAt: AT }),
  'plan-client-risk': ({ accountId, eventId }) => ({ eventId, accountId }),
  'find-open-tasks': ({ accountId }) => ({ accountId, taskIds: ['task-cold-start'] }),
  'apply-approval-decision': ({ accountId, eventId }) => ({ eventId, accountId, approvalId: `apr-${hex20}`, decision: 'approve', decidedBy: 'csm-cold-start' }),
  'complete-task': ({ accountId, eventId }) => ({ accountId, eventId, taskId: 'task-cold-start', at: AT }),
  'check-sale-cancellation': ({ accountId, eventId }) => ({ accountId, eventId, kind: 'cancellation', receivedAt: AT }),
  'open-pre-churn': ({ accountId, eventId }) => ({ detail: { eventId, accountId, requestedAt: AT, channel: 'email' } }),
  'notify-person': ({ accountId, eventId }) => ({ accountId, playbook: 'nps-response', reason: eventId, recipientRole: 'csm', topic: 'cold-start', text: 'Cold start.' }),
  'plan-save-wait': ({ accountId, eventId }) => ({ accountId, caseId: `case-${eventId}`, phase: 'save' }),
  'await-save-outcome': ({ accountId, eventId, execution }) => ({ accountId, caseId: `case-${eventId}`, handled: '', executionId: execution, taskToken: `token-${execution}` }),
  'record-save-outcome': ({ accountId, eventId }) => ({ detail: { eventId, accountId, outcome: 'lost', at: AT } }),
  'record-retention-case': ({ accountId, eventId }) => ({ accountId, caseId: `case-${eventId}` }),
  'set-plan-expiry': ({ accountId, eventId }) => ({ accountId, caseId: `case-${eventId}` }),
  'request-refund': ({ accountId, eventId }) => ({ accountId, caseId: `case-${eventId}` }),
  'record-usage': ({ accountId, eventId }) => ({ detail: { eventId, accountId, contactId: 'ct-cold-start', at: AT } }),
  'start-usage-check': ({ accountId, eventId, execution }) => ({ detail: { eventId, accountId, day: '2026-11-20' }, execution }),
  'review-usage': ({ accountId, execution }) => ({ accountId, holder: execution, generation: 1 }),
  'release-usage-check': ({ accountId, execution }) => ({ accountId, holder: execution, generation: 1 }),
  'plan-welcome-back': ({ accountId, eventId }) => ({ detail: { eventId, accountId, contactId: 'ct-cold-start', day: '2026-11-20', idleDays: 31 } }),
  'score-health': ({ accountId, eventId }) => ({ 'detail-type': 'CsmPulseRecorded', detail: { eventId, accountId, csmId: 'csm-cold-start', pulse: 3, at: AT } }),
  'rescore-accounts': () => ({ night: 'nightly-2026-11-20' }),
  'plan-at-risk': ({ accountId, eventId }) => ({
    detail: { eventId, accountId, cause: 'band-drop', score: 42, band: 'red', fromScore: 68, fromBand: 'yellow', measure: 'usage', reading: 'this week at 0 % of the 4 weeks before', scoredAt: AT },
  }),
  'plan-digests': () => ({ day: '2026-11-23T00:00:00Z' }),
  'gather-digests': () => ({ at: '2026-11-23T07:00:00Z', people: [{ personId: 'csm-cold-start', monday: '2026-11-23', since: '2026-11-16T07:00:00Z' }] }),
  'send-digests': () => ({ people: [{ personId: 'csm-cold-start', monday: '2026-11-23', since: '2026-11-16T07:00:00Z' }] }),
  // A stream batch of one new dispatch the table does not hold: its lease's conditional write is the first request.
  'deliver-dispatches': ({ accountId, eventId }) => ({
    Records: [{ eventName: 'INSERT', dynamodb: { Keys: { pk: { S: `DISPATCH#${accountId}` }, sk: { S: `DISPATCH#${eventId}` } } } }],
  }),
  // API Gateway (HTTP API, payload v2): an unsigned delivery is refused (401) after the signing secrets are read.
  ingest: () => apiRequest('/webhooks/events', '{}'),
  'decide-approval': () => ({ ...apiRequest(`/approvals/apr-${hex20}`, ''), pathParameters: { approvalId: `apr-${hex20}` } }),
  // A failure just now, after an AWS outage, of an execution Step Functions does not know: it goes on its
  // account's timeline (the first request), then RedriveExecution answers ExecutionDoesNotExist.
  redrive: ({ execution, accountId, eventId }) => ({
    executionArn: `arn:aws:states:${REGION}:123456789012:execution:ColdStartStateMachine:${execution}`,
    stateMachineArn: `arn:aws:states:${REGION}:123456789012:stateMachine:ColdStartStateMachine`,
    status: 'FAILED',
    startDate: Date.now() - 60_000,
    stopDate: Date.now(),
    redriveCount: 0,
    error: 'AwsServiceUnavailable',
    input: JSON.stringify({ 'detail-type': 'NpsResponseReceived', detail: { eventId, accountId } }),
  }),
};

function apiRequest(rawPath: string, body: string) {
  return {
    version: '2.0',
    rawPath,
    rawQueryString: '',
    headers: { 'content-type': 'application/json' },
    body,
    isBase64Encoded: false,
    requestContext: { domainName: 'api.example.com', http: { method: 'POST', path: rawPath } },
  };
}

/** What `id` (an action or an endpoint) is first called with in one run: `{}` for a contract-error-only action. */
export function firstInput(id: FirstCallId, run: Run, ids: RunIds = runIds(id, run)): unknown {
  const plan = FIRST_CALLS[id];
  return plan === CONTRACT_ERROR_ONLY ? {} : plan(ids);
}

/** The event of a function's first call in one run: an endpoint's request, or a domain's `{ action, input }` (its first action's). */
export function firstEvent(id: MeasuredId, run: Run): unknown {
  if (isStandalone(id)) return firstInput(id, run);
  const action = measuredAction(id);
  return { action, input: firstInput(action, run, runIds(id, run)) };
}

/** Whether a function's first call is planned as a contract error only. */
const contractErrorOnly = (id: MeasuredId) => FIRST_CALLS[isStandalone(id) ? id : measuredAction(id)] === CONTRACT_ERROR_ONLY;

/** What one fresh process measured (scripts/cold-start-probe.mjs). */
export interface Sample {
  importMs: number;
  callMs: number;
  /** `returned`, `HTTP 401`, or the name of what the first call threw (AccountNotFound, ContractError, …; a plain Error, its message). */
  outcome: string;
  /** Requests made while importing (none expected: clients connect at their first call). */
  importRequests: number;
  /** The first call's requests, in order: `DynamoDB GetItem`, `SecretsManager GetSecretValue`, … */
  requests: string[];
  node: string;
}

/** The median (of an even count, the mean of the middle two). */
export function median(values: readonly number[]): number {
  if (values.length === 0) throw new Error('median of no values');
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/** `DynamoDB GetItem ×2, DynamoDB PutItem`: the requests in order, repeats counted. */
export function describeRequests(requests: readonly string[]): string {
  const runs: [string, number][] = [];
  for (const request of requests) {
    const last = runs.at(-1);
    if (last?.[0] === request) last[1]++;
    else runs.push([request, 1]);
  }
  return runs.map(([request, count]) => (count > 1 ? `${request} ×${count}` : request)).join(', ');
}

/** What a first call did, as observed: `AccountNotFound after DynamoDB GetItem`, or each variant when runs differ. */
export function exercised(samples: readonly Sample[], contractErrorOnly = false): string {
  const one = (sample: Sample) => {
    const io = sample.requests.length === 0 ? 'no I/O' : `after ${describeRequests(sample.requests)}`;
    const atImport = sample.importRequests > 0 ? ` (+${sample.importRequests} request(s) at import)` : '';
    // The run's own ids (runIds), said once for all runs.
    return `${sample.outcome.replace(/[\w-]*-cold-start-(\d+|warm-up)/g, '<id>')} ${io}${atImport}`;
  };
  const variants = [...new Set(samples.map(one))];
  const observed = variants.length === 1 ? variants[0]! : `varies: ${variants.join(' / ')}`;
  return contractErrorOnly ? `${CONTRACT_ERROR_ONLY}: ${observed}` : observed;
}

export interface Row {
  function: string;
  bundleBytes: number;
  importMs: number;
  callMs: number;
  /** The median of the runs' import + first call (not the sum of the two medians). */
  totalMs: number;
  exercised: string;
}

export function row(name: string, bundleBytes: number, samples: readonly Sample[], contractErrorOnly = false): Row {
  return {
    function: name,
    bundleBytes,
    importMs: median(samples.map((sample) => sample.importMs)),
    callMs: median(samples.map((sample) => sample.callMs)),
    totalMs: median(samples.map((sample) => sample.importMs + sample.callMs)),
    exercised: exercised(samples, contractErrorOnly),
  };
}

/** The markdown table: one line per function, slowest first, the empty module last; ratio = total / the empty module's total. */
export function formatTable(rows: readonly Row[], baseline: Row): string {
  const lines = [
    '| function | bundle KB | import ms | first call ms | ratio | first call exercised |',
    '| --- | ---: | ---: | ---: | ---: | --- |',
    ...[...rows]
      .sort((a, b) => b.totalMs - a.totalMs || a.function.localeCompare(b.function))
      .map((r) => `| ${r.function} | ${(r.bundleBytes / 1024).toFixed(1)} | ${r.importMs.toFixed(1)} | ${r.callMs.toFixed(1)} | ${(r.totalMs / baseline.totalMs).toFixed(0)}× | ${r.exercised} |`),
    `| ${baseline.function} | ${(baseline.bundleBytes / 1024).toFixed(1)} | ${baseline.importMs.toFixed(2)} | ${baseline.callMs.toFixed(2)} | 1× | ${baseline.exercised} |`,
  ];
  return lines.join('\n');
}

/** The rows whose ratio to the empty module is over `budget`, slowest first. */
export function overBudget(rows: readonly Row[], baseline: Row, budget: number): Row[] {
  return rows.filter((r) => r.totalMs / baseline.totalMs > budget).sort((a, b) => b.totalMs - a.totalMs);
}

/** The Node major of the functions' runtime: 24 for nodejs24.x. */
export function runtimeNodeMajor(runtimeName: string = FUNCTION_RUNTIME.name): number {
  const major = /^nodejs(\d+)\./.exec(runtimeName)?.[1];
  if (!major) throw new Error(`${runtimeName} is not a Node.js runtime`);
  return Number(major);
}

export interface NodeBinary {
  path: string;
  version: string;
  /** Why it is not the runtime's major, when it is not. */
  fallback?: string;
}

/**
 * The runtime's Node: the npm registry's `node-<platform>-<arch>@<major>` (which holds `bin/node`),
 * installed once into node_modules/.cache/node<major>; this process's Node when that fails.
 */
function runtimeNode(major: number, explicit: string | undefined): NodeBinary {
  const versionOf = (path: string) => spawnSync(path, ['--version'], { encoding: 'utf8' }).stdout.trim();
  if (explicit) return { path: explicit, version: versionOf(explicit) };
  const pkg = `node-${platform() === 'win32' ? 'win' : platform()}-${arch()}`;
  const prefix = join(PROJECT_ROOT, 'node_modules', '.cache', `node${major}`);
  const binary = join(prefix, 'node_modules', pkg, 'bin', 'node');
  if (!existsSync(binary)) {
    console.error(`Installing ${pkg}@${major} into ${prefix}…`);
    const install = spawnSync('npm', ['install', '--prefix', prefix, '--no-save', '--no-package-lock', '--no-audit', '--no-fund', `${pkg}@${major}`], { encoding: 'utf8' });
    if (install.status !== 0 || !existsSync(binary)) {
      const reason = (install.stderr || install.error?.message || `no ${binary}`).trim().split('\n').at(-1);
      return { path: process.execPath, version: process.version, fallback: `the runtime's Node ${major} could not be installed (${reason})` };
    }
  }
  return { path: binary, version: versionOf(binary) };
}

/** A template value as a string: a Ref is its logical id, a join is joined (names only matter as names here). */
export function resolveIntrinsic(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    const [[name, argument]] = Object.entries(value) as [[string, unknown]];
    if (name === 'Ref') return String(argument);
    if (name === 'Fn::GetAtt' && Array.isArray(argument)) return argument.join('.');
    if (name === 'Fn::Join' && Array.isArray(argument)) {
      const [separator, parts] = argument as [string, unknown[]];
      return parts.map(resolveIntrinsic).join(separator);
    }
  }
  return JSON.stringify(value);
}

interface Options {
  stage: StageName;
  synth: boolean;
  runs: number;
  budget: number;
  only?: string[];
  node?: string;
}

function parseArgs(argv: readonly string[]): Options {
  const usage = 'usage: cold-start [--runs <n>] [--only <id,…>] [--node <binary>] [--stage <stage>] [--synth] [--budget <ratio>]';
  let stage = 'dev';
  const options: Omit<Options, 'stage'> = { synth: false, runs: 15, budget: COLD_START_BUDGET };
  for (let i = 0; i < argv.length; i++) {
    const [arg, inline] = (argv[i] ?? '').split(/=(.*)/s) as [string, string | undefined];
    const value = () => inline ?? argv[++i] ?? '';
    if (arg === '--stage') stage = value();
    else if (arg === '--synth') options.synth = true;
    else if (arg === '--runs') options.runs = Number(value());
    else if (arg === '--only') options.only = value().split(',').filter(Boolean);
    else if (arg === '--node') options.node = value();
    else if (arg === '--budget') options.budget = Number(value());
    else throw new Error(`Unknown argument ${arg}; ${usage}`);
  }
  if (!Number.isInteger(options.runs) || options.runs < 1) throw new Error(`--runs takes a whole number of runs, at least 1; ${usage}`);
  if (!(options.budget > 0)) throw new Error(`--budget takes a ratio to the empty module, above 0; ${usage}`);
  return { ...options, stage: stageConfig(stage).name };
}

interface Target {
  id: string;
  /** Its row in the table: a domain with the action its first call runs (`tasks: create-task`). */
  label: string;
  bundle: string;
  bundleBytes: number;
  environment: Record<string, string>;
  event: (run: Run) => unknown;
  contractErrorOnly: boolean;
}

const PROBE = join(PROJECT_ROOT, 'scripts', 'cold-start-probe.mjs');
const REGION = 'eu-west-3';
const CREDENTIALS = { accessKeyId: 'AKIACOLDSTART0000001', secretAccessKey: 'cold-start-secret-access-key', sessionToken: 'cold-start-session-token' };
/** For the services nothing here serves: a refused connection, never AWS. */
const NOTHING_LISTENS = 'http://127.0.0.1:9';

function probe(node: string, target: Target, run: Run): Promise<Sample> {
  return new Promise((resolve, reject) => {
    const child = spawn(node, [PROBE, target.bundle, JSON.stringify(target.event(run)), target.environment.AWS_LAMBDA_FUNCTION_NAME!], {
      // Lambda's working directory is the code's (/var/task).
      cwd: dirname(target.bundle),
      env: target.environment,
      stdio: ['ignore', 'ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    let result = '';
    child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr = (stderr + chunk).slice(-4000)));
    (child.stdio[3] as Readable).setEncoding('utf8').on('data', (chunk: string) => (result += chunk));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0 || !result) return reject(new Error(`${target.id}: the probe exited ${code}: ${stderr.trim()}`));
      resolve(JSON.parse(result) as Sample);
    });
  });
}

async function main(argv: readonly string[]): Promise<void> {
  const options = parseArgs(argv);
  const started = Date.now();
  // The machine's load, said with the numbers: a busy machine stretches the empty module's ~1 ms most.
  const loadAtStart = loadavg()[0]!;
  // This process's own clients (the local DynamoDB's) on the machine's Node, as vitest.config.ts says for the tests.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const node = runtimeNode(runtimeNodeMajor(), options.node);
  console.error(`Node ${node.version} (${node.path})${node.fallback ? `: ${node.fallback}` : ''}`);

  const { outdir, stack, sizes } = synthesizedBundles(options.stage, { synth: options.synth });
  const template = JSON.parse(readFileSync(join(outdir, `${stack}.template.json`), 'utf8')) as {
    Resources: Record<string, { Properties: { MemorySize?: number; Environment?: { Variables?: Record<string, unknown> } } }>;
  };

  const db = await startLocalDynamoDB('cs-playbooks-cold-start');
  const xray = await startLocalXRayDaemon();
  const directory = mkdtempSync(join(tmpdir(), 'cs-playbooks-cold-start-'));
  const secretIds = new Set<string>();
  const vendorSecretIds = new Set<string>();
  try {
    const platformEnvironment = (functionName: string, memorySize: number, taskRoot: string): Record<string, string> => ({
      // What Lambda sets (a clean environment: nothing of this shell), tracing to a local X-Ray daemon.
      ...lambdaPlatformEnvironment({ functionName, memorySize, region: REGION, credentials: CREDENTIALS, taskRoot, xrayDaemon: xray.address }),
      // Local endpoints: AWS is never called.
      AWS_ENDPOINT_URL_DYNAMODB: db.endpoint,
      AWS_ENDPOINT_URL_SFN: NOTHING_LISTENS,
      AWS_ENDPOINT_URL_EVENTBRIDGE: NOTHING_LISTENS,
      AWS_ENDPOINT_URL_SESV2: NOTHING_LISTENS,
      SES_ENDPOINT: NOTHING_LISTENS,
    });

    const targets: Target[] = sizes.map((size) => {
      const properties = template.Resources[size.logicalId]!.Properties;
      const variables = Object.fromEntries(Object.entries(properties.Environment?.Variables ?? {}).map(([name, value]) => [name, resolveIntrinsic(value)]));
      const id = variables.POWERTOOLS_SERVICE_NAME;
      if (!id || !isMeasuredId(id)) throw new Error(`${size.function} (${id ?? 'no POWERTOOLS_SERVICE_NAME'}): neither a domain of the catalog nor an endpoint with a first call (scripts/cold-start.ts)`);
      if (variables.APPROVAL_SECRET_ARN) secretIds.add(variables.APPROVAL_SECRET_ARN);
      if (variables.VENDOR_SECRET_ID) vendorSecretIds.add(variables.VENDOR_SECRET_ID);
      // Each sender's secret, by path then sender (functions/ingest/environment.ts, WEBHOOK_SENDERS).
      if (variables.WEBHOOK_SENDERS) {
        for (const ofPath of Object.values(JSON.parse(variables.WEBHOOK_SENDERS) as Record<string, Record<string, { secretArn: string }>>)) for (const { secretArn } of Object.values(ofPath)) secretIds.add(secretArn);
      }
      return {
        id,
        label: isStandalone(id) ? id : `${id}: ${measuredAction(id)}`,
        bundle: join(size.assetDir, 'index.mjs'),
        bundleBytes: size.bundleBytes,
        environment: { ...platformEnvironment(`${stack}-${id}`, properties.MemorySize ?? 128, dirname(join(size.assetDir, 'index.mjs'))), ...variables, ...(variables.TABLE_NAME ? { TABLE_NAME: db.tableName } : {}) },
        event: (run: Run) => firstEvent(id, run),
        contractErrorOnly: contractErrorOnly(id),
      };
    });
    const measured = options.only ? targets.filter((target) => options.only!.includes(target.id)) : targets;
    const unknown = options.only?.filter((id) => !targets.some((target) => target.id === id)) ?? [];
    if (unknown.length > 0) throw new Error(`--only: no function ${unknown.join(', ')} in the stage; they are ${targets.map((target) => target.id).join(', ')}`);

    // The endpoints' signing secrets, by the names the template's Refs resolve to, and the stage's
    // vendor secret, empty (no token: every port is the outbox, as in a stage without vendors).
    const secrets = await startLocalSecretsManager({
      region: REGION,
      credentials: CREDENTIALS,
      secrets: [...[...secretIds].map((name) => ({ name, value: `whsec_${randomBytes(24).toString('base64')}` })), ...[...vendorSecretIds].map((name) => ({ name, value: '{}' }))],
    });
    const stepFunctions = await startLocalStepFunctions({ region: REGION, credentials: CREDENTIALS });
    try {
      for (const target of measured) {
        target.environment.AWS_ENDPOINT_URL_SECRETS_MANAGER = secrets.endpoint;
        target.environment.AWS_ENDPOINT_URL_SFN = stepFunctions.endpoint;
      }

      const emptyModule = join(directory, 'index.mjs');
      writeFileSync(emptyModule, 'export const handler = async () => ({});\n');
      const baseline: Target = {
        id: '(empty module)',
        label: '(empty module)',
        bundle: emptyModule,
        bundleBytes: readFileSync(emptyModule).byteLength,
        environment: platformEnvironment('empty-module', 256, directory),
        event: () => ({}),
        contractErrorOnly: false,
      };

      const all = [baseline, ...measured];
      const samples = new Map<Target, Sample[]>(all.map((target) => [target, []]));
      // One unrecorded pass: the file system cache, and a probe that fails fails now, not after minutes.
      console.error(`Warm-up: ${all.length} modules…`);
      for (const target of all) await probe(node.path, target, 'warm-up');
      // Interleaved: each run loads every module once, so the machine's load weighs on every row alike.
      for (let run = 1; run <= options.runs; run++) {
        console.error(`Run ${run}/${options.runs} (${((Date.now() - started) / 1000).toFixed(0)} s)`);
        for (const target of all) samples.get(target)!.push(await probe(node.path, target, run));
      }

      const versions = new Set([...samples.values()].flat().map((sample) => sample.node));
      const rows = measured.map((target) => row(target.label, target.bundleBytes, samples.get(target)!, target.contractErrorOnly));
      const base = row(baseline.label, baseline.bundleBytes, samples.get(baseline)!);
      const seconds = (Date.now() - started) / 1000;
      console.log(
        `Cold start: Node ${[...versions].join(', ')}${node.fallback ? ` (this machine's: ${node.fallback})` : ` (the runtime's, ${FUNCTION_RUNTIME.name})`} on ${platform()}-${arch()}, ` +
          `stage ${options.stage}; median of ${options.runs} fresh processes per function; ratio = median (import + first call) / the empty module's ` +
          `(${base.totalMs.toFixed(2)} ms); ${(seconds / 60).toFixed(1)} min, one process at a time on ${availableParallelism()} cores, ` +
          `load average ${loadAtStart.toFixed(1)} → ${loadavg()[0]!.toFixed(1)}.\n`,
      );
      console.log(formatTable(rows, base));
      const ratios = rows.map((r) => r.totalMs / base.totalMs);
      console.log(`\nratio ${Math.min(...ratios).toFixed(0)}×–${Math.max(...ratios).toFixed(0)}×; import + first call ${Math.min(...rows.map((r) => r.totalMs)).toFixed(0)}–${Math.max(...rows.map((r) => r.totalMs)).toFixed(0)} ms`);
      const over = overBudget(rows, base, options.budget);
      if (over.length > 0) {
        console.error(`Over the cold-start budget (${options.budget}× the empty module): ${over.map((r) => `${r.function} ${(r.totalMs / base.totalMs).toFixed(0)}×`).join(', ')}`);
        process.exitCode = 1;
      } else console.log(`every function within the budget of ${options.budget}× the empty module`);
    } finally {
      await Promise.all([secrets.close(), stepFunctions.close()]);
    }
  } finally {
    await Promise.all([db.close(), xray.close()]);
    rmSync(directory, { recursive: true, force: true });
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main(process.argv.slice(2)).catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 2;
  });
}
