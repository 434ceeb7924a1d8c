import { describe, expect, it } from 'vitest';
import { offsetMinutesOf, progressDisplay, progressLine } from '../../sandbox/commands/progress.ts';

// `playbooks simulate` shows, on stderr and only to a terminal, the virtual date reached and the
// executions so far, redrawn in place, once a run has taken a few seconds; erased before the report.

const AT = Date.parse('2026-12-03T09:00:00+01:00');

/** A stream that records what is written; `wall` is the wall clock the display reads, in ms. */
function terminal(isTTY = true) {
  const written: string[] = [];
  const clock = { wall: 0 };
  return { stream: { isTTY, write: (text: string) => written.push(text) }, written, clock, wallNow: () => clock.wall };
}

describe('the progress line of a long simulation', () => {
  it('given a terminal, when the run has taken less than 2 s, then nothing is shown; from 2 s on, the line is drawn in place', () => {
    const t = terminal();
    const display = progressDisplay(t.stream, { offsetMinutes: 60, wallNow: t.wallNow });

    t.clock.wall = 1_999;
    display.update({ at: AT, executions: 3 });
    expect(t.written).toEqual([]);

    t.clock.wall = 2_000;
    display.update({ at: AT, executions: 1204 });
    expect(t.written).toEqual(['\rsimulating… virtual 2026-12-03 09:00 (+01:00), 1,204 executions\x1b[K']);
  });

  it('given updates after every wake-up, then it redraws at most every 200 ms', () => {
    const t = terminal();
    const display = progressDisplay(t.stream, { offsetMinutes: 60, wallNow: t.wallNow });
    for (const wall of [2_000, 2_050, 2_199, 2_200, 2_350, 2_400]) {
      t.clock.wall = wall;
      display.update({ at: AT, executions: wall });
    }
    expect(t.written.map((line) => /, ([\d,]+) executions/.exec(line)![1])).toEqual(['2,000', '2,200', '2,400']);
  });

  it('given a line was drawn, when the run ends, then it is erased; given none was, then nothing is written', () => {
    const drawn = terminal();
    const display = progressDisplay(drawn.stream, { offsetMinutes: 60, wallNow: drawn.wallNow });
    drawn.clock.wall = 5_000;
    display.update({ at: AT, executions: 1 });
    display.clear();
    expect(drawn.written.at(-1)).toBe('\r\x1b[K');

    const quick = terminal();
    progressDisplay(quick.stream, { offsetMinutes: 60, wallNow: quick.wallNow }).clear();
    expect(quick.written).toEqual([]);
  });

  it('given stderr is a pipe or a file, then nothing is ever written', () => {
    const t = terminal(false);
    const display = progressDisplay(t.stream, { offsetMinutes: 60, wallNow: t.wallNow });
    t.clock.wall = 60_000;
    display.update({ at: AT, executions: 10 });
    display.clear();
    expect(t.written).toEqual([]);
  });
});

describe('the virtual date, in the offset the scenario is written in', () => {
  it('given a scenario starting at +01:00, -05:00 or Z, then the offset is read from its start and the date shown in it', () => {
    expect(offsetMinutesOf('2026-11-09T08:00:00+01:00')).toBe(60);
    expect(offsetMinutesOf('2026-11-09T08:00:00-05:00')).toBe(-300);
    expect(offsetMinutesOf('2026-11-09T08:00:00Z')).toBe(0);
    expect(progressLine({ at: AT, executions: 0 }, -300)).toBe('simulating… virtual 2026-12-03 03:00 (-05:00), 0 executions');
    expect(progressLine({ at: AT, executions: 0 }, 0)).toBe('simulating… virtual 2026-12-03 08:00 (UTC), 0 executions');
  });
});
