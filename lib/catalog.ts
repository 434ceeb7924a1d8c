import { DetailType, EVENT_SOURCE } from '../functions/contracts/index.ts';
import { dayOfWeek, localDate, nextDailyInstant } from '../functions/core/calendar/business-time.ts';
import { SCORED_ON } from '../functions/core/health/account-health.ts';
import { domainOf, type ActionId, type DomainId } from './functions.ts';

/**
 * The catalog: every playbook declared once. `lib/` builds the CDK resources from it, `sandbox/`
 * builds its bus and runner from it, and the parity test proves both agree.
 */

export * from './functions.ts';

export interface PlaybookEntry {
  readonly id: string;
  readonly description: string;
  /** The ASL file: the flow, each Task naming the action it calls (`"Action": "create-task"`). */
  readonly definitionFile: string;
  /**
   * What the flow file's `${Name}` placeholders are for this playbook, when playbooks share one flow and
   * differ only in these (`${Playbook}`, its id, is always there). Filled by the build (lib/flow.ts),
   * before the ARNs, so both runtimes deploy the same text.
   */
  readonly parameters?: Readonly<Record<string, string>>;
  /** The domain events that start it (none for a playbook its `schedule` starts). */
  readonly trigger: readonly DetailType[];
  /**
   * Started by the stage's clock instead of an event: every day (or on `weekdays`) at `daily` (HH:MM) in
   * `timezone`, by an EventBridge Scheduler schedule on AWS and by the sandbox's clock, with `{ "night":
   * <the scheduled instant> }` as input.
   */
  readonly schedule?: PlaybookSchedule;
  /** The actions its Task states call: its state machine may invoke their domains' functions, and no other. */
  readonly actions: readonly ActionId[];
  /**
   * Its executions start fresh executions of this very state machine (`arn:aws:states:::states:startExecution`):
   * the hand-over that keeps a long wait out of the one-year execution limit and puts a redeploy into
   * effect at the next wake-up. Its ASL names its own ARN `${<Playbook>StateMachineArn}`
   * (`stateMachineSubstitutionKey`); on AWS it gets a fixed name, so that ARN is known without the
   * state machine referring to itself (a CloudFormation cycle).
   */
  readonly startsItself?: boolean;
}

export interface PlaybookSchedule {
  /** HH:MM in `timezone`. */
  readonly daily: string;
  readonly timezone: string;
  /** Only on these days of the week (in `timezone`); every day when absent. */
  readonly weekdays?: readonly Weekday[];
}

export const WEEKDAYS = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

/** The schedule's next instant after `now`: its time on the next day that is one of its weekdays, in its zone. */
export function nextScheduledInstant(now: Date, { daily, timezone, weekdays }: PlaybookSchedule): Date {
  let at = nextDailyInstant(now, daily, timezone);
  while (weekdays && !weekdays.includes(WEEKDAYS[dayOfWeek(localDate(at, timezone))]!)) at = nextDailyInstant(at, daily, timezone);
  return at;
}

/** How the report and the schedule's description say when it runs: "every day at 02:00 (UTC)". */
export function describeSchedule({ daily, timezone, weekdays }: PlaybookSchedule): string {
  return `${weekdays ? `every ${weekdays.join(', ')}` : 'every day'} at ${daily} (${timezone})`;
}

