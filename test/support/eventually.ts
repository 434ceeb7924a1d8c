import type { Report } from '../../sandbox/report/report.ts';

/**
 * Waiting on a sandbox that runs on the wall clock (`npm start`, reached over HTTP): what a test polls
 * for, every 50 ms, for at most 60 s. What it waits for takes a second or two on an idle machine, and
 * many times that on one shared with other builds: the deadline only ends a wait that will never end.
 */
const DEADLINE_MS = 60_000;
const POLL_MS = 50;

/**
 * Resolves with what `probe` gives once it gives something (true, an item); throws after `deadlineMs`
 * (60 s: longer only for work that scales, such as thousands of imported accounts).
 */
export async function until<T>(probe: () => T | Promise<T>, { deadlineMs = DEADLINE_MS, pollMs = POLL_MS } = {}): Promise<NonNullable<T>> {
  const deadline = Date.now() + deadlineMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error('timed out waiting for the sandbox');
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
}

/** The sandbox's report (`GET <url>/api/report`) once `predicate` holds of it, or the last one read after 60 s. */
export async function reportWhen(sandboxUrl: string, predicate: (report: Report) => boolean): Promise<Report> {
  const deadline = Date.now() + DEADLINE_MS;
  for (;;) {
    const report = (await (await fetch(`${sandboxUrl}/api/report`)).json()) as Report;
    if (predicate(report) || Date.now() > deadline) return report;
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}
