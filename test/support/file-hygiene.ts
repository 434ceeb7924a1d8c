import { afterAll, vi } from 'vitest';

/**
 * Run before every test file (vitest.config.ts's setupFiles). Files share their worker's process and
 * modules (`isolate: false`), so what a file stubbed must not reach the next one: after the file's own
 * afterAll hooks (hooks after the tests run in reverse order), its environment variables, globals and
 * spies are put back, whether or not the file did it itself.
 */
afterAll(() => {
  vi.unstubAllEnvs();
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
  vi.useRealTimers();
});
