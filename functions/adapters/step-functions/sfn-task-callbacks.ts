import {
  InvalidOutput,
  InvalidToken,
  SendTaskFailureCommand,
  SendTaskSuccessCommand,
  TaskDoesNotExist,
  TaskTimedOut,
  type SFNClient,
} from '@aws-sdk/client-sfn';
import { asAwsUnavailable } from '../aws-unavailable.ts';
import { TaskOutputRefused, TaskTokenGone, type TaskCallbacks } from './task-callbacks.ts';

/** SendTaskFailure's limits: longer values are cut, never refused. */
const MAX_ERROR_LENGTH = 256;
const MAX_CAUSE_LENGTH = 32_768;

/**
 * The task callbacks on Step Functions (`SendTaskSuccess`, `SendTaskFailure`), through the SDK's
 * client. Its answers, named for the callers: a token nothing waits on any more (`TaskTimedOut`,
 * `TaskDoesNotExist`, `InvalidToken`) is `TaskTokenGone`, an output refused (`InvalidOutput`)
 * `TaskOutputRefused`; throttling, a 5xx or a timeout, once the client's own retries are spent,
 * `AwsServiceUnavailable` (the failure policies wait that out); any other refusal (AccessDenied)
 * keeps the SDK's name.
 */
export class StepFunctionsCallbacks implements TaskCallbacks {
  constructor(private readonly stepFunctions: SFNClient) {}

  async sendTaskSuccess(taskToken: string, output: unknown): Promise<void> {
    await this.stepFunctions.send(new SendTaskSuccessCommand({ taskToken, output: JSON.stringify(output) })).catch(named);
  }

  async sendTaskFailure(taskToken: string, error: string, cause: string): Promise<void> {
    await this.stepFunctions
      .send(new SendTaskFailureCommand({ taskToken, error: error.slice(0, MAX_ERROR_LENGTH), cause: cause.slice(0, MAX_CAUSE_LENGTH) }))
      .catch(named);
  }
}

/** The client's error under the name its callers act on. */
function named(error: unknown): never {
  if (error instanceof TaskTimedOut) throw new TaskTokenGone('TaskTimedOut');
  if (error instanceof TaskDoesNotExist) throw new TaskTokenGone('TaskDoesNotExist');
  if (error instanceof InvalidToken) throw new TaskTokenGone('InvalidToken');
  if (error instanceof InvalidOutput) throw new TaskOutputRefused();
  throw asAwsUnavailable(error);
}
