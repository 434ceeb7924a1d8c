import { historyDetails } from '../ops/history-lines.ts';
import { buildReport, type Report } from '../report/report.ts';
import type { Sandbox } from '../runtime/sandbox.ts';
import { executionGraph, graphLegend, type GraphDefinition } from './graph.ts';
import { html, page, raw, type Raw } from './html.ts';
import { stateOutcomes } from './outcomes.ts';
import { executionPath } from './paths.ts';
import { reportPlots } from './plots.ts';

/**
 * The sandbox's console (GET /, /accounts/<id>, /executions, /executions/<arn>, /report): server-rendered
 * pages of what the ops CLI reads, for a CSM or ops rehearsing a playbook. What it shows of people is
 * what the CSM's own tools show: account and people names, ids, kinds and times; never a message's
 * text, an NPS comment or a contact's e-mail address.
 */
export async function consolePage(sandbox: Sandbox, url: URL): Promise<{ status: number; html: string } | undefined> {
  const path = url.pathname;
  if (path === '/') return ok(accountsPage(await buildReport(sandbox), sandbox, url.searchParams.get('q') ?? ''));
  const account = /^\/accounts\/([^/]+)$/.exec(path);
  if (account) return accountPage(sandbox, await buildReport(sandbox), decodeURIComponent(account[1]!));
  if (path === '/executions') return ok(executionsPage(sandbox, url.searchParams.get('status') ?? ''));
  const execution = /^\/executions\/([^/]+)$/.exec(path);
  if (execution) return executionPage(sandbox, decodeURIComponent(execution[1]!));
  if (path === '/report') return ok(reportPage(await buildReport(sandbox)));
  return undefined;
}

const ok = (text: string) => ({ status: 200, html: text });
const notFound = (title: string, body: Raw) => ({ status: 404, html: page(title, body) });
const executionLink = (arn: string, label: string) => html`<a href="${executionPath(arn)}">${label}</a>`;

function accountsPage(report: Report, sandbox: Sandbox, query: string): string {
  const q = query.trim().toLowerCase();
  const people = peopleNames(report);
  const accounts = report.accounts.filter((account) => !q || account.id.toLowerCase().includes(q) || account.name.toLowerCase().includes(q));
  const counts = new Map<string, number>();
  for (const execution of sandbox.executions) counts.set(execution.accountId, (counts.get(execution.accountId) ?? 0) + 1);
  const health = new Map(report.health.map((view) => [view.accountId, view]));
  return page(
    'Accounts',
    html`<h1>Accounts</h1>
<form method="get" action="/" role="search"><label>Search by name or id <input type="search" name="q" value="${query}" autofocus></label> <button type="submit">Search</button></form>
<p class="muted">${accounts.length} of ${report.accounts.length} accounts</p>
<table id="accounts"><thead><tr><th>Account</th><th>Id</th><th>CSM</th><th>Health</th><th>Executions</th></tr></thead><tbody>
${accounts.map(
  (account) => html`<tr data-account="${account.id}"><td><a href="/accounts/${encodeURIComponent(account.id)}">${account.name}</a></td><td><code>${account.id}</code></td><td>${people.get(account.csmId) ?? account.csmId}</td><td>${bandOf(health.get(account.id))}</td><td>${counts.get(account.id) ?? 0}</td></tr>`,
)}
</tbody></table>`,
  );
}

interface TimelineItem {
  at: string;
  kind: string;
  what: Raw;
}

async function accountPage(sandbox: Sandbox, report: Report, accountId: string): Promise<{ status: number; html: string }> {
  const account = report.accounts.find((candidate) => candidate.id === accountId);
  if (!account) return notFound('No such account', html`<h1>No account ${accountId}</h1><p><a href="/">All accounts</a></p>`);
  const people = peopleNames(report);
  const mine = <T extends { accountId: string }>(rows: readonly T[]) => rows.filter((row) => row.accountId === accountId);
  const items: TimelineItem[] = [
    ...sandbox.eventsOf(accountId).map((event) => ({ at: event.time, kind: 'event in', what: html`${event.detailType} <code>${event.eventId}</code>` })),
    ...(await sandbox.ledger.executions.ofAccount(accountId)).map((execution) => ({
      at: execution.startedAt,
      kind: 'execution',
      what: html`${executionLink(execution.executionArn, execution.playbook)} <span class="status" data-status="${execution.status}">${execution.status}</span>${execution.error ? html` <code>${execution.error}</code>` : ''}${execution.startedBy.detailType ? html` <span class="muted">started by ${execution.startedBy.detailType}</span>` : ''}`,
    })),
    ...mine(report.tasks).map((task) => ({ at: task.createdAt, kind: 'task', what: html`${task.kind} for ${people.get(task.owner) ?? task.owner}, due ${task.dueAt} <span class="muted">${task.status}</span>` })),
    ...mine(report.alerts).map((alert) => ({ at: alert.raisedAt, kind: 'alert', what: html`${alert.type} ${alert.acknowledged ? 'acknowledged' : 'not acknowledged'}` })),
    ...mine(report.emails).map((email) => ({ at: email.at, kind: 'e-mail', what: html`${email.template} (${email.language}) <span class="muted">${email.status}</span>` })),
    ...mine(report.notifications).map((notification) => ({ at: notification.at, kind: 'notification', what: html`${notification.type} on ${notification.channel}` })),
    ...mine(report.notes).map((note) => ({ at: note.at, kind: 'note', what: html`a note by ${note.playbook}` })),
  ].sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
  const health = report.health.find((view) => view.accountId === accountId);
  return ok(
    page(
      account.name,
      html`<h1>${account.name} <code>${account.id}</code></h1>
<p>CSM ${people.get(account.csmId) ?? account.csmId} · health ${bandOf(health)}${health?.score !== undefined ? html` (${health.score}/100, ${health.scoredAt})` : ''}</p>
<h2>Timeline</h2>
<table id="timeline"><thead><tr><th>When</th><th>What</th><th></th></tr></thead><tbody>
${items.map((item) => html`<tr data-kind="${item.kind}"><td><code>${item.at}</code></td><td>${item.kind}</td><td>${item.what}</td></tr>`)}
</tbody></table>`,
    ),
  );
}