export const PLAYBOOKS = [
  {
    id: 'account-sync',
    description: 'Keep the account record in step with the CRM and the lifecycle facts (contract signed, billing started); an incomplete one stays pending',
    definitionFile: 'statemachines/account-sync.asl.json',
    // The lifecycle facts are fields of the record, merged newest first like the CRM's: the playbook that keeps it.
    trigger: [DetailType.AccountUpdated, DetailType.ContractSigned, DetailType.BillingStarted],
    actions: ['upsert-account', 'create-task'],
  },
  {
    id: 'nps-response',
    description: 'Band an NPS answer and give the CSM the matching task',
    definitionFile: 'statemachines/nps-response.asl.json',
    trigger: [DetailType.NpsResponseReceived],
    actions: [
      'record-nps-response',
      'open-risk',
      'gather-detractor-context',
      'create-task',
      'suppress-nps-surveys',
      'plan-detractor-follow-up',
      'find-touchpoint',
      'find-open-risk',
      'check-store-call',
      'post-alert',
      'acknowledge-alert',
      'prepare-email',
      'plan-approval',
      // Approval mode in Slack: the CSM's direct message with Approve/Reject buttons.
      'offer-approval',
      'request-approval',
      'send-email',
    ],
  },
  {
    id: 'touchpoint-log',
    description: 'File calls, meetings, e-mail exchanges and QBRs under their account',
    definitionFile: 'statemachines/touchpoint-log.asl.json',
    trigger: [DetailType.TouchpointLogged],
    actions: ['record-touchpoint', 'create-task'],
  },
  {
    id: 'competitor-meeting',
    description: 'Red alert: call the client before their meeting with a competitor, one follow-up per meeting',
    definitionFile: 'statemachines/competitor-meeting.asl.json',
    trigger: [DetailType.CompetitorMeetingDetected],
    actions: [
      'plan-competitor-meeting',
      'post-alert',
      'open-risk',
      'create-task',
      'record-account-note',
      'acknowledge-alert',
      'recheck-competitor-meeting',
      'release-competitor-meeting',
    ],
  },
  {
    id: 'churn-risk',
    description: 'Keep one open risk per account and kind, and give the CSM the info-and-meeting task',
    definitionFile: 'statemachines/churn-risk.asl.json',
    trigger: [DetailType.ChurnRiskCreated],
    actions: ['open-risk', 'create-task', 'post-alert', 'acknowledge-alert'],
  },
  {
    id: 'upsell-request',
    description: 'Post an upsell request to the alert channel and give the account manager the task',
    definitionFile: 'statemachines/client-request.asl.json',
    parameters: { OwnerRole: 'sales', Request: 'upsell request' },
    trigger: [DetailType.UpsellRequested],
    actions: ['post-alert', 'create-task', 'acknowledge-alert'],
  },
  {
    id: 'hardware-order',
    description: 'Post a hardware order to the alert channel and give the CSM the task',
    definitionFile: 'statemachines/client-request.asl.json',
    parameters: { OwnerRole: 'csm', Request: 'hardware order' },
    trigger: [DetailType.HardwareOrderRequested],
    actions: ['post-alert', 'create-task', 'acknowledge-alert'],
  },
  {
    id: 'client-feedback',
    description: "A client's e-mail: a first reply within 24 hours, or the team lead escalated; then the meeting",
    definitionFile: 'statemachines/client-feedback.asl.json',
    // Feedback starts the first-reply wait; the reply is recorded and resumes it. One state machine: the
    // actions that resume its executions may do so on it alone.
    trigger: [DetailType.ClientFeedbackReceived, DetailType.ClientReplySent],
    actions: [
      'plan-first-reply',
      'create-task',
      'await-first-reply',
      'record-sla-breach',
      'post-alert',
      'acknowledge-alert',
      'plan-client-risk',
      'open-risk',
      'find-open-tasks',
      'check-sale-cancellation',
      'notify-person',
      'record-client-reply',
    ],
  },
  {
    id: 'task-completed',
    description: 'Mark a task completed when its owner closed it in the CRM',
    definitionFile: 'statemachines/task-completed.asl.json',
    trigger: [DetailType.TaskCompleted],
    actions: ['complete-task', 'create-task'],
  },
  {
    id: 'account-flooded',
    description: "Say once per account and hour that the flood guard held its events (past floodGuard.eventsPerAccountPerHour), instead of a task and a post per event",
    definitionFile: 'statemachines/account-flooded.asl.json',
    trigger: [DetailType.AccountFlooded],
    // create-task: the manual follow-up when the post fails for good (the step policy).
    actions: ['post-alert', 'create-task'],
  },
  {
    id: 'alert-acknowledged',
    description: "Acknowledge an alert when someone clicks the ✅ button on its Slack post, or snoozes a threshold alert",
    definitionFile: 'statemachines/alert-acknowledged.asl.json',
    trigger: [DetailType.AlertAcknowledged, DetailType.AlertSnoozed],
    actions: ['acknowledge-alert', 'snooze-alert', 'create-task'],
  },
  {
    id: 'approval-decided',
    description: "Apply a CSM's Slack decision on a parked e-mail: record it once, resume the playbooks waiting for it",
    definitionFile: 'statemachines/approval-decided.asl.json',
    trigger: [DetailType.ApprovalDecided],
    actions: ['apply-approval-decision', 'create-task'],
  },
  {
    id: 'no-contact',
    description: 'The 91-day check: propose an exchange to the champion of an account nobody talked with, then remind',
    definitionFile: 'statemachines/no-contact.asl.json',
    trigger: [DetailType.TouchpointLogged, DetailType.AccountUpdated],
    // offer-approval: approval mode in Slack, the CSM's direct message with Approve/Reject buttons.
    actions: ['start-no-contact-check', 'recheck-no-contact', 'create-task', 'release-no-contact-check', 'prepare-email', 'plan-approval', 'offer-approval', 'request-approval', 'send-email'],
    startsItself: true,
  },
  {
    id: 'usage-check',
    description: "The account's usage check: a drop (idle, or falling week over week) alerts the CSM and, for high-touch accounts, checks in with the champion then asks whether a meeting is booked; idle key contacts get a call or a nudge",
    definitionFile: 'statemachines/usage-check.asl.json',
    trigger: [DetailType.AccountActive],
    // offer-approval: approval mode in Slack, the CSM's direct message with Approve/Reject buttons.
    actions: ['start-usage-check', 'review-usage', 'post-alert', 'create-task', 'acknowledge-alert', 'prepare-email', 'plan-approval', 'offer-approval', 'request-approval', 'send-email', 'release-usage-check'],
    startsItself: true,
  },
  {
    id: 'welcome-back',
    description: 'Welcome back a contact who uses the product again after a long absence: the e-mail, and a call for a key contact',
    definitionFile: 'statemachines/welcome-back.asl.json',
    trigger: [DetailType.ContactReturned],
    actions: ['plan-welcome-back', 'create-task', 'prepare-email', 'plan-approval', 'offer-approval', 'request-approval', 'send-email'],
  },
  {
    id: 'feature-guide',
    description: "Send a contact the guide of a feature they just used for the first time (or the getting-started guide at their first use)",
    definitionFile: 'statemachines/feature-guide.asl.json',
    trigger: [DetailType.FeatureFirstUsed],
    // create-task: the manual follow-up when a step fails for good (the step policy).
    actions: ['prepare-email', 'send-email', 'create-task'],
  },
  {
    id: 'renewal',
    description: "Renewal anticipation from the notice date: the branch (at risk, strategic, standard) renewal.startDays before it, then the reminders, until the renewal is recorded; a moved date plans again",
    definitionFile: 'statemachines/renewal.asl.json',
    // The CRM's updates carry the renewal date; its record of the outcome ends the reminders. One state
    // machine: the check is claimed, moved and ended by the same record.
    trigger: [DetailType.AccountUpdated, DetailType.RenewalRecorded],
    actions: ['start-renewal-check', 'recheck-renewal', 'create-task', 'notify-person', 'release-renewal-check'],
    startsItself: true,
  },
  {
    id: 'at-risk',
    description: "An account's health score degraded (a band down, or health.dropPoints within a week): the alert naming the measure that dragged it down, then the CSM's at-risk-plan task (high-touch) or the at-risk e-mail to the champion (low-touch)",
    definitionFile: 'statemachines/at-risk.asl.json',
    trigger: [DetailType.HealthDegraded],
    actions: ['plan-at-risk', 'post-alert', 'create-task', 'prepare-email', 'send-email', 'acknowledge-alert'],
  },
  {
    id: 'threshold-alert',
    description: "An account crossed one of the alert channel's lines (no exchange, decision-maker silent, no QBR, renewal near, champion idle): one post, on entry only, with its ✅ and its 💤 snooze",
    definitionFile: 'statemachines/threshold-alert.asl.json',
    trigger: [DetailType.ThresholdReached],
    // create-task: the manual follow-up when the post fails for good (the step policy).
    actions: ['post-alert', 'create-task'],
  },
  {
    id: 'health-nightly',
    description: 'Every night, every scored account scored again, a page at a time, for the health measures that move with the days alone (usage weeks, days since the last touchpoint, an expired pulse)',
    definitionFile: 'statemachines/health-nightly.asl.json',
    trigger: [],
    schedule: { daily: '02:00', timezone: 'UTC' },
    actions: ['rescore-accounts'],
  },
  {
    id: 'monday-digest',
    description: "Each CSM's and team lead's Monday note at digest.time in their own time zone: what degraded, ghosting accounts, renewals, overdue tasks, alerts without a check mark, good news; once per person and week",
    definitionFile: 'statemachines/monday-digest.asl.json',
    trigger: [],
    // Each run plans the Monday notes of the 24 hours after it, each at its own instant. Monday, in a zone
    // from UTC-12 to UTC+14, is within Sunday 10:00 UTC and Tuesday 12:00 UTC: three runs a week reach every one.
    schedule: { daily: '00:00', timezone: 'UTC', weekdays: ['SUN', 'MON', 'TUE'] },
    actions: ['plan-digests', 'gather-digests', 'send-digests'],
  },
  {
    id: 'alert-reminder',
    description: "The alert channel's 17:00 reminder: one post per account and business day listing its alerts still without a check mark",
    definitionFile: 'statemachines/alert-reminder.asl.json',
    // The events that raise an alert (docs/playbooks.md, alert channel), each beside its own playbook.
    trigger: [
      DetailType.ChurnRiskCreated,
      DetailType.CompetitorMeetingDetected,
      DetailType.NpsResponseReceived,
      DetailType.UpsellRequested,
      DetailType.HardwareOrderRequested,
      DetailType.HealthDegraded,
    ],
    actions: ['plan-alert-reminder', 'remind-open-alerts', 'create-task'],
    startsItself: true,
  },
  {
    id: 'pre-churn',
    description: 'Pre-churn: a cancellation within 14 days of the signature; the save, and for a loss with proof the RETENTION case, the plan expiry and one refund request',
    definitionFile: 'statemachines/pre-churn.asl.json',
    // The cancellation opens the case and waits; the save's outcome is recorded and resumes it. One
    // state machine: the actions that resume its executions may do so on it alone.
    trigger: [DetailType.CancellationRequested, DetailType.SaveAttemptConcluded],
    actions: [
      'open-pre-churn',
      'open-risk',
      'create-task',
      'notify-person',
      'plan-save-wait',
      'await-save-outcome',
      'record-save-outcome',
      'record-retention-case',
      'set-plan-expiry',
      'request-refund',
    ],
  },
] as const satisfies readonly PlaybookEntry[];

