import { DescribeReplayCommand, StartReplayCommand } from '@aws-sdk/client-eventbridge';
import type { OpsTarget } from './target.ts';

export interface ReplayOutcome {
  name: string;
  state: string;
  reason?: string;
  from: string;
  to: string;
  /** The rules it went to; every rule of the bus when absent. */
  rules?: readonly string[];
}

/** How often a running replay is looked at, and for how long (EventBridge replays a minute of events at a time). */
const POLL_MS = 5_000;
const FOLLOW_MS = 30 * 60_000;

/**
 * StartReplay of the archive's events in [from, to) to the bus (to `rules` only, when given), then
 * DescribeReplay until it ends: COMPLETED, FAILED or CANCELLED (or still running after half an hour, said
 * as such: it goes on without the command). Named after its window, and unique per run.
 */
export async function replayWindow(target: OpsTarget, window: { from: number; to: number; rules?: readonly string[] | undefined }, progress: (state: string) => void): Promise<ReplayOutcome> {
  const stamp = (at: number) => new Date(at).toISOString().replace(/[-:]/g, '').slice(0, 13);
  const name = `playbooks-${stamp(window.from)}-${stamp(window.to)}-${Date.now().toString(36)}`;
  const started = await target.events.send(
    new StartReplayCommand({
      ReplayName: name,
      EventSourceArn: target.archiveArn,
      EventStartTime: new Date(window.from),
      EventEndTime: new Date(window.to),
      Destination: { Arn: target.busArn, ...(window.rules ? { FilterArns: [...window.rules] } : {}) },
    }),
  );
  const outcome = { name, from: new Date(window.from).toISOString(), to: new Date(window.to).toISOString(), ...(window.rules ? { rules: window.rules } : {}) };
  let state = started.State ?? 'STARTING';
  let reason = started.StateReason;
  const until = Date.now() + FOLLOW_MS;
  while (!['COMPLETED', 'FAILED', 'CANCELLED'].includes(state) && Date.now() < until) {
    progress(state);
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    const described = await target.events.send(new DescribeReplayCommand({ ReplayName: name }));
    state = described.State ?? state;
    reason = described.StateReason;
  }
  return { ...outcome, state, ...(reason ? { reason } : {}) };
}
