import type { AccountRecord } from '../../functions/contracts/index.ts';
import type { Report } from '../../sandbox/report/report.ts';
import { parseScenario } from '../../sandbox/simulate/scenario.ts';
import type { FunctionInterceptor } from '../../sandbox/runtime/sandbox.ts';
import { simulate } from '../../sandbox/simulate/simulate.ts';

/** An account in Paris, built through the contract, with overrides. */
export function parisAccount(overrides: Partial<AccountRecord> = {}): AccountRecord {
  return {
    id: 'acc-paris',
    name: 'Salon Test Paris',
    country: 'FR',
    timezone: 'Europe/Paris',
    language: 'fr',
    csmId: 'csm-camille',
    teamLeadId: 'lead-jordan',
    mrr: 900,
    arr: 10_800,
    contacts: [{ id: 'ct-champion', email: 'champion@example.com', name: 'Alex Champion', role: 'champion' }],
    ...overrides,
  };
}

let eventCounter = 0;

export function npsAnswer(at: string, score: number, overrides: Record<string, unknown> = {}) {
  return {
    at,
    type: 'NpsResponseReceived',
    detail: { eventId: `evt-nps-${++eventCounter}`, accountId: 'acc-paris', contactId: 'ct-champion', score, respondedAt: at, ...overrides },
  };
}

/** Run a scenario exactly as `playbooks simulate --json` does. */
export function run(
  scenario: { start: string; until?: string; config?: object; accounts: AccountRecord[]; events: object[] },
  intercept?: FunctionInterceptor,
) {
  return simulate(parseScenario(scenario), intercept ? { intercept } : {});
}

/**
 * The report without the 91-day check that every TouchpointLogged and AccountUpdated also starts
 * (test/sandbox/no-contact.test.ts): for a test about another playbook, whose scenario has a touchpoint
 * or a CRM update in it.
 */
export function withoutNoContact(report: Report): Report {
  return {
    ...report,
    tasks: report.tasks.filter((task) => task.playbook !== 'no-contact'),
    executions: report.executions.filter((execution) => execution.playbook !== 'no-contact'),
  };
}

/**
 * The report without the 17:00 reminder that every alert event also plans (test/sandbox/alert-reminder.test.ts):
 * for a test about the playbook that raises the alert. An alert left open by a failed step is still
 * reminded every business day: such a scenario needs an `until`.
 */
export function withoutAlertReminder(report: Report): Report {
  return {
    ...report,
    tasks: report.tasks.filter((task) => task.playbook !== 'alert-reminder'),
    notifications: report.notifications.filter((notification) => notification.type !== 'unacknowledged-reminder'),
    executions: report.executions.filter((execution) => execution.playbook !== 'alert-reminder'),
  };
}

/**
 * The report without what watches every account in the background (test/sandbox/renewal.test.ts,
 * test/sandbox/threshold-alerts.test.ts): the renewal check that every CRM update reaches (it ends at
 * once for an account without a renewal date), and the threshold alerts the health scorer raises when
 * a scenario runs weeks without a touchpoint. For a test about another playbook.
 */
export function withoutWatchers(report: Report): Report {
  const watcher = (playbook: string) => playbook === 'renewal' || playbook === 'threshold-alert';
  return {
    ...report,
    tasks: report.tasks.filter((task) => !watcher(task.playbook)),
    notifications: report.notifications.filter((notification) => notification.type !== 'threshold'),
    alerts: report.alerts.filter((alert) => alert.type !== 'threshold'),
    executions: report.executions.filter((execution) => !watcher(execution.playbook)),
  };
}