/**
 * The optimized Lambda integration's callback form: Step Functions invokes `Parameters.FunctionName`
 * with `Parameters.Payload`, ignores its result, and waits for SendTaskSuccess/SendTaskFailure on the
 * token the payload carries (`$$.Task.Token`), up to the state's timeout.
 */
export const LAMBDA_WAIT_FOR_TASK_TOKEN = 'arn:aws:states:::lambda:invoke.waitForTaskToken';

/** The Step Functions service integration a hand-over Task state calls (fire and forget, not `.sync`). */
export const START_EXECUTION_RESOURCE = 'arn:aws:states:::states:startExecution';

/** The EventBridge pattern of a playbook's rule: identical on AWS and in the sandbox bus. */
export function triggerPattern(entry: Pick<PlaybookEntry, 'trigger'>) {
  return { source: [EVENT_SOURCE], 'detail-type': [...entry.trigger] };
}

/**
 * A fact recorded straight from the bus by one action, no state machine: an EventBridge rule whose
 * target is the action's domain function (lib/constructs/event-recorder.ts; the sandbox's bus the
 * same). For what comes at a volume no execution per event could afford: the product's usage.
 */
export interface RecorderEntry {
  readonly id: string;
  readonly description: string;
  readonly trigger: readonly DetailType[];
  readonly action: ActionId;
}

