import { Logger } from '@aws-lambda-powertools/logger';
import type { StateMachine } from 'aws-local-stepfunctions';
import { randomUUID } from 'node:crypto';
import { applyAccountUpdate } from '../../functions/adapters/accounts.ts';
import { Ledger } from '../../functions/adapters/ledger.ts';
import type { ApprovalDecisionRequest, AccountRecord, BusEvent, DomainEventMessage, Settings } from '../../functions/contracts/index.ts';
import { approvalView, type ApprovalRecord, type ApprovalView } from '../../functions/core/approvals/approval.ts';
import { applyDecision, decideApproval, type DecisionRequest, type DecisionResponse } from '../../functions/decide-approval/decide-approval.ts';
import { busEntry } from '../../functions/ingest/bus-entry.ts';
import { createBusinessCalendar } from '../../functions/core/calendar/business-time.ts';
import { invoke, type PlaybookDeps } from '../../functions/runtime/playbook-function.ts';
import { buildHolidayTable, holidayYears } from '../../lib/calendar/public-holidays.ts';
import { FUNCTIONS, PLAYBOOKS, triggerPattern, type FunctionEntry, type FunctionId, type PlaybookEntry } from '../../lib/catalog.ts';
import { LocalBus } from '../bus/local-bus.ts';
import { startLocalDynamoDB, type LocalDynamoDB } from '../database/dynamodb.ts';
import type { Clock } from '../engine/clock.ts';
import { loadStateMachineClass, runWithClock } from '../engine/interpreter.ts';
import { CallbackRegistry, SandboxStopped, type ParkedCallback } from './callbacks.ts';
import { forInterpreter, readDefinition, taskStateFunctions, type AslDefinition, type TaskBinding } from './definitions.ts';
import { followExecution, type EventLog, type ExecutionRecord } from './executions.ts';
import { SandboxMetrics } from './metrics.ts';

/** The bus name the sandbox's PutEvents entries carry (the stack's is `cs-playbooks-<stage>`). */
const SANDBOX_BUS = 'cs-playbooks-sandbox';

export interface SandboxOptions {
  clock: Clock;
  settings: Settings;
  /** Ids instead of UUIDs, so the same scenario gives the same report. */
  deterministicIds?: boolean;
  logLevel?: 'DEBUG' | 'INFO' | 'WARN' | 'ERROR' | 'SILENT';
  /**
   * Wraps every function call: how a rehearsal injects an outage ("the CRM answers 503 twice")
   * to watch the playbook's Retry and Catch do their job.
   */
  intercept?: FunctionInterceptor;
  /**
   * What it deploys: the catalog's playbooks, unless a test deploys others (an ASL fixture run through
   * the same interpreter path; the catalog stays what ships).
   */
  playbooks?: readonly PlaybookEntry[];
}

export type FunctionInterceptor = (functionId: FunctionId, input: unknown, call: () => Promise<unknown>) => Promise<unknown>;

interface Playbook {
  entry: PlaybookEntry;
  machine: StateMachine;
  tasks: Map<string, TaskBinding>;
}

/**
 * What `$$.Task.Token` reads in the sandbox. The interpreter's context is one object per execution,
 * so it cannot hold a token per Task: it holds this marker, and a callback Task's handler swaps the
 * marker in its payload for the fresh token of that Task attempt (as Step Functions mints one per attempt).
 */
const TASK_TOKEN_MARKER = 'sandbox:task-token-of:';

/** A decision taken in the sandbox (HTTP or scenario), as the report lists it. */
export interface DecisionLogEntry {
  at: number;
  approvalId: string;
  decision: 'approve' | 'cancel' | 'unknown';
  statusCode: number;
  /** The refusal's reason, when refused. */
  error?: string;
}

/** What the sandbox deployed for a playbook: compared with the synthesized template by the parity test. */
export interface DeployedPlaybook {
  playbook: string;
  rule: { name: string; pattern: Record<string, unknown> };
  /** The ASL file as the sandbox read it, before substitution. */
  definitionFile: string;
  /** Task state → the catalog function it calls, and how (its result, or a task-token callback). */
  tasks: ReadonlyMap<string, TaskBinding>;
  /** `${…}` key → the catalog function the sandbox put there. */
  substitutions: ReadonlyMap<string, FunctionId>;
}

/**
 * The whole pipeline in one process, with no AWS: the catalog's rules on a local bus, the same ASL
 * files in the real interpreter, the same function bodies, and a real DynamoDB API. Only the
 * engines differ from the deployed stack.
 */
