import { SANDBOX_EVENTS } from '../runtime/definitions.ts';
import type { Sandbox } from '../runtime/sandbox.ts';
import { awsError, type AwsAnswer } from './aws-json.ts';

/**
 * The part of the EventBridge API `playbooks replay` uses, served by the sandbox in AWS JSON 1.1
 * (`X-Amz-Target: AWSEvents.<Operation>`): StartReplay from the sandbox's archive of every event put on
 * its bus, and DescribeReplay. A sandbox replay runs at once: it is COMPLETED when StartReplay answers.
 */
export const EVENTBRIDGE_TARGET = 'AWSEvents.';

type Body = Record<string, unknown>;

const replays = new WeakMap<Sandbox, Map<string, Body>>();

export function eventBridgeRequest(sandbox: Sandbox, operation: string, body: Body): AwsAnswer {
  const done = replays.get(sandbox) ?? new Map<string, Body>();
  replays.set(sandbox, done);
  if (operation === 'StartReplay') {
    const name = body.ReplayName;
    if (typeof name !== 'string' || !/^[.\-_A-Za-z0-9]{1,64}$/.test(name)) return awsError(400, 'ValidationException', 'ReplayName: 1 to 64 letters, digits, . - _');
    if (done.has(name)) return awsError(400, 'ResourceAlreadyExistsException', `Replay ${name} already exists`);
    if (body.EventSourceArn !== SANDBOX_EVENTS.archiveArn) return awsError(400, 'ResourceNotFoundException', `Archive ${String(body.EventSourceArn)} does not exist (the sandbox's is ${SANDBOX_EVENTS.archiveArn})`);
    const destination = (body.Destination ?? {}) as { Arn?: unknown; FilterArns?: unknown };
    if (destination.Arn !== SANDBOX_EVENTS.busArn) return awsError(400, 'ValidationException', `Destination.Arn must be the archive's bus, ${SANDBOX_EVENTS.busArn}`);
    const from = body.EventStartTime;
    const to = body.EventEndTime;
    if (typeof from !== 'number' || typeof to !== 'number' || !(from < to)) return awsError(400, 'ValidationException', 'EventStartTime must come before EventEndTime');
    const known = new Map(sandbox.ruleNames().map((rule) => [SANDBOX_EVENTS.ruleArn(rule), rule]));
    const filterArns = Array.isArray(destination.FilterArns) ? (destination.FilterArns as unknown[]) : undefined;
    const unknown = filterArns?.filter((arn) => typeof arn !== 'string' || !known.has(arn));
    if (unknown && unknown.length > 0) return awsError(400, 'ValidationException', `Destination.FilterArns names no rule of the bus: ${unknown.map(String).join(', ')}`);
    const replayed = sandbox.replay({ name, from: from * 1000, to: to * 1000, ...(filterArns ? { rules: filterArns.map((arn) => known.get(arn as string)!) } : {}) });
    const now = sandbox.clock.now() / 1000;
    const replayArn = `arn:aws:events:local:000000000000:replay/${name}`;
    done.set(name, { ReplayName: name, ReplayArn: replayArn, EventSourceArn: body.EventSourceArn, Destination: destination, State: 'COMPLETED', EventStartTime: from, EventEndTime: to, ReplayStartTime: now, ReplayEndTime: now, EventLastReplayedTime: replayed.length > 0 ? Date.parse(replayed.at(-1)!.time) / 1000 : undefined, StateReason: `${replayed.length} events replayed` });
    return { status: 200, body: { ReplayArn: replayArn, State: 'COMPLETED', StateReason: `${replayed.length} events replayed`, ReplayStartTime: now } };
  }
  if (operation === 'DescribeReplay') {
    const replay = typeof body.ReplayName === 'string' ? done.get(body.ReplayName) : undefined;
    return replay ? { status: 200, body: replay } : awsError(400, 'ResourceNotFoundException', `Replay ${String(body.ReplayName)} does not exist`);
  }
  return awsError(400, 'UnknownOperationException', `The sandbox serves StartReplay and DescribeReplay; not ${operation}`);
}
