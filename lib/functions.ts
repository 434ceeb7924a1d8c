// The catalog's function entries: every Lambda the playbooks call, its body and its least-privilege
// grants. lib/catalog.ts re-exports them beside the playbooks that list them.
import { acknowledgeAlert } from '../functions/acknowledge-alert/acknowledge-alert.ts';
import { applyApprovalDecision } from '../functions/apply-approval-decision/apply-approval-decision.ts';
import { awaitFirstReply } from '../functions/await-first-reply/await-first-reply.ts';
import { awaitSaveOutcome } from '../functions/await-save-outcome/await-save-outcome.ts';
import { checkSaleCancellation } from '../functions/check-sale-cancellation/check-sale-cancellation.ts';
import { checkStoreCall } from '../functions/check-store-call/check-store-call.ts';
import { completeTask } from '../functions/complete-task/complete-task.ts';
import { createTask } from '../functions/create-task/create-task.ts';
import { deliverDispatches } from '../functions/dispatch/deliver-dispatches.ts';
import { findOpenRisk } from '../functions/find-open-risk/find-open-risk.ts';
import { findOpenTasks } from '../functions/find-open-tasks/find-open-tasks.ts';
import { findTouchpoint } from '../functions/find-touchpoint/find-touchpoint.ts';
import { gatherDetractorContext } from '../functions/gather-detractor-context/gather-detractor-context.ts';
import { notifyPerson } from '../functions/notify-person/notify-person.ts';
import { openPreChurn } from '../functions/open-pre-churn/open-pre-churn.ts';
import { openRisk } from '../functions/open-risk/open-risk.ts';
import { planAlertReminder } from '../functions/plan-alert-reminder/plan-alert-reminder.ts';
import { planApproval } from '../functions/plan-approval/plan-approval.ts';
import { planClientRisk } from '../functions/plan-client-risk/plan-client-risk.ts';
import { planCompetitorMeeting } from '../functions/plan-competitor-meeting/plan-competitor-meeting.ts';
import { planDetractorFollowUp } from '../functions/plan-detractor-follow-up/plan-detractor-follow-up.ts';
import { planFirstReply } from '../functions/plan-first-reply/plan-first-reply.ts';
import { planSaveWait } from '../functions/plan-save-wait/plan-save-wait.ts';
import { postAlert } from '../functions/post-alert/post-alert.ts';
import { prepareEmail } from '../functions/prepare-email/prepare-email.ts';
import { recheckCompetitorMeeting } from '../functions/recheck-competitor-meeting/recheck-competitor-meeting.ts';
import { recheckNoContact } from '../functions/recheck-no-contact/recheck-no-contact.ts';
import { recordAccountNote } from '../functions/record-account-note/record-account-note.ts';
import { recordClientReply } from '../functions/record-client-reply/record-client-reply.ts';
import { recordNpsResponse } from '../functions/record-nps-response/record-nps-response.ts';
import { recordRetentionCase } from '../functions/record-retention-case/record-retention-case.ts';
import { recordSaveOutcome } from '../functions/record-save-outcome/record-save-outcome.ts';
import { recordSlaBreach } from '../functions/record-sla-breach/record-sla-breach.ts';
import { recordTouchpoint } from '../functions/record-touchpoint/record-touchpoint.ts';
import { releaseCompetitorMeeting } from '../functions/release-competitor-meeting/release-competitor-meeting.ts';
import { releaseNoContactCheck } from '../functions/release-no-contact-check/release-no-contact-check.ts';
import { remindOpenAlerts } from '../functions/remind-open-alerts/remind-open-alerts.ts';
import { requestApproval } from '../functions/request-approval/request-approval.ts';
import { requestRefund } from '../functions/request-refund/request-refund.ts';
import type { PlaybookFunction } from '../functions/runtime/playbook-function.ts';
import { sendEmail } from '../functions/send-email/send-email.ts';
import { setPlanExpiry } from '../functions/set-plan-expiry/set-plan-expiry.ts';
import { startNoContactCheck } from '../functions/start-no-contact-check/start-no-contact-check.ts';
import { suppressNpsSurveys } from '../functions/suppress-nps-surveys/suppress-nps-surveys.ts';
import { upsertAccount } from '../functions/upsert-account/upsert-account.ts';

