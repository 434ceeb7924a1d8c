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
 * The catalog writes patterns as EventBridge does (`detail-type`); CDK's `EventPattern` spells it
 * `detailType` and renders it back. Mapped explicitly rather than relying on CDK passing unknown keys.
 */
function cdkEventPattern(pattern: ReturnType<typeof triggerPattern>): events.EventPattern {
  const { source, 'detail-type': detailType, ...rest } = pattern;
  if (Object.keys(rest).length > 0) throw new Error(`Unmapped event pattern fields: ${Object.keys(rest).join(', ')}`);
  return { source, detailType };
}