export class Sandbox {
  readonly executions: ExecutionRecord[] = [];
  readonly deployed: DeployedPlaybook[] = [];
  /** Every approval decision taken, accepted or refused, in order. */
  readonly decisions: DecisionLogEntry[] = [];
  private readonly bus = new LocalBus<BusEvent>();
  private readonly callbacks: CallbackRegistry;
  private stopping = false;
  private tokens = 0;
  /** Each execution's abort, and the promise that ends when its event log closes. */
  private readonly running: { abort(): void; followed: Promise<void> }[] = [];
  private busy = 0;
  private sequence = 0;

  private constructor(
    readonly clock: Clock,
    readonly settings: Settings,
    readonly ledger: Ledger,
    private readonly database: LocalDynamoDB,
    private readonly deps: PlaybookDeps,
    private readonly deterministicIds: boolean,
    private readonly intercept: FunctionInterceptor,
  ) {
    this.callbacks = new CallbackRegistry(clock, () => (deterministicIds ? `sbx-task-token-${String(++this.tokens).padStart(6, '0')}` : `sbx-task-token-${randomUUID()}`));
  }

  static async start(options: SandboxOptions): Promise<Sandbox> {
    const database = await startLocalDynamoDB();
    const ledger = new Ledger(database.client, database.tableName);
    // The stack anchors the window on the synth year; a sandbox on the year its clock starts in.
    const years = holidayYears(new Date(options.clock.now()).getUTCFullYear());
    const deps: PlaybookDeps = {
      ledger,
      now: () => new Date(options.clock.now()),
      settings: options.settings,
      calendar: createBusinessCalendar(buildHolidayTable(options.settings.calendar.countries, years.fromYear, years.toYear), options.settings.businessHours, years),
      logger: new Logger({ serviceName: 'cs-playbooks-sandbox', logLevel: options.logLevel ?? 'SILENT' }),
      metrics: new SandboxMetrics(),
    };
    const passThrough: FunctionInterceptor = (_id, _input, call) => call();
    const sandbox = new Sandbox(options.clock, options.settings, ledger, database, deps, options.deterministicIds ?? false, options.intercept ?? passThrough);
    await sandbox.deployPlaybooks(options.playbooks ?? PLAYBOOKS);
    return sandbox;
  }

  /** What `cdk deploy` does for each catalog entry: a state machine and a rule targeting it. */
  private async deployPlaybooks(playbooks: readonly PlaybookEntry[]): Promise<void> {
    for (const entry of playbooks) {
      const { raw, substituted, substitutions } = readDefinition(entry);
      const definition = JSON.parse(substituted) as AslDefinition;
      const tasks = taskStateFunctions(definition);
      const playbook: Playbook = { entry, machine: await validatedMachine(JSON.stringify(forInterpreter(definition, tasks))), tasks };
      const rule = { name: `${entry.id}-trigger`, pattern: triggerPattern(entry) };
      this.bus.addRule({ ...rule, target: (event) => this.startExecution(playbook, event) });
      this.deployed.push({ playbook: entry.id, rule, definitionFile: raw, tasks: playbook.tasks, substitutions });
    }
  }

  /** Import accounts as the CRM sync would, straight into the ledger. */
  async importAccounts(accounts: readonly AccountRecord[]): Promise<void> {
    const at = new Date(this.clock.now()).toISOString();
    for (const { id, ...record } of accounts) await applyAccountUpdate(this.ledger, this.settings, id, record, at);
  }

  /** Publish a domain event the way the ingest function does: through the same PutEvents entry. */
  publish(message: DomainEventMessage): BusEvent {
    return this.putEvent(busEntry(message, SANDBOX_BUS));
  }

  /**
   * PutEvents for one entry: EventBridge turns it into the event rules see (an id, `time` in whole
   * seconds, the parsed detail). The event is on the bus once this returns; rules start their playbooks.
   */
  putEvent(entry: ReturnType<typeof busEntry>): BusEvent {
    const event = {
      version: '0',
      id: this.deterministicIds ? `00000000-0000-4000-8000-${String(++this.sequence).padStart(12, '0')}` : randomUUID(),
      'detail-type': entry.DetailType,
      source: entry.Source,
      account: '000000000000',
      time: entry.Time.toISOString().replace(/\.\d{3}Z$/, 'Z'),
      region: 'local',
      resources: [],
      detail: JSON.parse(entry.Detail) as BusEvent['detail'],
    } as BusEvent;
    this.bus.put(event);
    return event;
  }