function executionsPage(sandbox: Sandbox, status: string): string {
  const rows = sandbox.executions.filter((execution) => !status || execution.status === status).slice().reverse();
  return page(
    'Executions',
    html`<h1>Executions</h1>
<p>${['', 'RUNNING', 'SUCCEEDED', 'FAILED'].map((filter) => html`<a href="/executions${filter ? `?status=${filter}` : ''}">${filter || 'all'}</a> `)}</p>
<table id="executions"><thead><tr><th>Started</th><th>Playbook</th><th>Account</th><th>Status</th><th>Error</th></tr></thead><tbody>
${rows.map(
  (execution) => html`<tr><td><code>${new Date(execution.startedAt).toISOString()}</code></td><td>${executionLink(execution.executionArn, execution.playbook)}</td><td>${execution.accountId ? html`<a href="/accounts/${encodeURIComponent(execution.accountId)}">${execution.accountId}</a>` : html`<span class="muted">scheduled</span>`}</td><td>${execution.status}</td><td>${execution.error ?? ''}</td></tr>`,
)}
</tbody></table>`,
  );
}

function executionPage(sandbox: Sandbox, executionArn: string): { status: number; html: string } {
  const found = sandbox.execution(executionArn);
  const history = sandbox.history(executionArn);
  if (!found || !history) return notFound('No such execution', html`<h1>No execution ${executionArn}</h1><p><a href="/executions">All executions</a></p>`);
  const { record, definition } = found;
  const outcomes = stateOutcomes(history.events, record.status);
  // A callback Task parked on a CSM's decision waits, as a Wait does.
  if (record.waiting && record.currentState) outcomes.set(record.currentState, record.waiting.kind === 'retry' ? 'running' : 'waiting');
  const title = `${record.playbook} ${record.name}`;
  const details = historyDetails(history.events);
  return ok(
    page(
      title,
      html`<h1>${record.playbook} <code>${record.name}</code></h1>
<p><span class="status" data-status="${record.status}">${record.status}</span>${record.accountId ? html` · account <a href="/accounts/${encodeURIComponent(record.accountId)}">${record.accountId}</a>` : ''} · started ${new Date(record.startedAt).toISOString()}${record.stoppedAt !== undefined ? html` · ended ${new Date(record.stoppedAt).toISOString()}` : ''}${record.redriveCount > 0 ? html` · redriven ${record.redriveCount}×` : ''}</p>
${record.error ? html`<p id="error"><strong>${record.error}</strong></p>` : ''}
<p class="muted"><code>${record.executionArn}</code> · <code>npx playbooks history ${record.executionArn}</code></p>
<h2>Graph</h2>
<div id="graph" style="overflow-x: auto; border: 1px solid #e5e7eb;">${raw(executionGraph(definition as unknown as GraphDefinition, outcomes, { title }))}</div>
${raw(graphLegend())}
<h2>History</h2>
<table id="history"><thead><tr><th>#</th><th>When</th><th>Event</th><th>Detail</th></tr></thead><tbody>
${history.events.map((event, index) => html`<tr><td>${event.id ?? ''}</td><td><code>${event.timestamp?.toISOString() ?? ''}</code></td><td>${event.type ?? ''}</td><td><code>${details[index]}</code></td></tr>`)}
</tbody></table>`,
    ),
  );
}

function reportPage(report: Report): string {
  const plots = (() => {
    try {
      return reportPlots(report);
    } catch (error) {
      return { error: (error as Error).message };
    }
  })();
  return page(
    'Report',
    html`<h1>Report</h1>
<p>${report.accounts.length} accounts · ${report.executions.length} executions · ${report.tasks.length} tasks · ${report.alerts.length} alerts · ${report.emails.length} e-mails. The whole report as JSON: <a href="/api/report">/api/report</a>.</p>
${'error' in plots
  ? html`<p>The plots could not be drawn: ${plots.error}</p>`
  : html`<h2>Tasks per week per owner</h2><div id="plot-tasks">${raw(plots.tasks)}</div>
<h2>Alerts per day</h2><div id="plot-alerts">${raw(plots.alerts)}</div>
<h2>Executions per playbook and status</h2><div id="plot-executions">${raw(plots.executions)}</div>`}`,
  );
}

function peopleNames(report: Report): Map<string, string> {
  return new Map(report.people.map((person) => [person.id, person.name]));
}

function bandOf(view: Report['health'][number] | undefined): string {
  return view?.band ?? 'not scored';
}
