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
