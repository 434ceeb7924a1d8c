import { describe, expect, it } from 'vitest';
import type { RunOptions, StateMachine, StateMachineDefinition } from 'aws-local-stepfunctions';
import { MAX_TIMER_DELAY_MS, splitDelay, VirtualClock, wallClock } from '../../sandbox/engine/clock.ts';
import { loadInterpreter, loadStateMachineClass, runWithClock } from '../../sandbox/engine/interpreter.ts';

const SECOND = 1_000;
const DAY = 86_400_000;
const START = Date.parse('2026-01-01T00:00:00Z');

type ExecutionInput = Parameters<StateMachine['run']>[0];

/** Real macrotask turns, so the interpreter's promise chains get to their next timer. */
async function settle(turns = 5): Promise<void> {
  for (let i = 0; i < turns; i++) await new Promise<void>((resolve) => setImmediate(resolve));
}

/** Starts an execution on `clock` and tracks whether its result has settled. */
async function start(clock: VirtualClock, definition: StateMachineDefinition, input: ExecutionInput = {}, options?: RunOptions) {
  const StateMachine = await loadStateMachineClass();
  const execution = runWithClock(clock, () => new StateMachine(definition).run(input, options));
  let settled = false;
  execution.result.then(
    () => (settled = true),
    () => (settled = true),
  );
  return { ...execution, isSettled: () => settled };
}

/** What a `playbooks simulate` driver does: let work settle, jump to the next wake-up, repeat. */
async function drain(clock: VirtualClock): Promise<void> {
  do await settle();
  while (clock.runNext());
}

async function events(execution: { eventLogs: AsyncGenerator<{ type: string; timestamp: number }> }) {
  const all = [];
  for await (const event of execution.eventLogs) all.push(event);
  return all;
}

const stampStartTime = { Type: 'Pass', Parameters: { 'startTime.$': '$$.Execution.StartTime' }, End: true } as const;

