import { Logger } from '@aws-lambda-powertools/logger';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { StateMachine } from 'aws-local-stepfunctions';
import { DynamoDBServiceException, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { AsyncLocalStorage } from 'node:async_hooks';
import { createHash, randomUUID } from 'node:crypto';
import { applyAccountUpdate } from '../../functions/adapters/accounts.ts';
import { adaptersFromEnvironment, type OutboundAdapters } from '../../functions/adapters/from-environment.ts';
import { Ledger } from '../../functions/adapters/ledger.ts';
import { itemTypeOf, TABLE_SCHEMA } from '../../functions/adapters/table.ts';
import { LedgerOutbox } from '../../functions/adapters/outbox/ledger-outbox.ts';
import type { Fetch } from '../../functions/adapters/vendor-http.ts';
import { ContractError, type ApprovalDecisionRequest, type AccountRecord, type BusEvent, type DomainEventMessage, type Settings } from '../../functions/contracts/index.ts';
import type { ApprovalView } from '../../functions/core/approvals/approval.ts';
import type { DecisionRequest, DecisionResponse } from '../../functions/decide-approval/decide-approval.ts';
import { payloadBytes, startExecutionRefusal, STEP_FUNCTIONS_PAYLOAD_BYTES } from '../../functions/contracts/payload-limits.ts';
import { busEntry, deliveredEvent } from '../../functions/ingest/bus-entry.ts';
import type { WebhookResponse } from '../../functions/ingest/receive-webhook.ts';
import type { WebhookSenders } from '../../functions/ingest/senders.ts';
import type { InboundRequest } from '../../functions/ingest/vendor.ts';
import { createBusinessCalendar, formatUtcIso } from '../../functions/core/calendar/business-time.ts';
import { holidayCoverage } from '../../functions/runtime/holiday-coverage.ts';
import { redriveDecision, STEP_FUNCTIONS_REDRIVABLE_MS } from '../../functions/core/redrive/redrive-rule.ts';
import { accountOfInput, type ExecutionStatusChange } from '../../functions/core/executions/timeline.ts';
import { recordExecution } from '../../functions/executions/record-execution.ts';
import { routeAction } from '../../functions/runtime/action-router.ts';
import type { DomainEvents } from '../../functions/adapters/domain-events.ts';
import { invoke, type PlaybookDeps } from '../../functions/runtime/playbook-function.ts';
import { ACTIONS, DOMAINS, domainOf, ENDPOINT_TABLE_ACCESS, PLAYBOOKS, RECORDERS, type RecorderEntry, triggerPattern, type ActionEntry, type ActionId, type DomainId, type PlaybookEntry, type PlaybookSchedule, nextScheduledInstant } from '../../lib/catalog.ts';
import { heldEventsOf, releaseHeldEvents, type HeldEvent } from '../../functions/adapters/flood-guard.ts';
import { admitEvents } from '../../functions/ingest/admit-events.ts';
import { partitionOfRequest, type KeyedRequest, type TableAccess, type TableOperation } from '../../lib/table-grants.ts';
import { LocalBus } from '../bus/local-bus.ts';
import { startLocalDynamoDB, type LocalDynamoDB } from '../database/dynamodb.ts';
import type { Clock } from '../engine/clock.ts';
import { runWithClock } from '../engine/interpreter.ts';
import { machineStartingAt, validatedStateMachine } from '../engine/validated-machines.ts';
import { ApprovalDesk, type DecisionLogEntry } from './approval-desk.ts';
import { CallbackRegistry, SandboxStopped, type ParkedCallback } from './callbacks.ts';
import { forInterpreter, localExecutionArn, localStateMachineArn, readDefinition, taskStateFunctions, taskStateStartExecutions, type AslDefinition, type TaskBinding } from './definitions.ts';
import { sandboxIngest, type SenderSecrets } from './ingest.ts';
import { ExecutionClock } from './execution-clock.ts';
import { followExecution, type EventLog, type ExecutionRecord } from './executions.ts';
import { ExecutionHistory } from './execution-history.ts';
import { sandboxHolidays } from './holiday-tables.ts';
import { SandboxDispatcher } from './dispatcher.ts';
import { SandboxMetrics } from './metrics.ts';
import { executionSummary, manualFollowUpIn, type ManualFollowUp, type SandboxActivity, type TriggerDeadLetter } from './activity.ts';

/** The bus name the sandbox's PutEvents entries carry (the stack's is `cs-playbooks-<stage>`). */
const SANDBOX_BUS = 'cs-playbooks-sandbox';

/** Lambda's retries of a failed asynchronous call (a rule's Lambda target): 1 minute, then 2. */
const ASYNC_RETRY_DELAYS_MS = [60_000, 120_000];


/** The ingest's table calls, as the sandbox runs them (`calling`). */
const INGEST = 'ingest' as const;
/** The executions function's (the account timeline), as the sandbox runs them. */
const EXECUTIONS = 'executions' as const;
type Caller = ActionId | typeof INGEST | typeof EXECUTIONS;

export interface SandboxOptions {
  clock: Clock;
  settings: Settings;
  /** Ids instead of UUIDs, so the same scenario gives the same report. */
  deterministicIds?: boolean;
  logLevel?: 'DEBUG' | 'INFO' | 'WARN' | 'ERROR' | 'SILENT';
  /**
   * Wraps every action's call: how a rehearsal injects an outage ("the CRM answers 503 twice")
   * to watch the playbook's Retry and Catch do their job.
   */
  intercept?: FunctionInterceptor;
  /**
   * Answers a table operation (`GetItem`, `PutItem`…) with an error instead of the table, for every
   * caller (the steps, the dispatch drain): how a rehearsal makes DynamoDB unavailable for a while.
   * The error is what the SDK throws once its own retries are spent. Undefined: the table answers.
   */
  tableFault?: (operation: string) => Error | undefined;
  /**
   * Vendor settings and tokens, as a deployed function reads them (functions/adapters/from-environment.ts).
   * None by default: every port writes to the ledger's outbox, which the report shows. A rehearsal
   * against a test Slack workspace or a local vendor server passes them, and `fetch` to reach it.
   */
  vendorEnvironment?: Readonly<Record<string, string>>;
  fetch?: Fetch;
  /**
   * Who may post what to its webhooks: the stage's `webhooks` as resolved (functions/ingest/senders.ts
   * `webhookSenders`). The defaults when absent: each vendor what it makes, `/webhooks/events` the
   * product's facts (`product`) and the import's accounts (`import`).
   */
  webhookSenders?: WebhookSenders;
  /**
   * What it deploys: the catalog's playbooks, unless a test deploys others (an ASL fixture run through
   * the same interpreter path; the catalog stays what ships).
   */
  playbooks?: readonly PlaybookEntry[];
  /** The recorders it deploys (rules whose target is an action: the usage recorder): the catalog's unless a test says. */
  recorders?: readonly RecorderEntry[];
  /**
   * Told of every event put on the bus and every execution that ends (ids only): what `npm start`
   * prints, so a failed execution is seen where the user is watching. Nothing is told when absent.
   * A listener: if it throws, the sandbox says so once on stderr and goes on.
   */
  onActivity?: (activity: SandboxActivity) => void;
  /**
   * Told of every entry of every execution's history as the interpreter logs it (states entered with
   * their input, exited with their output, failures with their cause): what the Step Functions console
   * shows ops, for a test or a script that looks at it whole.
   */
  onHistoryEvent?: (execution: { name: string; playbook: string }, event: EventLog) => void;
}

/** Around an action's body, once its domain's router has chosen it: the action and the input it gets. */
export type FunctionInterceptor = (action: ActionId, input: unknown, call: () => Promise<unknown>) => Promise<unknown>;

interface Playbook {
  entry: PlaybookEntry;
  machine: StateMachine;
  /** The definition `machine` runs: a redrive starts a copy of it at the failed state. */
  definition: AslDefinition;
  /** The definition as Step Functions has it (DescribeStateMachine): the built flow with its substitutions filled. */
  deployedDefinition: AslDefinition;
  tasks: Map<string, TaskBinding>;
  /** Task states that start an execution (`arn:aws:states:::states:startExecution`). */
  startsExecutions: string[];
  /** Which definition it runs: a digest of the substituted text (Step Functions' revision). */
  revision: string;
}

/**
 * What `$$.Task.Token` reads in the sandbox. The interpreter's context is one object per execution,
 * so it cannot hold a token per Task: it holds this marker, and a callback Task's handler swaps the
 * marker in its payload for the fresh token of that Task attempt (as Step Functions mints one per attempt).
 */
const TASK_TOKEN_MARKER = 'sandbox:task-token-of:';

/** What the sandbox deployed for a playbook: compared with the synthesized template by the parity test. */
export interface DeployedPlaybook {
  playbook: string;
  /** What starts it: the rule on the bus, or the daily schedule (a playbook the stage's clock starts). */
  rule?: { name: string; pattern: Record<string, unknown> };
  schedule?: PlaybookSchedule;
  /** The definition as deployed (the flow file built with its failure policies), before substitution. */
  definition: string;
  /** Task state → the domain's function it calls and how (its result, or a task-token callback), and the action it names. */
  tasks: ReadonlyMap<string, TaskBinding>;
  /** `${…}` key → the domain whose function the sandbox put there. */
  substitutions: ReadonlyMap<string, DomainId>;
  /** `${…}` key → the playbook whose state machine ARN the sandbox put there (one that starts itself). */
  stateMachineSubstitutions: ReadonlyMap<string, string>;
}

/**
 * The whole pipeline in one process, with no AWS: the catalog's rules on a local bus, the same ASL
 * files in the real interpreter, the same function bodies, and a real DynamoDB API. Only the
 * engines differ from the deployed stack.
 */
export type { DecisionLogEntry } from './approval-desk.ts';

export class Sandbox {
  readonly executions: ExecutionRecord[] = [];
  /** Events a rule could not start its playbook with (StartExecution refused them), as the triggers' dead-letter queues hold them on AWS. */
  readonly deadLetters: TriggerDeadLetter[] = [];
  readonly deployed: DeployedPlaybook[] = [];
  /**
   * Every DynamoDB operation each action made (`dynamodb:PutItem`…): a test holds it against the
   * catalog's `tableActions`, which its domain's IAM grant includes on AWS, where dynalite checks no IAM.
   */
  readonly tableActions = new Map<ActionId, Set<string>>();
  /**
   * The same by item type (`dynamodb:PutItem TASK`). An operation on a type the action's `table` does
   * not name is refused as IAM refuses it on AWS (AccessDeniedException): a simulation never does what
   * the deployed grant, derived from the same declaration (lib/table-grants.ts), would deny.
   */
  readonly tableAccess = new Map<ActionId, Set<string>>();
  /** Whose table calls run now: an action's, or the ingest's (sealing and the flood guard, as its Lambda does them). */
  private readonly calling = new AsyncLocalStorage<Caller>();
  private readonly bus = new LocalBus<BusEvent>();
  /** The current version of each playbook, by id: what its rule and a StartExecution by ARN start. */
  private readonly current = new Map<string, Playbook>();
  /** Executions by ARN (its state machine and name): Step Functions' name uniqueness (and idempotency), and what the ops APIs look up. */
  private readonly byArn = new Map<string, { record: ExecutionRecord; input: string; playbook: Playbook }>();
  /** Each execution's history by ARN, as GetExecutionHistory answers it (./execution-history.ts). */
  private readonly histories = new Map<string, ExecutionHistory>();
  /** Every event put on the bus, in order: the stage's event archive, which a replay reads. */
  private readonly archive: BusEvent[] = [];
  /** Every approval decision taken, accepted or refused, in order. */
  private readonly desk: ApprovalDesk;
  /** Delivers what the steps queued for the vendors (functions/dispatch), as the stream and the sweep do on AWS. */
  private readonly dispatcher: SandboxDispatcher;
  private ingest: ReturnType<typeof sandboxIngest> | undefined;
  private onHistoryEvent: SandboxOptions['onHistoryEvent'];
  /** The vendors' APIs the ingest reads (HubSpot's, when `vendorEnvironment` has its token), as on AWS. */
  private readonly callbacks: CallbackRegistry;
  private stopping = false;
  private tokens = 0;
  /** Each execution's abort, and the promise that ends when its event log closes. */
  private readonly running: { abort(): void; followed: Promise<void> }[] = [];
  private busy = 0;
  /** Asynchronous calls (a recorder's, a status change's) waiting for Lambda's retry (recordersWaiting). */
  private asyncRetries = 0;
  /** The pending timer of each daily schedule (a playbook the stage's clock starts), cleared by `stop()`. */
  private readonly schedules = new Set<unknown>();
  /** The publish in progress: the next one starts after it (publishAll). */
  private publishing: Promise<unknown> = Promise.resolve();
  private sequence = 0;
  private listenerFailed = false;

  private constructor(
    readonly clock: Clock,
    readonly settings: Settings,
    readonly ledger: Ledger,
    private readonly database: LocalDynamoDB,
    private readonly deps: PlaybookDeps,
    private readonly deterministicIds: boolean,
    private readonly intercept: FunctionInterceptor,
    private readonly onActivity: ((activity: SandboxActivity) => void) | undefined,
    /** Which implementation each port got (`outbox` unless `vendorEnvironment` configures a vendor) and the outbox itself. */
    readonly outbound: OutboundAdapters,
  ) {
    this.callbacks = new CallbackRegistry(clock, () => (deterministicIds ? `sbx-task-token-${String(++this.tokens).padStart(6, '0')}` : `sbx-task-token-${randomUUID()}`));
    this.desk = new ApprovalDesk({ ledger, callbacks: this.callbacks, clock, now: deps.now, track: (work) => this.track(work) });
    this.dispatcher = new SandboxDispatcher(deps, clock, (work) => this.track(work));
  }

  static async start(options: SandboxOptions): Promise<Sandbox> {
    const database = await startLocalDynamoDB();
    const ledger = new Ledger(database.client, database.tableName);
    // The stack anchors the window on the synth year; a sandbox on the year its clock starts in.
    const holidays = await sandboxHolidays(options.settings.calendar.countries, new Date(options.clock.now()).getUTCFullYear());
    const now = () => new Date(options.clock.now());
    const outbound = adaptersFromEnvironment(options.vendorEnvironment ?? {}, { now, outbox: new LedgerOutbox(ledger), fetch: options.fetch });
    const logger = new Logger({ serviceName: 'cs-playbooks-sandbox', logLevel: options.logLevel ?? 'SILENT' });
    const metrics = new SandboxMetrics();
    const coverage = holidayCoverage(holidays.years, { logger, emit: (name) => metrics.addMetric(name, MetricUnit.Count, 1) });
    const deps: PlaybookDeps = {
      ledger,
      now,
      settings: options.settings,
      calendar: createBusinessCalendar(holidays.table, options.settings.businessHours, holidays.years, coverage.onUncoveredYear),
      logger,
      metrics,
      ports: outbound,
    };
    const passThrough: FunctionInterceptor = (_id, _input, call) => call();
    const sandbox = new Sandbox(options.clock, options.settings, ledger, database, deps, options.deterministicIds ?? false, options.intercept ?? passThrough, options.onActivity, outbound);
    sandbox.ingest = sandboxIngest({ database, publish: (events) => sandbox.publishAll(events), vendorEnvironment: options.vendorEnvironment ?? {}, fetch: options.fetch, logger: deps.logger, senders: options.webhookSenders });
    sandbox.recordTableActions(database);
    sandbox.streamDispatches(database);
    if (options.tableFault) injectTableFault(database, options.tableFault);
    sandbox.onHistoryEvent = options.onHistoryEvent;
    // The stage's people directory, as `npm run people` writes it on AWS (functions/adapters/people.ts).
    await ledger.people.sync(options.settings.people);
    await sandbox.deployPlaybooks(options.playbooks ?? PLAYBOOKS);
    sandbox.deployRecorders(options.recorders ?? RECORDERS);
    return sandbox;
  }

  private recordTableActions(database: LocalDynamoDB): void {
    database.client.middlewareStack.add(
      (next, context) => (args) => {
        const action = this.calling.getStore();
        const operation = context.commandName?.replace(/Command$/, '');
        if (action && operation) {
          const request = args.input as KeyedRequest;
          const partition = partitionOfRequest(request, TABLE_SCHEMA.partitionKey);
          const type = partition === undefined ? undefined : itemTypeOf(partition);
          if (action !== INGEST && action !== EXECUTIONS) {
            const operations = this.tableActions.get(action) ?? new Set<string>();
            this.tableActions.set(action, operations.add(`dynamodb:${operation}`));
            const accesses = this.tableAccess.get(action) ?? new Set<string>();
            this.tableAccess.set(action, accesses.add(`dynamodb:${operation} ${type ?? request.IndexName ?? partition}`));
          }
          const access: TableAccess = action === INGEST || action === EXECUTIONS ? ENDPOINT_TABLE_ACCESS[action] : ACTIONS[action].table;
          const declared: readonly string[] = access[operation as TableOperation] ?? [];
          if (type === undefined || !declared.includes(type)) {
            return Promise.reject(
              new DynamoDBServiceException({
                name: 'AccessDeniedException',
                $fault: 'client',
                $metadata: { httpStatusCode: 400 },
                message: `${action} is not authorized to perform: dynamodb:${operation} on ${type ?? request.IndexName ?? partition} (its table access in lib/functions.ts does not name it)`,
              }),
            );
          }
        }
        return next(args);
      },
      { step: 'initialize', name: 'recordTableActions' },
    );
  }

  /**
   * The table's stream, as the dispatch drain's event source mapping filters it on AWS: a dispatch
   * written (a new `DISPATCH#` item) pokes the drain once the write is done; no other write does.
   */
  private streamDispatches(database: LocalDynamoDB): void {
    database.client.middlewareStack.add(
      (next, context) => async (args) => {
        const result = await next(args);
        // Outside the writing step's context: the drain's table calls are the dispatch function's, not the step's.
        if (context.commandName === 'PutItemCommand' && isDispatchKey((args.input as { Item?: { sk?: unknown } }).Item?.sk)) this.calling.exit(() => this.dispatcher.poke());
        return result;
      },
      { step: 'initialize', name: 'streamDispatches' },
    );
  }

  /** What `cdk deploy` does for each catalog entry: a state machine and a rule targeting it. */
  private async deployPlaybooks(playbooks: readonly PlaybookEntry[]): Promise<void> {
    for (const entry of playbooks) {
      const deployed = await this.deploy(entry);
      if (entry.schedule) {
        this.scheduleRuns(entry.id, entry.schedule);
        this.deployed.push({ playbook: entry.id, schedule: entry.schedule, ...deployed });
        continue;
      }
      const rule = { name: `${entry.id}-trigger`, pattern: triggerPattern(entry) };
      // The rule starts whatever version is deployed when the event comes, as a rule targeting a state machine ARN does.
      this.bus.addRule({ ...rule, target: (event) => this.startFromRule(this.current.get(entry.id)!, event) });
      this.deployed.push({ playbook: entry.id, rule, ...deployed });
    }
  }

  /**
   * What EventBridge Scheduler does for a playbook the stage's clock starts: at its time in its zone, every
   * day or on its weekdays (lib/catalog.ts, nextScheduledInstant), on this sandbox's clock (a simulation's nights pass in milliseconds), a new execution of
   * whatever version is deployed, with `{ night }`, the scheduled instant, as input.
   */
  private scheduleRuns(playbookId: string, schedule: PlaybookSchedule): void {
    const arm = () => {
      const at = nextScheduledInstant(new Date(this.clock.now()), schedule);
      const handle = this.clock.setTimeout(() => {
        this.schedules.delete(handle);
        if (this.stopping) return;
        // As Scheduler writes `<aws.scheduler.scheduled-time>`: to the second.
        this.startExecution(this.current.get(playbookId)!, { night: formatUtcIso(at) });
        arm();
      }, at.getTime() - this.clock.now());
      this.schedules.add(handle);
    };
    arm();
  }

  /**
   * What `cdk deploy` does for each recorder: a rule whose target is the action's domain function,
   * invoked with the event (as EventBridge invokes a Lambda: asynchronously, the event put on the bus
   * whatever the function does). A call that fails is retried twice (Lambda's asynchronous retries),
   * then the event is in `deadLetters`, as in the function's failure queue on AWS.
   */
  private deployRecorders(recorders: readonly RecorderEntry[]): void {
    for (const recorder of recorders) {
      this.bus.addRule({
        name: recorder.id,
        pattern: triggerPattern(recorder),
        target: (event) => void this.record(recorder, event),
      });
    }
  }

  /** One attempt of the recorder's call, then Lambda's asynchronous retries: 1 minute later, then 2 more. */
  private async record(recorder: RecorderEntry, event: BusEvent, attempt = 0): Promise<void> {
    try {
      await this.invokeFunction(domainOf(recorder.action), { action: recorder.action, input: event });
      return;
    } catch (error) {
      if (this.stopping) return;
      const retryIn = ASYNC_RETRY_DELAYS_MS[attempt];
      if (retryIn !== undefined) {
        this.asyncRetries += 1;
        this.clock.setTimeout(() => {
          this.asyncRetries -= 1;
          void this.record(recorder, event, attempt + 1);
        }, retryIn);
        return;
      }
      this.deadLetter({
        playbook: recorder.id,
        detailType: event['detail-type'],
        eventId: event.detail.eventId,
        accountId: event.detail.accountId,
        errorCode: (error as { name?: string }).name ?? 'Error',
        errorMessage: 'the recorder failed three times (Lambda retries an asynchronous call twice): the event is in its failure queue',
      });
    }
  }

  /**
   * An event that reached no playbook or recorder, kept where ops find it (a queue that pages, on AWS):
   * a trigger's refusal, a recorder's failures, or a delivery its vendor gave up (`playbook` names which).
   */
  deadLetter(entry: Omit<TriggerDeadLetter, 'type' | 'at'>): void {
    const deadLetter = { type: 'dead-letter', at: this.clock.now(), ...entry } as const;
    this.deadLetters.push(deadLetter);
    this.tell(deadLetter);
  }

  private async deploy(entry: PlaybookEntry, flowText?: string): Promise<Omit<DeployedPlaybook, 'playbook' | 'rule'>> {
    const { raw: text, substituted, substitutions, stateMachineSubstitutions } = readDefinition(entry, flowText);
    const definition = JSON.parse(substituted) as AslDefinition;
    const tasks = taskStateFunctions(definition);
    // The interpreter runs the callback Tasks' rewrite (forInterpreter); the revision is that of the deployed text.
    const interpreted = forInterpreter(definition, tasks);
    const playbook: Playbook = {
      entry,
      machine: await validatedStateMachine(JSON.stringify(interpreted)),
      definition: interpreted,
      deployedDefinition: definition,
      tasks,
      startsExecutions: taskStateStartExecutions(definition),
      revision: createHash('sha256').update(substituted).digest('hex').slice(0, 12),
    };
    this.current.set(entry.id, playbook);
    return { definition: text, tasks: playbook.tasks, substitutions, stateMachineSubstitutions };
  }

  /**
   * A redeploy of one playbook (`cdk deploy` after an edit): an edited flow file's text, or the file as
   * it is now, built with the failure policies as CDK builds it. As on Step Functions, running executions keep the definition they started with; executions
   * started from now on (by the rule, or by a StartExecution naming the state machine) run this one.
   * Returns the new revision.
   */
  async redeploy(playbookId: string, flowText?: string): Promise<string> {
    const entry = PLAYBOOKS.find((candidate) => candidate.id === playbookId);
    if (!entry) throw new Error(`No playbook ${playbookId} in the catalog`);
    await this.deploy(entry, flowText);
    return this.current.get(playbookId)!.revision;
  }

  /** The revision of a playbook's current version. */
  revisionOf(playbookId: string): string | undefined {
    return this.current.get(playbookId)?.revision;
  }

  /**
   * Import accounts as the CRM sync would, straight into the ledger, as of `asOf` (the clock's now by
   * default): the time each field is stamped with, which a later CRM update must be newer than to win.
   * The ledger first sees them now, whatever `asOf` says.
   */
  async importAccounts(accounts: readonly AccountRecord[], { asOf }: { asOf?: string } = {}): Promise<void> {
    const now = new Date(this.clock.now());
    const at = asOf ?? now.toISOString();
    for (const { id, ...record } of accounts) {
      const { merged } = await applyAccountUpdate(this.ledger, this.settings, id, record, at, now);
      // A field account-sync would refuse (a country the stage's calendar does not know): the file's error.
      if (merged.refused.length > 0) throw new ContractError(`account ${id}`, merged.refused.map(({ field, problem }) => `${field}: ${problem}`));
      await this.ledger.health.enrollKnown(id);
    }
  }

  /** A vendor's webhook request, as the ingest function receives it (./ingest.ts), `secrets` giving each sender's. */
  receiveWebhook(vendor: string, request: InboundRequest, secrets: SenderSecrets): Promise<WebhookResponse> {
    return this.ingest!(vendor, request, secrets);
  }

  /**
   * Publish domain events the way the ingest function does a delivery's: their personal fields sealed in
   * the ledger (functions/adapters/sealed.ts), past the flood guard (functions/adapters/flood-guard.ts:
   * held, and the account's flood raised, past `floodGuard.eventsPerAccountPerHour`), then through the
   * same PutEvents entries, in order and all or none (a seal that fails puts none on the bus). One
   * publish at a time, in the order asked, so that a simulation's ids do not depend on I/O timing.
   * Counted as running work, so `settled()` waits for it. Answers the events put on the bus.
   */
  publishAll(messages: readonly DomainEventMessage[]): Promise<BusEvent[]> {
    const published = this.publishing.then(() =>
      this.track(async () => {
        const now = new Date(this.clock.now());
        // With the ingest's grant (lib/functions.ts ENDPOINT_TABLE_ACCESS), as its Lambda: the bus and what it starts outside it.
        const { publish } = await this.calling.run(INGEST, () => admitEvents(this.ledger, messages, this.settings.floodGuard.eventsPerAccountPerHour, now));
        return publish.map((event) => this.putEvent(busEntry(event, SANDBOX_BUS)));
      }),
    );
    this.publishing = published.catch(() => undefined);
    return published;
  }

  /**
   * The bus as a function that publishes what it derives sees it (the usage recorder): PutEvents
   * straight on it, as its Lambda does, not through the ingest's admission (nothing to seal or guard:
   * ids and days only).
   */
  private readonly derivedEvents: DomainEvents = {
    publish: async (messages) => {
      for (const message of messages) this.putEvent(busEntry(message, SANDBOX_BUS));
    },
  };

  /** One event, as `publishAll` publishes a delivery's. */
  publish(message: DomainEventMessage): Promise<BusEvent[]> {
    return this.publishAll([message]);
  }

  /** The events the flood guard holds for an account, in the order they came. */
  heldEvents(accountId: string): Promise<HeldEvent[]> {
    return heldEventsOf(this.ledger, accountId);
  }

  /** `playbooks release`: put an account's held events on the bus, past the guard; answers their ids. */
  releaseHeld(accountId: string): Promise<string[]> {
    return this.track(() => releaseHeldEvents(this.ledger, accountId, async (message) => this.putEvent(busEntry(message, SANDBOX_BUS))));
  }

  /**
   * PutEvents for one entry: EventBridge turns it into the event rules see (an id, `time` in whole
   * seconds, the parsed detail). The event is on the bus once this returns; rules start their playbooks.
   */
  putEvent(entry: ReturnType<typeof busEntry>): BusEvent {
    const id = this.deterministicIds ? `00000000-0000-4000-8000-${String(++this.sequence).padStart(12, '0')}` : randomUUID();
    const event = deliveredEvent(entry, { id, account: '000000000000', region: 'local' }) as BusEvent;
    this.archive.push(event);
    const rules = this.bus.put(event);
    this.tell({
      type: 'event',
      at: this.clock.now(),
      detailType: event['detail-type'],
      eventId: event.detail.eventId,
      accountId: event.detail.accountId,
      playbooks: rules.map((rule) => rule.replace(/-trigger$/, '')),
    });
    return event;
  }

  /**
   * StartReplay from the archive: the events put on the bus in [from, to), each put again as it was (its
   * id, its time, its detail) with `replay-name` added, as EventBridge replays them, to `rules` only (the
   * replay's FilterArns; every rule when absent). The playbooks they start run again; their effects are
   * idempotent by event id, so a replay redoes what was lost and nothing twice. Answers the events replayed.
   */
  replay({ name, from, to, rules }: { name: string; from: number; to: number; rules?: readonly string[] }): BusEvent[] {
    const only = rules && new Set(rules);
    const replayed = this.archive.filter((event) => Date.parse(event.time) >= from && Date.parse(event.time) < to);
    for (const archived of replayed) {
      const event = { ...archived, 'replay-name': name } as BusEvent;
      const matched = this.bus.put(event, only);
      this.tell({ type: 'event', at: this.clock.now(), detailType: event['detail-type'], eventId: event.detail.eventId, accountId: event.detail.accountId, playbooks: matched.map((rule) => rule.replace(/-trigger$/, '')) });
    }
    return replayed;
  }

  /** The events about an account the bus received, oldest first: type, ids and time only (its console timeline). */
  eventsOf(accountId: string): { detailType: string; eventId: string; id: string; time: string }[] {
    return this.archive.filter((event) => event.detail.accountId === accountId).map((event) => ({ detailType: event['detail-type'], eventId: event.detail.eventId, id: event.id, time: event.time }));
  }

  /** The rules on the bus, by name (`<playbook>-trigger`, a recorder's id): what a replay may name. */
  ruleNames(): string[] {
    return this.deployed.flatMap((deployed) => (deployed.rule ? [deployed.rule.name] : []));
  }

  /**
   * Tells `onActivity`, a listener: its throw never reaches the bus, an execution or `stop()`. The first
   * one is reported on stderr (the sandbox's logger is silent unless LOG_LEVEL says otherwise); later
   * ones are not, so a broken terminal does not flood it.
   */
  private tell(activity: SandboxActivity): void {
    const report = (error: unknown) => {
      if (this.listenerFailed) return;
      this.listenerFailed = true;
      process.stderr.write(`cs-playbooks sandbox: the activity listener failed (reported once; the sandbox goes on): ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    };
    try {
      // An async listener's rejection is caught too: the option is typed void, but nothing stops one.
      const told: unknown = this.onActivity?.(activity);
      if (told instanceof Promise) told.catch(report);
    } catch (error) {
      report(error);
    }
  }

  /**
   * A rule's target: StartExecution with the whole event as its input. Step Functions refuses an input
   * over 256 KiB (ValidationException); EventBridge then puts the event in the trigger's dead-letter
   * queue, here `deadLetters`, and tells the listener. No execution starts.
   */
  private startFromRule(playbook: Playbook, event: BusEvent): void {
    const refusal = startExecutionRefusal(JSON.stringify(event));
    if (!refusal) {
      this.startExecution(playbook, event);
      return;
    }
    const deadLetter = {
      type: 'dead-letter',
      at: this.clock.now(),
      playbook: playbook.entry.id,
      detailType: event['detail-type'],
      eventId: event.detail.eventId,
      accountId: event.detail.accountId,
      errorCode: 'ValidationException',
      errorMessage: refusal,
    } as const;
    this.deadLetters.push(deadLetter);
    this.tell(deadLetter);
  }

  /** Starts an execution of `playbook`'s version with `input`: a rule's event, or a StartExecution's input. */
  private startExecution(playbook: Playbook, input: unknown, requestedName?: string): ExecutionRecord {
    const name = requestedName ?? (this.deterministicIds ? `${playbook.entry.id}-${String(this.executions.length + 1).padStart(4, '0')}` : randomUUID());
    const record: ExecutionRecord = {
      name,
      executionArn: localExecutionArn(playbook.entry.id, name),
      playbook: playbook.entry.id,
      accountId: accountOf(input),
      status: 'RUNNING',
      startedAt: this.clock.now(),
      transitions: 0,
      revision: playbook.revision,
      redriveCount: 0,
    };
    this.executions.push(record);
    this.byArn.set(record.executionArn, { record, input: JSON.stringify(input), playbook });
    this.histories.set(record.executionArn, new ExecutionHistory());
    this.statusChanged(record);
    this.runExecution(record, playbook, playbook.machine, input, []);
    return record;
  }

  /**
   * Runs `record`'s execution on `machine` from its start (a new execution) or from the state it failed
   * in (a redrive), following its event log into the record. When it ends, it is redriven if the redrive
   * rule says so, as the stage's redrive function does on AWS (functions/executions): at once, with the
   * same definition, from the failed top-level state with that state's input. Two differences with
   * Step Functions: a failed Map is run again whole, where Step Functions runs again only its failed
   * iterations (effects are idempotent); and the interpreter gives the redriven run a new
   * `$$.Execution.StartTime`, where Step Functions keeps the first. `manualFollowUps`: those its Catch
   * paths set, across its redrives, for the line `npm start` prints when it ends.
   */
  private runExecution(record: ExecutionRecord, playbook: Playbook, machine: StateMachine, input: unknown, manualFollowUps: ManualFollowUp[]): void {
    const { name } = record;
    const stateMachineArn = localStateMachineArn(playbook.entry.id);
    const { executionArn } = record;
    const marker = `${TASK_TOKEN_MARKER}${name}`;
    const taskResourceLocalHandlers = Object.fromEntries([
      ...[...playbook.tasks].map(
        ([state, binding]) =>
          [
            state,
            binding.integration === 'lambda'
              ? async (taskInput: unknown) => {
                  const result = await this.invokeFunction(binding.domain, taskInput);
                  // Step Functions takes a Task's result up to 256 KiB; past it the state fails, uncatchable.
                  if (payloadBytes(result) > STEP_FUNCTIONS_PAYLOAD_BYTES) throw dataLimitExceeded(`The Task's result is ${payloadBytes(result)} bytes`, state);
                  const followUp = manualFollowUpIn(result);
                  if (followUp) manualFollowUps.push(followUp);
                  return result;
                }
              : (taskInput: unknown) => this.invokeAndWaitForCallback(binding, name, state, marker, taskInput),
          ] as const,
      ),
      ...playbook.startsExecutions.map((state) => [state, (taskInput: unknown) => this.startExecutionTask(taskInput)] as const),
    ]);
    // Its own view of the clock: which timers it has pending, i.e. until when it waits.
    const clock = new ExecutionClock(this.clock);
    record.nextWakeUp = () => clock.nextWakeUp();
    const run = runWithClock(clock, () =>
      machine.run(input as never, {
        overrides: { taskResourceLocalHandlers: taskResourceLocalHandlers as never },
        // What Step Functions puts in $$ and this interpreter leaves to the caller.
        context: {
          Execution: { Id: executionArn, Name: name, RedriveCount: record.redriveCount },
          StateMachine: { Id: stateMachineArn, Name: playbook.entry.id },
          Task: { Token: marker },
        },
      }),
    );
    // The outcome is read from the event log; the result promise must not go unhandled.
    run.result.catch(() => undefined);
    const callbackStates = new Set([...playbook.tasks].filter(([, binding]) => binding.integration === 'waitForTaskToken').map(([state]) => state));
    const history = this.histories.get(executionArn);
    const observe = (event: EventLog) => {
      history?.add(event);
      this.onHistoryEvent?.({ name, playbook: playbook.entry.id }, event);
      this.closeCallbacks(name, playbook.tasks, event);
    };
    const followed = followExecution(record, run.eventLogs, observe, callbackStates).then(() => {
      // Executions aborted by `stop()` are the sandbox shutting down, not news.
      if (this.stopping) return undefined;
      this.statusChanged(record);
      const from = record.failedIn;
      // A top-level state only: a state of a Parallel branch is logged without an iteration index.
      const redrivable = record.status === 'FAILED' && from !== undefined && Object.hasOwn(playbook.definition.States, from.state);
      if (redrivable && redriveDecision({ error: record.error, redriveCount: record.redriveCount, stoppedAt: record.stoppedAt! }, this.clock.now()).redrive) {
        return this.redrive(record, playbook, from, manualFollowUps);
      }
      this.tell({ type: 'execution', execution: executionSummary(record), manualFollowUps });
      return undefined;
    });
    this.running.push({ abort: run.abort, followed });
  }

  /**
   * RedriveExecution: the failed execution goes on from the state it failed in, on the definition it
   * started with. Running again from the moment it is decided (never seen FAILED in between), unless the
   * sandbox stops meanwhile.
   */
  private async redrive(record: ExecutionRecord, playbook: Playbook, from: { state: string; input: unknown }, manualFollowUps: ManualFollowUp[]): Promise<void> {
    record.redriveCount += 1;
    record.status = 'RUNNING';
    for (const key of ['stoppedAt', 'error', 'cause', 'failedIn'] as const) delete record[key];
    this.histories.get(record.executionArn)?.redriven(this.clock.now(), record.redriveCount);
    this.statusChanged(record);
    const machine = await machineStartingAt(JSON.stringify(playbook.definition), from.state);
    if (this.stopping) return;
    this.runExecution(record, playbook, machine, from.input, manualFollowUps);
  }

  /**
   * Step Functions' status change of an execution (started, ended, redriven), as the stage's rule hands
   * it to the executions function on AWS (functions/executions): the same recording, on the account's
   * timeline, with that function's grant. Asynchronous as there: a write that fails is tried again a
   * minute, then two minutes later (Lambda's retries), then the change is a dead letter.
   */
  private statusChanged(record: ExecutionRecord, attempt = 0): void {
    const change: ExecutionStatusChange = {
      executionArn: record.executionArn,
      stateMachineArn: localStateMachineArn(record.playbook),
      status: record.status,
      startDate: record.startedAt,
      stopDate: record.stoppedAt ?? null,
      redriveCount: record.redriveCount,
      error: record.error ?? null,
      input: this.byArn.get(record.executionArn)?.input ?? null,
    };
    const recording = this.track(() => this.calling.run(EXECUTIONS, () => recordExecution(change, { timeline: this.ledger.executions, playbookOf: (name) => name })));
    recording.catch((error: unknown) => {
      if (this.stopping) return;
      const retryIn = ASYNC_RETRY_DELAYS_MS[attempt];
      if (retryIn === undefined) {
        this.deadLetter({ playbook: EXECUTIONS, detailType: 'Step Functions Execution Status Change', eventId: record.executionArn, accountId: record.accountId, errorCode: (error as { name?: string }).name ?? 'Error', errorMessage: 'the execution could not be put on its account timeline after three tries' });
        return;
      }
      this.asyncRetries += 1;
      this.clock.setTimeout(() => {
        this.asyncRetries -= 1;
        // The record as it is by then: a newer status is what the timeline should hold.
        this.statusChanged(record, attempt + 1);
      }, retryIn);
    });
  }

  /** An execution by ARN (DescribeExecution), with the input it started with and the definition it runs. */
  execution(executionArn: string): { record: ExecutionRecord; input: string; definition: AslDefinition; revision: string } | undefined {
    const found = this.byArn.get(executionArn);
    return found ? { record: found.record, input: found.input, definition: found.playbook.deployedDefinition, revision: found.playbook.revision } : undefined;
  }

  /** An execution's history (GetExecutionHistory), oldest first; undefined for an unknown ARN. */
  history(executionArn: string): ExecutionHistory | undefined {
    return this.histories.get(executionArn);
  }

  /** A playbook's current version (DescribeStateMachine): its definition as deployed and its revision. */
  stateMachine(playbookId: string): { definition: AslDefinition; revision: string; description: string } | undefined {
    const playbook = this.current.get(playbookId);
    return playbook && { definition: playbook.deployedDefinition, revision: playbook.revision, description: playbook.entry.description };
  }

  /**
   * Why RedriveExecution would refuse an execution now, as Step Functions says it (DescribeExecution's
   * redriveStatusReason); undefined when it may be redriven: failed in a top-level state (the sandbox
   * redrives from there), within 14 days of its end.
   */
  redriveRefusal(record: ExecutionRecord): string | undefined {
    if (record.status !== 'FAILED') return `Execution is ${record.status} and cannot be redriven`;
    const playbook = this.byArn.get(record.executionArn)?.playbook;
    if (!playbook || !record.failedIn || !Object.hasOwn(playbook.definition.States, record.failedIn.state)) return 'Execution failed where the sandbox cannot redrive it from';
    if (this.clock.now() - (record.stoppedAt ?? 0) > STEP_FUNCTIONS_REDRIVABLE_MS) return 'Execution redrivable period exceeded';
    return undefined;
  }

  /**
   * RedriveExecution by hand (`playbooks redrive`): a failed execution goes on from the state it failed in,
   * on the definition it started with, as the automatic redrive does. Refused, as Step Functions refuses
   * it (redriveRefusal). Answers when it runs again.
   */
  async redriveExecution(executionArn: string): Promise<{ redriveDate: number } | { refused: 'ExecutionDoesNotExist' | 'ExecutionNotRedrivable'; message: string }> {
    const found = this.byArn.get(executionArn);
    if (!found) return { refused: 'ExecutionDoesNotExist', message: `Execution Does Not Exist: '${executionArn}'` };
    const refusal = this.redriveRefusal(found.record);
    if (refusal) return { refused: 'ExecutionNotRedrivable', message: refusal };
    await this.redrive(found.record, found.playbook, found.record.failedIn!, []);
    return { redriveDate: this.clock.now() };
  }

  /**
   * `arn:aws:states:::states:startExecution` (request-response, not `.sync`), as Step Functions runs it:
   * the state machine is looked up by ARN at call time, so the execution runs its current version, on
   * the same clock. Names are unique per state machine: the same name with the same input while that
   * execution runs answers it again (StartExecution's idempotency for Standard workflows); otherwise
   * ExecutionAlreadyExists.
   */
  private startExecutionTask(parameters: unknown): Promise<never> {
    return this.track(async () => {
      const { StateMachineArn, Name, Input } = parameters as { StateMachineArn?: unknown; Name?: unknown; Input?: unknown };
      const playbook = [...this.current.values()].find((candidate) => localStateMachineArn(candidate.entry.id) === StateMachineArn);
      if (!playbook) throw stepFunctionsError('StateMachineDoesNotExist', `State Machine Does Not Exist: '${String(StateMachineArn)}'`);
      if (typeof Name !== 'string' || !/^[A-Za-z0-9_-]{1,80}$/.test(Name)) throw stepFunctionsError('InvalidName', `Invalid Name: '${String(Name)}'`);
      const inputText = typeof Input === 'string' ? Input : JSON.stringify(Input ?? {});
      const refusal = startExecutionRefusal(inputText);
      if (refusal) throw stepFunctionsError('Validation', refusal);
      const input = JSON.parse(inputText) as unknown;
      const executionArn = localExecutionArn(playbook.entry.id, Name);
      const existing = this.byArn.get(executionArn);
      if (existing) {
        if (existing.input === JSON.stringify(input) && existing.record.status === 'RUNNING') {
          return { ExecutionArn: executionArn, StartDate: new Date(existing.record.startedAt).toISOString() } as never;
        }
        throw stepFunctionsError('ExecutionAlreadyExists', `Execution Already Exists: '${executionArn}'`);
      }
      const record = this.startExecution(playbook, input, Name);
      return { ExecutionArn: executionArn, StartDate: new Date(record.startedAt).toISOString() } as never;
    });
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
      await this.invokeFunction(binding.domain, payload);
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

  /**
   * A domain's function called with a Task's request: the router its Lambda runs
   * (functions/runtime/action-router.ts) over the catalog's actions of the domain, then the action's
   * body. A request the router refuses fails the Task as it does on AWS.
   */
  private async invokeFunction(domain: DomainId, request: unknown): Promise<never> {
    if (this.stopping) throw new SandboxStopped();
    return this.track(async () => {
      try {
        const routes: Readonly<Record<string, ActionEntry>> = DOMAINS[domain].actions;
        const { action, route, input } = routeAction(domain, routes, request);
        // Only an action whose domain's role may call Step Functions for it on AWS gets the callbacks here
        // too, and only one that publishes the events it derives gets the bus.
        const deps: PlaybookDeps = {
          ...this.deps,
          ...(route.taskCallbacks ? { callbacks: this.callbacks } : {}),
          ...(route.publishes ? { events: this.derivedEvents } : {}),
        };
        return (await this.calling.run(action as ActionId, () => this.intercept(action as ActionId, input, () => invoke(route.fn, deps, input)))) as never;
      } catch (error) {
        throw asLambdaError(error);
      }
    });
  }

  /** Whether a recorder's call waits for Lambda's next retry of it. */
  recordersWaiting(): boolean {
    return this.asyncRetries > 0;
  }

  /** Whether a dispatch waits for its next attempt (a vendor outage in progress). */
  dispatchesWaiting(): boolean {
    return this.dispatcher.waiting();
  }

  /** Deliver the dispatches due now (after re-queuing dead letters, say), as the minute's sweep does on AWS. */
  deliverDispatches(): void {
    this.dispatcher.poke();
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
    return this.desk.decide(request, secrets);
  }

  /** A scenario's approval: the decision itself, in process (like scenario events, no signature to forge). */
  applyApproval(decision: ApprovalDecisionRequest): Promise<DecisionResponse> {
    return this.desk.apply(decision);
  }

  /** Every approval, without its task tokens; `pending` only those still waiting for the CSM. */
  approvals(options: { pending?: boolean } = {}): Promise<ApprovalView[]> {
    return this.desk.approvals(options);
  }

  /** The decisions taken so far (HTTP or scenario), refused ones with their status: the report's `decisions`. */
  get decisions(): readonly DecisionLogEntry[] {
    return this.desk.decisions;
  }

  /** Runs `work` counted as running work (a function call, a start, a decision): `settled()` waits for it. */
  private async track<T>(work: () => Promise<T>): Promise<T> {
    this.busy += 1;
    try {
      return await work();
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

  /** The sandbox's DynamoDB client: what its server answers the ledger's reads with (sandbox/api/dynamodb.ts). */
  get ledgerClient(): DynamoDBClient {
    return this.database.client;
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
    // A wall clock's next night is hours away: its timer would keep the process alive.
    for (const handle of this.schedules) this.clock.clearTimeout(handle);
    this.schedules.clear();
    for (const execution of this.running) execution.abort();
    this.callbacks.stop();
    await Promise.all(this.running.map((execution) => execution.followed));
    // A function call no execution awaits (a recorder's, the health scorer's) may still be writing: it
    // ends before the database closes (none starts once stopping).
    while (this.busy > 0) await new Promise((resolve) => setImmediate(resolve));
    // After the executions: a step that ended meanwhile may have poked a drain, which must end before the database closes.
    await this.dispatcher.stop();
    await this.database.close();
  }
}

/** A sort key (plain, or as DynamoDB's JSON has it) of a dispatch item. */
function isDispatchKey(sk: unknown): boolean {
  const key = typeof sk === 'object' && sk !== null && 'S' in sk ? (sk as { S: unknown }).S : sk;
  return typeof key === 'string' && key.startsWith('DISPATCH#');
}

/** Every table call through `fault` first (SandboxOptions.tableFault). */
function injectTableFault(database: LocalDynamoDB, fault: (operation: string) => Error | undefined): void {
  database.client.middlewareStack.add(
    (next, context) => (args) => {
      const error = fault(context.commandName?.replace(/Command$/, '') ?? '');
      return error ? Promise.reject(error) : next(args);
    },
    { step: 'initialize', name: 'tableFault' },
  );
}

/** The payload with every occurrence of the execution's token marker replaced by the Task's token. */
function replaceMarker(value: unknown, marker: string, token: string): unknown {
  if (value === marker) return token;
  if (Array.isArray(value)) return value.map((item) => replaceMarker(item, marker, token));
  if (typeof value === 'object' && value !== null) return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, replaceMarker(item, marker, token)]));
  return value;
}

/** The account an execution is about ('' for a scheduled run). */
function accountOf(input: unknown): string {
  return accountOfInput(input) ?? '';
}

/** A StartExecution refusal as the service integration raises it: `StepFunctions.<Code>Exception`, which Retry and Catch match. */
function stepFunctionsError(code: string, message: string): Error {
  const error = new Error(message);
  error.name = `StepFunctions.${code}Exception`;
  return error;
}

/**
 * `States.DataLimitExceeded`, as Step Functions raises it for a payload over its 256 KiB quota: a
 * terminal error, neither retried nor caught by `States.ALL` or `States.TaskFailed` (the interpreter
 * reads `isRetryable` and `isCatchable`), so the execution fails.
 */
function dataLimitExceeded(what: string, state: string): Error {
  const error = Object.assign(new Error(`${what} in state ${state}; the limit is ${STEP_FUNCTIONS_PAYLOAD_BYTES} bytes`), { isRetryable: false, isCatchable: false });
  error.name = 'States.DataLimitExceeded';
  return error;
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