export const RECORDERS = [
  {
    id: 'usage-recorder',
    description: "Record each use of the product, or a contact's day, in the account's usage: one function call, a few item writes, no execution",
    trigger: [DetailType.ProductUsageRecorded],
    action: 'record-usage',
  },
  {
    id: 'health-scorer',
    description: 'Score the account each event that moves a health measure is about, within the minute, and watch its threshold alerts: one function call, no execution unless the score degrades or a threshold is reached',
    trigger: [...SCORED_ON],
    action: 'score-health',
  },
] as const satisfies readonly RecorderEntry[];

/** `pre-churn` → `PreChurn`: construct ids and substitution keys are built from catalog ids. */
export function pascalCase(id: string): string {
  return id.replace(/(^|-)([a-z0-9])/g, (_, __, letter: string) => letter.toUpperCase());
}

/** `tasks` → `TasksFunctionArn`: the `${…}` a built definition calls that domain's function by. */
export function substitutionKey(domain: DomainId): string {
  return `${pascalCase(domain)}FunctionArn`;
}

/** The `${…}` placeholders of an ASL file, as `definitionSubstitutions` fills them. */
export const SUBSTITUTION_TOKEN = /\$\{([A-Za-z0-9_]+)\}/g;

/** Every `${…}` key an ASL text uses, once each. */
export function substitutionKeysIn(definition: string): string[] {
  return [...new Set([...definition.matchAll(SUBSTITUTION_TOKEN)].map((match) => match[1]!))];
}

