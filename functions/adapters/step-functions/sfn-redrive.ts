import { DescribeExecutionCommand, ExecutionNotRedrivable, RedriveExecutionCommand, type SFNClient } from '@aws-sdk/client-sfn';
import { asAwsUnavailable } from '../aws-unavailable.ts';

/** What came of a redrive: done; already done (the execution runs again); or refused by Step Functions. */
export type RedriveResult = 'redriven' | 'already-running' | 'not-redrivable';

/**
 * `RedriveExecution` through the SDK's client. The client token makes a second call for the same
 * failure (EventBridge delivering the status change twice) answer as the first did, for 15 minutes;
 * after that, Step Functions answers `ExecutionNotRedrivable` as it does for an execution that can no
 * longer be redriven at all (its history full, its 14 days past): `DescribeExecution` tells the two
 * apart. Throttling, a 5xx or a timeout, once the client's own retries are spent, is
 * `AwsServiceUnavailable`.
 */
export class StepFunctionsRedrive {
  constructor(private readonly stepFunctions: SFNClient) {}

  async redrive(executionArn: string, clientToken: string): Promise<RedriveResult> {
    try {
      await this.stepFunctions.send(new RedriveExecutionCommand({ executionArn, clientToken }));
      return 'redriven';
    } catch (error) {
      if (!(error instanceof ExecutionNotRedrivable)) throw asAwsUnavailable(error);
    }
    const { status } = await this.stepFunctions.send(new DescribeExecutionCommand({ executionArn })).catch((error: unknown) => {
      throw asAwsUnavailable(error);
    });
    return status === 'RUNNING' ? 'already-running' : 'not-redrivable';
  }
}