  private startExecution(playbook: Playbook, event: BusEvent): void {
    const name = this.deterministicIds ? `${playbook.entry.id}-${String(this.executions.length + 1).padStart(4, '0')}` : randomUUID();
    const record: ExecutionRecord = {
      name,
      playbook: playbook.entry.id,
      accountId: event.detail.accountId,
      status: 'RUNNING',
      startedAt: this.clock.now(),
      transitions: 0,
    };
    this.executions.push(record);
    const stateMachineArn = `arn:aws:states:local:000000000000:stateMachine:${playbook.entry.id}`;
    const marker = `${TASK_TOKEN_MARKER}${name}`;
    const taskResourceLocalHandlers = Object.fromEntries(
      [...playbook.tasks].map(([state, binding]) => [
        state,
        binding.integration === 'lambda'
          ? (input: unknown) => this.invokeFunction(binding.functionId, input)
          : (input: unknown) => this.invokeAndWaitForCallback(binding, name, state, marker, input),
      ]),
    );
    const run = runWithClock(this.clock, () =>
      playbook.machine.run(event as never, {
        overrides: { taskResourceLocalHandlers: taskResourceLocalHandlers as never },
        // What Step Functions puts in $$ and this interpreter leaves to the caller.
        context: {
          Execution: { Id: `${stateMachineArn.replace(':stateMachine:', ':execution:')}:${name}`, Name: name },
          StateMachine: { Id: stateMachineArn, Name: playbook.entry.id },
          Task: { Token: marker },
        },
      }),
    );
    // The outcome is read from the event log; the result promise must not go unhandled.
    run.result.catch(() => undefined);
    this.running.push({ abort: run.abort, followed: followExecution(record, run.eventLogs, (event) => this.closeCallbacks(name, playbook.tasks, event)) });
  }

  /**
   * A `lambda:invoke.waitForTaskToken` Task: a fresh token in place of the marker, the function called
   * with `Payload` (its result ignored, its failure the Task's failure, as on AWS), then the Task waits
   * for `sendTaskSuccess` / `sendTaskFailure`, or for its timeout on the execution's clock.
   */
  private async invokeAndWaitForCallback(binding: TaskBinding, execution: string, state: string, marker: string, input: unknown): Promise<never> {
    if (this.stopping) throw new SandboxStopped();
    const heartbeatSeconds = binding.integration === 'waitForTaskToken' ? binding.heartbeatSeconds : undefined;
    const { token, result } = this.callbacks.park(execution, state, heartbeatSeconds);
    const payload = replaceMarker((input as { Payload?: unknown }).Payload, marker, token);
    try {
      await this.invokeFunction(binding.functionId, payload);
    } catch (error) {
      this.callbacks.discard(token);
      throw error;
    }
    return (await result) as never;
  }

  /** A Task attempt that ended (timed out, caught, exited) or an execution that stopped: its tokens are dead. */
  private closeCallbacks(execution: string, tasks: ReadonlyMap<string, TaskBinding>, event: EventLog): void {
    if ((event.type === 'StateFailed' || event.type === 'StateExited') && tasks.get(event.state.name)?.integration === 'waitForTaskToken') {
      this.callbacks.attemptEnded(execution, event.state.name);
    }
    else if (event.type.startsWith('Execution') && event.type !== 'ExecutionStarted') this.callbacks.closeExecution(execution);
  }

  private async invokeFunction(functionId: FunctionId, input: unknown): Promise<never> {
    if (this.stopping) throw new SandboxStopped();
    this.busy += 1;
    try {
      const entry: FunctionEntry = FUNCTIONS[functionId];
      // Only a function whose role may call Step Functions on AWS gets the callbacks here too.
      const deps: PlaybookDeps = entry.taskCallbacks ? { ...this.deps, callbacks: this.callbacks } : this.deps;
      return (await this.intercept(functionId, input, () => invoke(entry.fn, deps, input))) as never;
    } catch (error) {
      throw asLambdaError(error);
    } finally {
      this.busy -= 1;
    }
  }

  /** `SendTaskSuccess`: resumes the Task parked on `token` with `output` (TaskTokenGone when nothing waits on it). */
  sendTaskSuccess(token: string, output: unknown): Promise<void> {
    return this.callbacks.sendTaskSuccess(token, output);
  }

  /** `SendTaskFailure`: fails the Task parked on `token` with `error` (what Retry/Catch match) and `cause`. */
  sendTaskFailure(token: string, error: string, cause: string): Promise<void> {
    return this.callbacks.sendTaskFailure(token, error, cause);
  }

  /** `SendTaskHeartbeat`: resets the parked Task's HeartbeatSeconds. */
  sendTaskHeartbeat(token: string): Promise<void> {
    return this.callbacks.sendTaskHeartbeat(token);
  }

  /** Executions parked on a `.waitForTaskToken` Task. */
  pendingCallbacks(): ParkedCallback[] {
    return this.callbacks.pending();
  }

  /** `POST /approvals/<id>`: the same signed endpoint and code as the deployed approval Lambda. */
  decideApproval(request: DecisionRequest, secrets: readonly string[]): Promise<DecisionResponse> {
    return this.logDecision(request.approvalId, decisionOf(request.rawBody), () =>
      decideApproval(request, { secrets, ledger: this.ledger, callbacks: this.callbacks, now: this.deps.now }),
    );
  }

