import { Duration } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import type { IStateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { triggerPattern, type PlaybookEntry } from '../catalog.ts';
import { DeadLetterQueue } from './dead-letter-queue.ts';

/** How EventBridge retries a StartExecution it could not make before it dead-letters the event. */
export const TRIGGER_RETRY = { retryAttempts: 8, maxEventAge: Duration.hours(4) } as const;

export interface PlaybookTriggerProps {
  readonly bus: events.IEventBus;
  readonly playbook: PlaybookEntry;
  readonly stateMachine: IStateMachine;
}

/**
 * The rule that starts a playbook: the catalog's pattern (the sandbox bus applies the same one), the
 * whole event as the execution input, and a dead-letter queue for events it could not deliver.
 */
export class PlaybookTrigger extends Construct {
  readonly rule: events.Rule;
  readonly deadLetterQueue: DeadLetterQueue;

  constructor(scope: Construct, id: string, props: PlaybookTriggerProps) {
    super(scope, id);
    this.deadLetterQueue = new DeadLetterQueue(this, 'DeadLetters');
    this.rule = new events.Rule(this, 'Rule', {
      eventBus: props.bus,
      description: `Starts the ${props.playbook.id} playbook`,
      eventPattern: cdkEventPattern(triggerPattern(props.playbook)),
    });
    this.rule.addTarget(
      new targets.SfnStateMachine(props.stateMachine, {
        deadLetterQueue: this.deadLetterQueue.queue,
        ...TRIGGER_RETRY,
      }),
    );
  }
}

/**
 * An EventBridge event pattern as EventBridge, the catalog and the sandbox bus write it: top-level
 * event fields (`detail-type`, not CDK's `detailType`), each a list of values or content filters
 * (`{ prefix: … }`, `{ numeric: […] }`, …), `detail` a nested pattern, `$or` a list of patterns.
 */
export interface EventBridgePattern {
  readonly version?: readonly unknown[];
  readonly id?: readonly unknown[];
  readonly 'detail-type'?: readonly unknown[];
  readonly source?: readonly unknown[];
  readonly account?: readonly unknown[];
  readonly time?: readonly unknown[];
  readonly region?: readonly unknown[];
  readonly resources?: readonly unknown[];
  readonly detail?: Readonly<Record<string, unknown>>;
  readonly $or?: readonly Readonly<Record<string, unknown>>[];
}

/**
 * Each EventBridge field and the CDK `EventPattern` property that renders back to it: CDK renames
 * `detailType` to `detail-type` and writes every other property, `$or` included, under its own name.
 */
const CDK_FIELDS = {
  version: 'version',
  id: 'id',
  'detail-type': 'detailType',
  source: 'source',
  account: 'account',
  time: 'time',
  region: 'region',
  resources: 'resources',
  detail: 'detail',
  $or: '$or',
} as const satisfies Record<keyof EventBridgePattern, string>;

/**
 * The CDK form of an EventBridge pattern, which the rule renders back unchanged. Mapped field by field
 * rather than cast, so that a field EventBridge events do not have (a typo, or CDK's own `detailType`)
 * fails the synthesis instead of deploying a rule that never matches. Values are copied: CDK merges
 * later `addEventPattern` calls into the objects it was given, which must not be the catalog's.
 * Content filters (`{ prefix: … }`) are not strings, as CDK's types say, but CDK passes them through.
 */
export function cdkEventPattern(pattern: EventBridgePattern): events.EventPattern {
  const cdk: Record<string, unknown> = {};
  for (const [field, value] of Object.entries(pattern)) {
    if (!Object.hasOwn(CDK_FIELDS, field)) {
      throw new Error(`Event pattern field "${field}" is not an EventBridge event field (${Object.keys(CDK_FIELDS).join(', ')})`);
    }
    if (value !== undefined) cdk[CDK_FIELDS[field as keyof EventBridgePattern]] = structuredClone(value);
  }
  return cdk as events.EventPattern;
}
