import { defineConfig } from 'vitest/config';

export default defineConfig(({ mode }) => ({
  test: {
    include: ['test/**/*.test.ts'],
    // CDK synthesis bundles every Lambda with esbuild: give those suites room on a 2-core machine.
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    env: {
      // Tests run on the machine's Node 20; the Lambdas run nodejs24.x (see sandbox/playbooks.mjs).
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
      // Requests per webhook endpoint in test/ingest/fuzz.test.ts: `npm test` 1 000, `npm run test:fuzz`
      // (--mode fuzz) 10 000; FUZZ_RUNS set by hand wins (e.g. FUZZ_RUNS=100000 before a release).
      FUZZ_RUNS: process.env.FUZZ_RUNS ?? (mode === 'fuzz' ? '10000' : '1000'),
    },
  },
}));