  /** A scenario's approval: the decision itself, in process (like scenario events, no signature to forge). */
  applyApproval(decision: ApprovalDecisionRequest): Promise<DecisionResponse> {
    return this.logDecision(decision.approvalId, decision.decision, () =>
      applyDecision(decision, { ledger: this.ledger, callbacks: this.callbacks, now: this.deps.now }),
    );
  }

  /** Every approval, without its task tokens; `pending` only those still waiting for the CSM. */
  async approvals({ pending = false } = {}): Promise<ApprovalView[]> {
    const now = new Date(this.clock.now());
    const views = (await this.ledger.scan<{ approval: ApprovalRecord }>('approval')).map(({ approval }) => approvalView(approval, now));
    return views.filter((view) => !pending || view.status === 'pending').sort((a, b) => Date.parse(a.requestedAt) - Date.parse(b.requestedAt) || a.id.localeCompare(b.id));
  }

  /** Counted as running work (like a function call) so `settled()` waits for the executions it resumes. */
  private async logDecision(approvalId: string, decision: DecisionLogEntry['decision'], work: () => Promise<DecisionResponse>): Promise<DecisionResponse> {
    this.busy += 1;
    try {
      const response = await work();
      const error = 'error' in response.body ? response.body.error : undefined;
      this.decisions.push({ at: this.clock.now(), approvalId, decision, statusCode: response.statusCode, ...(error ? { error } : {}) });
      return response;
    } finally {
      this.busy -= 1;
    }
  }

  /**
   * Resolves once every execution is finished or parked on a timer (a Wait, a retry back-off, a
   * callback Task waiting for its decision until its timeout): nothing more can happen until the
   * clock moves or someone calls back. Function bodies do real I/O against DynamoDB,
   * so "idle" is "no function running, and still none after the event loop turned".
   */
  async settled(): Promise<void> {
    for (let quietTurns = 0; quietTurns < 3; ) {
      await new Promise((resolve) => setImmediate(resolve));
      quietTurns = this.busy === 0 ? quietTurns + 1 : 0;
    }
  }

  runningExecutions(): number {
    return this.executions.filter((execution) => execution.status === 'RUNNING').length;
  }

  async accounts(): Promise<AccountRecord[]> {
    return (await this.ledger.scan<{ account: AccountRecord }>('account')).map((item) => item.account);
  }

  /**
   * Abort what still waits, then close the database. Parked callback Tasks are failed, so that the
   * interpreter clears their timeout timers (days long): no timer outlives the sandbox.
   */
  async stop(): Promise<void> {
    this.stopping = true;
    for (const execution of this.running) execution.abort();
    this.callbacks.stop();
    await Promise.all(this.running.map((execution) => execution.followed));
    await this.database.close();
  }
}

/** The payload with every occurrence of the execution's token marker replaced by the Task's token. */
function replaceMarker(value: unknown, marker: string, token: string): unknown {
  if (value === marker) return token;
  if (Array.isArray(value)) return value.map((item) => replaceMarker(item, marker, token));
  if (typeof value === 'object' && value !== null) return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, replaceMarker(item, marker, token)]));
  return value;
}

/** For the decision log only: the request's decision, if its body says. */
function decisionOf(rawBody: Buffer): DecisionLogEntry['decision'] {
  try {
    const decision = (JSON.parse(rawBody.toString('utf8')) as { decision?: unknown }).decision;
    return decision === 'approve' || decision === 'cancel' ? decision : 'unknown';
  } catch {
    return 'unknown';
  }
}

/**
 * Validating a definition costs 150–500 ms, as Step Functions validates on deploy; a machine holds
 * no execution state, so one validated machine per definition text serves every sandbox of the
 * process (a test suite starts hundreds).
 */
const machines = new Map<string, Promise<StateMachine>>();

function validatedMachine(definition: string): Promise<StateMachine> {
  let machine = machines.get(definition);
  if (!machine) {
    machine = loadStateMachineClass().then((StateMachineClass) => new StateMachineClass(JSON.parse(definition) as never));
    machines.set(definition, machine);
  }
  return machine;
}

/**
 * What Step Functions sees when a Lambda throws: `Error` is the error's name, `Cause` the Lambda's
 * JSON error object. The interpreter takes name and message; shaping the message the same way gives
 * Catch paths (the manual-follow-up details) the same input in both runtimes.
 */
function asLambdaError(error: unknown): Error {
  const original = error instanceof Error ? error : new Error(String(error));
  const lambdaError = new Error(JSON.stringify({ errorType: original.name, errorMessage: original.message, trace: [] }));
  lambdaError.name = original.name;
  return lambdaError;
}
