import { TaskOutputRefused, TaskTokenGone, type TaskCallbacks } from '../../functions/adapters/step-functions/task-callbacks.ts';
import type { Clock } from '../engine/clock.ts';

/** Step Functions' limit on a task's output (SendTaskSuccess `output`). */
const MAX_OUTPUT_BYTES = 256 * 1024;

/** An execution parked on a `.waitForTaskToken` Task, as `pendingCallbacks()` shows it (the token is the caller's to use). */
export interface ParkedCallback {
  token: string;
  execution: string;
  state: string;
  since: number;
}

interface Parked extends ParkedCallback {
  /** The attempt of its Task state in its execution (1, 2… with retries). */
  attempt: number;
  resolve(output: unknown): void;
  reject(error: Error): void;
  heartbeat?: { seconds: number; timer: unknown };
}

/** Thrown into a parked Task when the sandbox stops: the execution is aborted anyway, nothing may wait. */
export class SandboxStopped extends Error {
  override readonly name = 'SandboxStopped';
  constructor() {
    super('The sandbox stopped');
  }
}

/**
 * The task tokens of the sandbox: what Step Functions keeps for `.waitForTaskToken` Tasks and
 * aws-local-stepfunctions leaves to its caller. A parked Task gets a fresh token; SendTaskSuccess
 * resolves it with the output (once: a token completes one task), SendTaskFailure fails it with the
 * given error name and cause (what Retry and Catch match), and a closed token answers as Step Functions
 * does (TaskTimedOut). The Task's own TimeoutSeconds stays the interpreter's, on the execution's clock;
 * HeartbeatSeconds, which it ignores, is enforced here on the same clock.
 */
export class CallbackRegistry implements TaskCallbacks {
  private readonly parked = new Map<string, Parked>();
  /** Tokens once handed out and now closed: they answer TaskTimedOut, unknown ones InvalidToken. */
  private readonly closed = new Set<string>();
  /** Per execution and Task state: attempts parked, and attempts whose end the event log reported. */
  private readonly attempts = new Map<string, { parked: number; ended: number }>();
  private stopped = false;

  constructor(
    private readonly clock: Clock,
    private readonly mintToken: () => string,
  ) {}

  /** A fresh token for a Task of `execution` entering `state`, and the promise its callback settles. */
  park(execution: string, state: string, heartbeatSeconds?: number): { token: string; result: Promise<unknown> } {
    if (this.stopped) throw new SandboxStopped();
    // A new attempt of the same Task means the interpreter gave up on the previous one (a retry).
    for (const older of this.parked.values()) if (older.execution === execution && older.state === state) this.close(older);
    const attempts = this.attemptsOf(execution, state);
    attempts.parked += 1;
    const token = this.mintToken();
    let settle!: Pick<Parked, 'resolve' | 'reject'>;
    const result = new Promise<unknown>((resolve, reject) => (settle = { resolve, reject }));
    const parked: Parked = { token, execution, state, since: this.clock.now(), attempt: attempts.parked, ...settle };
    this.parked.set(token, parked);
    if (heartbeatSeconds !== undefined) {
      parked.heartbeat = { seconds: heartbeatSeconds, timer: undefined };
      this.armHeartbeat(parked);
    }
    return { token, result };
  }

  async sendTaskSuccess(taskToken: string, output: unknown): Promise<void> {
    const parked = this.open(taskToken);
    const json = JSON.stringify(output);
    if (json === undefined || Buffer.byteLength(json) > MAX_OUTPUT_BYTES) throw new TaskOutputRefused();
    this.close(parked);
    // The output crosses a service boundary on AWS: a JSON copy, never the caller's object.
    parked.resolve(JSON.parse(json));
  }

  async sendTaskFailure(taskToken: string, error: string, cause: string): Promise<void> {
    const parked = this.open(taskToken);
    this.close(parked);
    parked.reject(namedError(error.slice(0, 256), cause));
  }

  /** Resets the Task's HeartbeatSeconds; the Task's TimeoutSeconds still runs. */
  async sendTaskHeartbeat(taskToken: string): Promise<void> {
    const parked = this.open(taskToken);
    if (parked.heartbeat) this.armHeartbeat(parked);
  }

  pending(): ParkedCallback[] {
    return [...this.parked.values()].map(({ token, execution, state, since }) => ({ token, execution, state, since }));
  }

  /**
   * The event log reported the end of an attempt of `state` (StateExited, or StateFailed: it timed out,
   * its function failed): that attempt's token is dead. The log is read asynchronously, so a retry may
   * have parked the next attempt already: attempts and ends pair up in order, and only tokens of
   * attempts that ended are closed.
   */
  attemptEnded(execution: string, state: string): void {
    const attempts = this.attemptsOf(execution, state);
    attempts.ended += 1;
    for (const parked of this.parked.values()) {
      if (parked.execution === execution && parked.state === state && parked.attempt <= attempts.ended) this.close(parked);
    }
  }

  /** The function behind the attempt failed: its token is dead now (the attempt's end is reported later). */
  discard(token: string): void {
    const parked = this.parked.get(token);
    if (parked) this.close(parked);
  }

  closeExecution(execution: string): void {
    for (const parked of this.parked.values()) if (parked.execution === execution) this.close(parked);
    for (const key of this.attempts.keys()) if (key.startsWith(`${execution}\u0000`)) this.attempts.delete(key);
  }

  /** Settle every parked Task so that no interpreter timer (a Task's timeout, days long) outlives the sandbox. */
  stop(): void {
    this.stopped = true;
    for (const parked of [...this.parked.values()]) {
      this.close(parked);
      parked.reject(new SandboxStopped());
    }
  }

  private attemptsOf(execution: string, state: string): { parked: number; ended: number } {
    const key = `${execution}\u0000${state}`;
    let attempts = this.attempts.get(key);
    if (!attempts) {
      attempts = { parked: 0, ended: 0 };
      this.attempts.set(key, attempts);
    }
    return attempts;
  }

  private open(token: string): Parked {
    const parked = this.parked.get(token);
    if (parked) return parked;
    throw new TaskTokenGone(this.closed.has(token) ? 'TaskTimedOut' : 'InvalidToken');
  }

  private close(parked: Parked): void {
    if (parked.heartbeat) this.clock.clearTimeout(parked.heartbeat.timer);
    this.parked.delete(parked.token);
    this.closed.add(parked.token);
  }

  private armHeartbeat(parked: Parked): void {
    const heartbeat = parked.heartbeat!;
    this.clock.clearTimeout(heartbeat.timer);
    heartbeat.timer = this.clock.setTimeout(() => {
      if (!this.parked.has(parked.token)) return;
      this.close(parked);
      // As on AWS, `States.TaskFailed` matches it (only States.Timeout is excluded).
      parked.reject(namedError('States.HeartbeatTimeout', `No heartbeat for ${heartbeat.seconds} s`));
    }, heartbeat.seconds * 1000);
  }
}

/** What the interpreter's Retry and Catch match: the error's name is the Error, its message the Cause. */
function namedError(name: string, cause: string): Error {
  const error = new Error(cause);
  error.name = name;
  return error;
}
