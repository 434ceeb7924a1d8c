import type { ExecutionRow, Report } from '../report/report.ts';
import { html, render, type Raw } from './html.ts';

/**
 * Plots of a simulation's report, as `<svg>` strings: pure counts of the report's rows (each exported,
 * so that a test reads them as numbers), then generic bar charts that draw any such counts.
 */

/** The fields of a report the plots read: a whole `Report` is one. */
export interface PlottedReport {
  tasks: readonly Pick<Report['tasks'][number], 'owner' | 'createdAt'>[];
  alerts: readonly Pick<Report['alerts'][number], 'raisedAt'>[];
  executions: readonly Pick<ExecutionRow, 'playbook' | 'status'>[];
  /** Who the owners' ids are, for the legend; an owner not in it is shown by id. */
  people?: readonly Pick<Report['people'][number], 'id' | 'name'>[];
}

export interface WeekOwnerCount {
  /** The Monday of the task's week (`YYYY-MM-DD`). */
  week: string;
  owner: string;
  count: number;
}

export interface DayCount {
  day: string;
  count: number;
}

export interface PlaybookStatusCount {
  playbook: string;
  status: string;
  count: number;
}

const DAY_MS = 86_400_000;
/** A span of days past which the gaps are not drawn (a stray date would otherwise make a chart of thousands of empty days). */
const MAX_FILLED_DAYS = 3_660;

/**
 * Tasks created per owner and week, sorted by week then owner. The week is the task's own: the report
 * writes `createdAt` in the account's offset (`2026-03-29T23:30:00+02:00`), so the date it writes is the
 * account's date, and a task created on a Sunday evening in Paris belongs to the week that Sunday ends,
 * whatever the date in UTC.
 */
export function tasksPerWeekPerOwner(report: Pick<PlottedReport, 'tasks'>): WeekOwnerCount[] {
  const counts = countBy(report.tasks, (task) => [mondayOf(localDateOf(task.createdAt)), task.owner] as const);
  return [...counts.values()]
    .map(({ key: [week, owner], count }) => ({ week, owner, count }))
    .sort((a, b) => compare(a.week, b.week) || compare(a.owner, b.owner));
}

/** Alerts raised per day, the day local to the offset `raisedAt` is written in, sorted by day. */
export function alertsPerDay(report: Pick<PlottedReport, 'alerts'>): DayCount[] {
  const counts = countBy(report.alerts, (alert) => [localDateOf(alert.raisedAt)] as const);
  return [...counts.values()].map(({ key: [day], count }) => ({ day, count })).sort((a, b) => compare(a.day, b.day));
}

/** Executions per playbook and status, sorted by playbook then status. */
export function executionsPerPlaybookAndStatus(report: Pick<PlottedReport, 'executions'>): PlaybookStatusCount[] {
  const counts = countBy(report.executions, (execution) => [execution.playbook, execution.status] as const);
  return [...counts.values()]
    .map(({ key: [playbook, status], count }) => ({ playbook, status, count }))
    .sort((a, b) => compare(a.playbook, b.playbook) || compare(a.status, b.status));
}

function countBy<T, K extends readonly string[]>(rows: readonly T[], keyOf: (row: T) => K): Map<string, { key: K; count: number }> {
  const counts = new Map<string, { key: K; count: number }>();
  for (const row of rows) {
    const key = keyOf(row);
    // The parts joined by a character no id or date holds, so that two keys never run together.
    const id = key.join('\u0000');
    const found = counts.get(id);
    if (found) found.count += 1;
    else counts.set(id, { key, count: 1 });
  }
  return counts;
}

/** The date an ISO time is written on (`2026-03-29T23:30:00+02:00` → `2026-03-29`): local to its own offset. */
export function localDateOf(iso: string): string {
  const date = /^(\d{4}-\d{2}-\d{2})(?:T|$)/.exec(iso)?.[1];
  if (date === undefined || Number.isNaN(Date.parse(`${date}T00:00:00Z`))) throw new RangeError(`Not an ISO date or time: ${JSON.stringify(iso)}`);
  return date;
}

/** The Monday of `date`'s week (ISO weeks start on Monday), as `YYYY-MM-DD`. */
export function mondayOf(date: string): string {
  const day = Date.parse(`${date}T00:00:00Z`);
  const sinceMonday = (new Date(day).getUTCDay() + 6) % 7;
  return isoDate(day - sinceMonday * DAY_MS);
}

