import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import { asAwsUnavailable, AwsServiceUnavailable } from '../adapters/aws-unavailable.ts';
import { Ledger } from '../adapters/ledger.ts';
import type { PortName } from '../adapters/ports.ts';
import type { TaskCallbacks } from '../adapters/step-functions/task-callbacks.ts';
import type { DomainEvents } from '../adapters/domain-events.ts';
import type { z } from '../contracts/zod.ts';
import { createBusinessCalendar } from '../core/calendar/business-time.ts';
import { routeAction } from './action-router.ts';
import { readPlaybookEnvironment } from './environment.ts';
import { holidayCoverage, stageCalendarMetric } from './holiday-coverage.ts';
import { bundledHolidayTable, bundledHolidayYears } from './holidays.ts';
import type { PortsProvider } from './lambda-ports.ts';
import { ledgerInLayout } from './ledger-layout.ts';
import { invoke, type PlaybookDeps, type PlaybookFunction } from './playbook-function.ts';
import { tracer } from './tracer.ts';
import { unwiredPorts } from './unwired-ports.ts';

// Created once per execution environment, outside the handler (Powertools examples/app).
const logger = new Logger();
const metrics = new Metrics();
const dynamodb = tracer.captureAWSv3Client(new DynamoDBClient({}));

type BaseDeps = Omit<PlaybookDeps, 'ports'>;
let base: BaseDeps | undefined;

/** What a domain's handler adds to an action's dependencies (built once, at the action's first call). */
export interface LambdaExtras {
  callbacks?: (now: () => Date) => TaskCallbacks;
  /** The bus its derived events go to (built once, at the action's first call). */
  events?: () => DomainEvents;
}

function lambdaDeps(): BaseDeps {
  const env = readPlaybookEnvironment();
  const now = () => new Date();
  const years = bundledHolidayYears();
  const coverage = holidayCoverage(years, { logger, emit: stageCalendarMetric(metrics) });
  coverage.atColdStart(now());
  return {
    ledger: new Ledger(dynamodb, env.TABLE_NAME),
    now,
    settings: env.settings,
    calendar: createBusinessCalendar(bundledHolidayTable(), env.settings.businessHours, years, coverage.onUncoveredYear),
    logger,
    metrics,
  };
}

/**
 * One action of a domain's Lambda: its body, and what the domain's handler wires for it alone. An
 * action that names ports gets `vendorPorts({ <port>: <builder> })` (one builder per named port, as the
 * type requires); one that names none passes `undefined` there; Step Functions callbacks come last, as
 * `LambdaExtras`. Its dependencies are its own: an action never reaches a port or the callbacks of
 * another action of its domain.
 */
export interface LambdaAction {
  readonly fn: PlaybookFunction;
  readonly provider?: PortsProvider<PortName> | undefined;
  /** The action's Step Functions callbacks, built at its first call. */
  readonly callbacks?: ((now: () => Date) => TaskCallbacks) | undefined;
  /** The bus of the events it publishes, built at its first call. */
  readonly events?: (() => DomainEvents) | undefined;
}

export function lambdaAction<S extends z.ZodMiniType, O, P extends PortName = never>(
  fn: PlaybookFunction<S, O, P>,
  ...[provider, extras = {}]: [P] extends [never] ? [provider?: undefined, extras?: LambdaExtras] : [provider: PortsProvider<P>, extras?: LambdaExtras]
): LambdaAction {
  let callbacks: TaskCallbacks | undefined;
  let events: DomainEvents | undefined;
  const build = extras.callbacks;
  const buildEvents = extras.events;
  return {
    fn: fn as unknown as PlaybookFunction,
    provider: provider as PortsProvider<PortName> | undefined,
    callbacks: build && ((now) => (callbacks ??= build(now))),
    events: buildEvents && (() => (events ??= buildEvents())),
  };
}

/**
 * What a domain's function does while the ledger is being migrated (./ledger-layout.ts): `fail` as an
 * AWS outage, which a playbook's Task retries, then redrives; `skip` (the dispatch drain: the minute's
 * sweep delivers what is due once the migration is over, and a stream batch is not failed in vain).
 */
export interface DomainHandlerOptions {
  whileMigrating?: 'fail' | 'skip';
}

/**
 * The Lambda entry of a domain (functions/<domain>/handler.ts): middleware first, then the router
 * (./action-router.ts, the sandbox's too), then the action's body with its own ports and callbacks.
 * Its logs carry the action's name.
 */
export function domainHandler(domain: string, actions: Readonly<Record<string, LambdaAction>>, { whileMigrating = 'fail' }: DomainHandlerOptions = {}) {
  const handler = middy<unknown, unknown, Error, Context>()
    .use(captureLambdaHandler(tracer))
    .use(injectLambdaContext(logger, { clearState: true }))
    .use(logMetrics(metrics))
    .handler(async (event) => {
      const { action, route, input } = routeAction(domain, actions, event);
      logger.appendKeys({ action });
      base ??= lambdaDeps();
      if (!(await ledgerInLayout(base.ledger).catch((error: unknown) => Promise.reject(asAwsUnavailable(error))))) {
        logger.warn('the ledger is being migrated: nothing done', { whileMigrating });
        if (whileMigrating === 'skip') return { skipped: 'ledger-migrating' };
        throw new AwsServiceUnavailable('the ledger', 'its items are being moved to this version\'s layout (README, "Migrating the ledger")');
      }
      // Reading the vendor secret is part of the step: its outage is named as invoke names the others.
      const ports = route.provider ? await route.provider.resolve(base).catch((error: unknown) => Promise.reject(asAwsUnavailable(error))) : unwiredPorts(route.fn.id);
      return invoke(route.fn, { ...base, ports, ...(route.callbacks ? { callbacks: route.callbacks(base.now) } : {}), ...(route.events ? { events: route.events() } : {}) }, input);
    });
  // Lets the parity test check that each domain's entry routes the catalog's actions to the bodies the
  // sandbox runs, each with exactly the ports it names.
  const routes = Object.fromEntries(
    Object.entries(actions).map(([id, { fn, provider }]) => [id, { playbookFunction: fn, wiredPorts: Object.keys(provider?.wiring ?? {}) as PortName[] }]),
  );
  return Object.assign(handler, { domain, routes });
}
