import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { builtFlow } from '../support/flows.ts';
import { VendorRejected } from '../../functions/adapters/vendor-errors.ts';
import type { Alert } from '../../functions/core/alerts/alert.ts';
import { launch, type RunningSandbox } from '../../sandbox/commands/start.ts';
import type { Report } from '../../sandbox/report/report.ts';
import type { FunctionInterceptor } from '../../sandbox/runtime/sandbox.ts';
import { sandboxWebhookSecrets } from '../../sandbox/secrets.ts';
import { signedDelivery } from '../../sandbox/vendor-signing.ts';
import { reportWhen, until } from '../support/eventually.ts';
import { outage } from '../support/faults.ts';
import { buttonClick, slackTs } from '../support/vendors/slack-webhooks.ts';

// The long-running sandbox as `npm start` runs it (the same `launch`: wall clock, the demo accounts,
// HTTP on 127.0.0.1), driven over HTTP with signed samples, for what only real time shows: retries,
// their jittered back-off, and how a failure ends. Outages are injected with `intercept`.

const sample = (type: string) => readFileSync(`functions/contracts/samples/${type}.json`, 'utf8');

/**
 * A click on Slack's ✅ Handled button, the one way an acknowledgement comes in (never through
 * /webhooks/events): the alert of the shipped AlertAcknowledged sample, or `alertId` when given.
 */
function alertAcknowledged(alertId?: string): string {
  const shipped = JSON.parse(sample('AlertAcknowledged')) as { data: { accountId: string; alertId: string } };
  return JSON.stringify(buttonClick('acknowledge_alert', { accountId: shipped.data.accountId, alertId: alertId ?? shipped.data.alertId }, { actionTs: slackTs(new Date()) }));
}

let running: RunningSandbox | undefined;
const printed: string[] = [];

afterEach(async () => {
  vi.restoreAllMocks();
  await running?.close();
  running = undefined;
  printed.length = 0;
});

async function start(intercept?: FunctionInterceptor): Promise<RunningSandbox> {
  running = await launch({ port: 0, print: (line) => printed.push(line), sandbox: intercept ? { intercept } : {} });
  return running;
}

/** Waits for the line npm start prints once an execution has ended (just after the report shows it). */
async function terminalShows(pattern: RegExp): Promise<void> {
  await until(() => printed.some((line) => pattern.test(line))).catch(() => {
    throw new Error(`no line matching ${pattern} in:\n${printed.join('\n')}`);
  });
}

/**
 * `npx playbooks send <payload>`: a Standard Webhooks delivery signed with the product sender's
 * development secret (the dev stage lets the product send upsell requests); `--vendor slack` for a click.
 */
async function send(payload: string, vendor: 'events' | 'slack' = 'events'): Promise<void> {
  const url = `${running!.server.url}/webhooks/${vendor}`;
  const delivery = signedDelivery(vendor, payload, sandboxWebhookSecrets(vendor)[0]!, url);
  const response = await fetch(url, { method: 'POST', headers: delivery.headers, body: delivery.body });
  expect(response.status, await response.text()).toBe(vendor === 'slack' ? 200 : 202);
}

const ended = (playbook: string) => (report: Report) => report.executions.some((e) => e.playbook === playbook && e.status !== 'RUNNING');
const executionsOf = (report: Report, playbook: string) => report.executions.filter((e) => e.playbook === playbook).map(({ status, error, accountId }) => ({ status, error, accountId }));
const manualFollowUps = (report: Report) => report.tasks.filter((t) => t.kind === 'manual-follow-up').map(({ playbook, owner, accountId }) => ({ playbook, owner, accountId }));

/** Counts a function's calls, letting them through (or through `then`, an injected fault). */
function counting(functionId: string, then: FunctionInterceptor = (_id, _input, call) => call()) {
  const calls = { count: 0 };
  const intercept: FunctionInterceptor = (id, input, call) => {
    if (id === functionId) calls.count += 1;
    return then(id, input, call);
  };
  return { calls, intercept };
}

/**
 * Leaves the upsell sample's alert open, as in test/sandbox/slack-buttons.test.ts: the CRM refuses the
 * upsell-request task (not retried), so the playbook never acknowledges the alert itself.
 */
const crmRefusesUpsellTask: FunctionInterceptor = (id, input, call) =>
  id === 'create-task' && (input as { kind: string }).kind === 'upsell-request'
    ? Promise.reject(new VendorRejected({ vendor: 'hubspot', operation: 'tasks.upsert', status: 400, code: 'VALIDATION_ERROR' }))
    : call();

/** The upsell sample sent and done with: its alert left open. Returns that alert's id. */
async function openUpsellAlert(): Promise<string> {
  await send(sample('UpsellRequested'));
  await reportWhen(running!.server.url, ended('upsell-request'));
  const alerts = await running!.sandbox.ledger.scan<Alert>('alert');
  expect(alerts.map(({ type, status }) => ({ type, status }))).toEqual([{ type: 'upsell-request', status: 'open' }]);
  return alerts[0]!.id;
}

