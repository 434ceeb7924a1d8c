import type { SimulationProgress } from '../simulate/simulate.ts';

/** Where progress goes: stderr, shown only when it is a terminal (a pipe or a file gets nothing). */
export interface ProgressStream {
  isTTY?: boolean;
  write(text: string): unknown;
}

export interface ProgressOptions {
  /** The virtual time's offset from UTC, in minutes (the scenario start's): how the reached date reads. */
  offsetMinutes: number;
  /** Nothing is shown for a run shorter than this (wall ms): a quick run prints no flicker. */
  quietFor?: number;
  /** At most one redraw per this many wall ms. */
  every?: number;
  /** Wall time in ms (a test passes its own). */
  wallNow?: () => number;
}

export interface ProgressDisplay {
  update(progress: SimulationProgress): void;
  /** Erases the line, if one was drawn: the terminal is left as the report starts. */
  clear(): void;
}

/**
 * One line on stderr, redrawn in place, for a simulation that takes more than a few seconds:
 * `simulating… virtual 2026-12-03 09:00 (+01:00), 1,204 executions`.
 */
export function progressDisplay(stream: ProgressStream, { offsetMinutes, quietFor = 2_000, every = 200, wallNow = () => performance.now() }: ProgressOptions): ProgressDisplay {
  if (!stream.isTTY) return { update: () => undefined, clear: () => undefined };
  const started = wallNow();
  let drawnAt: number | undefined;
  return {
    update(progress) {
      const now = wallNow();
      if (now - started < quietFor || (drawnAt !== undefined && now - drawnAt < every)) return;
      drawnAt = now;
      // \r back to the start of the line, \x1b[K clears what a longer previous line left.
      stream.write(`\r${progressLine(progress, offsetMinutes)}\x1b[K`);
    },
    clear() {
      if (drawnAt !== undefined) stream.write('\r\x1b[K');
      drawnAt = undefined;
    },
  };
}

export function progressLine({ at, executions }: SimulationProgress, offsetMinutes: number): string {
  const local = new Date(at + offsetMinutes * 60_000).toISOString();
  return `simulating… virtual ${local.slice(0, 10)} ${local.slice(11, 16)} (${formatOffset(offsetMinutes)}), ${executions.toLocaleString('en-US')} executions`;
}

/** The offset of an ISO-8601 instant (`+01:00`, `Z`), in minutes: what the scenario's times are written in. */
export function offsetMinutesOf(iso: string): number {
  const match = /([+-])(\d{2}):?(\d{2})$/.exec(iso);
  if (!match) return 0;
  const minutes = Number(match[2]) * 60 + Number(match[3]);
  return match[1] === '-' ? -minutes : minutes;
}

function formatOffset(minutes: number): string {
  if (minutes === 0) return 'UTC';
  const sign = minutes < 0 ? '-' : '+';
  const abs = Math.abs(minutes);
  return `${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}
