import { InternalServerError } from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';
import { formatReport } from '../../sandbox/report/format.ts';
import { parseScenario } from '../../sandbox/simulate/scenario.ts';
import { simulate } from '../../sandbox/simulate/simulate.ts';
import type { Sandbox } from '../../sandbox/runtime/sandbox.ts';
import { npsAnswer, parisAccount } from '../support/scenario.ts';

// An accepted event is never dropped silently: what reached no playbook or recorder is in the report
// (`undelivered`), as it would wait in a queue that pages on AWS, and the simulation goes on.

const MONDAY = '2026-11-16T10:00:00+01:00';

describe('events that reach no playbook, in the report', () => {
  it('given the table refusing writes for two days when an answer comes, then the vendor’s retries run out and the report says it was never accepted, the run going on', async () => {
    let sandbox: Sandbox | undefined;
    const downUntil = Date.parse(MONDAY) + 2 * 86_400_000;
    const report = await simulate(parseScenario({ start: '2026-11-16T08:00:00+01:00', until: '2026-11-19T08:00:00+01:00', accounts: [parisAccount()], events: [npsAnswer(MONDAY, 3, { comment: 'Trop lent' })] }), {
      onStart: (started) => (sandbox = started),
      // Writes only: the report, read at the end, still reads the table.
      tableFault: (operation) => (operation === 'PutItem' && (sandbox?.clock.now() ?? 0) >= Date.parse(MONDAY) && (sandbox?.clock.now() ?? 0) < downUntil ? new InternalServerError({ $metadata: { httpStatusCode: 500 }, message: 'Internal server error' }) : undefined),
    });

    expect(report.undelivered).toEqual([
      expect.objectContaining({ playbook: 'ingest', detailType: 'NpsResponseReceived', accountId: 'acc-paris', errorCode: 'AwsServiceUnavailable', errorMessage: expect.stringMatching(/the vendor gave up$/) }),
    ]);
    expect(report.executions).toEqual([]);
    expect(formatReport(report)).toContain('Undelivered events (kept where ops find them, not lost) (1)');
  });

  it('given a use of the product for an account the ledger does not know, then the recorder’s failures are in the report', async () => {
    const report = await simulate(
      parseScenario({
        start: '2026-11-16T08:00:00+01:00',
        accounts: [parisAccount()],
        events: [{ at: MONDAY, type: 'ProductUsageRecorded', detail: { eventId: 'evt-use-x', accountId: 'acc-nowhere', contactId: 'ct-x', at: MONDAY } }],
      }),
    );

    expect(report.undelivered).toEqual([expect.objectContaining({ playbook: 'usage-recorder', eventId: 'evt-use-x', accountId: 'acc-nowhere', errorCode: 'AccountNotFound' })]);
  });
});