/** Every `stepDays`-th date from `first` to `last`, both included: the x axis of a time chart, gaps shown as gaps. */
function datesFrom(first: string, last: string, stepDays: number): string[] {
  const start = Date.parse(`${first}T00:00:00Z`);
  const end = Date.parse(`${last}T00:00:00Z`);
  if ((end - start) / DAY_MS > MAX_FILLED_DAYS) return [first, last];
  const dates: string[] = [];
  for (let day = start; day <= end; day += stepDays * DAY_MS) dates.push(isoDate(day));
  return dates;
}

function isoDate(epochMs: number): string {
  return new Date(epochMs).toISOString().slice(0, 10);
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

// Charts.

/** One bar segment: `count` of `series` at category `x`. */
export interface BarPoint {
  x: string;
  series: string;
  count: number;
}

export interface ChartOptions {
  title: string;
  xLabel: string;
  yLabel: string;
  /** The categories, left to right, those with nothing included (a day without alerts); by default those of the points, sorted. */
  xs?: readonly string[];
  /** The series, bottom of the stack first; by default those of the points, sorted. */
  series?: readonly string[];
  seriesLabel?: (series: string) => string;
  /** A series' colour; by default the palette's, in the series' order. */
  seriesColour?: (series: string, index: number) => string;
  /** What a category's tick says (a date shortened); its bars' titles keep the whole category. */
  xTickLabel?: (x: string) => string;
}

/** Colour-blind-safe and distinct on white (Tableau 10), used in order and again after the tenth series. */
export const PALETTE: readonly string[] = ['#4e79a7', '#f28e2b', '#e15759', '#76b7b2', '#59a14f', '#edc948', '#b07aa1', '#ff9da7', '#9c755f', '#bab0ac'];

/** An execution's status in the colour its graph gives the same outcome (./graph.ts). */
export const STATUS_COLOURS: Readonly<Record<string, string>> = {
  SUCCEEDED: '#16a34a',
  RUNNING: '#2563eb',
  FAILED: '#dc2626',
  TIMED_OUT: '#ea580c',
  ABORTED: '#6b7280',
};
const STATUS_ORDER = Object.keys(STATUS_COLOURS);

const FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif";
const TEXT = '#374151';
const MUTED = '#6b7280';
const GRID = '#e5e7eb';
/** Estimated width of a character of 11 px text (no text is measured in a string): generous, so that labels do not collide. */
const CHAR_WIDTH = 6.5;
const LEGEND_WIDTH = 180;
const MAX_LEGEND_LABEL = 24;

/**
 * Bars stacked per category, one `<rect data-series data-x data-count>` per non-zero segment, a legend of
 * the series on the right. Nothing to count: a chart that says "nothing yet".
 */
export function stackedBars(points: readonly BarPoint[], options: ChartOptions): string {
  return chart(points, options, true);
}

/** One bar per category, no legend: `series` names what is counted (each rect's `data-series`). */
export function bars(points: readonly { x: string; count: number }[], options: Omit<ChartOptions, 'series' | 'seriesLabel' | 'seriesColour'> & { series: string; colour?: string }): string {
  const { series, colour = PALETTE[0]!, ...rest } = options;
  return chart(
    points.map((point) => ({ ...point, series })),
    { ...rest, series: [series], seriesColour: () => colour },
    false,
  );
}

function chart(points: readonly BarPoint[], options: ChartOptions, legend: boolean): string {
  const counted = points.filter((point) => point.count > 0);
  if (counted.length === 0) return nothingYet(options.title);

  const xs = options.xs ?? uniqueSorted(counted.map((point) => point.x));
  const series = options.series ?? uniqueSorted(counted.map((point) => point.series));
  // A point of a category or series the options leave out would be silently dropped: draw it anyway, last.
  const allXs = [...xs, ...uniqueSorted(counted.map((point) => point.x).filter((x) => !xs.includes(x)))];
  const allSeries = [...series, ...uniqueSorted(counted.map((point) => point.series).filter((name) => !series.includes(name)))];
  const label = options.seriesLabel ?? ((name: string) => name);
  const colour = (name: string) => (options.seriesColour ?? ((_: string, index: number) => PALETTE[index % PALETTE.length]!))(name, allSeries.indexOf(name));
  const tick = options.xTickLabel ?? ((x: string) => x);

  const countAt = new Map<string, number>();
  for (const point of counted) countAt.set(`${point.x}\u0000${point.series}`, (countAt.get(`${point.x}\u0000${point.series}`) ?? 0) + point.count);
  const totals = allXs.map((x) => allSeries.reduce((sum, name) => sum + (countAt.get(`${x}\u0000${name}`) ?? 0), 0));
  const { top, step } = yScale(Math.max(...totals));

  const plotWidth = Math.max(480, Math.min(allXs.length * 28, 960));
  const slot = plotWidth / allXs.length;
  const barWidth = Math.min(48, slot * 0.7);
  const longestTick = Math.max(...allXs.map((x) => tick(x).length));
  const rotated = longestTick * CHAR_WIDTH > slot - 4;
  // Rotated ticks 14 px apart at least: every n-th one when the categories are narrower.
  const every = rotated ? Math.max(1, Math.ceil(14 / slot)) : 1;
  const tickDepth = rotated ? Math.ceil(longestTick * CHAR_WIDTH * 0.72) + 8 : 16;

  const left = 56;
  // The title, and room above the tallest bar for its total.
  const titleHeight = 46;
  const plotHeight = 220;
  const bottom = 12 + tickDepth + 24;
  const legendRows = legend ? allSeries.length : 0;
  const height = Math.max(titleHeight + plotHeight + bottom, titleHeight + 24 + legendRows * 20);
  const width = left + plotWidth + 16 + (legend ? LEGEND_WIDTH : 0);
  const baseline = titleHeight + plotHeight;
  const yOf = (count: number) => baseline - (count / top) * plotHeight;

  const gridLines: Raw[] = [];
  for (let value = 0; value <= top; value += step) {
    gridLines.push(html`<line x1="${left}" x2="${num(left + plotWidth)}" y1="${num(yOf(value))}" y2="${num(yOf(value))}" stroke="${value === 0 ? MUTED : GRID}"/><text x="${left - 6}" y="${num(yOf(value) + 4)}" text-anchor="end" font-size="11" fill="${MUTED}">${value}</text>`);
  }

  const barsDrawn: Raw[] = [];
  const ticks: Raw[] = [];
  allXs.forEach((x, index) => {
    const centre = left + slot * (index + 0.5);
    let stacked = 0;
    for (const name of allSeries) {
      const count = countAt.get(`${x}\u0000${name}`) ?? 0;
      if (count === 0) continue;
      const y = yOf(stacked + count);
      barsDrawn.push(
        html`<rect data-series="${name}" data-x="${x}" data-count="${count}" x="${num(centre - barWidth / 2)}" y="${num(y)}" width="${num(barWidth)}" height="${num(yOf(stacked) - y)}" fill="${colour(name)}"><title>${legend ? `${label(name)}, ` : ''}${x}: ${count}</title></rect>`,
      );
      stacked += count;
    }
    // The total above its bar, where there is room to read it.
    if (stacked > 0 && slot >= 18) barsDrawn.push(html`<text x="${num(centre)}" y="${num(yOf(stacked) - 4)}" text-anchor="middle" font-size="10" fill="${TEXT}">${stacked}</text>`);
    if (index % every === 0) {
      ticks.push(
        rotated
          ? html`<text transform="translate(${num(centre + 4)},${baseline + 12}) rotate(-45)" text-anchor="end" font-size="11" fill="${TEXT}">${tick(x)}</text>`
          : html`<text x="${num(centre)}" y="${baseline + 16}" text-anchor="middle" font-size="11" fill="${TEXT}">${tick(x)}</text>`,
      );
    }
  });

  const legendX = left + plotWidth + 24;
  // Top of the stack first, as the bars read.
  const legendItems = legend
    ? [...allSeries].reverse().map(
        (name, index) =>
          html`<g class="legend-item"><rect data-legend="${name}" x="${num(legendX)}" y="${titleHeight + 8 + index * 20}" width="12" height="12" rx="2" fill="${colour(name)}"/><text x="${num(legendX + 18)}" y="${titleHeight + 18 + index * 20}" font-size="11" fill="${TEXT}">${truncated(label(name), MAX_LEGEND_LABEL)}<title>${label(name)}</title></text></g>`,
      )
    : [];

  return render(html`<svg xmlns="http://www.w3.org/2000/svg" class="plot" role="img" viewBox="0 0 ${num(width)} ${height}" width="${num(width)}" height="${height}" font-family="${FONT}">
<title>${options.title}</title>
<text x="${left}" y="20" font-size="14" font-weight="600" fill="${TEXT}">${options.title}</text>
<g class="grid">${gridLines}</g>
<text transform="translate(14,${num(titleHeight + plotHeight / 2)}) rotate(-90)" text-anchor="middle" font-size="11" fill="${MUTED}">${options.yLabel}</text>
<text x="${num(left + plotWidth / 2)}" y="${height - 6}" text-anchor="middle" font-size="11" fill="${MUTED}">${options.xLabel}</text>
<g class="bars">
${barsDrawn.map((bar) => html`${bar}
`)}</g>
<g class="ticks">${ticks}</g>
${legend && html`<g class="legend">${legendItems}</g>`}
</svg>`);
}

/** The axis' top and its step: a round number of ticks (1, 2 or 5 times a power of ten), at most five above zero. */
function yScale(max: number): { top: number; step: number } {
  for (let power = 1; ; power *= 10) {
    for (const factor of [1, 2, 5]) {
      const step = factor * power;
      if (max / step <= 5) return { top: Math.max(step, Math.ceil(max / step) * step), step };
    }
  }
}

function nothingYet(title: string): string {
  return render(html`<svg xmlns="http://www.w3.org/2000/svg" class="plot empty" role="img" viewBox="0 0 480 120" width="480" height="120" font-family="${FONT}">
<title>${title}: nothing yet</title>
<text x="16" y="24" font-size="14" font-weight="600" fill="${TEXT}">${title}</text>
<text x="240" y="72" text-anchor="middle" font-size="13" fill="${MUTED}">nothing yet</text>
</svg>`);
}

function uniqueSorted(values: readonly string[]): string[] {
  return [...new Set(values)].sort(compare);
}

function truncated(text: string, max: number): string {
  const characters = Array.from(text);
  return characters.length <= max ? text : `${characters.slice(0, max - 1).join('')}…`;
}

function num(value: number): string {
  return String(Math.round(value * 10) / 10);
}

/** The report's three charts: tasks per week by owner, alerts per day, executions per playbook by status. */
export function reportPlots(report: PlottedReport): { tasks: string; alerts: string; executions: string } {
  const names = new Map((report.people ?? []).map((person) => [person.id, person.name]));
  const perWeek = tasksPerWeekPerOwner(report);
  const perDay = alertsPerDay(report);
  const perPlaybook = executionsPerPlaybookAndStatus(report);
  const shortDate = (date: string) => date.slice(5);

  const tasks = stackedBars(
    perWeek.map(({ week, owner, count }) => ({ x: week, series: owner, count })),
    {
      title: 'Tasks created per week, by owner',
      xLabel: 'week (from Monday)',
      yLabel: 'tasks',
      xs: perWeek.length > 0 ? datesFrom(perWeek[0]!.week, perWeek.at(-1)!.week, 7) : [],
      seriesLabel: (owner) => names.get(owner) ?? owner,
      xTickLabel: shortDate,
    },
  );
  const alerts = bars(
    perDay.map(({ day, count }) => ({ x: day, count })),
    {
      title: 'Alerts raised per day',
      xLabel: 'day',
      yLabel: 'alerts',
      series: 'alerts',
      xs: perDay.length > 0 ? datesFrom(perDay[0]!.day, perDay.at(-1)!.day, 1) : [],
      xTickLabel: shortDate,
    },
  );
  const statuses = uniqueSorted(perPlaybook.map(({ status }) => status)).sort((a, b) => statusRank(a) - statusRank(b) || compare(a, b));
  const executions = stackedBars(
    perPlaybook.map(({ playbook, status, count }) => ({ x: playbook, series: status, count })),
    {
      title: 'Executions per playbook, by status',
      xLabel: 'playbook',
      yLabel: 'executions',
      series: statuses,
      seriesColour: (status, index) => STATUS_COLOURS[status] ?? PALETTE[index % PALETTE.length]!,
    },
  );
  return { tasks, alerts, executions };
}

/** Succeeded at the bottom of a playbook's bar, then running, then the ways to fail; a status not known here after them. */
function statusRank(status: string): number {
  const rank = STATUS_ORDER.indexOf(status);
  return rank >= 0 ? rank : STATUS_ORDER.length;
}
