import type { ActionId } from '../../lib/catalog.ts';
import type { Report } from '../../sandbox/report/report.ts';
import type { FunctionInterceptor } from '../../sandbox/runtime/sandbox.ts';

/**
 * What the competitor-meeting (Red Alert) playbook tests share: the events of a scenario and the
 * report's views of this playbook. The account is test/support/scenario.ts's account in Paris.
 */

let eventCounter = 0;

/** A red alert: the client booked a meeting with a competitor (detected at `at`, delivered then). */
export function redAlert(at: string, meetingAt: string, overrides: Record<string, unknown> = {}) {
  return {
    at,
    type: 'CompetitorMeetingDetected',
    detail: { eventId: `evt-red-${++eventCounter}`, accountId: 'acc-paris', competitor: 'Planity', shop: 'Salon Test Paris', meetingAt, detectedAt: at, ...overrides },
  };
}

/** The same meeting detected again: moved, or cancelled. */
export function redAlertUpdate(at: string, meetingAt: string, overrides: Record<string, unknown> = {}) {
  return redAlert(at, meetingAt, overrides);
}

/** The same event delivered again at `at` (a vendor retry, an archive replay). */
export function redelivered<E extends { at: string }>(event: E, at: string): E {
  return { ...event, at };
}

export function touchpoint(at: string, channel: 'call' | 'meeting' | 'email' | 'qbr') {
  return { at, type: 'TouchpointLogged', detail: { eventId: `evt-tp-${++eventCounter}`, accountId: 'acc-paris', contactId: 'ct-champion', channel, at } };
}

export const ofThisPlaybook = (report: Report) => report.tasks.filter((task) => task.playbook === 'competitor-meeting');
export const redAlertCalls = (report: Report) => ofThisPlaybook(report).filter((task) => task.kind === 'red-alert-call');
export const executionsOfThisPlaybook = (report: Report) => report.executions.filter((execution) => execution.playbook === 'competitor-meeting');

/** Passes every call through, and keeps the inputs of `actionId`'s calls. */
export function spyOn(actionId: ActionId): { intercept: FunctionInterceptor; inputs: Record<string, unknown>[] } {
  const inputs: Record<string, unknown>[] = [];
  return {
    inputs,
    intercept: (id, input, call) => {
      if (id === actionId) inputs.push(input as Record<string, unknown>);
      return call();
    },
  };
}

/** Tests that inject outages import it from here with the red-alert helpers. */
export { Throttled } from './faults.ts';
