import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { launch, type RunningSandbox } from '../../sandbox/commands/start.ts';
import { resolveSettings, type AccountRecord } from '../../functions/contracts/index.ts';
import { PLAYBOOKS } from '../../lib/catalog.ts';
import { wallClock } from '../../sandbox/engine/clock.ts';
import type { SandboxActivity } from '../../sandbox/runtime/activity.ts';
import { Sandbox } from '../../sandbox/runtime/sandbox.ts';
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

describe('given an async activity listener whose promise rejects', () => {
  it('when an event is published, then the rejection is reported once on stderr, never an unhandled rejection, and the playbook runs to its end', async () => {
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    const sandbox = await Sandbox.start({
      clock: wallClock,
      settings: resolveSettings(),
      playbooks: PLAYBOOKS.filter((p) => p.id === 'touchpoint-log'),
      onActivity: (() => Promise.reject(new Error('the remote log is down'))) as never,
    });
    try {
      await sandbox.importAccounts(JSON.parse(readFileSync('examples/accounts.json', 'utf8')) as AccountRecord[]);
      sandbox.publish(sample('TouchpointLogged'));
      const execution = await until(() => sandbox.executions.find((e) => e.playbook === 'touchpoint-log' && e.status !== 'RUNNING'));
      expect(execution.status).toBe('SUCCEEDED');
      await new Promise((resolve) => setTimeout(resolve, 10));
      expect(unhandled).toEqual([]);
      expect(stderr.mock.calls.map(([text]) => String(text)).filter((text) => text.includes('the remote log is down'))).toHaveLength(1);
    } finally {
      process.off('unhandledRejection', onUnhandled);
      await sandbox.stop();
    }
  });
});

describe('given a listener of the sandbox', () => {
  it('when an execution ends, then it is told the execution’s ids, status, error and times in a copy of its own, never the sandbox’s record (its cause, output, clock)', async () => {
    const told: SandboxActivity[] = [];
    const sandbox = await Sandbox.start({ clock: wallClock, settings: resolveSettings(), playbooks: PLAYBOOKS.filter((p) => p.id === 'touchpoint-log'), onActivity: (activity) => told.push(activity) });
    try {
      await sandbox.importAccounts(JSON.parse(readFileSync('examples/accounts.json', 'utf8')) as AccountRecord[]);
      sandbox.publish(sample('TouchpointLogged'));
      const ended = await until(() => told.find((activity) => activity.type === 'execution'));
      const record = sandbox.executions.find((e) => e.playbook === 'touchpoint-log')!;

      expect(ended.type === 'execution' && ended.execution).toEqual({
        name: record.name,
        playbook: 'touchpoint-log',
        accountId: 'acc-salon-lumiere',
        status: 'SUCCEEDED',
        startedAt: record.startedAt,
        stoppedAt: record.stoppedAt,
      });
      expect(ended.type === 'execution' && ended.execution).not.toBe(record);
    } finally {
      await sandbox.stop();
    }
  });
});
