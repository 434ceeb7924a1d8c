import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';
import LongestFirst from './test/support/longest-first.ts';

/** The tests that read the Lambda bundles the dev stage ships: the `bundles` project synthesizes them once per run. */
const BUNDLE_TESTS = 'test/lib/bundles/**/*.test.ts';

export default defineConfig(({ mode }) => ({
  test: {
    pool: 'forks',
    // One worker per core: vitest's default (cores − 1) leaves one of a 2-core machine's cores idle.
    maxWorkers: availableParallelism(),
    // A worker keeps its modules from one test file to the next: starting a process and importing the
    // AWS SDK, aws-cdk-lib and the sandbox again for each of 120 files cost more CPU than the tests
    // themselves. A file stops what it starts in its afterAll; test/support/file-hygiene.ts restores
    // the environment variables, globals and spies it stubbed; a cold start is `vi.resetModules()`.
    isolate: false,
    setupFiles: ['test/support/file-hygiene.ts'],
    // The longest files start first (test/support/longest-first.ts says why).
    sequence: { sequencer: LongestFirst },
    // These only catch a hang: on a machine shared with other builds, a heavy test (a month of 200
    // accounts, a CDK synthesis) takes many times its idle duration, and must not fail for it.
    testTimeout: 300_000,
    hookTimeout: 300_000,
    env: {
      // Tests run on the machine's Node 20; the Lambdas run nodejs24.x (see sandbox/playbooks.mjs).
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
      // Requests per webhook endpoint in test/ingest/fuzz.test.ts: `npm test` 1 000, `npm run test:fuzz`
      // (--mode fuzz) 10 000; FUZZ_RUNS set by hand wins (e.g. FUZZ_RUNS=100000 before a release).
      FUZZ_RUNS: process.env.FUZZ_RUNS ?? (mode === 'fuzz' ? '10000' : '1000'),
    },
    projects: [
      { extends: true, test: { name: 'tests', include: ['test/**/*.test.ts'], exclude: [BUNDLE_TESTS] } },
      // Its global setup starts the synthesis when the run starts; its files run after the others
      // (groupOrder), by when the bundles are ready, instead of holding a worker to wait for them.
      { extends: true, test: { name: 'bundles', include: [BUNDLE_TESTS], globalSetup: ['test/lib/bundles/global-setup.ts'], sequence: { groupOrder: 1 } } },
    ],
  },
}));
