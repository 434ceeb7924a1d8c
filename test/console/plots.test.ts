import { describe, expect, it } from 'vitest';
import type { Report } from '../../sandbox/report/report.ts';
import { alertsPerDay, bars, executionsPerPlaybookAndStatus, mondayOf, reportPlots, stackedBars, STATUS_COLOURS, tasksPerWeekPerOwner } from '../../sandbox/console/plots.ts';

// The report's plots: counts of its rows, by the dates the accounts lived them, and the charts of
// those counts.

type Task = Report['tasks'][number];
type Alert = Report['alerts'][number];
type Execution = Report['executions'][number];

// Only the fields the plots read are filled (owner, createdAt; raisedAt; playbook, status): the rest
// of a row does not change a count.
const task = (owner: string, createdAt: string) => ({ owner, createdAt }) as Task;
const alert = (raisedAt: string) => ({ raisedAt, type: 'nps-detractor' }) as Alert;
const execution = (playbook: string, status: string) => ({ playbook, status }) as Execution;

const report = (rows: { tasks?: Task[]; alerts?: Alert[]; executions?: Execution[]; people?: Report['people'] }) =>
  ({ tasks: [], alerts: [], executions: [], people: [], ...rows }) as unknown as Report;

/** Each bar segment drawn: its series, category and count. */
function rects(svg: string): { series: string; x: string; count: number }[] {
  return [...svg.matchAll(/<rect data-series="([^"]*)" data-x="([^"]*)" data-count="(\d+)"/g)].map(([, series, x, count]) => ({ series: series!, x: x!, count: Number(count) }));
}

describe('tasks per week and owner', () => {
  it('given a task created on Sunday 29 March 2026 at 23:30 in Paris, then it counts in the week of Monday 23 March', () => {
    expect(tasksPerWeekPerOwner(report({ tasks: [task('csm-alice', '2026-03-29T23:30:00+02:00')] }))).toEqual([{ week: '2026-03-23', owner: 'csm-alice', count: 1 }]);
  });

  it('given a task created on Monday 30 March at 00:30 in Paris (still Sunday in UTC), then it counts in its own week, of Monday 30 March', () => {
    expect(tasksPerWeekPerOwner(report({ tasks: [task('csm-alice', '2026-03-30T00:30:00+02:00')] }))).toEqual([{ week: '2026-03-30', owner: 'csm-alice', count: 1 }]);
  });

  it('given a task created on Sunday 29 March at 20:00 in New York (already Monday in UTC), then it counts in the week of Monday 23 March', () => {
    expect(tasksPerWeekPerOwner(report({ tasks: [task('csm-bob', '2026-03-29T20:00:00-04:00')] }))).toEqual([{ week: '2026-03-23', owner: 'csm-bob', count: 1 }]);
  });

  it('given tasks of two owners over two weeks, then each owner is counted per week, sorted by week then owner', () => {
    const tasks = [
      task('csm-bob', '2026-03-31T09:00:00+02:00'),
      task('csm-alice', '2026-03-24T09:00:00+01:00'),
      task('csm-bob', '2026-03-23T10:00:00+01:00'),
      task('csm-alice', '2026-03-30T09:00:00+02:00'),
      task('csm-alice', '2026-03-25T09:00:00+01:00'),
    ];

    expect(tasksPerWeekPerOwner(report({ tasks }))).toEqual([
      { week: '2026-03-23', owner: 'csm-alice', count: 2 },
      { week: '2026-03-23', owner: 'csm-bob', count: 1 },
      { week: '2026-03-30', owner: 'csm-alice', count: 1 },
      { week: '2026-03-30', owner: 'csm-bob', count: 1 },
    ]);
  });

  it('given each day of a week, then its Monday is that week\'s first day, a Monday its own', () => {
    const days = ['2026-03-23', '2026-03-24', '2026-03-25', '2026-03-26', '2026-03-27', '2026-03-28', '2026-03-29'];

    expect(days.map(mondayOf)).toEqual(days.map(() => '2026-03-23'));
    expect(mondayOf('2026-03-30')).toBe('2026-03-30');
    // Across a year's end.
    expect(mondayOf('2027-01-01')).toBe('2026-12-28');
  });

  it('given a createdAt that is no ISO time, then it is refused, naming the value', () => {
    expect(() => tasksPerWeekPerOwner(report({ tasks: [task('csm-alice', 'yesterday')] }))).toThrow(/yesterday/);
  });
});

