import { domainHandler, lambdaAction } from '../runtime/lambda.ts';
import { stepFunctionsCallbacks } from '../runtime/step-functions.ts';
import { awaitSaveOutcome } from './await-save-outcome.ts';
import { openPreChurn } from './open-pre-churn.ts';
import { planSaveWait } from './plan-save-wait.ts';
import { recordRetentionCase } from './record-retention-case.ts';
import { recordSaveOutcome } from './record-save-outcome.ts';
import { setPlanExpiry } from './set-plan-expiry.ts';

const resumesExecutions = { callbacks: () => stepFunctionsCallbacks };

/**
 * A cancellation soon after the signature: its case, the save and its outcome, a loss's RETENTION case
 * and plan expiry. Rules: ../core/pre-churn/.
 */
export const handler = domainHandler('pre-churn', {
  'open-pre-churn': lambdaAction(openPreChurn),
  'plan-save-wait': lambdaAction(planSaveWait),
  'await-save-outcome': lambdaAction(awaitSaveOutcome, undefined, resumesExecutions),
  'record-save-outcome': lambdaAction(recordSaveOutcome, undefined, resumesExecutions),
  'record-retention-case': lambdaAction(recordRetentionCase),
  'set-plan-expiry': lambdaAction(setPlanExpiry),
});
