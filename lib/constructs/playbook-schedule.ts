import { Duration, TimeZone } from 'aws-cdk-lib';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as targets from 'aws-cdk-lib/aws-scheduler-targets';
import type { IStateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { describeSchedule, type PlaybookEntry, type PlaybookSchedule as Schedule } from '../catalog.ts';
import { DeadLetterQueue } from './dead-letter-queue.ts';

export interface PlaybookScheduleProps {
  readonly playbook: PlaybookEntry & { readonly schedule: Schedule };
  readonly stateMachine: IStateMachine;
}

/**
 * The schedule that starts a playbook the stage's clock runs (lib/catalog.ts `schedule`): an EventBridge
 * Scheduler schedule, every day at the catalog's time in its time zone, whose target starts the state
 * machine with `{ "night": <the scheduled instant> }` (the sandbox's clock gives the same input). A start
 * Scheduler could not make is retried for 4 hours, then kept in a dead-letter queue whose first message
 * raises an alarm. The target's role (the construct's) may start this state machine and nothing else.
 */
export class PlaybookSchedule extends Construct {
  readonly schedule: scheduler.Schedule;
  readonly deadLetterQueue: DeadLetterQueue;

  constructor(scope: Construct, id: string, props: PlaybookScheduleProps) {
    super(scope, id);
    const [hour, minute] = props.playbook.schedule.daily.split(':');
    this.deadLetterQueue = new DeadLetterQueue(this, 'DeadLetters');
    this.schedule = new scheduler.Schedule(this, 'Schedule', {
      description: `Starts the ${props.playbook.id} playbook ${describeSchedule(props.playbook.schedule)}`,
      schedule: scheduler.ScheduleExpression.cron({
        minute: String(Number(minute)),
        hour: String(Number(hour)),
        ...(props.playbook.schedule.weekdays ? { weekDay: props.playbook.schedule.weekdays.join(',') } : {}),
        timeZone: TimeZone.of(props.playbook.schedule.timezone),
      }),
      target: new targets.StepFunctionsStartExecution(props.stateMachine, {
        input: scheduler.ScheduleTargetInput.fromObject({ night: scheduler.ContextAttribute.scheduledTime }),
        deadLetterQueue: this.deadLetterQueue.queue,
        retryAttempts: 8,
        maxEventAge: Duration.hours(4),
      }),
    });
  }
}