export interface FunctionEntry {
  /** The Lambda entry (bundled by esbuild); it wraps `fn` with the Lambda middleware. */
  readonly entry: string;
  /** The body both runtimes run. */
  readonly fn: PlaybookFunction;
  readonly description: string;
  /** What it does to the table: its IAM grant is exactly these actions. */
  readonly tableActions: readonly TableAction[];
  /**
   * Step Functions callbacks it makes itself, on the state machines of the playbooks that call it:
   * request-approval resumes an execution at once when the approval was decided before it asked.
   */
  readonly taskCallbacks?: readonly TaskCallbackAction[];
  /**
   * Its callbacks resume the playbooks that call this other function instead of its own callers:
   * apply-approval-decision resumes the executions parked on request-approval (as decide-approval does).
   * A function id (a `string` here only because `FunctionId` is derived from this very table).
   */
  readonly resumesCallersOf?: string;
  /**
   * The dispatch drain (functions/dispatch): no playbook calls it; the table's stream and a schedule
   * do, and it queries the dispatch index.
   */
  readonly drainsDispatches?: boolean;
}

/** What resumes an execution parked on a `.waitForTaskToken` Task. */
export type TaskCallbackAction = 'states:SendTaskSuccess' | 'states:SendTaskFailure';

/**
 * The ledger's operations (functions/adapters/ledger.ts): single-item reads, conditional puts, the
 * vendor-mirror marker (an update of one attribute), and queries within one account.
 */
export type TableAction = 'dynamodb:GetItem' | 'dynamodb:PutItem' | 'dynamodb:UpdateItem' | 'dynamodb:DeleteItem' | 'dynamodb:Query';
// Playbooks that read an account's history (touchpoints, NPS answers, risks) add 'dynamodb:Query'.
const READ_AND_PUT: readonly TableAction[] = ['dynamodb:GetItem', 'dynamodb:PutItem'];
// Functions that mirror a ledger item to a vendor record what it became there (functions/adapters/mirror.ts).
const READ_PUT_AND_MIRROR: readonly TableAction[] = [...READ_AND_PUT, 'dynamodb:UpdateItem'];
// The account record is written with one conditional UpdateItem (functions/adapters/accounts.ts), which keeps its firstSeenAt.
const READ_AND_WRITE_ACCOUNT: readonly TableAction[] = ['dynamodb:GetItem', 'dynamodb:UpdateItem'];

