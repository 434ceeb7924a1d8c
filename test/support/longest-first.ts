import { BaseSequencer, type TestSpecification } from 'vitest/node';

/**
 * The files that take longest, measured on a clean clone (seconds of one worker, 2 cores): they start
 * first, so that the two workers end together instead of one finishing a 60-second file alone. On a
 * machine that ran the suite before, vitest's cache already orders by duration; a clean clone (CI) has
 * no cache and orders by file size, which put the 2,000-row import last.
 */
const LONGEST = [
  'test/sandbox/import-2000.test.ts', // 2,000 accounts through the signed endpoint into a running sandbox
  'test/ingest/fuzz.test.ts', // FUZZ_RUNS requests per endpoint
  'test/sandbox/examples.test.ts', // a month of the 200-account portfolio
  'test/sandbox/import-hubspot.test.ts',
  'test/sandbox/pre-churn.test.ts',
];

export default class LongestFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const rank = (file: TestSpecification) => {
      const index = LONGEST.findIndex((path) => file.moduleId.endsWith(path));
      return index === -1 ? LONGEST.length : index;
    };
    // Stable: within the rest, vitest's own order (cached durations, else size).
    return sorted.map((file, order) => ({ file, order })).sort((a, b) => rank(a.file) - rank(b.file) || a.order - b.order).map(({ file }) => file);
  }
}
