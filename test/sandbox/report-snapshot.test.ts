import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { VendorRejected } from '../../functions/adapters/vendor-errors.ts';
import type { Task } from '../../functions/core/tasks/task.ts';
import { launch, type RunningSandbox } from '../../sandbox/commands/start.ts';
import { buildReport } from '../../sandbox/report/report.ts';
import type { FunctionInterceptor } from '../../sandbox/runtime/sandbox.ts';
import { until } from '../support/eventually.ts';

// The running sandbox's report is read while executions go on: it must never show a run ended without
// what it wrote on its way out. The order is forced: the report reads the tasks before the manual
// follow-up exists, and the execution ends before the report reads anything else.

let running: RunningSandbox | undefined;
afterEach(async () => {
  await running?.close();
  running = undefined;
});

const deferred = () => {
  let resolve!: () => void;
  const promise = new Promise<void>((done) => (resolve = done));
  return { promise, resolve };
};

describe('given the report read while an execution ends (npm start serves it at any moment)', () => {
  it('when the execution ends between the report reading its tasks and its executions, then the report shows it still running, never FAILED without its manual follow-up', async () => {
    const tasksRead = deferred();
    // The ✅ step is refused (not retried); the manual follow-up waits until the report has read the tasks.
    const intercept: FunctionInterceptor = async (id, input, call) => {
      if (id === 'acknowledge-alert') throw new VendorRejected({ vendor: 'slack', operation: 'reactions.add', status: 400, code: 'invalid_name' });
      if (id === 'create-task' && (input as { kind: string }).kind === 'manual-follow-up') await tasksRead.promise;
      return call();
    };
    running = await launch({ port: 0, print: () => {}, sandbox: { intercept } });
    const sandbox = running.sandbox;
    const ended = () => sandbox.executions.some((e) => e.playbook === 'alert-acknowledged' && e.status !== 'RUNNING');
    const scan = sandbox.ledger.scan.bind(sandbox.ledger);
    sandbox.ledger.scan = (async (kind: Parameters<typeof scan>[0]) => {
      const items = await scan(kind);
      if (kind === 'task' && !ended()) {
        tasksRead.resolve();
        await until(ended);
      }
      return items;
    }) as typeof sandbox.ledger.scan;

    sandbox.publish(JSON.parse(readFileSync('functions/contracts/samples/AlertAcknowledged.json', 'utf8')));
    await until(() => sandbox.executions.some((e) => e.playbook === 'alert-acknowledged'));
    const during = await buildReport(sandbox);

    expect(during.executions.map(({ playbook, status }) => ({ playbook, status }))).toEqual([{ playbook: 'alert-acknowledged', status: 'RUNNING' }]);
    expect(during.tasks).toEqual([]);
    const after = await buildReport(sandbox);
    expect(after.executions.map(({ status, error }) => ({ status, error }))).toEqual([{ status: 'FAILED', error: 'AutomationFailed' }]);
    expect(after.tasks.map(({ kind, playbook }: Pick<Task, 'kind' | 'playbook'>) => ({ kind, playbook }))).toEqual([{ kind: 'manual-follow-up', playbook: 'alert-acknowledged' }]);
  });
});
