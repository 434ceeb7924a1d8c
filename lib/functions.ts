// The catalog's functions: one Lambda per domain, each routing the actions its domain's Tasks name
// (functions/<domain>/handler.ts), and for every action its body and its least-privilege needs. A
// domain's role is granted the union of its actions' needs, nothing more (domainGrants). lib/catalog.ts
// re-exports them beside the playbooks that call the actions.
import { findTouchpoint } from '../functions/accounts/find-touchpoint.ts';
import { recordAccountNote } from '../functions/accounts/record-account-note.ts';
import { recordTouchpoint } from '../functions/accounts/record-touchpoint.ts';
import { upsertAccount } from '../functions/accounts/upsert-account.ts';
import { acknowledgeAlert } from '../functions/alerts/acknowledge-alert.ts';
import { notifyPerson } from '../functions/alerts/notify-person.ts';
import { planAlertReminder } from '../functions/alerts/plan-alert-reminder.ts';
import { postAlert } from '../functions/alerts/post-alert.ts';
import { snoozeAlert } from '../functions/alerts/snooze-alert.ts';
import { remindOpenAlerts } from '../functions/alerts/remind-open-alerts.ts';
import { applyApprovalDecision } from '../functions/approvals/apply-approval-decision.ts';
import { offerApproval } from '../functions/approvals/offer-approval.ts';
import { planApproval } from '../functions/approvals/plan-approval.ts';
import { requestApproval } from '../functions/approvals/request-approval.ts';
import { planCompetitorMeeting } from '../functions/competitor-meeting/plan-competitor-meeting.ts';
import { recheckCompetitorMeeting } from '../functions/competitor-meeting/recheck-competitor-meeting.ts';
import { releaseCompetitorMeeting } from '../functions/competitor-meeting/release-competitor-meeting.ts';
import { prepareEmail } from '../functions/emails/prepare-email.ts';
import { sendEmail } from '../functions/emails/send-email.ts';
import { awaitFirstReply } from '../functions/feedback/await-first-reply.ts';
import { checkSaleCancellation } from '../functions/feedback/check-sale-cancellation.ts';
import { planClientRisk } from '../functions/feedback/plan-client-risk.ts';
import { planFirstReply } from '../functions/feedback/plan-first-reply.ts';
import { recordClientReply } from '../functions/feedback/record-client-reply.ts';
import { recordSlaBreach } from '../functions/feedback/record-sla-breach.ts';
import { recheckNoContact } from '../functions/no-contact/recheck-no-contact.ts';
import { releaseNoContactCheck } from '../functions/no-contact/release-no-contact-check.ts';
import { startNoContactCheck } from '../functions/no-contact/start-no-contact-check.ts';
import { checkStoreCall } from '../functions/nps/check-store-call.ts';
import { gatherDetractorContext } from '../functions/nps/gather-detractor-context.ts';
import { planDetractorFollowUp } from '../functions/nps/plan-detractor-follow-up.ts';
import { recordNpsResponse } from '../functions/nps/record-nps-response.ts';
import { suppressNpsSurveys } from '../functions/nps/suppress-nps-surveys.ts';
import { awaitSaveOutcome } from '../functions/pre-churn/await-save-outcome.ts';
import { openPreChurn } from '../functions/pre-churn/open-pre-churn.ts';
import { planSaveWait } from '../functions/pre-churn/plan-save-wait.ts';
import { recordRetentionCase } from '../functions/pre-churn/record-retention-case.ts';
import { recordSaveOutcome } from '../functions/pre-churn/record-save-outcome.ts';
import { setPlanExpiry } from '../functions/pre-churn/set-plan-expiry.ts';
import { requestRefund } from '../functions/refund/request-refund.ts';
import { recordUsage } from '../functions/usage/record-usage.ts';
import { planAtRisk } from '../functions/health/plan-at-risk.ts';
import { gatherDigests } from '../functions/digest/gather-digests.ts';
import { planDigestsOfDay } from '../functions/digest/plan-digests.ts';
import { sendDigests } from '../functions/digest/send-digests.ts';
import { recheckRenewal } from '../functions/renewal/recheck-renewal.ts';
import { releaseRenewalCheck } from '../functions/renewal/release-renewal-check.ts';
import { startRenewalCheck } from '../functions/renewal/start-renewal-check.ts';
import { rescoreAccounts } from '../functions/health/rescore-accounts.ts';
import { scoreHealth } from '../functions/health/score-health.ts';
import { planWelcomeBack } from '../functions/usage-check/plan-welcome-back.ts';
import { releaseUsageCheck } from '../functions/usage-check/release-usage-check.ts';
import { reviewUsageCheck } from '../functions/usage-check/review-usage.ts';
import { startUsageCheck } from '../functions/usage-check/start-usage-check.ts';
import { findOpenRisk } from '../functions/risks/find-open-risk.ts';
import { openRisk } from '../functions/risks/open-risk.ts';
import { completeTask } from '../functions/tasks/complete-task.ts';
import { createTask } from '../functions/tasks/create-task.ts';
import { findOpenTasks } from '../functions/tasks/find-open-tasks.ts';
import { deliverDispatches } from '../functions/dispatch/deliver-dispatches.ts';
import type { PortName } from '../functions/adapters/ports.ts';
import { DetailType } from '../functions/contracts/events.ts';
import type { PlaybookFunction } from '../functions/runtime/playbook-function.ts';
import type { ItemType } from '../functions/adapters/table.ts';
import { tableActionsOf, tableStatements, unionOf, type TableAccess, type TableAction, type TableStatement } from './table-grants.ts';