describe('VirtualClock drives the real interpreter', () => {
  it('wakes a 91-day Wait on day 91, not at once', async () => {
    // given a Wait of 91 days then a Pass recording the execution start time
    const definition: StateMachineDefinition = {
      StartAt: 'Wait91Days',
      States: { Wait91Days: { Type: 'Wait', Seconds: 7_862_400, Next: 'Stamp' }, Stamp: stampStartTime },
    };
    const clock = new VirtualClock(START);

    // when the execution starts
    const execution = await start(clock, definition);
    await settle();

    // then it is waiting, with its one wake-up exactly 91 days after the start
    expect(execution.isSettled()).toBe(false);
    expect(clock.pendingTimers()).toBe(1);
    expect(clock.nextWakeUp()).toBe(START + 91 * DAY);

    // when the clock reaches day 90, then it is still waiting
    clock.advanceTo(START + 90 * DAY);
    await settle();
    expect(execution.isSettled()).toBe(false);
    expect(clock.now()).toBe(START + 90 * DAY);

    // when the clock jumps to the next wake-up, then the execution completes on day 91
    expect(clock.runNext()).toBe(true);
    await settle();
    expect(execution.isSettled()).toBe(true);
    await expect(execution.result).resolves.toEqual({ startTime: '2026-01-01T00:00:00.000Z' });
    const log = await events(execution);
    expect(log.find((e) => e.type === 'ExecutionStarted')?.timestamp).toBe(START);
    expect(log.find((e) => e.type === 'ExecutionSucceeded')?.timestamp).toBe(START + 91 * DAY);
    expect(clock.pendingTimers()).toBe(0);
  });

  it('wakes a TimestampPath Wait exactly at a timestamp 100 days ahead', async () => {
    // given a Wait until a timestamp read from the input, 100 days after the virtual start
    const until = START + 100 * DAY;
    const definition: StateMachineDefinition = {
      StartAt: 'WaitUntil',
      States: { WaitUntil: { Type: 'Wait', TimestampPath: '$.until', Next: 'Stamp' }, Stamp: stampStartTime },
    };
    const clock = new VirtualClock(START);

    // when the execution starts
    const execution = await start(clock, definition, { until: new Date(until).toISOString() });
    await settle();

    // then it wakes at that timestamp, not a millisecond earlier
    expect(clock.nextWakeUp()).toBe(until);
    clock.advanceTo(until - 1);
    await settle();
    expect(execution.isSettled()).toBe(false);
    clock.runNext();
    await settle();
    await expect(execution.result).resolves.toEqual({ startTime: '2026-01-01T00:00:00.000Z' });
    expect(clock.now()).toBe(until);
  });

  it('sleeps retry back-off on the virtual clock: +60 s, then +180 s', async () => {
    // given a Task that fails twice, retried with IntervalSeconds 60 and BackoffRate 2
    const definition: StateMachineDefinition = {
      StartAt: 'Flaky',
      States: {
        Flaky: {
          Type: 'Task',
          Resource: 'arn:aws:lambda:us-east-1:123456789012:function:flaky',
          Retry: [{ ErrorEquals: ['States.ALL'], IntervalSeconds: 60, BackoffRate: 2, MaxAttempts: 3 }],
          End: true,
        },
      },
    };
    const clock = new VirtualClock(START);
    const calls: number[] = [];
    const flaky = () => {
      calls.push(clock.now());
      if (calls.length <= 2) throw new Error(`attempt ${calls.length} fails`);
      return { ok: true };
    };

    // when the execution runs to completion on the virtual clock
    const execution = await start(clock, definition, {}, { overrides: { taskResourceLocalHandlers: { Flaky: flaky } } });
    await drain(clock);

    // then the attempts happened at +0 s, +60 s and +180 s of virtual time
    await expect(execution.result).resolves.toEqual({ ok: true });
    expect(calls).toEqual([START, START + 60 * SECOND, START + 180 * SECOND]);
  });

  it('times the machine out on the virtual clock and cancels the pending Wait', async () => {
    // given a machine with TimeoutSeconds of one hour that waits two hours
    const definition: StateMachineDefinition = {
      TimeoutSeconds: 3_600,
      StartAt: 'WaitTwoHours',
      States: { WaitTwoHours: { Type: 'Wait', Seconds: 7_200, End: true } },
    };
    const clock = new VirtualClock(START);
    const { ExecutionTimeoutError } = await loadInterpreter();

    // when the execution runs on the virtual clock
    const execution = await start(clock, definition);
    await settle();
    expect(clock.nextWakeUp()).toBe(START + 3_600 * SECOND);
    clock.runNext();
    await settle();

    // then it times out after one virtual hour (the timeout callback ran on the execution's
    // clock) and the Wait's timer was cleared on the clock that scheduled it
    await expect(execution.result).rejects.toBeInstanceOf(ExecutionTimeoutError);
    const log = await events(execution);
    expect(log.find((e) => e.type === 'ExecutionTimeout')?.timestamp).toBe(START + 3_600 * SECOND);
    expect(clock.pendingTimers()).toBe(0);
  });

  it('keeps two concurrent executions on their own clocks', async () => {
    // given two executions of a 10-day Wait on clocks starting four years apart
    const definition: StateMachineDefinition = {
      StartAt: 'Wait10Days',
      States: { Wait10Days: { Type: 'Wait', Seconds: 10 * 86_400, Next: 'Stamp' }, Stamp: stampStartTime },
    };
    const startB = Date.parse('2030-06-01T12:00:00Z');
    const clockA = new VirtualClock(START);
    const clockB = new VirtualClock(startB);
    const [a, b] = await Promise.all([start(clockA, definition), start(clockB, definition)]);
    await settle();

    // then each waits on its own clock
    expect(clockA.nextWakeUp()).toBe(START + 10 * DAY);
    expect(clockB.nextWakeUp()).toBe(startB + 10 * DAY);

    // when only clock A moves, then only execution A completes, with A's start time
    clockA.runNext();
    await settle();
    expect(a.isSettled()).toBe(true);
    expect(b.isSettled()).toBe(false);
    await expect(a.result).resolves.toEqual({ startTime: '2026-01-01T00:00:00.000Z' });
    expect(clockB.pendingTimers()).toBe(1);

    // when clock B moves, then B completes with its own start time
    clockB.runNext();
    await settle();
    await expect(b.result).resolves.toEqual({ startTime: '2030-06-01T12:00:00.000Z' });
    expect((await events(b)).find((e) => e.type === 'ExecutionSucceeded')?.timestamp).toBe(startB + 10 * DAY);
  });
});