describe('alerts per day', () => {
  it('given alerts raised around midnight in their accounts\' offsets, then each counts on its local day, the days sorted', () => {
    const alerts = [alert('2026-03-05T00:15:00+01:00'), alert('2026-03-04T23:50:00-05:00'), alert('2026-03-04T08:00:00+01:00'), alert('2026-03-05T12:00:00+01:00')];

    expect(alertsPerDay(report({ alerts }))).toEqual([
      { day: '2026-03-04', count: 2 },
      { day: '2026-03-05', count: 2 },
    ]);
  });
});

describe('executions per playbook and status', () => {
  it('given executions of two playbooks, then each status is counted per playbook, sorted by playbook then status', () => {
    const executions = [execution('renewal', 'SUCCEEDED'), execution('nps-response', 'SUCCEEDED'), execution('nps-response', 'FAILED'), execution('nps-response', 'SUCCEEDED'), execution('renewal', 'RUNNING')];

    expect(executionsPerPlaybookAndStatus(report({ executions }))).toEqual([
      { playbook: 'nps-response', status: 'FAILED', count: 1 },
      { playbook: 'nps-response', status: 'SUCCEEDED', count: 2 },
      { playbook: 'renewal', status: 'RUNNING', count: 1 },
      { playbook: 'renewal', status: 'SUCCEEDED', count: 1 },
    ]);
  });
});

