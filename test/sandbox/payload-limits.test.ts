import { afterEach, describe, expect, it } from 'vitest';
import { resolveSettings, type DomainEventMessage } from '../../functions/contracts/index.ts';
import { MAX_EVENT_BYTES, STEP_FUNCTIONS_PAYLOAD_BYTES } from '../../functions/contracts/payload-limits.ts';
import { busEntry, deliveredEvent } from '../../functions/ingest/bus-entry.ts';
import { PLAYBOOKS } from '../../lib/catalog.ts';
import { wallClock } from '../../sandbox/engine/clock.ts';
import type { SandboxActivity } from '../../sandbox/runtime/activity.ts';
import { Sandbox, type FunctionInterceptor } from '../../sandbox/runtime/sandbox.ts';
import { until } from '../support/eventually.ts';
import { parisAccount } from '../support/scenario.ts';

// Step Functions' payload quota in the sandbox, as on AWS: an execution's input (the whole event a rule
// matched), a Task's result and a state's output are at most 262,144 bytes. StartExecution refuses a
// bigger input (the event goes to the trigger's dead-letter queue); a bigger result or output fails its
// state with States.DataLimitExceeded, which no retrier or catcher takes. aws-local-stepfunctions
// enforces none of it: the sandbox does. touchpoint-log is the probe (one Task, RecordTouchpoint, whose
// result goes to $.touchpoint of the state).

let sandbox: Sandbox | undefined;
const told: SandboxActivity[] = [];
afterEach(async () => {
  await sandbox?.stop();
  sandbox = undefined;
  told.length = 0;
});

async function start(intercept?: FunctionInterceptor): Promise<Sandbox> {
  sandbox = await Sandbox.start({
    clock: wallClock,
    settings: resolveSettings(),
    deterministicIds: true,
    playbooks: PLAYBOOKS.filter((playbook) => playbook.id === 'touchpoint-log'),
    onActivity: (activity) => void told.push(activity),
    ...(intercept ? { intercept } : {}),
  });
  await sandbox.importAccounts([parisAccount()]);
  return sandbox;
}

/** A call logged for acc-paris, its detail padded (a field the contract ignores) so that the event as delivered is `bytes` long. */
function touchpointOf(bytes: number): DomainEventMessage {
  const message = (padding: string) =>
    ({ type: 'TouchpointLogged', timestamp: '2026-11-16T10:00:00+01:00', data: { eventId: 'evt-big-call', accountId: 'acc-paris', channel: 'call', at: '2026-11-16T10:00:00+01:00', padding } }) as unknown as DomainEventMessage;
  // The envelope the sandbox writes: a deterministic id (36 characters), its account and region.
  const size = (padding: string) => Buffer.byteLength(JSON.stringify(deliveredEvent(busEntry(message(padding), 'bus'), { id: '00000000-0000-4000-8000-000000000001', account: '000000000000', region: 'local' })));
  const padded = message('x'.repeat(bytes - size('')));
  expect(size((padded.data as unknown as { padding: string }).padding)).toBe(bytes);
  return padded;
}

const ended = () => until(() => sandbox!.executions.length > 0 && sandbox!.executions.every((execution) => execution.status !== 'RUNNING'));

describe('StartExecution: an execution input over 256 KiB is refused, as Step Functions refuses it', () => {
  it('given an event of 262,145 bytes as delivered, when its rule matches, then no execution starts: the event is the trigger’s dead letter (ValidationException), and the terminal is told', async () => {
    const running = await start();

    running.publish(touchpointOf(STEP_FUNCTIONS_PAYLOAD_BYTES + 1));
    await running.settled();

    expect(running.executions).toEqual([]);
    const deadLetter = {
      type: 'dead-letter',
      at: expect.any(Number),
      playbook: 'touchpoint-log',
      detailType: 'TouchpointLogged',
      eventId: 'evt-big-call',
      accountId: 'acc-paris',
      errorCode: 'ValidationException',
      errorMessage: "1 validation error detected: Value at 'input' failed to satisfy constraint: Member must have length less than or equal to 262144 (the input is 262145 bytes)",
    };
    expect(running.deadLetters).toEqual([deadLetter]);
    expect(told).toContainEqual(deadLetter);
  });

  it('given an event of exactly 262,144 bytes, then its execution starts, and fails at its first state: its output (the event plus the Task’s result) is over the quota; why the ingest keeps a margin', async () => {
    const running = await start();

    running.publish(touchpointOf(STEP_FUNCTIONS_PAYLOAD_BYTES));
    await ended();

    expect(running.deadLetters).toEqual([]);
    expect(running.executions).toEqual([expect.objectContaining({ playbook: 'touchpoint-log', status: 'FAILED', error: 'States.DataLimitExceeded' })]);
    expect(running.executions[0]!.cause).toMatch(/^The state output is \d+ bytes in state RecordTouchpoint; the limit is 262144 bytes$/);
  });

  it('given an event at the ingest’s limit (262,144 less 16,384), then the playbook runs to its end', async () => {
    const running = await start();

    running.publish(touchpointOf(MAX_EVENT_BYTES));
    await ended();

    expect(running.executions).toEqual([expect.objectContaining({ playbook: 'touchpoint-log', status: 'SUCCEEDED' })]);
  });
});

describe('a Task result or a state output over 256 KiB fails the state with States.DataLimitExceeded, neither retried nor caught', () => {
  it('given record-touchpoint answering 270,000 bytes, then the execution fails with States.DataLimitExceeded after one call, and no manual follow-up is set (its catcher does not take it)', async () => {
    let calls = 0;
    const running = await start((action, _input, call) => {
      if (action !== 'record-touchpoint') return call();
      calls += 1;
      return Promise.resolve({ recorded: 'x'.repeat(270_000) });
    });

    running.publish(touchpointOf(2_000));
    await ended();

    expect(calls).toBe(1);
    expect(running.executions).toEqual([expect.objectContaining({ status: 'FAILED', error: 'States.DataLimitExceeded' })]);
    expect(running.executions[0]!.cause).toMatch(/^The Task's result is 2700\d\d bytes in state RecordTouchpoint; the limit is 262144 bytes$/);
    expect(await running.ledger.scan('task')).toEqual([]);
  });

  it('given a result of 170,000 bytes (under the quota) added to an input of 100,000 (ResultPath), then the state’s output is over it: the state fails the same way', async () => {
    const running = await start((action, _input, call) => (action === 'record-touchpoint' ? Promise.resolve({ recorded: 'x'.repeat(170_000) }) : call()));

    running.publish(touchpointOf(100_000));
    await ended();

    expect(running.executions).toEqual([expect.objectContaining({ status: 'FAILED', error: 'States.DataLimitExceeded' })]);
    expect(running.executions[0]!.cause).toMatch(/^The state output is 2\d{5} bytes in state RecordTouchpoint; the limit is 262144 bytes$/);
  });
});