describe('given the sandbox running as npm start runs it (wall clock, HTTP)', () => {
  it('when someone clicks ✅ on an open upsell alert (Slack’s button naming it), then the alert is acknowledged and the execution succeeds', async () => {
    await start(crmRefusesUpsellTask);
    const alertId = await openUpsellAlert();

    await send(alertAcknowledged(alertId), 'slack');

    const report = await reportWhen(running!.server.url, ended('alert-acknowledged'));
    expect(executionsOf(report, 'alert-acknowledged')).toEqual([{ status: 'SUCCEEDED', error: undefined, accountId: 'acc-salon-lumiere' }]);
    expect(report.alerts).toEqual([expect.objectContaining({ accountId: 'acc-salon-lumiere', type: 'upsell-request', acknowledged: true })]);
    await terminalShows(/ SUCCEEDED +alert-acknowledged {2}acc-salon-lumiere$/);
  });

  it('when ✅ is clicked for the shipped AlertAcknowledged sample’s alert (no such alert on the demo accounts), then at once (AlertNotFound is never retried) the CSM has a manual follow-up, the execution fails, and the terminal says so', async () => {
    const { calls, intercept } = counting('acknowledge-alert');
    await start(intercept);

    await send(alertAcknowledged(), 'slack');

    const report = await reportWhen(running!.server.url, ended('alert-acknowledged'));
    expect(calls.count).toBe(1); // an alert that is not in the ledger will not appear later
    expect(executionsOf(report, 'alert-acknowledged')).toEqual([{ status: 'FAILED', error: 'AutomationFailed', accountId: 'acc-salon-lumiere' }]);
    expect(manualFollowUps(report)).toEqual([{ playbook: 'alert-acknowledged', owner: 'csm-camille', accountId: 'acc-salon-lumiere' }]);
    const taskId = report.tasks.find((t) => t.kind === 'manual-follow-up')!.id;
    await terminalShows(new RegExp(` FAILED +alert-acknowledged {2}acc-salon-lumiere {2}AutomationFailed, manual follow-up ${taskId} for csm-camille$`));
  });

  it('when a step keeps failing through a 1 s jittered back-off drawn at random, then it ends in a manual follow-up for the CSM and a failed execution', async () => {
    const { calls, intercept } = counting('acknowledge-alert', outage('acknowledge-alert', Number.POSITIVE_INFINITY));
    await start(intercept);
    // The same flow, redeployed with every jittered retrier at 1 s, twice: real waits, in seconds.
    await running!.sandbox.redeploy('alert-acknowledged', withOneSecondJitteredRetries(builtFlow('alert-acknowledged')));

    await send(alertAcknowledged(), 'slack');

    const report = await reportWhen(running!.server.url, ended('alert-acknowledged'));
    expect(calls.count).toBe(3);
    expect(executionsOf(report, 'alert-acknowledged')).toEqual([{ status: 'FAILED', error: 'AutomationFailed', accountId: 'acc-salon-lumiere' }]);
    expect(manualFollowUps(report)).toEqual([{ playbook: 'alert-acknowledged', owner: 'csm-camille', accountId: 'acc-salon-lumiere' }]);
    await terminalShows(/ FAILED +alert-acknowledged {2}acc-salon-lumiere {2}AutomationFailed, manual follow-up \S+ for csm-camille$/);
  });

  it('when the ✅ step is throttled once, then the catalog playbook retries it after its jittered back-off (at most 2 s) and the alert is acknowledged', async () => {
    let throttle = false;
    const throttledOnce = outage('acknowledge-alert', 1);
    const { calls, intercept } = counting('acknowledge-alert', (id, input, call) => (throttle ? throttledOnce(id, input, call) : crmRefusesUpsellTask(id, input, call)));
    await start(intercept);
    const alertId = await openUpsellAlert();
    throttle = true;

    await send(alertAcknowledged(alertId), 'slack');

    const report = await reportWhen(running!.server.url, ended('alert-acknowledged'));
    expect(calls.count).toBe(2);
    expect(executionsOf(report, 'alert-acknowledged')).toEqual([{ status: 'SUCCEEDED', error: undefined, accountId: 'acc-salon-lumiere' }]);
    expect(report.alerts).toEqual([expect.objectContaining({ accountId: 'acc-salon-lumiere', type: 'upsell-request', acknowledged: true })]);
    expect(manualFollowUps(report).filter((t) => t.playbook === 'alert-acknowledged')).toEqual([]);
  });
});

/** Every jittered retrier of an ASL text at a 1 s ceiling, not growing, twice; the rest of the flow as is. */
function withOneSecondJitteredRetries(definition: string): string {
  return JSON.stringify(JSON.parse(definition), (key, value: unknown) => {
    if (key !== 'Retry' || !Array.isArray(value)) return value;
    return value.map((retrier: { JitterStrategy?: string; MaxDelaySeconds?: number }) => {
      if (retrier.JitterStrategy !== 'FULL') return retrier;
      const { MaxDelaySeconds: _dropped, ...rest } = retrier;
      return { ...rest, IntervalSeconds: 1, BackoffRate: 1, MaxAttempts: 2 };
    });
  });
}