/** One action of a domain: what a Task names (`"Action": "create-task"`). */
export interface ActionEntry {
  /** The body both runtimes run. */
  readonly fn: PlaybookFunction;
  readonly description: string;
  /**
   * What it does to the table: each operation, on the item types (partitions) it needs. Its domain's
   * IAM grant is derived from it (lib/table-grants.ts): an operation on another type is denied.
   */
  readonly table: TableAccess;
  /**
   * Step Functions callbacks it makes itself, on the state machines of the playbooks that call it:
   * request-approval resumes an execution at once when the approval was decided before it asked.
   */
  readonly taskCallbacks?: readonly TaskCallbackAction[];
  /**
   * Its callbacks resume the playbooks that call this other action instead of its own callers:
   * apply-approval-decision resumes the executions parked on request-approval (as decide-approval does).
   * An action id (a `string` here only because `ActionId` is derived from this very table).
   */
  readonly resumesCallersOf?: string;
  /**
   * The domain events it derives and puts on the bus itself (the usage recorder's): its domain's
   * function gets the bus's name and `events:PutEvents` on it, and the sandbox gives it its bus.
   */
  readonly publishes?: readonly DetailType[];
}

/** A domain: one Lambda, whose entry routes each of its actions to the action's body. */
export interface DomainEntry {
  /** The Lambda entry (bundled by esbuild): functions/<domain>/handler.ts. */
  readonly entry: string;
  readonly description: string;
  readonly actions: Readonly<Record<string, ActionEntry>>;
  /**
   * The dispatch drain (functions/dispatch): no playbook calls it; the table's stream and a schedule
   * do (DispatchDrain), and it alone queries the dispatch index.
   */
  readonly drainsDispatches?: boolean;
  /**
   * Called for every event of a high-volume fact (the usage recorder): not traced unless its caller
   * was (X-Ray's default sampling would record about every call at one a second, $5 a million), and
   * Powertools Tracer off. The other domains are traced actively.
   */
  readonly highVolume?: boolean;
}

/** What resumes an execution parked on a `.waitForTaskToken` Task. */
export type TaskCallbackAction = 'states:SendTaskSuccess' | 'states:SendTaskFailure';

export type { TableAction } from './table-grants.ts';

/** The items a dispatch marks with the vendor's answer (functions/adapters/mirror.ts's callers): what the drain updates. */
const MIRRORED = ['TASK', 'RISK', 'PRE_CHURN', 'ALERT', 'REMINDER', 'NOTIFICATION', 'EMAIL', 'DIGEST'] as const satisfies readonly ItemType[];

/**
 * What every domain's function reads besides its actions' needs: whether the table is being migrated
 * to this layout (functions/runtime/ledger-layout.ts), before its first action runs.
 */
export const RUNTIME_TABLE_ACCESS: TableAccess = { GetItem: ['LAYOUT'] };

/**
 * The domains, each one Lambda, and their actions. The folder functions/<domain>/ holds the domain's
 * handler.ts (its router) and one file per action; the action's pure rules live in
 * functions/core/<domain>/ where the domain has some. The refund is a domain of its own: the one action
 * that moves money keeps a function, and a role, that nothing else runs with.
 */
