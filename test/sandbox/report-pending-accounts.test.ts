import { describe, expect, it } from 'vitest';
import { formatReport } from '../../sandbox/report/format.ts';
import type { Report } from '../../sandbox/report/report.ts';

// An account the ledger knows only in part, as a CSM reads the terminal report: which fields are still
// missing, by name (never a value), so that someone completes it in the CRM or the import.

const empty: Report = { tasks: [], risks: [], emails: [], notifications: [], refunds: [], cases: [], alerts: [], executions: [], scheduledRuns: [], approvals: [], decisions: [], pendingAccounts: [], notes: [], accounts: [], people: [], warnings: [], deadLetters: [], dispatchesDue: 0, usage: [], health: [], digests: [], undelivered: [] };

describe('the terminal report: pending accounts', () => {
  it('given a company HubSpot renamed before the import, then one line says since when, which account, what is missing and what is held', () => {
    const text = formatReport({
      ...empty,
      pendingAccounts: [{ accountId: 'acc-8437563', fields: ['country', 'name', 'timezone'], missing: ['contacts', 'csmId', 'language', 'mrr'], since: '2026-11-16T09:00:00+01:00' }],
    });

    const lines = text.split('\n');
    const at = lines.indexOf('Pending accounts (no playbook sees them until their record is complete) (1)');
    expect(lines.slice(at + 2, at + 4)).toEqual(['2026-11-16T09:00+01:00  acc-8437563', '    missing contacts, csmId, language, mrr; holds country, name, timezone']);
  });

  it('given none, then no such section', () => {
    expect(formatReport(empty)).not.toContain('Pending accounts');
  });
});
