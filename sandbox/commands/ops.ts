import { DETAIL_TYPES } from '../../functions/contracts/events.ts';
import { EXECUTION_ARN, EXECUTION_STATUSES } from '../../functions/core/executions/timeline.ts';
import { PLAYBOOKS, triggerPattern, type PlaybookEntry } from '../../lib/catalog.ts';
import type { AccountExecution } from '../ops/executions.ts';
import { causeOf } from '../ops/history-lines.ts';
import type { OpsTarget } from '../ops/target.ts';
import { CliError, type Command } from './command.ts';
import { baseUrl, parseOptions, stageOption } from './options.ts';

/**
 * The ops commands (README, "Runbook"): from an account to its executions, an execution's history, a
 * redrive, a replay of the event archive. The same `@aws-sdk` clients against the running sandbox
 * (`--url`, which serves those APIs) and a deployed stage (`--stage`, with your AWS credentials and the
 * stack's ops policies).
 */

const WHERE = `  --url <url>      the running sandbox (default http://127.0.0.1:3000, or PORT)
  --stage <stage>  a deployed stage instead: stack CsPlaybooks-<stage>, your AWS credentials and region
                   (the stack's OpsReadOnlyPolicyArn allows executions and history,
                   OpsRecoveryPolicyArn redrive and replay)
  --json           JSON instead of lines`;

export const executions: Command = {
  name: 'executions',
  summary: "an account's playbook executions: status, what each waits for, how each started",
  usage: `playbooks executions --account <accountId> [--limit 20] [--url … | --stage …] [--json]
       playbooks executions --playbook <playbookId> [--status FAILED] [--limit 20] [--url … | --stage …] [--json]

  An account's playbook executions, newest first, from its timeline in the ledger: each one's playbook,
  status, start and end, the event that started it, what a running one waits for and until when,
  a failed one's error and cause, and where to look at it (the console link). Then:
  playbooks history <executionArn>, playbooks redrive <executionArn>.
  --playbook: a playbook's executions instead (those with --status only), each with its account:
  where an alarm that names the playbook leads.
${WHERE}`,
  async run(args) {
    const { values } = parseOptions({ args, options: { account: { type: 'string' }, playbook: { type: 'string' }, status: { type: 'string' }, limit: { type: 'string' }, ...TARGET_OPTIONS } });
    if ((values.account === undefined) === (values.playbook === undefined)) throw new CliError('executions needs --account <accountId> (the CSM or the report names it) or --playbook <playbookId> (the alarm names it)', 2);
    if (values.status !== undefined && values.playbook === undefined) throw new CliError('--status goes with --playbook', 2);
    const limit = values.limit === undefined ? undefined : positiveInteger(values.limit, '--limit');
    const status = values.status === undefined ? undefined : executionStatus(values.status);
    if (values.playbook !== undefined) playbookNamed(values.playbook);
    const target = await opsTarget(values);
    const { accountExecutions, playbookExecutions, DEFAULT_LIMIT } = await import('../ops/executions.ts');
    const rows = await reached(target, () =>
      values.account !== undefined ? accountExecutions(target, values.account, limit ? { limit } : {}) : playbookExecutions(target, values.playbook!, { ...(status ? { status } : {}), ...(limit ? { limit } : {}) }),
    );
    if (rows.length === (limit ?? DEFAULT_LIMIT)) console.error(`the newest ${rows.length}; --limit for more`);
    const subject = values.account ?? `${values.playbook}${status ? ` (${status})` : ''}`;
    if (values.json) console.log(JSON.stringify({ ...(values.account ? { accountId: values.account } : { playbook: values.playbook }), executions: rows }, null, 2));
    else console.log(executionLines(subject, target.where, rows).join('\n'));
    return 0;
  },
};

export const history: Command = {
  name: 'history',
  summary: "an execution's history: states entered, inputs and outputs, errors with their cause",
  usage: `playbooks history <executionArn> [--url … | --stage …] [--json]

  An execution's history, oldest first, as Step Functions keeps it (90 days after it ends): each state
  entered with its input, left with its output (ids only: execution state carries no personal data),
  each failure with its error and cause, each redrive.
${WHERE}`,
  async run(args) {
    const { values, positionals } = parseOptions({ args, allowPositionals: true, options: TARGET_OPTIONS }, 1);
    const executionArn = executionArnOf(positionals, 'history');
    const target = await opsTarget(values);
    const [{ executionHistory }, { historyLines }] = await Promise.all([import('../ops/executions.ts'), import('../ops/history-lines.ts')]);
    const events = await reached(target, () => executionHistory(target.stepFunctions, executionArn));
    console.log(values.json ? JSON.stringify({ executionArn, events }, null, 2) : historyLines(events).join('\n'));
    return 0;
  },
};