export const DOMAINS = {
  accounts: {
    entry: 'functions/accounts/handler.ts',
    description: 'The account record and what the ledger keeps about it: CRM sync and lifecycle facts, touchpoints, notes',
    actions: {
      'upsert-account': {
        fn: upsertAccount,
        description: 'Apply a CRM AccountUpdated, a ContractSigned or a BillingStarted to the account record (pending while incomplete)',
        // The account record: read, merged, then one conditional UpdateItem that keeps its firstSeenAt; the update's sealed contacts read.
        table: { GetItem: ['ACCOUNT', 'SEALED'], UpdateItem: ['ACCOUNT'] },
      },
      'record-touchpoint': {
        fn: recordTouchpoint,
        description: 'File a touchpoint under its account, once',
        // The account, and the touchpoint's conditional put (read back when an earlier delivery wrote it).
        table: { GetItem: ['ACCOUNT', 'TOUCHPOINT'], PutItem: ['TOUCHPOINT'] },
      },
      'find-touchpoint': {
        fn: findTouchpoint,
        description: 'Tell whether a contact was reached since a time (exit on goal)',
        // The account's touchpoints since a time.
        table: { Query: ['TOUCHPOINT'] },
      },
      'record-account-note': {
        fn: recordAccountNote,
        description: 'Leave a note on the account, once per reason',
        // The account, and the note's conditional put.
        table: { GetItem: ['ACCOUNT', 'NOTE'], PutItem: ['NOTE'] },
      },
    },
  },
  nps: {
    entry: 'functions/nps/handler.ts',
    description: "An NPS answer and its follow-up: the band, a detractor's context, plan and survey suppression, a promoter's store call",
    actions: {
      'record-nps-response': {
        fn: recordNpsResponse,
        description: 'Record an NPS answer once and band it',
        // The account, the answer's sealed comment, and the answer's conditional put (the dedup on eventId).
        table: { GetItem: ['ACCOUNT', 'NPS', 'SEALED'], PutItem: ['NPS'] },
      },
      'gather-detractor-context': {
        fn: gatherDetractorContext,
        description: "Write a detractor's 360-degree context and the tasks' sealed bodies, and decide the escalation",
        // The account, then its NPS answers, open risks and touchpoints; the task bodies sealed.
        table: { GetItem: ['ACCOUNT', 'SEALED'], Query: ['NPS', 'RISK', 'TOUCHPOINT'], PutItem: ['SEALED'] },
      },
      'suppress-nps-surveys': {
        fn: suppressNpsSurveys,
        description: 'Suppress NPS surveys on the account while an action plan is open',
        // The account's update (the suppression flag), and the CRM's company property queued as a dispatch.
        table: { GetItem: ['ACCOUNT', 'DISPATCH'], UpdateItem: ['ACCOUNT'], PutItem: ['DISPATCH'] },
      },
      'plan-detractor-follow-up': {
        fn: planDetractorFollowUp,
        description: "Plan a detractor's cool-down and plan review in business time",
        table: { GetItem: ['ACCOUNT'] },
      },
      'check-store-call': {
        fn: checkStoreCall,
        description: 'Tell whether a promoter account qualifies for a store call',
        table: { GetItem: ['ACCOUNT'] },
      },
    },
  },
  risks: {
    entry: 'functions/risks/handler.ts',
    description: 'Churn and downsell risks: one open per account and kind, mirrored to the CRM',
    actions: {
      'open-risk': {
        fn: openRisk,
        description: 'Open a churn or downsell risk unless one is open, and mirror it to the CRM',
        // The account, the risk's conditional put (its sealed context read), and its CRM mirror queued as a dispatch.
        table: { GetItem: ['ACCOUNT', 'RISK', 'DISPATCH', 'SEALED'], PutItem: ['RISK', 'DISPATCH'] },
      },
      'find-open-risk': {
        fn: findOpenRisk,
        description: 'Tell whether the risk a playbook opened or joined is still open (exit on goal)',
        table: { Query: ['RISK'] },
      },
    },
  },
  tasks: {
    entry: 'functions/tasks/handler.ts',
    description: "The CSMs' tasks: created once per reason and mirrored to the CRM, completed when the CRM says so",
    actions: {
      'create-task': {
        fn: createTask,
        description: 'Create a task for the account owner, once per reason, and mirror it to the CRM',
        // The account, the sealed texts it is handed, the task's conditional put, and its CRM mirror queued as a dispatch.
        table: { GetItem: ['ACCOUNT', 'SEALED', 'TASK', 'DISPATCH'], PutItem: ['TASK', 'DISPATCH'] },
      },
      'complete-task': {
        fn: completeTask,
        description: 'Mark a task completed when the CRM says its owner closed it',
        table: { UpdateItem: ['TASK'] },
      },
      'find-open-tasks': {
        fn: findOpenTasks,
        description: 'After a wait, which of these tasks are still open (exit on goal)',
        table: { GetItem: ['TASK'] },
      },
    },
  },
  alerts: {
    entry: 'functions/alerts/handler.ts',
    description: 'The alert channel and direct messages: alerts posted once, acknowledged, reminded at 17:00',
    actions: {
      'post-alert': {
        fn: postAlert,
        description: 'Raise an alert once and post it to the alert channel',
        // The account, the alert (its sealed text read) and its open-list entry, and its post queued as a dispatch.
        table: { GetItem: ['ACCOUNT', 'ALERT', 'DISPATCH', 'SEALED'], PutItem: ['ALERT', 'OPEN_ALERTS', 'DISPATCH'] },
      },
      'acknowledge-alert': {
        fn: acknowledgeAlert,
        description: 'Mark an alert acknowledged (the check mark) once its task is set or it is resolved',
        // The account and the alert, its conditional status update, its removal from the open list, and the
        // reaction queued as a dispatch.
        table: { GetItem: ['ACCOUNT', 'ALERT', 'DISPATCH'], UpdateItem: ['ALERT'], DeleteItem: ['OPEN_ALERTS'], PutItem: ['DISPATCH'] },
      },
      'snooze-alert': {
        fn: snoozeAlert,
        description: 'Acknowledge the open posts of a snoozed threshold alert, handled by the snooze (until when, by whom, why)',
        // The account, its open alerts and each alert (the snooze's sealed reason read), each acknowledged as acknowledge-alert does.
        table: { GetItem: ['ACCOUNT', 'ALERT', 'DISPATCH', 'SEALED'], Query: ['OPEN_ALERTS'], UpdateItem: ['ALERT'], DeleteItem: ['OPEN_ALERTS'], PutItem: ['DISPATCH'] },
      },
      'plan-alert-reminder': {
        fn: planAlertReminder,
        description: "Plan an account's 17:00 alert reminder on its next business day, and claim that day for one execution",
        // The account, and the day's conditional claim (read back when another execution holds it).
        table: { GetItem: ['ACCOUNT', 'REMINDER'], PutItem: ['REMINDER'] },
      },
      'remind-open-alerts': {
        fn: remindOpenAlerts,
        description: "Post one reminder listing an account's alerts still without a check mark, once per account and day",
        // The account, the day's reminder and each alert; the account's entries in the open-alerts
        // partition; the reminder's post queued as a dispatch.
        table: { GetItem: ['ACCOUNT', 'REMINDER', 'ALERT', 'DISPATCH'], Query: ['OPEN_ALERTS'], PutItem: ['DISPATCH'] },
      },
      'notify-person': {
        fn: notifyPerson,
        description: 'Tell one person directly, outside the alert channel, once per reason',
        // The account, a sealed text (the renewal's word to the team lead), the person in the directory (their Slack member id), the notification's conditional put, and its message queued as a dispatch.
        table: { GetItem: ['ACCOUNT', 'NOTIFICATION', 'DISPATCH', 'SEALED', 'PEOPLE'], PutItem: ['NOTIFICATION', 'DISPATCH'] },
      },
    },
  },
  'competitor-meeting': {
    entry: 'functions/competitor-meeting/handler.ts',
    description: 'The red alert: a client meeting a competitor, one follow-up per meeting',
    actions: {
      'plan-competitor-meeting': {
        fn: planCompetitorMeeting,
        description: 'Record a red alert on its meeting, and plan the call and the coupled signals',
        // The account and the meeting, the meeting's conditional write, then NPS answers and open risks.
        table: { GetItem: ['ACCOUNT', 'MEETING'], PutItem: ['MEETING'], Query: ['NPS', 'RISK'] },
      },
      'recheck-competitor-meeting': {
        fn: recheckCompetitorMeeting,
        description: 'After the wait, exit, re-plan or call on a competitor meeting',
        // The account and the meeting, the touchpoints since the detection, the follow-up's new state.
        table: { GetItem: ['ACCOUNT', 'MEETING'], Query: ['TOUCHPOINT'], PutItem: ['MEETING'] },
      },
      'release-competitor-meeting': {
        fn: releaseCompetitorMeeting,
        description: 'After a failed red alert run, mark its follow-up failed so the next detection reopens it',
        // The meeting, and its conditional write.
        table: { GetItem: ['MEETING'], PutItem: ['MEETING'] },
      },
    },
  },
  emails: {
    entry: 'functions/emails/handler.ts',
    description: "The playbooks' e-mails: whether one goes out and its text, then its sending, once",
    actions: {
      'prepare-email': {
        fn: prepareEmail,
        description: "Decide whether a playbook's e-mail goes out (recipient, frequency cap, mode), render it and record the draft",
        // The account, the e-mail (sent already?) and the contact's frequency cap; the draft's conditional put.
        table: { GetItem: ['ACCOUNT', 'EMAIL', 'EMAIL_CAP'], PutItem: ['EMAIL'] },
      },
      'send-email': {
        fn: sendEmail,
        description: 'Queue a prepared e-mail (approved, edits applied) once for SES (or the outbox)',
        // The account, the draft and its approval, the latest touchpoint (exit on goal), the cap's
        // conditional put, the draft's conditional update to queued, and the e-mail queued as a dispatch
        // (the drain records SES's message id).
        table: { GetItem: ['ACCOUNT', 'EMAIL', 'APPROVAL', 'EMAIL_CAP', 'DISPATCH'], Query: ['TOUCHPOINT'], PutItem: ['EMAIL_CAP', 'DISPATCH'], UpdateItem: ['EMAIL'] },
      },
    },
  },
  approvals: {
    entry: 'functions/approvals/handler.ts',
    description: "A CSM's approval of an e-mail: its window, its Slack message, the parked execution, the decision taken in Slack",
    actions: {
      'plan-approval': {
        fn: planApproval,
        description: "Plan an approval's window in business days (the Task's TimeoutSecondsPath)",
        // The account, and the approval when a redelivery finds it.
        table: { GetItem: ['ACCOUNT', 'APPROVAL'] },
      },
      'offer-approval': {
        fn: offerApproval,
        description: "Send the CSM the e-mail waiting for approval in Slack, with Approve and Reject buttons, once",
        // The account and the draft, the CSM in the directory (their Slack member id), the notification's conditional put, and its message queued as a dispatch.
        table: { GetItem: ['ACCOUNT', 'EMAIL', 'NOTIFICATION', 'DISPATCH', 'PEOPLE'], PutItem: ['NOTIFICATION', 'DISPATCH'] },
      },
      'request-approval': {
        fn: requestApproval,
        description: "Park an execution on the CSM's approval of an e-mail (lambda:invoke.waitForTaskToken)",
        // The account, the draft, and the approval, the approval's conditional write, the CSM's task.
        table: { GetItem: ['ACCOUNT', 'EMAIL', 'APPROVAL', 'TASK'], PutItem: ['APPROVAL', 'TASK'] },
        taskCallbacks: ['states:SendTaskSuccess'],
      },
      'apply-approval-decision': {
        fn: applyApprovalDecision,
        description: "Apply a CSM's decision taken in Slack on a parked e-mail: record it once, resume the waiting playbooks",
        // The approval's read and conditional put (decide-approval's grant), and the two callbacks on the
        // playbooks that park on request-approval.
        table: { GetItem: ['APPROVAL'], PutItem: ['APPROVAL'] },
        taskCallbacks: ['states:SendTaskSuccess', 'states:SendTaskFailure'],
        resumesCallersOf: 'request-approval',
      },
    },
  },
  'no-contact': {
    entry: 'functions/no-contact/handler.ts',
    description: 'The 91-day no-contact check: claimed once per account, rechecked after each wait, released on failure',
    actions: {
      'start-no-contact-check': {
        fn: startNoContactCheck,
        description: "Claim an account's 91-day no-contact check, or note a newer touchpoint on the live one",
        // The account and the check, the latest touchpoint (an account update), the check's conditional write.
        table: { GetItem: ['ACCOUNT', 'NO_CONTACT'], Query: ['TOUCHPOINT'], PutItem: ['NO_CONTACT'] },
      },
      'recheck-no-contact': {
        fn: recheckNoContact,
        description: 'After a wait, hand the no-contact check over, propose an exchange, or remind',
        // The account and the check, the latest touchpoint, the decision's conditional write, the task's sealed body.
        table: { GetItem: ['ACCOUNT', 'NO_CONTACT'], Query: ['TOUCHPOINT'], PutItem: ['NO_CONTACT', 'SEALED'] },
      },
      'release-no-contact-check': {
        fn: releaseNoContactCheck,
        description: 'After a failed no-contact run, mark its check failed so the next event resumes it',
        // The check, and its conditional write.
        table: { GetItem: ['NO_CONTACT'], PutItem: ['NO_CONTACT'] },
      },
    },
  },
  feedback: {
    entry: 'functions/feedback/handler.ts',
    description: "A client's feedback: the first reply and its service level, the client risk, a suspension that cancels the sale",
    actions: {
      'plan-first-reply': {
        fn: planFirstReply,
        description: "Plan a client e-mail's first reply: due time, how long to wait, the task's template",
        table: { GetItem: ['ACCOUNT'], PutItem: ['SEALED'] },
      },
      'await-first-reply': {
        fn: awaitFirstReply,
        description: "Park a client-feedback execution until the first reply (lambda:invoke.waitForTaskToken)",
        // The reply's meeting point: one atomic update that returns the item.
        table: { UpdateItem: ['REPLY'] },
        taskCallbacks: ['states:SendTaskSuccess'],
      },
      'record-client-reply': {
        fn: recordClientReply,
        description: 'Record the first reply to a client e-mail and resume the execution waiting for it',
        table: { UpdateItem: ['REPLY'] },
        taskCallbacks: ['states:SendTaskSuccess'],
      },
      'record-sla-breach': {
        fn: recordSlaBreach,
        description: 'Record a broken service level once, and count it',
        table: { GetItem: ['ACCOUNT', 'SLA_BREACH'], PutItem: ['SLA_BREACH'] },
      },
      'plan-client-risk': {
        fn: planClientRisk,
        description: "Plan a client risk from meeting feedback: its context, who acknowledges it (RACI), when to escalate",
        table: { GetItem: ['ACCOUNT', 'SEALED'], PutItem: ['SEALED'] },
      },
      'check-sale-cancellation': {
        fn: checkSaleCancellation,
        description: 'Whether a suspension cancels the sale (first months of billing); if so, record sale-cancelled',
        // The account, and the sale-cancelled note's conditional put.
        table: { GetItem: ['ACCOUNT', 'NOTE'], PutItem: ['NOTE'] },
      },
    },
  },
  'pre-churn': {
    entry: 'functions/pre-churn/handler.ts',
    description: "A cancellation soon after the signature: its case, the save and its outcome, a loss's RETENTION case and plan expiry",
    actions: {
      'open-pre-churn': {
        fn: openPreChurn,
        description: "Route a cancellation: within the window of the contract's signature, open its pre-churn case and name its owner; else churn",
        // The account and the case, and the case's conditional write.
        table: { GetItem: ['ACCOUNT', 'PRE_CHURN'], PutItem: ['PRE_CHURN'] },
      },
      'plan-save-wait': {
        fn: planSaveWait,
        description: "Plan how long a pre-churn execution waits for the save's outcome (the Task's TimeoutSecondsPath)",
        // The case, and the wait's end written on it once.
        table: { GetItem: ['PRE_CHURN'], PutItem: ['PRE_CHURN'] },
      },
      'await-save-outcome': {
        fn: awaitSaveOutcome,
        description: "Park a pre-churn execution on its case until the save's outcome (lambda:invoke.waitForTaskToken)",
        // The case, and its conditional write with the execution's token.
        table: { GetItem: ['PRE_CHURN'], PutItem: ['PRE_CHURN'] },
        // Resumes the execution at once when the outcome was recorded before the wait started.
        taskCallbacks: ['states:SendTaskSuccess'],
      },
      'record-save-outcome': {
        fn: recordSaveOutcome,
        description: "Record a save's outcome on its pre-churn case once, and resume the executions waiting for it",
        // The account and the case, the outcome's conditional write, and which waiters it reached.
        table: { GetItem: ['ACCOUNT', 'PRE_CHURN'], PutItem: ['PRE_CHURN'] },
        taskCallbacks: ['states:SendTaskSuccess'],
      },
      'record-retention-case': {
        fn: recordRetentionCase,
        description: 'Record a lost pre-churn as a RETENTION case (origin SALES_PROCESS, proof attached), and mirror it to the CRM once',
        // The account and the case, the case's conditional write, its CRM mirror queued as a dispatch.
        table: { GetItem: ['ACCOUNT', 'PRE_CHURN', 'DISPATCH'], PutItem: ['PRE_CHURN', 'DISPATCH'] },
      },
      'set-plan-expiry': {
        fn: setPlanExpiry,
        description: "Set the CRM's plan expiration date of a lost pre-churn to tomorrow (account's zone), once",
        // The account and the case, the CRM's company property queued as a dispatch, the case's conditional write (sent).
        table: { GetItem: ['ACCOUNT', 'PRE_CHURN', 'DISPATCH'], PutItem: ['PRE_CHURN', 'DISPATCH'] },
      },
    },
  },
  refund: {
    entry: 'functions/refund/handler.ts',
    description: 'The refund request to finance, exactly once per case: the one action that moves money, alone in its function and role',
    actions: {
      'request-refund': {
        fn: requestRefund,
        description: 'Ask finance to refund a lost pre-churn, exactly once per case (ledger record first, then the finance channel)',
        // The account, the case and the refund record; the refund's conditional writes (created, leased,
        // posted); the finance outbox's entry when no Slack is configured (read back, then put).
        table: { GetItem: ['ACCOUNT', 'PRE_CHURN', 'REFUND', 'OUTBOX'], PutItem: ['REFUND', 'OUTBOX'] },
      },
    },
  },
  usage: {
    entry: 'functions/usage/handler.ts',
    highVolume: true,
    description: "The product's usage, recorded straight from the bus (no execution per use): each contact's days and features, each day's active users, the account's last day",
    actions: {
      'record-usage': {
        fn: recordUsage,
        description: 'Record a use, or a day\'s roll-up, of the product in the account\'s usage, and tell the playbooks what it changes (the account active with no check, a return, a first use)',
        // The account (its time zone makes the local day), the contact's usage and the account's check read, the usage items' atomic updates.
        table: { GetItem: ['ACCOUNT', 'USAGE', 'USAGE_CHECK'], UpdateItem: ['USAGE'] },
        publishes: [DetailType.AccountActive, DetailType.ContactReturned, DetailType.FeatureFirstUsed],
      },
    },
  },
  'usage-check': {
    entry: 'functions/usage-check/handler.ts',
    description: "The account's usage check: claimed once per account when it is used with no check live, reviewed at each wake-up (drops, key contacts), released on failure",
    actions: {
      'start-usage-check': {
        fn: startUsageCheck,
        description: "Claim an account's usage check, or leave it to its live holder",
        // The account, the check, and the check's conditional write.
        table: { GetItem: ['ACCOUNT', 'USAGE_CHECK'], PutItem: ['USAGE_CHECK'] },
      },
      'review-usage': {
        fn: reviewUsageCheck,
        description: "After a wait, review the account's usage: raise a drop, ask for the meeting check, flag idle key contacts, hand over or end",
        // The account, the check and the key contacts' usage, the account's days and latest touchpoint, the decision's conditional write, a task's sealed body.
        table: { GetItem: ['ACCOUNT', 'USAGE', 'USAGE_CHECK'], Query: ['USAGE', 'TOUCHPOINT'], PutItem: ['USAGE_CHECK', 'SEALED'] },
      },
      'plan-welcome-back': {
        fn: planWelcomeBack,
        description: 'Whether a returning contact is welcomed back (their cooldown), and the call for a key contact',
        // The account, the welcome-back's cooldown (the e-mail's frequency cap, claimed by a conditional put), the call's sealed body.
        table: { GetItem: ['ACCOUNT'], PutItem: ['EMAIL_CAP', 'SEALED'] },
      },
      'release-usage-check': {
        fn: releaseUsageCheck,
        description: 'After a failed usage-check run, mark its check failed so the next use resumes it',
        table: { GetItem: ['USAGE_CHECK'], PutItem: ['USAGE_CHECK'] },
      },
    },
  },
  health: {
    entry: 'functions/health/handler.ts',
    description: "The accounts' health score, straight from the bus (each event that moves a measure scores its account), its degradations, and the at-risk playbook's plan",
    actions: {
      'score-health': {
        fn: scoreHealth,
        description: "Score the account an event moves (the CSM's pulse and a ticket's status recorded first), keep what explains it, watch its threshold alerts (a snooze recorded), and tell the playbooks of a degradation or a threshold reached",
        // The account and every measure's and threshold's facts (usage days, the champion's usage, touchpoints,
        // NPS answers, pulse, tickets, client e-mails' replies, the renewal recorded), the score and the week's days; the pulse's and
        // the ticket's conditional puts, the score's versioned put, the day's snapshot, the roster; the
        // degradation's and the thresholds' removal once published.
        table: {
          GetItem: ['ACCOUNT', 'PULSE', 'HEALTH', 'USAGE', 'RENEWAL'],
          Query: ['USAGE', 'TOUCHPOINT', 'NPS', 'TICKET', 'REPLY', 'HEALTH'],
          PutItem: ['PULSE', 'TICKET', 'HEALTH', 'HEALTH_ROSTER'],
          UpdateItem: ['HEALTH'],
        },
        publishes: [DetailType.HealthDegraded, DetailType.ThresholdReached],
      },
      'rescore-accounts': {
        fn: rescoreAccounts,
        description: 'One page of the nightly rescore: the next accounts of the roster scored again, for the measures that move with the days',
        // The roster's page, then for each account what score-health reads and writes (but the pulse and the tickets, which it does not record).
        table: {
          GetItem: ['ACCOUNT', 'PULSE', 'HEALTH', 'USAGE', 'RENEWAL'],
          Query: ['HEALTH_ROSTER', 'USAGE', 'TOUCHPOINT', 'NPS', 'TICKET', 'REPLY', 'HEALTH'],
          PutItem: ['HEALTH', 'HEALTH_ROSTER'],
          UpdateItem: ['HEALTH'],
        },
        publishes: [DetailType.HealthDegraded, DetailType.ThresholdReached],
      },
      'plan-at-risk': {
        fn: planAtRisk,
        description: "What the at-risk playbook does about a degradation: the alert's and task's text, high-touch (a task) or low-touch (the e-mail)",
        // The account (its segment).
        table: { GetItem: ['ACCOUNT'] },
      },
    },
  },
  renewal: {
    entry: 'functions/renewal/handler.ts',
    description: 'Renewal anticipation: one check per account and renewal date, claimed from the CRM, the branch and the reminders on their days, ended by the renewal recorded',
    actions: {
      'start-renewal-check': {
        fn: startRenewalCheck,
        description: "Claim an account's renewal check for its renewal date (a moved date takes it over), or record the renewal on it",
        // The account (pending or not) and the check, the check's conditional write.
        table: { GetItem: ['ACCOUNT', 'RENEWAL'], PutItem: ['RENEWAL'] },
      },
      'recheck-renewal': {
        fn: recheckRenewal,
        description: "After a wait, the renewal's branch, a reminder, a wait or the end",
        // The account, the check, the health score and the open risks (the branch), the decision's conditional write, the tasks' sealed texts.
        table: { GetItem: ['ACCOUNT', 'RENEWAL', 'HEALTH'], Query: ['RISK'], PutItem: ['RENEWAL', 'SEALED'] },
      },
      'release-renewal-check': {
        fn: releaseRenewalCheck,
        description: 'After a failed renewal run, mark its check failed so the next CRM update resumes it',
        table: { GetItem: ['RENEWAL'], PutItem: ['RENEWAL'] },
      },
    },
  },
  digest: {
    entry: 'functions/digest/handler.ts',
    description: "The Monday digest: each CSM's and team lead's note at digest.time in their own zone, gathered from their accounts, sent once per person and week",
    actions: {
      'plan-digests': {
        fn: planDigestsOfDay,
        description: 'The digests due within the day, from the people directory, grouped by instant',
        // The directory.
        table: { Query: ['PEOPLE'] },
      },
      'gather-digests': {
        fn: gatherDigests,
        description: "One page of the roster: for each account of a person due now, what their digest says of it",
        // The roster's page, each account, what the digest reads of it (score and days, use, touchpoints,
        // the client's e-mails, tasks, SLA breaches, open alerts, NPS answers), and the facts kept beside the digest.
        table: {
          GetItem: ['ACCOUNT', 'HEALTH'],
          Query: ['HEALTH_ROSTER', 'HEALTH', 'USAGE', 'TOUCHPOINT', 'REPLY', 'TASK', 'SLA_BREACH', 'OPEN_ALERTS', 'NPS'],
          PutItem: ['DIGEST'],
        },
      },
      'send-digests': {
        fn: sendDigests,
        description: "Each person's digest composed, claimed once per person and week, and queued for Slack and/or e-mail",
        // The directory, the facts gathered, the digest's conditional put, and its messages queued as dispatches.
        table: { Query: ['PEOPLE', 'DIGEST'], PutItem: ['DIGEST', 'DISPATCH'], GetItem: ['DIGEST', 'DISPATCH'] },
      },
    },
  },
  dispatch: {
    entry: 'functions/dispatch/handler.ts',
    description: 'What the ledger owes the CRM, Slack and SES, delivered by the table stream at once and a sweep every minute for retries; no playbook calls it',
    drainsDispatches: true,
    actions: {
      'deliver-dispatches': {
        fn: deliverDispatches,
        description: 'Deliver the dispatches due (a stream batch, or the sweep): the vendor call, its answer marked on the item, the dispatch closed, retried or dead',
        // Each dispatch (read, leased, closed: UpdateItem), the item it mirrors (its mark read, then
        // written), the outbox where the vendor is not configured, and a dead letter's follow-up: the account,
        // the task and its queued mirror. The due ones are a Query of the dispatch index (DispatchDrain grants it).
        table: { GetItem: ['DISPATCH', ...MIRRORED, 'ACCOUNT', 'OUTBOX'], UpdateItem: ['DISPATCH', ...MIRRORED], PutItem: ['TASK', 'DISPATCH', 'OUTBOX'] },
      },
    },
  },
} as const satisfies Record<string, DomainEntry>;

