import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import { Ledger } from '../adapters/ledger.ts';
import type { TaskCallbacks } from '../adapters/step-functions/task-callbacks.ts';
import { createBusinessCalendar } from '../core/calendar/business-time.ts';
import { readPlaybookEnvironment } from './environment.ts';
import { bundledHolidayTable, bundledHolidayYears } from './holidays.ts';
import { invoke, type PlaybookDeps, type PlaybookFunction } from './playbook-function.ts';

// Created once per execution environment, outside the handler (Powertools examples/app).
const logger = new Logger();
const metrics = new Metrics();
const dynamodb = new DynamoDBClient({});

let deps: PlaybookDeps | undefined;

/** What a function's handler adds to the common dependencies (built once, at the first invocation). */
export interface LambdaExtras {
  callbacks?: (now: () => Date) => TaskCallbacks;
}

function lambdaDeps(extras: LambdaExtras): PlaybookDeps {
  const env = readPlaybookEnvironment();
  const now = () => new Date();
  return {
    ledger: new Ledger(dynamodb, env.TABLE_NAME),
    now,
    settings: env.settings,
    calendar: createBusinessCalendar(bundledHolidayTable(), env.settings.businessHours, bundledHolidayYears()),
    logger,
    metrics,
    ...(extras.callbacks ? { callbacks: extras.callbacks(now) } : {}),
  };
}

/** The Lambda entry of a playbook function: middleware first, the function's body last. */
export function lambdaHandler(fn: PlaybookFunction, extras: LambdaExtras = {}) {
  const handler = middy<unknown, unknown, Error, Context>()
    .use(injectLambdaContext(logger, { clearState: true }))
    .use(logMetrics(metrics))
    .handler((event) => {
      deps ??= lambdaDeps(extras);
      return invoke(fn, deps, event);
    });
  // Lets the parity test check that each bundle's entry wraps the function the sandbox runs.
  return Object.assign(handler, { playbookFunction: fn });
}