describe('the report\'s plots', () => {
  const simulated = report({
    tasks: [task('csm-alice', '2026-03-02T10:00:00+01:00'), task('csm-bob', '2026-03-03T10:00:00+01:00'), task('csm-alice', '2026-03-04T10:00:00+01:00'), task('csm-alice', '2026-03-29T23:30:00+02:00')],
    alerts: [alert('2026-03-02T10:00:00+01:00'), alert('2026-03-05T10:00:00+01:00'), alert('2026-03-05T11:00:00+01:00')],
    executions: [execution('nps-response', 'SUCCEEDED'), execution('nps-response', 'FAILED'), execution('usage-check', 'RUNNING')],
    people: [{ id: 'csm-alice', name: 'Alice Martin', role: 'csm' }],
  });

  it('given tasks of two owners, then the tasks chart has one bar segment per week and owner with tasks, each with its count, and the weeks between as empty ticks', () => {
    const { tasks } = reportPlots(simulated);

    expect(rects(tasks)).toEqual([
      { series: 'csm-alice', x: '2026-03-02', count: 2 },
      { series: 'csm-bob', x: '2026-03-02', count: 1 },
      { series: 'csm-alice', x: '2026-03-23', count: 1 },
    ]);
    for (const week of ['03-09', '03-16']) expect(tasks).toContain(`>${week}</text>`);
  });

  it('given an owner the people directory names, then the legend names them, and an owner it does not by id', () => {
    const { tasks } = reportPlots(simulated);

    expect(tasks).toMatch(/<g class="legend">.*Alice Martin.*<\/g>/s);
    expect(tasks).toMatch(/<g class="legend">.*csm-bob.*<\/g>/s);
    expect(tasks).toContain('data-legend="csm-alice"');
  });

  it('given alerts on two days three days apart, then the alerts chart has a bar for each of those days only, with its count', () => {
    const { alerts } = reportPlots(simulated);

    expect(rects(alerts)).toEqual([
      { series: 'alerts', x: '2026-03-02', count: 1 },
      { series: 'alerts', x: '2026-03-05', count: 2 },
    ]);
    expect(alerts).not.toContain('class="legend"');
  });

  it('given executions of two playbooks, then the executions chart stacks their statuses, each in its status colour', () => {
    const { executions } = reportPlots(simulated);

    expect(rects(executions).sort((a, b) => `${a.x}${a.series}`.localeCompare(`${b.x}${b.series}`))).toEqual([
      { series: 'FAILED', x: 'nps-response', count: 1 },
      { series: 'SUCCEEDED', x: 'nps-response', count: 1 },
      { series: 'RUNNING', x: 'usage-check', count: 1 },
    ]);
    expect(executions).toMatch(new RegExp(`data-series="FAILED"[^>]*fill="${STATUS_COLOURS.FAILED}"`));
  });

  it('when drawn, then each chart is one accessible <svg> with a title, axis labels and the same string each time', () => {
    const plots = reportPlots(simulated);

    for (const svg of Object.values(plots)) {
      expect(svg).toMatch(/^<svg [^>]*role="img"[^>]*viewBox="0 0 [\d.]+ \d+"[^>]*>\n<title>[^<]+<\/title>/);
      expect(svg.match(/<svg/g)).toHaveLength(1);
    }
    expect(plots.tasks).toContain('>week (from Monday)</text>');
    expect(plots.tasks).toContain('>tasks</text>');
    expect(reportPlots(structuredClone(simulated))).toEqual(plots);
  });

  it('given a report with nothing yet, then each chart says so rather than failing', () => {
    const plots = reportPlots(report({}));

    for (const svg of Object.values(plots)) {
      expect(svg).toContain('>nothing yet</text>');
      expect(rects(svg)).toEqual([]);
    }
  });

  it('given an owner and a playbook named with markup, then they are escaped in the charts', () => {
    const evil = '<script>alert(1)</script>';
    const plots = reportPlots(report({ tasks: [task(evil, '2026-03-02T10:00:00+01:00')], executions: [execution(evil, 'SUCCEEDED')], people: [{ id: 'x', name: evil, role: 'csm' }] }));

    for (const svg of Object.values(plots)) expect(svg).not.toContain('<script');
    expect(rects(plots.tasks)).toEqual([{ series: '&lt;script&gt;alert(1)&lt;/script&gt;', x: '2026-03-02', count: 1 }]);
  });
});

describe('the generic charts', () => {
  it('given points with a zero count and categories without points, then only the non-zero points are bars, each category a tick', () => {
    const svg = stackedBars(
      [
        { x: 'b', series: 's1', count: 0 },
        { x: 'b', series: 's2', count: 3 },
        { x: 'a', series: 's1', count: 1 },
      ],
      { title: 'T', xLabel: 'x', yLabel: 'y', xs: ['a', 'b', 'c'], series: ['s1', 's2'] },
    );

    expect(rects(svg)).toEqual([
      { series: 's1', x: 'a', count: 1 },
      { series: 's2', x: 'b', count: 3 },
    ]);
    expect(svg).toContain('>c</text>');
  });

  it('given stacked series, then a category\'s segments sit one on the other, the first series at the bottom', () => {
    const svg = stackedBars(
      [
        { x: 'a', series: 'low', count: 2 },
        { x: 'a', series: 'high', count: 2 },
      ],
      { title: 'T', xLabel: 'x', yLabel: 'y', series: ['low', 'high'] },
    );
    const [low, high] = [...svg.matchAll(/<rect data-series="[^"]*"[^>]* y="([\d.]+)" width="[\d.]+" height="([\d.]+)"/g)].map(([, y, height]) => ({ y: Number(y), height: Number(height) }));

    expect(high!.y + high!.height).toBeCloseTo(low!.y, 1);
    expect(high!.height).toBeCloseTo(low!.height, 1);
  });

  it('given only zero counts, then bars says nothing yet', () => {
    expect(bars([{ x: 'a', count: 0 }], { title: 'Alerts', xLabel: 'day', yLabel: 'alerts', series: 'alerts' })).toContain('>nothing yet</text>');
  });
});