/**
 * The functions outside the domains: what each does to the table. The ingest remembers
 * deliveries with Powertools idempotency's four item operations, seals the events' personal fields
 * before they go on the bus (functions/adapters/sealed.ts), and counts and holds an account's flood
 * (functions/adapters/flood-guard.ts; lib/constructs/webhook-endpoint.ts);
 * the internet-facing approval endpoint reads and conditionally puts the approval it decides, nothing
 * else (lib/constructs/approval-endpoint.ts); the executions function writes each execution's status on
 * its account's timeline (lib/constructs/execution-watch.ts).
 */
export const ENDPOINT_TABLE_ACCESS = {
  ingest: { GetItem: ['WEBHOOK_DELIVERY'], PutItem: ['WEBHOOK_DELIVERY', 'SEALED', 'HELD'], UpdateItem: ['WEBHOOK_DELIVERY', 'FLOOD'], DeleteItem: ['WEBHOOK_DELIVERY'] },
  'decide-approval': { GetItem: ['APPROVAL'], PutItem: ['APPROVAL'] },
  executions: { PutItem: ['EXECUTION'] },
} as const satisfies Record<string, TableAccess>;

export type DomainId = keyof typeof DOMAINS;
export type ActionId = { [D in DomainId]: keyof (typeof DOMAINS)[D]['actions'] & string }[DomainId];

