import { Duration } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import { Construct } from 'constructs';
import { EVENT_SOURCE } from '../../functions/contracts/index.ts';

export interface PlaybookEventBusProps {
  /** How long published domain events can be replayed: whole events, customer data included. */
  readonly archiveRetention: Duration;
}

/**
 * The custom bus the ingest function publishes to, and the archive of every domain event on it: a
 * playbook fixed after an incident can be replayed over the events it missed.
 */
export class PlaybookEventBus extends Construct {
  readonly bus: events.EventBus;
  readonly archive: events.Archive;

  constructor(scope: Construct, id: string, props: PlaybookEventBusProps) {
    super(scope, id);
    // EventBridge reads 0 days as "keep forever": never what this archive of customer data may do.
    // (toDays() also throws on a fraction of a day, which EventBridge cannot store.)
    const days = props.archiveRetention.toDays();
    if (days < 1) throw new Error(`${id}: the archive retention must be at least 1 day (0 would keep events forever)`);
    this.bus = new events.EventBus(this, 'Bus', {
      description: 'Customer Success domain events (source cs-playbooks)',
    });
    this.archive = this.bus.archive('Archive', {
      description: 'Every domain event, for replay',
      eventPattern: { source: [EVENT_SOURCE] },
      retention: props.archiveRetention,
    });
  }
}
