import type { ExecutionRecord } from '../../sandbox/runtime/executions.ts';
import { afterAll, beforeAll } from 'vitest';
import { launch, type RunningSandbox } from '../../sandbox/commands/start.ts';

/**
 * The sandbox as `npm start` runs it (wall clock, the example accounts, HTTP on a free port), started
 * before the file's tests and stopped after them. No signing secret comes from the environment: each
 * vendor's development secret, as `playbooks send` uses it with `<VENDOR>_WEBHOOK_SECRETS` set empty.
 */
export function useRunningSandbox(): () => RunningSandbox {
  let running: RunningSandbox | undefined;
  beforeAll(async () => {
    running = await launch({ port: 0, env: {} });
  });
  afterAll(async () => {
    await running?.close();
  });
  return () => {
    if (!running) throw new Error('the running sandbox is used before its beforeAll');
    return running;
  };
}

/**
 * An execution nothing will move for a while: ended, or parked on a Wait (the detractor's cool-down,
 * its plan review) that ends more than a minute from now. A Wait whose time has already come (a sample
 * dated before the machine's clock, the suite run with the date moved) is not at rest: it is about to
 * go on and write what follows.
 */
export function atRestOnAWait(execution: ExecutionRecord): boolean {
  if (execution.status !== 'RUNNING') return true;
  const wakesAt = execution.nextWakeUp?.();
  return execution.waiting?.kind === 'wait' && wakesAt !== undefined && wakesAt > Date.now() + 60_000;
}