export const redrive: Command = {
  name: 'redrive',
  summary: 'run a failed execution again from the state it failed in',
  usage: `playbooks redrive <executionArn> [--url … | --stage …]

  RedriveExecution: a failed execution (within 14 days of its end) goes on from the state it failed
  in, with that state's input and the definition it started with; the states it passed are not run
  again, and every effect is idempotent. Run it once the cause is fixed (the history says it).
  Refused, with Step Functions' reason, for an execution that is running or succeeded. The same
  command run again before the redrive ends (a retry) redrives once.
${WHERE}`,
  async run(args) {
    const { values, positionals } = parseOptions({ args, allowPositionals: true, options: TARGET_OPTIONS }, 1);
    const executionArn = executionArnOf(positionals, 'redrive');
    const target = await opsTarget(values);
    const { redriveExecution } = await import('../ops/executions.ts');
    const redriveDate = await reached(target, () => redriveExecution(target.stepFunctions, executionArn));
    console.log(values.json ? JSON.stringify({ executionArn, redriveDate }) : `redriven at ${redriveDate?.toISOString() ?? 'once'}: playbooks history ${executionArn}`);
    return 0;
  },
};

export const replay: Command = {
  name: 'replay',
  summary: 'put the archived events of a time window on the bus again',
  usage: `playbooks replay --from <ISO time> --to <ISO time> [--type <DetailType>[,…]] [--url … | --stage …]

  StartReplay from the event archive: every event put on the bus from --from (included) to --to
  (excluded) goes on it again, with its id and time, to the rules of the playbooks --type starts (every
  rule of the bus without --type). Their playbooks run again; effects are idempotent by event id, so a
  replay redoes what was lost (an event a rule could not deliver, a playbook fixed since) and nothing
  twice. On AWS it runs for minutes; the command follows it until it ends.
${WHERE}`,
  async run(args) {
    const { values } = parseOptions({ args, options: { from: { type: 'string' }, to: { type: 'string' }, type: { type: 'string' }, ...TARGET_OPTIONS } });
    const from = instant(values.from, '--from');
    const to = instant(values.to, '--to');
    if (from >= to) throw new CliError('--from must come before --to', 2);
    const types = values.type?.split(',').map((type) => type.trim());
    const target = await opsTarget(values);
    const rules = types === undefined ? undefined : ruleArnsFor(types, target);
    const { replayWindow } = await import('../ops/replay.ts');
    const replayed = await reached(target, () => replayWindow(target, { from, to, rules }, (state) => (values.json ? undefined : console.log(`replay ${state}`))));
    console.log(values.json ? JSON.stringify(replayed, null, 2) : `replay ${replayed.name}: ${replayed.state}${replayed.reason ? ` (${replayed.reason})` : ''}`);
    return replayed.state === 'COMPLETED' ? 0 : 1;
  },
};

const TARGET_OPTIONS = { url: { type: 'string' }, stage: { type: 'string' }, json: { type: 'boolean' } } as const;

async function opsTarget(values: { url?: string | undefined; stage?: string | undefined }): Promise<OpsTarget> {
  if (values.url !== undefined && values.stage !== undefined) throw new CliError('look at the sandbox (--url) or a stage (--stage), not both', 2);
  const { sandboxTarget, stageTarget } = await import('../ops/target.ts');
  return values.stage === undefined ? sandboxTarget(baseUrl(values.url)) : stageTarget((await stageOption(values.stage)).name);
}

/** The work, with the sandbox not running (or the stage not reachable) said in one line. */
async function reached<T>(target: OpsTarget, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    const code = (error as { code?: string; cause?: { code?: string } }).code ?? (error as { cause?: { code?: string } }).cause?.code;
    if (code === 'ECONNREFUSED') throw new CliError(`nothing answers for ${target.where}: start the sandbox with \`npm start\` (or pass --url, or --stage)`);
    const name = (error as { name?: string }).name;
    if (name === 'ExecutionDoesNotExist' || name === 'ExecutionNotRedrivable' || name === 'InvalidArn' || name === 'AccessDeniedException' || name === 'ResourceNotFoundException' || name === 'ValidationException') {
      throw new CliError(`${target.where} answered ${name}: ${(error as Error).message}`);
    }
    throw error;
  }
}

function executionArnOf(positionals: readonly string[], command: string): string {
  const [arn] = positionals;
  if (!arn) throw new CliError(`${command} needs an execution ARN (playbooks executions --account <id> lists them)`, 2);
  if (!EXECUTION_ARN.test(arn)) throw new CliError(`"${arn}" is not an execution ARN (arn:aws:states:<region>:<account>:execution:<state machine>:<name>)`, 2);
  return arn;
}

