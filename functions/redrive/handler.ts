import { SFNClient } from '@aws-sdk/client-sfn';
import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import { StepFunctionsRedrive } from '../adapters/step-functions/sfn-redrive.ts';
import { parseContract } from '../contracts/zod.ts';
import { tracer } from '../runtime/tracer.ts';
import { RedriveEnvironment } from './environment.ts';
import { FailedExecutionEvent, redriveFailedExecution, stateMachineOf, type RedriveOutcome } from './redrive-failed-execution.ts';
import { REDRIVE_METRICS, STATE_MACHINE_DIMENSION } from './metrics.ts';

const METRIC_OF = { redriven: REDRIVE_METRICS.redriven, 'already-running': REDRIVE_METRICS.alreadyRunning, 'stays-failed': REDRIVE_METRICS.staysFailed } as const;

// Created once per execution environment, outside the handler (Powertools examples/app).
const logger = new Logger();
const metrics = new Metrics();
parseContract(RedriveEnvironment, process.env, 'redrive environment');
const stepFunctions = new StepFunctionsRedrive(tracer.captureAWSv3Client(new SFNClient({})));

/**
 * A playbook execution that failed (the stage's rule on Step Functions' status changes), redriven when
 * it failed because AWS was failing (./redrive-failed-execution.ts). Counted per state machine: what
 * stays failed is each playbook's StayedFailedAlarm. An error here (Step Functions itself unavailable)
 * fails the asynchronous invocation, which Lambda retries, then puts in the redrive's dead-letter queue
 * (lib/constructs/automatic-redrive.ts).
 */
export const handler = middy<unknown, RedriveOutcome, Error, Context>()
  .use(captureLambdaHandler(tracer))
  .use(injectLambdaContext(logger, { clearState: true }))
  .use(logMetrics(metrics))
  .handler(async (event) => {
    const failure = parseContract(FailedExecutionEvent, event, 'failed execution');
    const outcome = await redriveFailedExecution(failure, {
      redrive: (executionArn, clientToken) => stepFunctions.redrive(executionArn, clientToken),
      now: () => Date.now(),
      log: (message, fields) => logger.info(message, fields),
    });
    metrics.addDimension(STATE_MACHINE_DIMENSION, stateMachineOf(failure.executionArn));
    metrics.addMetric(METRIC_OF[outcome.outcome], MetricUnit.Count, 1);
    return outcome;
  });