export const FUNCTIONS = {
  'upsert-account': {
    entry: 'functions/upsert-account/handler.ts',
    fn: upsertAccount,
    description: 'Apply a CRM AccountUpdated, a ContractSigned or a BillingStarted to the account record (pending while incomplete)',
    tableActions: READ_AND_WRITE_ACCOUNT,
  },
  'record-nps-response': {
    entry: 'functions/record-nps-response/handler.ts',
    fn: recordNpsResponse,
    description: 'Record an NPS answer once and band it',
    tableActions: READ_AND_PUT,
  },
  'open-risk': {
    entry: 'functions/open-risk/handler.ts',
    fn: openRisk,
    description: 'Open a churn or downsell risk unless one is open, and mirror it to the CRM',
    tableActions: READ_AND_PUT,
  },
  'record-touchpoint': {
    entry: 'functions/record-touchpoint/handler.ts',
    fn: recordTouchpoint,
    description: 'File a touchpoint under its account, once',
    tableActions: READ_AND_PUT,
  },
  'plan-competitor-meeting': {
    entry: 'functions/plan-competitor-meeting/handler.ts',
    fn: planCompetitorMeeting,
    description: 'Record a red alert on its meeting, and plan the call and the coupled signals',
    // The account and the meeting, the meeting's conditional write, then NPS answers and open risks.
    tableActions: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:Query'],
  },
  'recheck-competitor-meeting': {
    entry: 'functions/recheck-competitor-meeting/handler.ts',
    fn: recheckCompetitorMeeting,
    description: 'After the wait, exit, re-plan or call on a competitor meeting',
    // The account and the meeting, the touchpoints since the detection, the follow-up's new state.
    tableActions: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:Query'],
  },
  'release-competitor-meeting': {
    entry: 'functions/release-competitor-meeting/handler.ts',
    fn: releaseCompetitorMeeting,
    description: 'After a failed red alert run, mark its follow-up failed so the next detection reopens it',
    // The meeting, and its conditional write.
    tableActions: READ_AND_PUT,
  },
  'record-account-note': {
    entry: 'functions/record-account-note/handler.ts',
    fn: recordAccountNote,
    description: 'Leave a note on the account, once per reason',
    tableActions: READ_AND_PUT,
  },
  'create-task': {
    entry: 'functions/create-task/handler.ts',
    fn: createTask,
    description: 'Create a task for the account owner, once per reason, and mirror it to the CRM',
    tableActions: READ_AND_PUT,
  },
  'gather-detractor-context': {
    entry: 'functions/gather-detractor-context/handler.ts',
    fn: gatherDetractorContext,
    description: "Write a detractor's 360-degree context and decide the escalation",
    // The account, then its NPS answers, open risks and touchpoints.
    tableActions: ['dynamodb:GetItem', 'dynamodb:Query'],
  },
  'suppress-nps-surveys': {
    entry: 'functions/suppress-nps-surveys/handler.ts',
    fn: suppressNpsSurveys,
    description: 'Suppress NPS surveys on the account while an action plan is open',
    // The account's flag (an account write), and the CRM's copy through the outbox or its mirror.
    tableActions: READ_PUT_AND_MIRROR,
  },
  'plan-detractor-follow-up': {
    entry: 'functions/plan-detractor-follow-up/handler.ts',
    fn: planDetractorFollowUp,
    description: "Plan a detractor's cool-down and plan review in business time",
    tableActions: ['dynamodb:GetItem'],
  },
  'find-touchpoint': {
    entry: 'functions/find-touchpoint/handler.ts',
    fn: findTouchpoint,
    description: 'Tell whether a contact was reached since a time (exit on goal)',
    tableActions: ['dynamodb:Query'],
  },
  'find-open-risk': {
    entry: 'functions/find-open-risk/handler.ts',
    fn: findOpenRisk,
    description: 'Tell whether the risk a playbook opened or joined is still open (exit on goal)',
    tableActions: ['dynamodb:Query'],
  },
  'check-store-call': {
    entry: 'functions/check-store-call/handler.ts',
    fn: checkStoreCall,
    description: 'Tell whether a promoter account qualifies for a store call',
    tableActions: ['dynamodb:GetItem'],
  },
  'post-alert': {
    entry: 'functions/post-alert/handler.ts',
    fn: postAlert,
    description: 'Raise an alert once and post it to the alert channel',
    // The account, the alert and its open-list entry, and the posted message recorded on the alert.
    tableActions: READ_AND_PUT,
  },
  'acknowledge-alert': {
    entry: 'functions/acknowledge-alert/handler.ts',
    fn: acknowledgeAlert,
    description: 'Mark an alert acknowledged (the check mark) once its task is set or it is resolved',
    // The account and the alert, its conditional status update, its removal from the open list, and
    // the outbox entry when no Slack is configured.
    tableActions: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem'],
  },
  'plan-alert-reminder': {
    entry: 'functions/plan-alert-reminder/handler.ts',
    fn: planAlertReminder,
    description: "Plan an account's 17:00 alert reminder on its next business day, and claim that day for one execution",
    // The account, and the day's conditional claim (read back when another execution holds it).
    tableActions: READ_AND_PUT,
  },
  'remind-open-alerts': {
    entry: 'functions/remind-open-alerts/handler.ts',
    fn: remindOpenAlerts,
    description: "Post one reminder listing an account's alerts still without a check mark, once per account and day",
    // The account, the day's reminder and each alert; the account's entries in the open-alerts
    // partition; the post recorded on the reminder; the outbox entry when no Slack is configured.
    tableActions: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:Query'],
  },
  'start-no-contact-check': {
    entry: 'functions/start-no-contact-check/handler.ts',
    fn: startNoContactCheck,
    description: "Claim an account's 91-day no-contact check, or note a newer touchpoint on the live one",
    // The account and the check, the latest touchpoint (an account update), the check's conditional write.
    tableActions: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:Query'],
  },
  'recheck-no-contact': {
    entry: 'functions/recheck-no-contact/handler.ts',
    fn: recheckNoContact,
    description: 'After a wait, hand the no-contact check over, propose an exchange, or remind',
    // The account and the check, the latest touchpoint, the decision's conditional write.
    tableActions: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:Query'],
  },
  'release-no-contact-check': {
    entry: 'functions/release-no-contact-check/handler.ts',
    fn: releaseNoContactCheck,
    description: 'After a failed no-contact run, mark its check failed so the next event resumes it',
    tableActions: READ_AND_PUT,
  },
  'plan-approval': {
    entry: 'functions/plan-approval/handler.ts',
    fn: planApproval,
    description: "Plan an approval's window in business days (the Task's TimeoutSecondsPath)",
    // The account, and the approval when a redelivery finds it.
    tableActions: ['dynamodb:GetItem'],
  },
  'request-approval': {
    entry: 'functions/request-approval/handler.ts',
    fn: requestApproval,
    description: "Park an execution on the CSM's approval of an e-mail (lambda:invoke.waitForTaskToken)",
    // The account and the approval, the approval's conditional write, the CSM's task.
    tableActions: READ_AND_PUT,
    taskCallbacks: ['states:SendTaskSuccess'],
  },
  'prepare-email': {
    entry: 'functions/prepare-email/handler.ts',
    fn: prepareEmail,
    description: "Decide whether a playbook's e-mail goes out (recipient, frequency cap, mode) and render it",
    // The account, the e-mail (sent already?) and the contact's frequency cap: reads only.
    tableActions: ['dynamodb:GetItem'],
  },
  'send-email': {
    entry: 'functions/send-email/handler.ts',
    fn: sendEmail,
    description: 'Record an e-mail in the ledger, then send it once through SES (or the outbox)',
    // The account and the e-mail, the latest touchpoint (exit on goal), the cap's and the e-mail's
    // conditional puts, and SES's message id on the record.
    tableActions: ['dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:PutItem', 'dynamodb:UpdateItem'],
  },
  'plan-first-reply': {
    entry: 'functions/plan-first-reply/handler.ts',
    fn: planFirstReply,
    description: "Plan a client e-mail's first reply: due time, how long to wait, the task's template",
    tableActions: ['dynamodb:GetItem'],
  },
  'await-first-reply': {
    entry: 'functions/await-first-reply/handler.ts',
    fn: awaitFirstReply,
    description: "Park a client-feedback execution until the first reply (lambda:invoke.waitForTaskToken)",
    // The reply's meeting point: one atomic update that returns the item.
    tableActions: ['dynamodb:UpdateItem'],
    taskCallbacks: ['states:SendTaskSuccess'],
  },
  'record-client-reply': {
    entry: 'functions/record-client-reply/handler.ts',
    fn: recordClientReply,
    description: 'Record the first reply to a client e-mail and resume the execution waiting for it',
    tableActions: ['dynamodb:UpdateItem'],
    taskCallbacks: ['states:SendTaskSuccess'],
  },
  'record-sla-breach': {
    entry: 'functions/record-sla-breach/handler.ts',
    fn: recordSlaBreach,
    description: 'Record a broken service level once, and count it',
    tableActions: READ_AND_PUT,
  },
  'plan-client-risk': {
    entry: 'functions/plan-client-risk/handler.ts',
    fn: planClientRisk,
    description: "Plan a client risk from meeting feedback: its context, who acknowledges it (RACI), when to escalate",
    tableActions: ['dynamodb:GetItem'],
  },
  'find-open-tasks': {
    entry: 'functions/find-open-tasks/handler.ts',
    fn: findOpenTasks,
    description: 'After a wait, which of these tasks are still open (exit on goal)',
    tableActions: ['dynamodb:GetItem'],
  },
  'apply-approval-decision': {
    entry: 'functions/apply-approval-decision/handler.ts',
    fn: applyApprovalDecision,
    description: "Apply a CSM's decision taken in Slack on a parked e-mail: record it once, resume the waiting playbooks",
    // The approval's read and conditional put (decide-approval's grant), and the two callbacks on the
    // playbooks that park on request-approval.
    tableActions: READ_AND_PUT,
    taskCallbacks: ['states:SendTaskSuccess', 'states:SendTaskFailure'],
    resumesCallersOf: 'request-approval',
  },
  'complete-task': {
    entry: 'functions/complete-task/handler.ts',
    fn: completeTask,
    description: 'Mark a task completed when the CRM says its owner closed it',
    tableActions: ['dynamodb:UpdateItem'],
  },
  'check-sale-cancellation': {
    entry: 'functions/check-sale-cancellation/handler.ts',
    fn: checkSaleCancellation,
    description: 'Whether a suspension cancels the sale (first months of billing); if so, record sale-cancelled',
    tableActions: READ_AND_PUT,
  },
  'open-pre-churn': {
    entry: 'functions/open-pre-churn/handler.ts',
    fn: openPreChurn,
    description: "Route a cancellation: within the window of the contract's signature, open its pre-churn case and name its owner; else churn",
    // The account and the case, and the case's conditional write.
    tableActions: READ_AND_PUT,
  },
  'notify-person': {
    entry: 'functions/notify-person/handler.ts',
    fn: notifyPerson,
    description: 'Tell one person directly, outside the alert channel, once per reason',
    // The account and the notification, its conditional put (or the outbox entry), and where it was sent.
    tableActions: READ_AND_PUT,
  },
  'plan-save-wait': {
    entry: 'functions/plan-save-wait/handler.ts',
    fn: planSaveWait,
    description: "Plan how long a pre-churn execution waits for the save's outcome (the Task's TimeoutSecondsPath)",
    // The case, and the wait's end written on it once.
    tableActions: READ_AND_PUT,
  },
  'await-save-outcome': {
    entry: 'functions/await-save-outcome/handler.ts',
    fn: awaitSaveOutcome,
    description: "Park a pre-churn execution on its case until the save's outcome (lambda:invoke.waitForTaskToken)",
    // The case, and its conditional write with the execution's token.
    tableActions: READ_AND_PUT,
    // Resumes the execution at once when the outcome was recorded before the wait started.
    taskCallbacks: ['states:SendTaskSuccess'],
  },
  'record-save-outcome': {
    entry: 'functions/record-save-outcome/handler.ts',
    fn: recordSaveOutcome,
    description: "Record a save's outcome on its pre-churn case once, and resume the executions waiting for it",
    // The account and the case, the outcome's conditional write, and which waiters it reached.
    tableActions: READ_AND_PUT,
    taskCallbacks: ['states:SendTaskSuccess'],
  },
  'record-retention-case': {
    entry: 'functions/record-retention-case/handler.ts',
    fn: recordRetentionCase,
    description: 'Record a lost pre-churn as a RETENTION case (origin SALES_PROCESS, proof attached), and mirror it to the CRM once',
    // The account and the case, the case's conditional writes (the record, its CRM id), the outbox entry.
    tableActions: READ_AND_PUT,
  },
  'set-plan-expiry': {
    entry: 'functions/set-plan-expiry/handler.ts',
    fn: setPlanExpiry,
    description: "Set the CRM's plan expiration date of a lost pre-churn to tomorrow (account's zone), once",
    // The account and the case, the case's conditional write (sent), the outbox entry.
    tableActions: READ_AND_PUT,
  },
  'request-refund': {
    entry: 'functions/request-refund/handler.ts',
    fn: requestRefund,
    description: 'Ask finance to refund a lost pre-churn, exactly once per case (ledger record first, then the finance channel)',
    // The account, the case and the refund record (and the outbox entry when no Slack is configured);
    // the refund's conditional writes (created, leased, posted) and the outbox entry.
    tableActions: READ_AND_PUT,
  },
  'deliver-dispatches': {
    entry: 'functions/dispatch/handler.ts',
    fn: deliverDispatches,
    description: 'Deliver what the ledger owes the CRM, Slack and SES (the table stream at once, a sweep every minute for retries)',
    // The due dispatches (a Query of the dispatch index), each dispatch and the item it mirrors (reads,
    // the lease, the mark, the close), and a dead letter's follow-up task and its queued mirror.
    tableActions: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:Query'],
    drainsDispatches: true,
  },
} as const satisfies Record<string, FunctionEntry>;

export type FunctionId = keyof typeof FUNCTIONS;
