import { describe, expect, it } from 'vitest';
import { playbooks } from '../support/cli.ts';
import { INCIDENT_ACCOUNT, useRedAlertIncident } from '../support/red-alert-incident.ts';

// `playbooks replay` against `npm start`'s sandbox: the red alert whose follow-up could not be planned
// (test/support/red-alert-incident.ts) is delivered again from the archive once the cause is fixed,
// to its playbook's rule only (--type), through @aws-sdk/client-eventbridge pointed at the sandbox.

const incident = useRedAlertIncident();

const executionsOf = async () => {
  const run = await playbooks(['executions', '--account', INCIDENT_ACCOUNT, '--url', incident.url(), '--json']);
  return (JSON.parse(run.stdout) as { executions: { playbook: string; status: string; startedBy: { eventId?: string }; waiting?: { state: string; until?: string } }[] }).executions;
};

describe('given a red alert that failed for good, and the cause fixed', () => {
  it('when ops replay that day to the red alert’s rule, then a new execution follows the meeting up, the detractor answer is not run again, and nothing is done twice', async () => {
    await incident.postBoth();
    incident.restorePermission();
    const before = await executionsOf();

    const run = await playbooks(['replay', '--from', '2026-11-20T00:00:00+01:00', '--to', '2026-11-21T00:00:00+01:00', '--type', 'CompetitorMeetingDetected', '--url', incident.url()]);
    expect(run.stderr).toBe('');
    expect(run.stdout).toMatch(/^replay playbooks-20261119T2300-20261120T2300-\w+: COMPLETED \(2 events replayed\)$/m);
    await incident.runForAnHour();

    const after = await executionsOf();
    expect(after.filter((execution) => execution.playbook === 'nps-response')).toHaveLength(before.filter((execution) => execution.playbook === 'nps-response').length);
    const redAlerts = after.filter((execution) => execution.playbook === 'competitor-meeting');
    expect(redAlerts.map((execution) => execution.status).sort()).toEqual(['FAILED', 'RUNNING']);
    // The same event, the same id: the playbook plans the call a week before the meeting of 8 December, 09:00 in Paris.
    expect(redAlerts.find((execution) => execution.status === 'RUNNING')).toMatchObject({
      startedBy: { eventId: 'evt-sample-competitorMeetingDetected' },
      waiting: { state: 'WaitForCallDay', until: '2026-12-01T08:00:00.000Z' },
    });
    const report = (await (await fetch(`${incident.url()}/api/report`)).json()) as { tasks: { kind: string }[] };
    // The detractor's reviews (its CSM's and team lead's) were not replayed; the coupled churn risk's task comes once.
    expect(report.tasks.filter((task) => task.kind === 'detractor-context-review')).toHaveLength(2);
    expect(report.tasks.filter((task) => task.kind === 'churn-risk-info-and-meeting')).toHaveLength(1);
  });

  it('when ops name a type no playbook starts on, then the replay is refused before anything is put on the bus', async () => {
    const run = await playbooks(['replay', '--from', '2026-11-20T00:00:00Z', '--to', '2026-11-21T00:00:00Z', '--type', 'NoSuchEvent', '--url', incident.url()]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^playbooks: --type NoSuchEvent: no such event type/);
  });
});
