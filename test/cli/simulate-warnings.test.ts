import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Report } from '../../sandbox/report/report.ts';
import { playbooks } from '../support/cli.ts';
import { npsAnswer, parisAccount } from '../support/scenario.ts';

// A scenario's warnings reach its author twice: on stderr as the run starts, and in the report.

let directory: string;

beforeAll(async () => {
  directory = await mkdtemp(join(tmpdir(), 'cs-playbooks-simulate-'));
});

afterAll(() => rm(directory, { recursive: true, force: true }));

describe('playbooks simulate, given a scenario with an answer after `until`', () => {
  it('then one warning line on stderr naming the event, the same line in the JSON report, and the run completes, exit 0', async () => {
    const path = join(directory, 'late.scenario.json');
    const scenario = { start: '2026-11-13T08:00:00+01:00', until: '2026-11-13T09:00:00+01:00', accounts: [parisAccount()], events: [npsAnswer('2026-11-13T10:00:00+01:00', 7)] };
    await writeFile(path, JSON.stringify(scenario));

    const run = await playbooks(['simulate', path, '--json']);
    const report = JSON.parse(run.stdout) as Report;

    expect(run.code).toBe(0);
    expect(run.stderr).toBe('playbooks: warning: events[0].at: 2026-11-13T10:00:00+01:00 is after "until" (2026-11-13T09:00:00+01:00): never delivered; move it before "until", or "until" after it\n');
    expect(report.warnings).toEqual([run.stderr.slice('playbooks: warning: '.length, -1)]);
  });
});
