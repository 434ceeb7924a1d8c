import type { StateMachineDefinition } from 'aws-local-stepfunctions';
import { describe, expect, it } from 'vitest';
import { VirtualClock, wallClock, type Clock } from '../../sandbox/engine/clock.ts';
import { loadStateMachineClass, runWithClock } from '../../sandbox/engine/interpreter.ts';

// The interpreter draws retry jitter and `States.UUID` from `Math.random`, which the sandbox's bundle
// hands to the clock of the execution. On the wall clock (`npm start`) that draw used to throw a
// ReferenceError, failing every execution whose step was retried with jitter; the simulator's virtual
// clock hid it. These run on real time: the back-off is one second at most.

/** A Task failing its first call, retried once after a FULL-jitter wait of at most 1 s. */
const flakyOnce: StateMachineDefinition = {
  StartAt: 'Flaky',
  States: {
    Flaky: {
      Type: 'Task',
      Resource: 'arn:aws:lambda:eu-west-3:000000000000:function:flaky',
      Retry: [{ ErrorEquals: ['States.ALL'], IntervalSeconds: 1, MaxAttempts: 1, JitterStrategy: 'FULL' }],
      End: true,
    },
  },
};

async function runFlakyOnce(clock: Clock) {
  const StateMachine = await loadStateMachineClass();
  let calls = 0;
  const flaky = async () => {
    calls += 1;
    if (calls === 1) throw new Error('the first call fails');
    return { attempt: calls };
  };
  const execution = runWithClock(clock, () => new StateMachine(flakyOnce).run({}, { overrides: { taskResourceLocalHandlers: { Flaky: flaky } } }));
  return { output: await execution.result, calls };
}

describe('retry jitter and States.UUID draw from the clock of the execution', () => {
  it('given the wall clock npm start runs on, when a step fails once and is retried with FULL jitter, then the retry runs and the execution succeeds', async () => {
    await expect(runFlakyOnce(wallClock)).resolves.toEqual({ output: { attempt: 2 }, calls: 2 });
  });

  it('given a clock with no random source of its own, when a step is retried with FULL jitter, then the draw falls back to Math.random and the execution succeeds', async () => {
    const { now, setTimeout, clearTimeout } = wallClock;
    await expect(runFlakyOnce({ now, setTimeout, clearTimeout })).resolves.toEqual({ output: { attempt: 2 }, calls: 2 });
  });

  it('given the wall clock, when a Pass state calls States.UUID, then it gets a version-4 UUID', async () => {
    const StateMachine = await loadStateMachineClass();
    const definition: StateMachineDefinition = { StartAt: 'Id', States: { Id: { Type: 'Pass', Parameters: { 'id.$': 'States.UUID()' }, End: true } } };
    const output = await runWithClock(wallClock, () => new StateMachine(definition).run({})).result;
    expect(output).toEqual({ id: expect.stringMatching(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/) });
  });

  it('given two virtual clocks started at the same instant, when each draws a UUID, then they draw the same one (a simulation is repeatable)', async () => {
    const StateMachine = await loadStateMachineClass();
    const definition: StateMachineDefinition = { StartAt: 'Id', States: { Id: { Type: 'Pass', Parameters: { 'id.$': 'States.UUID()' }, End: true } } };
    const start = Date.parse('2026-11-09T08:00:00+01:00');
    const draw = () => runWithClock(new VirtualClock(start), () => new StateMachine(definition).run({})).result;
    expect(await draw()).toEqual(await draw());
  });
});
