import { existsSync, mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { INCIDENT_ACCOUNT, useRedAlertIncident } from '../support/red-alert-incident.ts';

// The sandbox's console (GET /) in a real browser: Debian's Chromium, headless, driven by
// playwright-core (no browser download). Ops find Salon Lumière by name, open its timeline, then the
// graph of the red alert that failed and of the detractor answer that waits. A screenshot of each
// page goes to test/output/console/ (kept out of git): the note of the change describes them.

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const SCREENSHOTS = fileURLToPath(new URL('../output/console/', import.meta.url));
// CI installs Chromium (.ci/run); a developer without it is told how to get it, and the test is skipped.
const hasChromium = existsSync(CHROMIUM);
if (!hasChromium && process.env.CI) throw new Error(`No Chromium at ${CHROMIUM}: .ci/run installs Debian's chromium package`);

const incident = useRedAlertIncident();
let browser: Browser;
let page: Page;

beforeAll(async () => {
  if (!hasChromium) return;
  mkdirSync(SCREENSHOTS, { recursive: true });
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    // As root, with no network but loopback: no sandbox, and none of Chromium's calls home.
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  await incident.postBoth();
});
afterAll(async () => {
  await browser?.close();
});

const shot = (name: string) => page.screenshot({ path: `${SCREENSHOTS}${name}.png`, fullPage: true });

describe.skipIf(!hasChromium)(`the console, in headless Chromium${hasChromium ? '' : ` (skipped: no ${CHROMIUM}; apt-get install chromium, or set CHROMIUM_PATH)`}`, () => {
  it('given the accounts page, when ops search for "lumière", then Salon Lumière alone is listed, with its CSM, health and executions', async () => {
    await page.goto(`${incident.url()}/`);
    expect(await page.locator('#accounts tbody tr').count()).toBe(5);
    await page.getByLabel('Search by name or id').fill('lumière');
    await page.getByRole('button', { name: 'Search' }).click();
    await page.waitForURL(/\?q=/);
    const rows = page.locator('#accounts tbody tr');
    expect(await rows.count()).toBe(1);
    expect(await rows.first().getAttribute('data-account')).toBe(INCIDENT_ACCOUNT);
    expect(await rows.first().innerText()).toMatch(/^Salon Lumière\s+acc-salon-lumiere\s+csm-camille\s+(not scored|green|yellow|red)\s+[1-9]\d*$/);
    await shot('1-accounts-search');
  });

  it('when ops open it, then its timeline has the two events in, their executions (the red alert failed), the alerts and tasks, and no message text', async () => {
    await page.getByRole('link', { name: 'Salon Lumière' }).click();
    await page.waitForURL(/\/accounts\/acc-salon-lumiere$/);
    expect(await page.locator('h1').innerText()).toContain('Salon Lumière');
    const kinds = await page.locator('#timeline tbody tr').evaluateAll((rows) => rows.map((row) => row.getAttribute('data-kind')));
    expect(kinds.filter((kind) => kind === 'event in')).toHaveLength(2);
    expect(kinds).toContain('alert');
    const executions = page.locator('#timeline tr[data-kind="execution"]');
    expect(await executions.filter({ hasText: 'competitor-meeting' }).locator('.status').getAttribute('data-status')).toBe('FAILED');
    expect(await executions.filter({ hasText: 'nps-response' }).locator('.status').getAttribute('data-status')).toBe('RUNNING');
    // The NPS comment and the contact's name are the CSM's tools' to show, not this page's.
    expect(await page.locator('body').innerText()).not.toMatch(/rappels SMS|Hugo/);
    await shot('2-account-timeline');
  });

  it('when ops open the failed red alert, then its graph colours the states it went through by outcome, and its history names the denied follow-up', async () => {
    await page.locator('#timeline tr[data-kind="execution"]', { hasText: 'competitor-meeting' }).getByRole('link').click();
    await page.waitForURL(/\/executions\//);
    const outcome = (state: string) => page.locator(`#graph g.state[data-state="${state}"]`).getAttribute('data-outcome');
    expect(await outcome('PlanFollowUp')).toBe('caught');
    expect(await outcome('ReleaseFollowUp')).toBe('succeeded');
    expect(await outcome('CreateManualFollowUp')).toBe('failed');
    expect(await outcome('WaitForCallDay')).toBe('not-entered');
    expect(await page.locator('#error').innerText()).toBe('AccessDeniedException');
    expect(await page.locator('#history tbody tr', { hasText: 'TaskFailed' }).last().innerText()).toMatch(/AccessDeniedException: competitor-meeting is not authorized/);
    await shot('3-failed-execution-graph');
  });

  it('when ops open the detractor answer, then the graph shows it waiting in its cool-down, the states before it done', async () => {
    await page.goBack();
    await page.locator('#timeline tr[data-kind="execution"]', { hasText: 'nps-response' }).getByRole('link').click();
    await page.waitForURL(/\/executions\//);
    const outcomes = await page.locator('#graph g.state').evaluateAll((nodes) => Object.fromEntries(nodes.map((node) => [node.getAttribute('data-state'), node.getAttribute('data-outcome')])));
    expect(outcomes.CoolDown).toBe('waiting');
    expect(Object.values(outcomes).filter((value) => value === 'succeeded').length).toBeGreaterThan(0);
    expect(Object.values(outcomes)).not.toContain('failed');
    await shot('4-waiting-execution-graph');
  });

  it('when ops open the report, then it plots tasks per week per owner, alerts per day and executions per playbook and status', async () => {
    await page.getByRole('link', { name: 'Report' }).click();
    await page.waitForURL(/\/report$/);
    for (const plot of ['#plot-tasks', '#plot-alerts', '#plot-executions']) expect(await page.locator(`${plot} svg`).count(), plot).toBe(1);
    const failed = page.locator('#plot-executions rect[data-x="competitor-meeting"][data-series="FAILED"]');
    expect(await failed.getAttribute('data-count')).toBe('1');
    await shot('5-report-plots');
  });
});