/** An action as the catalog knows it: its entry, the domain whose function runs it, and its table actions. */
export type CatalogAction = ActionEntry & { readonly domain: DomainId; readonly tableActions: readonly TableAction[] };

/** Every action, by id: an id is in one domain only. */
export const ACTIONS: Readonly<Record<ActionId, CatalogAction>> = (() => {
  const actions: Record<string, CatalogAction> = {};
  for (const [domain, { actions: entries }] of Object.entries(DOMAINS) as [DomainId, DomainEntry][]) {
    for (const [id, entry] of Object.entries(entries)) {
      if (Object.hasOwn(actions, id)) throw new Error(`lib/functions.ts: action ${id} is in the ${actions[id]!.domain} and the ${domain} domains`);
      actions[id] = { ...entry, domain, tableActions: tableActionsOf(entry.table) };
    }
  }
  for (const [id, { resumesCallersOf }] of Object.entries(actions)) {
    if (resumesCallersOf !== undefined && !Object.hasOwn(actions, resumesCallersOf)) throw new Error(`lib/functions.ts: ${id} resumes the callers of ${resumesCallersOf}, which is no action`);
  }
  return actions as Record<ActionId, CatalogAction>;
})();

export const DOMAIN_IDS = Object.keys(DOMAINS) as DomainId[];
export const ACTION_IDS = Object.keys(ACTIONS) as ActionId[];

