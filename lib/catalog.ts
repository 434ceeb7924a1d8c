import { DetailType, EVENT_SOURCE } from '../functions/contracts/index.ts';
import { checkStoreCall } from '../functions/check-store-call/check-store-call.ts';
import { createTask } from '../functions/create-task/create-task.ts';
import { findOpenRisk } from '../functions/find-open-risk/find-open-risk.ts';
import { findTouchpoint } from '../functions/find-touchpoint/find-touchpoint.ts';
import { gatherDetractorContext } from '../functions/gather-detractor-context/gather-detractor-context.ts';
import { openRisk } from '../functions/open-risk/open-risk.ts';
import { planApproval } from '../functions/plan-approval/plan-approval.ts';
import { planCompetitorMeeting } from '../functions/plan-competitor-meeting/plan-competitor-meeting.ts';
import { recheckCompetitorMeeting } from '../functions/recheck-competitor-meeting/recheck-competitor-meeting.ts';
import { recordAccountNote } from '../functions/record-account-note/record-account-note.ts';
import { releaseCompetitorMeeting } from '../functions/release-competitor-meeting/release-competitor-meeting.ts';
import { planDetractorFollowUp } from '../functions/plan-detractor-follow-up/plan-detractor-follow-up.ts';
import { recordNpsResponse } from '../functions/record-nps-response/record-nps-response.ts';
import { recordTouchpoint } from '../functions/record-touchpoint/record-touchpoint.ts';
import { requestApproval } from '../functions/request-approval/request-approval.ts';
import type { PlaybookFunction } from '../functions/runtime/playbook-function.ts';
import { suppressNpsSurveys } from '../functions/suppress-nps-surveys/suppress-nps-surveys.ts';
import { upsertAccount } from '../functions/upsert-account/upsert-account.ts';

/**
 * The catalog: every playbook declared once. `lib/` builds the CDK resources from it, `sandbox/`
 * builds its bus and runner from it, and the parity test proves both agree.
 */

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
}

/** What resumes an execution parked on a `.waitForTaskToken` Task. */
export type TaskCallbackAction = 'states:SendTaskSuccess' | 'states:SendTaskFailure';

/** The ledger's operations (functions/adapters/ledger.ts): single-item reads, conditional puts, and queries within one account. */
export type TableAction = 'dynamodb:GetItem' | 'dynamodb:PutItem' | 'dynamodb:Query';
// Playbooks that read an account's history (touchpoints, NPS answers, risks) add 'dynamodb:Query'.
const READ_AND_PUT: readonly TableAction[] = ['dynamodb:GetItem', 'dynamodb:PutItem'];

export const FUNCTIONS = {
  'upsert-account': {
    entry: 'functions/upsert-account/handler.ts',
    fn: upsertAccount,
    description: 'Apply a CRM AccountUpdated to the account record',
    tableActions: READ_AND_PUT,
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
    description: 'Open a churn or downsell risk unless one is open',
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
    description: 'Create a task for the account owner, once per reason',
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
    tableActions: READ_AND_PUT,
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
} as const satisfies Record<string, FunctionEntry>;

export type FunctionId = keyof typeof FUNCTIONS;

export interface PlaybookEntry {
  readonly id: string;
  readonly description: string;
  /** The ASL file: the flow, with `${<Function>FunctionArn}` for every function it calls. */
  readonly definitionFile: string;
  /** The domain events that start it. */
  readonly trigger: readonly DetailType[];
  /** The functions its Task states call. */
  readonly functions: readonly FunctionId[];
}

export const PLAYBOOKS = [
  {
    id: 'account-sync',
    description: 'Keep the account record in step with the CRM',
    definitionFile: 'statemachines/account-sync.asl.json',
    trigger: [DetailType.AccountUpdated],
    functions: ['upsert-account', 'create-task'],
  },
  {
    id: 'nps-response',
    description: 'Band an NPS answer and give the CSM the matching task',
    definitionFile: 'statemachines/nps-response.asl.json',
    trigger: [DetailType.NpsResponseReceived],
    functions: [
      'record-nps-response',
      'open-risk',
      'gather-detractor-context',
      'create-task',
      'suppress-nps-surveys',
      'plan-detractor-follow-up',
      'find-touchpoint',
      'find-open-risk',
      'check-store-call',
    ],
  },
  {
    id: 'touchpoint-log',
    description: 'File calls, meetings, e-mail exchanges and QBRs under their account',
    definitionFile: 'statemachines/touchpoint-log.asl.json',
    trigger: [DetailType.TouchpointLogged],
    functions: ['record-touchpoint', 'create-task'],
  },
  {
    id: 'competitor-meeting',
    description: 'Red alert: call the client before their meeting with a competitor, one follow-up per meeting',
    definitionFile: 'statemachines/competitor-meeting.asl.json',
    trigger: [DetailType.CompetitorMeetingDetected],
    functions: ['plan-competitor-meeting', 'open-risk', 'create-task', 'record-account-note', 'recheck-competitor-meeting', 'release-competitor-meeting'],
  },
  {
    id: 'churn-risk',
    description: 'Keep one open risk per account and kind, and give the CSM the info-and-meeting task',
    definitionFile: 'statemachines/churn-risk.asl.json',
    trigger: [DetailType.ChurnRiskCreated],
    functions: ['open-risk', 'create-task'],
  },
] as const satisfies readonly PlaybookEntry[];

/** The EventBridge pattern of a playbook's rule: identical on AWS and in the sandbox bus. */
export function triggerPattern(playbook: PlaybookEntry) {
  return { source: [EVENT_SOURCE], 'detail-type': [...playbook.trigger] };
}

/** `create-task` → `CreateTask`: construct ids and substitution keys are built from catalog ids. */
export function pascalCase(id: string): string {
  return id.replace(/(^|-)([a-z0-9])/g, (_, __, letter: string) => letter.toUpperCase());
}

/** `create-task` → `CreateTaskFunctionArn`: the `${…}` an ASL file uses for that function. */
export function substitutionKey(functionId: FunctionId): string {
  return `${pascalCase(functionId)}FunctionArn`;
}

/** The `${…}` placeholders of an ASL file, as `definitionSubstitutions` fills them. */
export const SUBSTITUTION_TOKEN = /\$\{([A-Za-z0-9_]+)\}/g;

/** Every `${…}` key an ASL text uses, once each. */
export function substitutionKeysIn(definition: string): string[] {
  return [...new Set([...definition.matchAll(SUBSTITUTION_TOKEN)].map((match) => match[1]!))];
}

/** `${…}` key → the catalog function of `playbook` it stands for (what both runtimes put there). */
export function substitutionsOf(playbook: PlaybookEntry): Map<string, FunctionId> {
  return new Map(playbook.functions.map((functionId) => [substitutionKey(functionId), functionId]));
}
