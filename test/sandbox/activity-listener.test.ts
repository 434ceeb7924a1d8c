import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { launch, type RunningSandbox } from '../../sandbox/commands/start.ts';
import { until } from '../support/eventually.ts';

// `npm start` prints a line per activity through the sandbox's `onActivity`. The terminal is a
// listener: whatever it does, the sandbox's own work (the bus, the executions, stop) goes on.

let running: RunningSandbox | undefined;
afterEach(async () => {
  vi.restoreAllMocks();
  await running?.close().catch(() => undefined);
  running = undefined;
});

const sample = (type: string) => JSON.parse(readFileSync(`functions/contracts/samples/${type}.json`, 'utf8')) as Parameters<RunningSandbox['sandbox']['publish']>[0];

describe('given an activity listener that throws every time it is told something', () => {
  it('when an event is published, then its playbook still runs to its end, the sandbox stops cleanly, and the failure is reported once on stderr', async () => {
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    const print = () => {
      throw new Error('the terminal is gone');
    };
    running = await launch({ port: 0, env: {}, print });
    const sandbox = running.sandbox;

    expect(() => sandbox.publish(sample('TouchpointLogged'))).not.toThrow();
    const execution = await until(() => sandbox.executions.find((e) => e.playbook === 'touchpoint-log' && e.status !== 'RUNNING'));
    expect(execution.status).toBe('SUCCEEDED');

    await expect(running.close()).resolves.toBeUndefined();
    running = undefined;
    const reports = stderr.mock.calls.map(([text]) => String(text)).filter((text) => text.includes('the terminal is gone'));
    expect(reports).toHaveLength(1);
  });
});
