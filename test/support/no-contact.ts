import type { AccountRecord } from '../../functions/contracts/index.ts';
import { resolveSettings } from '../../functions/contracts/index.ts';
import type { Report } from '../../sandbox/report/report.ts';
import { VirtualClock } from '../../sandbox/engine/clock.ts';
import { Sandbox, type FunctionInterceptor } from '../../sandbox/runtime/sandbox.ts';
import type { ExecutionRecord } from '../../sandbox/runtime/executions.ts';
import { parseScenario } from '../../sandbox/simulate/scenario.ts';

// What the no-contact tests share: events about the Paris account of scenario.ts, the check's tasks and
// executions in a report, and a driver for what a scenario cannot say (a redeploy mid-run, the
// executions running at each instant).

export const ACCOUNT = 'acc-paris';
const DAY_MS = 86_400_000;

let counter = 0;

/** A call (or another channel) with the champion, logged at `at`. */
export function touchpoint(at: string, overrides: { eventId?: string; channel?: 'call' | 'meeting' | 'email' | 'qbr'; deliveredAt?: string } = {}) {
  const { eventId = `evt-tp-${++counter}`, channel = 'call', deliveredAt = at } = overrides;
  return { at: deliveredAt, type: 'TouchpointLogged', detail: { eventId, accountId: ACCOUNT, contactId: 'ct-champion', channel, at } };
}

/** A CRM update of the account (`patch` fields only). */
export function accountUpdated(at: string, patch: Record<string, unknown> = {}, accountId = ACCOUNT) {
  return { at, type: 'AccountUpdated', detail: { eventId: `evt-crm-${++counter}`, accountId, ...patch } };
}

export const checkTasks = (report: Report) => report.tasks.filter((task) => task.playbook === 'no-contact');
export const checkExecutions = (report: Report) => report.executions.filter((execution) => execution.playbook === 'no-contact');
/** `[kind, createdAt, dueAt]` of the check's tasks. */
export const tasksOf = (report: Report) => checkTasks(report).map((task): [string, string, string] => [task.kind, task.createdAt, task.dueAt]);
export const durationDays = (execution: { startedAt: string; stoppedAt: string | null }) =>
  (Date.parse(execution.stoppedAt ?? execution.startedAt) - Date.parse(execution.startedAt)) / DAY_MS;

/**
 * The most executions running at once, counting only those that last (an execution that starts and
 * ends at the same instant, such as a start that finds the check live, never overlaps a wait).
 */
export function mostRunningAtOnce(executions: readonly { startedAt: string; stoppedAt: string | null }[]): number {
  const edges = executions
    .map((e) => [Date.parse(e.startedAt), e.stoppedAt === null ? Infinity : Date.parse(e.stoppedAt)] as const)
    .filter(([start, stop]) => stop > start)
    // At the same instant, an end comes before a start: a hand-over ends one execution as the next starts.
    .flatMap(([start, stop]) => [
      [start, +1],
      [stop, -1],
    ])
    .sort((a, b) => a[0]! - b[0]! || a[1]! - b[1]!);
  let running = 0;
  let most = 0;
  for (const [, delta] of edges) most = Math.max(most, (running += delta!));
  return most;
}

/**
 * A sandbox on a virtual clock, driven like `playbooks simulate` but by the test: events at their time,
 * anything else (a redeploy) at its time, and the running executions observed whenever the sandbox
 * is at rest.
 */
export async function drive(options: {
  start: string;
  accounts: AccountRecord[];
  config?: object;
  events: object[];
  /** Run at the given instants, in the sandbox's own time. */
  at?: { at: string; action: (sandbox: Sandbox) => Promise<unknown> }[];
  intercept?: FunctionInterceptor;
}): Promise<{ sandbox: Sandbox; executions: ExecutionRecord[]; mostRunning: number; stop: () => Promise<void> }> {
  const scenario = parseScenario({ start: options.start, accounts: options.accounts, events: options.events, config: options.config });
  const clock = new VirtualClock(Date.parse(scenario.start));
  const sandbox = await Sandbox.start({
    clock,
    settings: resolveSettings(scenario.config ?? {}),
    deterministicIds: true,
    ...(options.intercept ? { intercept: options.intercept } : {}),
  });
  await sandbox.importAccounts(scenario.accounts);
  let pending = scenario.events.length + (options.at?.length ?? 0);
  const actions: Promise<unknown>[] = [];
  for (const { at, message } of scenario.events) {
    clock.setTimeout(() => {
      pending -= 1;
      sandbox.publish(message);
    }, at - clock.now());
  }
  for (const { at, action } of options.at ?? []) {
    clock.setTimeout(() => {
      pending -= 1;
      actions.push(action(sandbox));
    }, Date.parse(at) - clock.now());
  }
  let mostRunning = 0;
  for (let wakeUps = 0; wakeUps < 100_000; wakeUps++) {
    await Promise.all(actions);
    await sandbox.settled();
    mostRunning = Math.max(mostRunning, sandbox.executions.filter((e) => e.playbook === 'no-contact' && e.status === 'RUNNING').length);
    if (clock.nextWakeUp() === undefined || (pending === 0 && sandbox.runningExecutions() === 0)) break;
    clock.runNext();
  }
  return { sandbox, executions: sandbox.executions, mostRunning, stop: () => sandbox.stop() };
}