function instant(value: string | undefined, option: string): number {
  if (value === undefined) throw new CliError(`replay needs ${option} <ISO time> (e.g. 2026-03-18T09:00:00Z)`, 2);
  const at = Date.parse(value);
  if (Number.isNaN(at) || !/^\d{4}-\d{2}-\d{2}/.test(value)) throw new CliError(`${option} "${value}" is not an ISO time (e.g. 2026-03-18T09:00:00Z)`, 2);
  return at;
}

/** What ListExecutions filters on: the statuses, and a redrive asked for but not yet running. */
const STATUSES = [...EXECUTION_STATUSES, 'PENDING_REDRIVE'] as const;

function executionStatus(value: string): (typeof STATUSES)[number] {
  const status = value.toUpperCase();
  if (!(STATUSES as readonly string[]).includes(status)) throw new CliError(`--status ${value}: one of ${STATUSES.join(', ')}`, 2);
  return status as (typeof STATUSES)[number];
}

function playbookNamed(id: string): void {
  if (!PLAYBOOKS.some((playbook) => playbook.id === id)) throw new CliError(`no playbook ${id}: the playbooks are ${PLAYBOOKS.map((playbook) => playbook.id).join(', ')}`, 2);
}

function positiveInteger(value: string, option: string): number {
  if (!/^[1-9]\d*$/.test(value)) throw new CliError(`${option} "${value}" is not a positive whole number`, 2);
  return Number(value);
}

/** The rules of the playbooks the types start: a replay's FilterArns. */
function ruleArnsFor(types: readonly string[], target: OpsTarget): string[] {
  const unknown = types.filter((type) => !(DETAIL_TYPES as readonly string[]).includes(type));
  if (unknown.length > 0) throw new CliError(`--type ${unknown.join(', ')}: no such event type (the types are ${DETAIL_TYPES.join(', ')})`, 2);
  const playbooks = (PLAYBOOKS as readonly PlaybookEntry[]).filter((playbook) => playbook.schedule === undefined && triggerPattern(playbook)['detail-type'].some((type) => types.includes(type)));
  if (playbooks.length === 0) throw new CliError(`no playbook starts on ${types.join(', ')}: nothing to replay to`, 2);
  return playbooks.map((playbook) => {
    const arn = target.triggerRuleArn(playbook.id);
    if (!arn) throw new CliError(`${target.where} names no rule for ${playbook.id}: deploy this version`);
    return arn;
  });
}

/** What `playbooks executions` prints: a block per execution, the most useful first. */
function executionLines(subject: string, where: string, rows: readonly AccountExecution[]): string[] {
  if (rows.length === 0) return [`No execution of ${subject} (${where}).`];
  const lines = [`${rows.length} execution${rows.length === 1 ? '' : 's'} of ${subject} (${where}), newest first:`];
  for (const row of rows) {
    const startedBy = row.startedBy.detailType ? `${row.startedBy.detailType}${row.startedBy.eventId ? ` ${row.startedBy.eventId}` : ''}` : row.startedBy.handedOverAs ? `a hand-over (${row.startedBy.handedOverAs})` : 'its start';
    lines.push('');
    lines.push(`${row.status.padEnd(9)} ${row.playbook}${row.accountId && row.accountId !== subject ? ` for ${row.accountId}` : ''}, started ${row.startedAt} by ${startedBy}${row.stoppedAt ? `, ended ${row.stoppedAt}` : ''}${row.redriveCount > 0 ? `, redriven ${row.redriveCount}×` : ''}`);
    if (row.waiting) lines.push(`          ${waitingLine(row.waiting)}`);
    if (row.error) lines.push(`          ${row.error}${row.cause ? `: ${causeOf(row.cause)}` : ''}`);
    if (row.unknownToStepFunctions) lines.push(`          as the timeline last saw it: Step Functions answered ${row.unknownToStepFunctions} (it keeps a closed execution 90 days)`);
    lines.push(`          ${row.executionArn}`);
    if (row.link) lines.push(`          ${row.link}`);
  }
  return lines;
}

function waitingLine(waiting: NonNullable<AccountExecution['waiting']>): string {
  const until = waiting.until ? ` until ${waiting.until}` : '';
  switch (waiting.kind) {
    case 'wait':
      return `waits in ${waiting.state}${until}`;
    case 'callback':
      return `waits for a callback in ${waiting.state}${until}`;
    case 'retry':
      return `retries ${waiting.state} after ${waiting.error ?? 'a failure'}`;
    default:
      return `runs ${waiting.state}`;
  }
}