describe('VirtualClock', () => {
  it('fires due timers in time order, including ones scheduled while advancing, and never goes back', () => {
    // given timers at +30, +10 and +10 (FIFO for ties), where the first one schedules +5 more
    const clock = new VirtualClock(1_000);
    const fired: string[] = [];
    clock.setTimeout(() => fired.push(`c@${clock.now()}`), 30);
    clock.setTimeout(() => {
      fired.push(`a@${clock.now()}`);
      clock.setTimeout(() => fired.push(`d@${clock.now()}`), 5);
    }, 10);
    const cancelled = clock.setTimeout(() => fired.push('never'), 12);
    clock.setTimeout(() => fired.push(`b@${clock.now()}`), 10);
    clock.clearTimeout(cancelled);

    // when advancing to +20, then +10, +10 and the nested +15 fired and now is +20
    clock.advanceTo(1_020);
    expect(fired).toEqual(['a@1010', 'b@1010', 'd@1015']);
    expect(clock.now()).toBe(1_020);

    // when asked to go back, then time stays put
    clock.advanceTo(0);
    expect(clock.now()).toBe(1_020);

    // when running the next timer, then +30 fires and the queue is empty
    expect(clock.runNext()).toBe(true);
    expect(fired.at(-1)).toBe('c@1030');
    expect(clock.runNext()).toBe(false);
    expect(clock.nextWakeUp()).toBeUndefined();
  });
});

describe('wallClock', () => {
  it('splits a 91-day delay into chunks Node honours', () => {
    // given 91 days, when split, then every chunk is ≤ 2^31−1 ms and they add up to 91 days
    const chunks = splitDelay(91 * DAY);
    expect(chunks.length).toBe(4);
    expect(chunks.every((chunk) => chunk > 0 && chunk <= MAX_TIMER_DELAY_MS)).toBe(true);
    expect(chunks.reduce((sum, chunk) => sum + chunk, 0)).toBe(91 * DAY);
    // and short or odd delays stay a single timer
    expect(splitDelay(20)).toEqual([20]);
    expect(splitDelay(MAX_TIMER_DELAY_MS)).toEqual([MAX_TIMER_DELAY_MS]);
    expect(splitDelay(MAX_TIMER_DELAY_MS + 1)).toEqual([MAX_TIMER_DELAY_MS, 1]);
    expect(splitDelay(-5)).toEqual([0]);
  });

  it('fires a real 20 ms timer and cancels another', async () => {
    // given one timer kept and one cancelled
    const began = Date.now();
    let cancelledFired = false;
    const fired = new Promise<number>((resolve) => wallClock.setTimeout(() => resolve(Date.now()), 20));
    const handle = wallClock.setTimeout(() => (cancelledFired = true), 20);
    wallClock.clearTimeout(handle);

    // then the kept one fires after ~20 ms and the cancelled one never does
    expect((await fired) - began).toBeGreaterThanOrEqual(19);
    await new Promise((resolve) => setTimeout(resolve, 40));
    expect(cancelledFired).toBe(false);
    expect(wallClock.now()).toBeGreaterThanOrEqual(began);
  });
});
