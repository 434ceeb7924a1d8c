import { ExecutionNotRedrivable, RedriveExecutionCommand, type SFNClient } from '@aws-sdk/client-sfn';
import { asAwsUnavailable } from '../aws-unavailable.ts';

/** What came of a redrive: done, or refused by Step Functions because the execution cannot be redriven now. */
export type RedriveResult = 'redriven' | 'not-redrivable';

/**
 * `RedriveExecution` through the SDK's client. The client token makes a second call for the same
 * failure (EventBridge delivering the status change twice) answer as the first did, for 15 minutes;
 * after that, the execution is running again and Step Functions answers `ExecutionNotRedrivable`, as it
 * does for one that is no longer redrivable at all (its history full, its 14 days past).
 * Throttling, a 5xx or a timeout, once the client's own retries are spent, is `AwsServiceUnavailable`.
 */
export class StepFunctionsRedrive {
  constructor(private readonly stepFunctions: SFNClient) {}

  async redrive(executionArn: string, clientToken: string): Promise<RedriveResult> {
    try {
      await this.stepFunctions.send(new RedriveExecutionCommand({ executionArn, clientToken }));
      return 'redriven';
    } catch (error) {
      if (error instanceof ExecutionNotRedrivable) return 'not-redrivable';
      throw asAwsUnavailable(error);
    }
  }
}