export function isActionId(id: string): id is ActionId {
  return Object.hasOwn(ACTIONS, id);
}

/** The domain whose function runs `action`. */
export function domainOf(action: ActionId): DomainId {
  return ACTIONS[action].domain;
}

/** A domain's actions, in the catalog's order. */
export function actionsOf(domain: DomainId): ActionId[] {
  return Object.keys(DOMAINS[domain].actions) as ActionId[];
}

/** What a domain's role is granted: the union of its actions' needs. */
export interface DomainGrants {
  /** On the table: each operation on the item types its actions need, and the runtime's read of the layout. */
  readonly table: TableAccess;
  /** The same, as IAM statements confined to those partitions. */
  readonly tableStatements: readonly TableStatement[];
  /** The table actions, whatever the partitions. */
  readonly tableActions: readonly TableAction[];
  /** The outbound ports its actions call: their vendors' settings and secret, SES's SendEmail. */
  readonly ports: readonly PortName[];
  /** Step Functions callbacks, each on the callers of one action (its own, or `resumesCallersOf`'s). */
  readonly taskCallbacks: readonly { readonly actions: readonly TaskCallbackAction[]; readonly callersOf: ActionId }[];
  /** The domain events its actions put on the bus themselves. */
  readonly publishes: readonly DetailType[];
}

export function domainGrants(domain: DomainId): DomainGrants {
  const actions = actionsOf(domain).map((id) => [id, ACTIONS[id]] as const);
  const union = <T>(lists: readonly (readonly T[])[]) => [...new Set(lists.flat())];
  const table = unionOf([...actions.map(([, action]) => action.table), RUNTIME_TABLE_ACCESS]);
  return {
    table,
    tableStatements: tableStatements(table),
    tableActions: tableActionsOf(table),
    ports: union(actions.map(([, action]) => action.fn.ports ?? [])),
    publishes: union(actions.map(([, action]) => action.publishes ?? [])),
    taskCallbacks: actions
      .filter(([, action]) => (action.taskCallbacks ?? []).length > 0)
      .map(([id, action]) => ({ actions: action.taskCallbacks!, callersOf: (action.resumesCallersOf ?? id) as ActionId })),
  };
}
