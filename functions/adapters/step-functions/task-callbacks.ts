/**
 * Resuming an execution parked on a `.waitForTaskToken` Task: the port, and what it answers besides
 * success. Step Functions implements it on AWS (./sfn-task-callbacks.ts, with the SDK's client), the
 * sandbox's interpreter locally (sandbox/runtime/callbacks.ts), so the code that decides an approval
 * or records a reply runs unchanged on both.
 *
 * Tokens are credentials for one task: they are never logged, and errors never echo them.
 */

/** The port: what resumes a parked execution, on AWS or in the sandbox. */
export interface TaskCallbacks {
  sendTaskSuccess(taskToken: string, output: unknown): Promise<void>;
  sendTaskFailure(taskToken: string, error: string, cause: string): Promise<void>;
}

/** Step Functions no longer waits on this token: its Task timed out or ended, or the token is not one of its own. */
export class TaskTokenGone extends Error {
  override readonly name = 'TaskTokenGone';
  constructor(readonly code: 'TaskTimedOut' | 'TaskDoesNotExist' | 'InvalidToken') {
    super(`Step Functions answered ${code}: nothing waits on this task token any more`);
  }
}

/** `InvalidOutput`: the output is not JSON or is over 256 KB. The task still waits. */
export class TaskOutputRefused extends Error {
  override readonly name = 'TaskOutputRefused';
  constructor() {
    super('Step Functions refused the task output (InvalidOutput: not JSON, or over 256 KB)');
  }
}
