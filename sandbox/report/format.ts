import type { Report } from './report.ts';

/** The report as a CSM reads it in a terminal. */
export function formatReport(report: Report): string {
  const lines: string[] = [];
  const section = (title: string, count: number) => lines.push('', `${title} (${count})`, '-'.repeat(title.length + String(count).length + 3));

  if (report.warnings.length > 0) {
    section('Warnings', report.warnings.length);
    lines.push(...report.warnings);
  }
  section('Tasks', report.tasks.length);
  for (const task of report.tasks) {
    lines.push(`${task.dueAt}  due  ${task.kind.padEnd(28)} ${task.accountId.padEnd(24)} owner ${task.owner}`);
    lines.push(`${' '.repeat(31)}${task.title}`);
  }
  section('Risks', report.risks.length);
  for (const risk of report.risks) {
    lines.push(`${risk.openedAt}  ${risk.status.padEnd(6)} ${risk.kind.padEnd(14)} ${risk.accountId.padEnd(24)} origin ${risk.origin}`);
  }
  if (report.emails.length > 0) {
    section('E-mails', report.emails.length);
    for (const email of report.emails) {
      lines.push(`${email.at}  ${email.status.padEnd(8)} ${email.template.padEnd(20)} ${email.accountId.padEnd(24)} to ${email.to} (${email.language})`);
      lines.push(`${' '.repeat(31)}${email.subject}`);
    }
  }
  if (report.cases.length > 0) {
    section('Pre-churn cases', report.cases.length);
    for (const row of report.cases) {
      const retention = row.type ? `  ${row.type}/${row.origin}, plan expires ${row.planExpiresOn}` : '';
      lines.push(`${row.openedAt}  ${row.status.padEnd(14)} ${row.accountId.padEnd(24)} owner ${row.owner} (${row.ownerRole})${retention}`);
    }
  }
  for (const [title, items] of [
    ['Notifications', report.notifications],
    ['Refunds', report.refunds],
    ['Alerts', report.alerts],
  ] as const) {
    if (items.length > 0) {
      section(title, items.length);
      for (const item of items) lines.push(JSON.stringify(item));
    }
  }
  if (report.approvals.length > 0) {
    section('Approvals', report.approvals.length);
    for (const approval of report.approvals) {
      const decided = approval.decidedBy ? `  by ${approval.decidedBy} at ${approval.decidedAt}${approval.edited ? ' (edited)' : ''}` : `  until ${approval.expiresAt}`;
      lines.push(`${approval.requestedAt}  ${approval.status.padEnd(9)} ${approval.template.padEnd(20)} ${approval.accountId.padEnd(24)} ${approval.id}${decided}`);
    }
  }
  const refused = report.decisions.filter((decision) => decision.statusCode >= 300);
  if (refused.length > 0) {
    section('Refused decisions', refused.length);
    for (const decision of refused) lines.push(`${decision.at}  ${decision.statusCode} ${decision.decision.padEnd(7)} ${decision.approvalId}  ${decision.error ?? ''}`);
  }
  section('Executions', report.executions.length);
  const byStatus = new Map<string, number>();
  for (const execution of report.executions) byStatus.set(execution.status, (byStatus.get(execution.status) ?? 0) + 1);
  lines.push([...byStatus].map(([status, count]) => `${status} ${count}`).join(', ') || 'none');
  for (const execution of report.executions.filter((e) => e.status !== 'SUCCEEDED')) {
    lines.push(`${execution.name.padEnd(22)} ${execution.status.padEnd(9)} ${execution.accountId.padEnd(24)} started ${execution.startedAt}`);
  }
  return lines.slice(1).join('\n');
}