/** `no-contact` → `NoContactStateMachineArn`: the `${…}` a playbook that starts itself uses for its own ARN. */
export function stateMachineSubstitutionKey(playbook: Pick<PlaybookEntry, 'id'>): string {
  return `${pascalCase(playbook.id)}StateMachineArn`;
}

/** The `${…}` of the playbook's own ARN, when it starts itself. */
export function selfSubstitutionOf(playbook: PlaybookEntry): string | undefined {
  return playbook.startsItself ? stateMachineSubstitutionKey(playbook) : undefined;
}

/**
 * `cs-playbooks-prod-no-contact`: the fixed name of a state machine that starts itself (its ARN is then
 * built from the stack's partition, region and account, with no reference to the resource). Other
 * playbooks keep CloudFormation's generated names: renaming a state machine replaces it, and its
 * running executions with it.
 */
export function stateMachineName(stage: string, playbook: Pick<PlaybookEntry, 'id'>): string {
  return `cs-playbooks-${stage}-${playbook.id}`;
}

/** The domains whose functions `playbook`'s Tasks call: those of its actions, once each. */
export function domainsOf(playbook: Pick<PlaybookEntry, 'actions'>): DomainId[] {
  return [...new Set(playbook.actions.map(domainOf))];
}

/** `${…}` key → the domain of `playbook` whose function it stands for (what both runtimes put there). */
export function substitutionsOf(playbook: Pick<PlaybookEntry, 'actions'>): Map<string, DomainId> {
  return new Map(domainsOf(playbook).map((domain) => [substitutionKey(domain), domain]));
}
