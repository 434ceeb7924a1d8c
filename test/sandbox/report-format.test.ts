import { describe, expect, it } from 'vitest';
import { formatReport } from '../../sandbox/report/format.ts';
import type { Report } from '../../sandbox/report/report.ts';

// The report as a CSM reads it in a terminal (`playbooks simulate` without --json).

const empty: Report = { tasks: [], risks: [], emails: [], notifications: [], refunds: [], cases: [], alerts: [], executions: [], approvals: [], decisions: [], warnings: [] };

describe('the terminal report', () => {
  it('given an e-mail, then one line says when, its status, which e-mail, for which account and to whom, and the next its subject', () => {
    const text = formatReport({
      ...empty,
      emails: [{ accountId: 'acc-092', to: 'owner.092@example.com', template: 'review-request', language: 'fr', at: '2026-11-10T12:12:00+01:00', status: 'sent', subject: 'Votre avis compte pour nous' }],
    });

    const lines = text.split('\n');
    const at = lines.indexOf('E-mails (1)');
    expect(lines.slice(at + 2, at + 4)).toEqual([
      '2026-11-10T12:12:00+01:00  sent     review-request       acc-092                  to owner.092@example.com (fr)',
      `${' '.repeat(31)}Votre avis compte pour nous`,
    ]);
  });

  it('given no e-mail, then no e-mail section', () => {
    expect(formatReport(empty)).not.toContain('E-mails');
  });
});
