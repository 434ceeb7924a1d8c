import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SFNClient } from '@aws-sdk/client-sfn';
import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import { Ledger } from '../adapters/ledger.ts';
import { StepFunctionsRedrive } from '../adapters/step-functions/sfn-redrive.ts';
import { parseContract } from '../contracts/zod.ts';
import { tracer } from '../runtime/tracer.ts';
import { ExecutionsEnvironment } from './environment.ts';
import { recordExecution, type RecordOutcome } from './record-execution.ts';
import { ExecutionStatusEvent } from './status-change.ts';
import { redriveFailedExecution, stateMachineOf, type RedriveOutcome } from './redrive-failed-execution.ts';
import { REDRIVE_METRICS, STATE_MACHINE_DIMENSION } from './metrics.ts';

const METRIC_OF = { redriven: REDRIVE_METRICS.redriven, 'already-running': REDRIVE_METRICS.alreadyRunning, 'stays-failed': REDRIVE_METRICS.staysFailed } as const;

// Created once per execution environment, outside the handler (Powertools examples/app).
const logger = new Logger();
const metrics = new Metrics();
const env = parseContract(ExecutionsEnvironment, process.env, 'executions environment');
const stepFunctions = new StepFunctionsRedrive(tracer.captureAWSv3Client(new SFNClient({})));
const timeline = new Ledger(tracer.captureAWSv3Client(new DynamoDBClient({})), env.TABLE_NAME).executions;
const playbooks = new Map(Object.entries(JSON.parse(env.PLAYBOOK_STATE_MACHINES) as Record<string, string>));

/**
 * A playbook execution's status change (the stage's rules on Step Functions' status changes): on its
 * account's timeline (./record-execution.ts), and, when it failed, redriven if it failed because AWS
 * was failing (./redrive-failed-execution.ts). Counted per state machine: what stays failed is each
 * playbook's StayedFailedAlarm. An error here (DynamoDB or Step Functions unavailable) fails the
 * asynchronous invocation, which Lambda retries, then puts in the dead-letter queue
 * (lib/constructs/execution-watch.ts): both steps are idempotent, so a retry does each once.
 */
export const handler = middy<unknown, { recorded: RecordOutcome; redrive?: RedriveOutcome }, Error, Context>()
  .use(captureLambdaHandler(tracer))
  .use(injectLambdaContext(logger, { clearState: true }))
  .handler(async (event) => {
    const change = parseContract(ExecutionStatusEvent, event, 'execution status change');
    // Both, whatever the other does: a DynamoDB outage (the timeline) is the very failure a redrive is for.
    // Each is idempotent, so Lambda's retry of a call where either failed does each once.
    const [recorded, redriven] = await Promise.allSettled([
      recordExecution(change, { timeline, playbookOf: (name) => playbooks.get(name) }),
      change.status === 'FAILED' ? redriveIfTransient(change) : Promise.resolve(undefined),
    ]);
    if (recorded.status === 'rejected') throw recorded.reason;
    if (redriven.status === 'rejected') throw redriven.reason;
    return { recorded: recorded.value, ...(redriven.value ? { redrive: redriven.value } : {}) };
  });

/** A failure, redriven when the rule says so, and what came of it counted per state machine. */
async function redriveIfTransient(change: ExecutionStatusEvent): Promise<RedriveOutcome> {
  const outcome = await redriveFailedExecution(
    { executionArn: change.executionArn, error: change.error, redriveCount: change.redriveCount, stopDate: change.stopDate ?? Date.now() },
    {
      redrive: (executionArn, clientToken) => stepFunctions.redrive(executionArn, clientToken),
      now: () => Date.now(),
      log: (message, fields) => logger.info(message, fields),
    },
  );
  metrics.addDimension(STATE_MACHINE_DIMENSION, stateMachineOf(change.executionArn));
  metrics.addMetric(METRIC_OF[outcome.outcome], MetricUnit.Count, 1);
  // Published here rather than by Powertools' middleware, which would warn of no metrics at every start and end.
  metrics.publishStoredMetrics();
  return outcome;
}
