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
import { FailedExecutionEvent, redriveFailedExecution, type RedriveOutcome } from './redrive-failed-execution.ts';

// Created once per execution environment, outside the handler (Powertools examples/app).
const logger = new Logger();
const metrics = new Metrics();
parseContract(RedriveEnvironment, process.env, 'redrive environment');
const stepFunctions = new StepFunctionsRedrive(tracer.captureAWSv3Client(new SFNClient({})));

/**
 * A playbook execution that failed (the stage's rule on Step Functions' status changes), redriven when
 * it failed because AWS was failing (./redrive-failed-execution.ts). An error here (Step Functions
 * itself unavailable) is retried by the Lambda's asynchronous invocation, then by EventBridge.
 */
export const handler = middy<unknown, RedriveOutcome, Error, Context>()
  .use(captureLambdaHandler(tracer))
  .use(injectLambdaContext(logger, { clearState: true }))
  .use(logMetrics(metrics))
  .handler(async (event) => {
    const outcome = await redriveFailedExecution(parseContract(FailedExecutionEvent, event, 'failed execution'), {
      redrive: (executionArn, clientToken) => stepFunctions.redrive(executionArn, clientToken),
      now: () => Date.now(),
      log: (message, fields) => logger.info(message, fields),
    });
    metrics.addMetric(outcome.redriven ? 'ExecutionRedriven' : 'ExecutionNotRedriven', MetricUnit.Count, 1);
    return outcome;
  });
