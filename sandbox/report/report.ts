import type { ThresholdAlert } from '../../functions/contracts/thresholds.ts';
import type { AccountNote, EmailRecord, RiskRecord } from '../../functions/adapters/ledger.ts';
import type { Alert } from '../../functions/core/alerts/alert.ts';
import { usageWindow, type UsageWindow } from '../../functions/core/usage/usage.ts';
import type { UsageCheck } from '../../functions/core/usage/usage-check.ts';
import { whatMoved, type Movement } from '../../functions/core/health/degradation.ts';
import type { HealthBand, HealthMeasure, ScoreLine } from '../../functions/core/health/score.ts';
import type { StoredHealth } from '../../functions/adapters/health-records.ts';
import { callName } from '../../functions/adapters/dispatch/calls.ts';
import { stateOf, type Dispatch } from '../../functions/adapters/dispatch/dispatch-queue.ts';
import { describeSchedule } from '../../lib/catalog.ts';
import { isDigestPartition } from '../../functions/core/digest/schedule.ts';
import { OUTBOX_MESSAGE_PREFIX, reportNotifications } from '../../functions/adapters/outbox/outbox.ts';
import { formatLocalIso } from '../../functions/core/calendar/business-time.ts';
import type { ApprovalView } from '../../functions/core/approvals/approval.ts';
import type { PreChurnCase } from '../../functions/core/pre-churn/case.ts';
import type { RefundRecord } from '../../functions/core/pre-churn/refund.ts';
import type { Task } from '../../functions/core/tasks/task.ts';
import type { ExecutionRecord, Waiting } from '../runtime/executions.ts';
import type { Sandbox } from '../runtime/sandbox.ts';
import { digestsView } from './digests.ts';

/** The report format, versioned (fields are only ever added; README, "The sandbox and the simulator"): what `GET /api/report` serves and `playbooks simulate --json` prints. */
export interface Report {
  /**
   * Additions to the first report format: `ownerRole` (the role the owner got it in), `status` and
   * `completedAt`, and `details`, what the task asks (the 360° context, the template, what to do by hand).
   */
  tasks: (Pick<Task, 'id' | 'kind' | 'accountId' | 'playbook' | 'owner' | 'ownerRole' | 'status' | 'createdAt' | 'dueAt' | 'title'> & Partial<Pick<Task, 'completedAt' | 'details'>>)[];
  risks: Pick<RiskRecord, 'id' | 'kind' | 'accountId' | 'status' | 'origin' | 'openedAt'>[];
  /**
   * Every e-mail the playbooks recorded, from the ledger: `sent` (SES accepted it), `recorded` (no
   * mailer configured: the outbox holds it), `unsent` (recorded, not yet accepted: SES failing).
   * `subject` and `playbook` are additions to the first report format: what the contact reads first, and which playbook sent it.
   */
  emails: { accountId: string; playbook: string; to: string; template: string; language: string; at: string; status: 'sent' | 'recorded' | 'unsent'; subject: string }[];
  /** `type` (an addition to the first report format): the alert's type, or `unacknowledged-reminder` for the 17:00 reminder. */
  notifications: { channel: string; accountId: string; type: string; text: string; at: string }[];
  /** Refund requests finance received (posted to the finance channel, or recorded in its outbox), one per case. */
  refunds: { accountId: string; caseId: string; at: string; proofUrl: string }[];
  /**
   * Pre-churn cases (an addition to the first report format, which left `cases` open): each case a
   * cancellation opened, its status and owner; a lost one carries its RETENTION case (type, origin, the
   * proof, the plan's expiry date).
   */
  cases: PreChurnCaseRow[];
  /**
   * Additions to the first report format: the playbook that raised it, when, and when and how it was
   * handled (`handledBy`: the task set, the resolution, or who clicked ✅).
   */
  alerts: { accountId: string; type: string; acknowledged: boolean; playbook: string; raisedAt: string; acknowledgedAt?: string; handledBy?: string }[];
  /**
   * Additions to the first report format: `error`, the error a FAILED execution ended with; `waiting`,
   * what a RUNNING execution is parked on and until when it waits (its next wake-up); `redriveCount`, how
   * many times it was redriven after an AWS outage (absent when never).
   */
  executions: ExecutionRow[];
  /**
   * The playbooks the stage's clock starts (an addition to the first report format: the nightly health
   * rescore), about no account: each one's runs counted, its failed or running ones named. Kept apart
   * from `executions`, which are the accounts' playbooks, so that a two-month rehearsal does not read as
   * sixty nightly rows.
   */
  scheduledRuns: { playbook: string; schedule: string; runs: number; succeeded: number; running: ExecutionRow[]; failed: ExecutionRow[] }[];
  /**
   * Approval mode (an addition to the first report format): every e-mail put up for the CSM's approval, its
   * status (pending, approved, cancelled, expired) and decision, never its task tokens…
   */
  approvals: (Pick<ApprovalView, 'id' | 'accountId' | 'playbook' | 'template' | 'reason' | 'status' | 'requestedAt' | 'expiresAt' | 'taskId' | 'waiting'> & {
    decidedBy?: string;
    decidedAt?: string;
    edited?: boolean;
  })[];
  /** …and every decision taken (HTTP or scenario), refused ones with their status and reason. */
  decisions: { at: string; approvalId: string; decision: string; statusCode: number; error?: string }[];
  /**
   * Accounts the ledger holds only part of (an addition to the first report format): the fields it holds and
   * the required ones still missing, by name, and since when (its first write). No playbook sees them
   * until the rest arrives (an import, the CRM).
   */
  pendingAccounts: { accountId: string; fields: string[]; missing: string[]; since: string }[];
  /** Notes the playbooks left on accounts (a red alert without coupled signal, `sale-cancelled`…): an addition to the first report format. */
  notes: Pick<AccountNote, 'accountId' | 'playbook' | 'text' | 'at'>[];
  /** Who the accounts and their contacts are, so that a reader sees names (an addition to the first report format). */
  accounts: { id: string; name: string; csmId: string; contacts: { id: string; name: string; role: string; email: string }[] }[];
  /** The stage's people directory (settings `people`): who the owners' ids are (an addition to the first report format). */
  people: { id: string; name: string; role: string; slackId?: string }[];
  /**
   * What the run did that its author may not expect (an addition to the first report format), one line
   * each naming its place: a scenario's event after `until`, or for an account it does not have.
   */
  warnings: string[];
  /**
   * What the vendors never received (an addition to the first report format): each dispatch given up,
   * its call (`crm.upsertTask`, `alerts.postAlert`, `mailer.send`…), why (`refused` by the vendor or our
   * configuration, or `window-closed` after a day of retries), the last error and when. Ids only.
   */
  deadLetters: { accountId: string; dispatchId: string; call: string; reason: string; lastError: string; at: string; attempts: number }[];
  /** Dispatches still waiting for their vendor at the report's time (a vendor outage in progress). */
  dispatchesDue: number;
  /**
   * Events that reached no playbook or recorder (an addition to the first report format): a trigger
   * StartExecution refused, a recorder that failed through its retries, a delivery its vendor gave up
   * on (`playbook` says which: its id, or `ingest`), with the error's code and why. Ids only.
   */
  undelivered: { at: string; playbook: string; detailType: string; eventId: string; accountId: string; errorCode: string; errorMessage: string }[];
  /**
   * The product's usage per account that has any (an addition to the first report format), as of the
   * report's time in the account's time zone: the last day it was used and the idle days since, this
   * week's active days and user-days against the 4 weeks before (functions/core/usage/usage.ts), and its
   * usage check (functions/core/usage/usage-check.ts): watching (`live`, until its next review), `ended`
   * (idle, its drop raised: the next use starts it again) or `failed`, and the drop open, if any.
   */
  usage: ({ accountId: string; asOf: string } & UsageWindow & { check?: UsageCheckView })[];
  /**
   * Each scored account's latest health score (an addition to the first report format) and what
   * explains it (functions/core/health): every measure's value, points, weight and contribution, the
   * measures without data, the profile and settings version, what asked for it, and what moved it since
   * the score before (`moved`, the largest change first). Figures and the names of measures only.
   */
  health: HealthView[];
  /**
   * The Monday digests (an addition to the first report format): each person's note of a week, when it
   * was claimed (their time), what it said (`text`, absent when there was nothing to say) and what the
   * outbox received of it per channel (once each, however often its step ran).
   */
  digests: { personId: string; monday: string; at: string; channels: string[]; text?: string; delivered: { slack: number; email: number } }[];
}

export interface HealthView {
  accountId: string;
  score?: number;
  band?: HealthBand;
  profile: string;
  settingsVersion: string;
  scoredAt: string;
  cause: { type: string; eventId: string };
  lines: ScoreLine[];
  missing: HealthMeasure[];
  /** No score: the measures with data carry less than `health.minimumWeight`. */
  insufficient?: { weight: number; minimum: number };
  previous?: { score?: number; band?: HealthBand; scoredAt: string };
  moved: Movement[];
  /** The threshold alerts reached at the latest look (since when, and the day raised; none: entered while snoozed or before the first look). */
  thresholds: { alertType: ThresholdAlert; since: string; raised?: string; firstLook?: true }[];
  /** The threshold alerts snoozed, until their date (exclusive), and by whom. */
  snoozes: { alertType: ThresholdAlert; until: string; by: string }[];
}

export interface ExecutionRow {
  name: string;
  playbook: string;
  accountId: string;
  status: string;
  startedAt: string;
  stoppedAt: string | null;
  transitions: number;
  error?: string;
  waiting?: ExecutionWaiting;
  redriveCount?: number;
}

/** What a running execution waits for: a Wait state, a retry's back-off or a callback, since and until when (its next wake-up). */
export type ExecutionWaiting = Omit<Waiting, 'since'> & { since: string; until: string };

export interface PreChurnCaseRow {
  caseId: string;
  accountId: string;
  status: PreChurnCase['status'];
  owner: string;
  ownerRole: string;
  openedAt: string;
  requestedAt: string;
  outcomeAt?: string;
  type?: 'RETENTION';
  origin?: 'SALES_PROCESS';
  proofUrl?: string;
  planExpiresOn?: string;
}

export async function buildReport(sandbox: Sandbox, { warnings = [] }: { warnings?: readonly string[] } = {}): Promise<Report> {
  // The executions first, as they are now, then the ledger: whatever an ended execution wrote is in the
  // reads that follow, so the report never shows a run ended without its effects (a task, an e-mail).
  const executions = sandbox.executions.map((execution) => ({ ...execution, until: execution.nextWakeUp?.() }));
  const scheduled = new Map(sandbox.deployed.flatMap(({ playbook, schedule }) => (schedule ? [[playbook, schedule] as const] : [])));
  const row = (execution: (typeof executions)[number]): ExecutionRow => {
    const waiting = waitingOf(execution, local);
    return {
      name: execution.name,
      playbook: execution.playbook,
      accountId: execution.accountId,
      status: execution.status,
      startedAt: local(execution.startedAt, execution.accountId),
      stoppedAt: execution.stoppedAt === undefined ? null : local(execution.stoppedAt, execution.accountId),
      transitions: execution.transitions,
      ...(execution.error ? { error: execution.error } : {}),
      ...(waiting ? { waiting } : {}),
      ...(execution.redriveCount > 0 ? { redriveCount: execution.redriveCount } : {}),
    };
  };
  const decisions = [...sandbox.decisions];
  const accounts = await sandbox.accounts();
  const timezones = new Map(accounts.map((account) => [account.id, account.timezone]));
  const local = (at: number, accountId: string) => formatLocalIso(new Date(at), timezones.get(accountId) ?? 'UTC');
  const tasks = await sandbox.ledger.scan<Task>('task');
  const approvals = await sandbox.approvals();
  const approvalTimezones = new Map(approvals.map((approval) => [approval.id, approval.timezone]));
  const risks = await sandbox.ledger.scan<RiskRecord>('risk');
  const alerts = await sandbox.ledger.scan<Alert>('alert');
  const emails = await sandbox.ledger.scan<EmailRecord>('email');
  const refunds = await sandbox.ledger.scan<{ refund: RefundRecord }>('refund');
  const cases = await sandbox.ledger.scan<{ record: PreChurnCase }>('pre-churn-case');
  const notes = await sandbox.ledger.scan<AccountNote>('note');
  // What the vendors would have received: the ledger's outbox (a port whose vendor is configured sends instead).
  const outbox = await sandbox.outbound.outbox.list();
  const pendingAccounts = await sandbox.ledger.pendingAccounts();
  const dispatches = await sandbox.ledger.scan<Dispatch>('dispatch');
  const inAccountTime = <T extends { accountId: string; at: string }>(row: T): T => ({ ...row, at: local(Date.parse(row.at), row.accountId) });
  return {
    tasks: tasks
      .map(({ id, kind, accountId, playbook, owner, ownerRole, status, createdAt, dueAt, title, completedAt, details }) => ({
        id,
        kind,
        accountId,
        playbook,
        owner,
        ownerRole,
        status,
        createdAt,
        dueAt,
        title,
        ...(completedAt ? { completedAt } : {}),
        ...(details ? { details } : {}),
      }))
      .sort(byTimeThen('createdAt')),
    risks: risks
      .map(({ id, kind, accountId, status, origin, openedAt }) => ({ id, kind, accountId, status, origin, openedAt }))
      .sort(byTimeThen('openedAt')),
    // What send-email queued for the mailer, not the drafts prepare-email recorded (approval mode: waiting for the CSM).
    emails: emails
      .filter((email): email is EmailRecord & { recordedAt: string } => email.status !== 'prepared' && email.recordedAt !== undefined)
      .map(({ accountId, playbook, to, template, language, recordedAt, messageId, subject }) => ({
        accountId,
        playbook,
        to,
        template,
        language,
        at: recordedAt,
        status: messageId === undefined ? ('unsent' as const) : messageId.startsWith(OUTBOX_MESSAGE_PREFIX) ? ('recorded' as const) : ('sent' as const),
        subject,
      }))
      .map(inAccountTime)
      .sort(byTimeThen('at', 'accountId')),
    // A digest is a person's, not an account's: in `digests`.
    notifications: reportNotifications(outbox.filter(({ accountId }) => !isDigestPartition(accountId)))
      .map(inAccountTime)
      .sort(byTimeThen('at', 'accountId')),
    // Only a request finance received: one still `posting` was not confirmed posted (its step retries, or a person took over).
    refunds: refunds
      .filter(({ refund }) => refund.status === 'posted')
      .map(({ refund }) => ({ accountId: refund.accountId, caseId: refund.caseId, at: refund.postedAt!, proofUrl: refund.proofUrl }))
      .sort(byTimeThen('at', 'caseId')),
    // A case only an early outcome touched (no cancellation yet) is not a case the team works on.
    cases: cases
      .filter(({ record }) => record.opened !== undefined)
      .map(({ record }) => caseRow(record))
      .sort(byTimeThen('openedAt', 'caseId')),
    alerts: alerts
      .sort((a, b) => Date.parse(a.raisedAt) - Date.parse(b.raisedAt) || a.id.localeCompare(b.id))
      .map(({ accountId, type, status, playbook, raisedAt, acknowledgedAt, handledBy }) => ({
        accountId,
        type,
        acknowledged: status === 'acknowledged',
        playbook,
        raisedAt,
        ...(acknowledgedAt ? { acknowledgedAt } : {}),
        ...(handledBy ? { handledBy } : {}),
      })),
    executions: executions.filter(({ playbook }) => !scheduled.has(playbook)).map(row),
    scheduledRuns: [...scheduled].map(([playbook, schedule]) => {
      const runs = executions.filter((execution) => execution.playbook === playbook);
      return {
        playbook,
        schedule: describeSchedule(schedule),
        runs: runs.length,
        succeeded: runs.filter(({ status }) => status === 'SUCCEEDED').length,
        running: runs.filter(({ status }) => status === 'RUNNING').map(row),
        failed: runs.filter(({ status }) => status !== 'RUNNING' && status !== 'SUCCEEDED').map(row),
      };
    }),
    approvals: approvals.map(({ id, accountId, playbook, template, reason, status, requestedAt, expiresAt, taskId, waiting, outcome }) => ({
      id,
      accountId,
      playbook,
      template,
      reason,
      status,
      requestedAt,
      expiresAt,
      taskId,
      waiting,
      ...(outcome && status !== 'expired' ? { decidedBy: outcome.decidedBy, decidedAt: outcome.decidedAt, edited: outcome.edited } : {}),
    })),
    decisions: decisions.map(({ at, ...decision }) => ({
      at: formatLocalIso(new Date(at), approvalTimezones.get(decision.approvalId) ?? 'UTC'),
      ...decision,
    })),
    pendingAccounts: pendingAccounts
      .map(({ accountId, fields, missing, firstSeenAt, timezone }) => ({ accountId, fields, missing, since: formatLocalIso(new Date(firstSeenAt), timezone ?? 'UTC') }))
      .sort(byTimeThen('since', 'accountId')),
    notes: notes.map(({ accountId, playbook, text, at }) => ({ accountId, playbook, text, at })).map(inAccountTime).sort(byTimeThen('at', 'text')),
    accounts: accounts
      .map(({ id, name, csmId, contacts }) => ({ id, name, csmId, contacts: contacts.map(({ id: contactId, name: contactName, role, email }) => ({ id: contactId, name: contactName, role, email })) }))
      .sort((a, b) => a.id.localeCompare(b.id)),
    people: sandbox.settings.people.map(({ id, name, role, slackId }) => ({ id, name, role, ...(slackId ? { slackId } : {}) })),
    warnings: [...warnings],
    deadLetters: dispatches
      .filter((dispatch) => stateOf(dispatch) === 'dead')
      .map((dispatch) => ({
        accountId: dispatch.accountId,
        dispatchId: dispatch.id,
        call: callName(dispatch.call),
        reason: dispatch.deadReason ?? 'refused',
        lastError: dispatch.lastError ?? '',
        at: local(Date.parse(dispatch.deadAt ?? dispatch.queuedAt), dispatch.accountId),
        attempts: dispatch.attempts,
      }))
      .sort((a, b) => a.at.localeCompare(b.at) || a.dispatchId.localeCompare(b.dispatchId)),
    dispatchesDue: dispatches.filter((dispatch) => stateOf(dispatch) === 'due').length,
    usage: await usageView(sandbox, timezones),
    health: await healthView(sandbox),
    digests: await digestsView(sandbox, outbox),
    undelivered: sandbox.deadLetters.map(({ type: _type, at, ...rest }) => ({ at: local(at, rest.accountId), ...rest })),
  };
}

/** What the report says of an account's usage check: ids, kinds and instants only. */
export interface UsageCheckView {
  status: UsageCheck['status'];
  /** live: its next review. */
  nextReview?: string;
  /** The drop open: raised, not yet met by usage resumed or a touchpoint. */
  openDrop?: { id: string; kind: 'idle' | 'drop'; raisedAt: string; meetingCheckDue?: string };
}

function checkView({ status, wakeAt, drop }: UsageCheck): UsageCheckView {
  return {
    status,
    ...(status === 'live' && wakeAt ? { nextReview: wakeAt } : {}),
    ...(drop ? { openDrop: { id: drop.id, kind: drop.kind, raisedAt: drop.raisedAt, ...(drop.meetingCheckDue ? { meetingCheckDue: drop.meetingCheckDue } : {}) } } : {}),
  };
}

/** Each account with usage on record: its window as of the report's local date (the days of the ledger's usage, one query each). */
async function usageView(sandbox: Sandbox, timezones: ReadonlyMap<string, string>): Promise<Report['usage']> {
  const used = [...new Set((await sandbox.ledger.scan<{ accountId: string }>('usage-day')).map(({ accountId }) => accountId))].sort();
  return Promise.all(
    used.map(async (accountId) => {
      const asOf = formatLocalIso(new Date(sandbox.clock.now()), timezones.get(accountId) ?? 'UTC').slice(0, 10);
      const { days, lastActiveDay } = await sandbox.ledger.usage.activity(accountId);
      const { check } = await sandbox.ledger.usageChecks.get(accountId);
      return { accountId, asOf, ...usageWindow(days, asOf, lastActiveDay), ...(check ? { check: checkView(check) } : {}) };
    }),
  );
}

/** Each scored account's latest score, with its lines and what moved it since the one before (one read each). */
async function healthView(sandbox: Sandbox): Promise<HealthView[]> {
  const scored = (await sandbox.ledger.scan<StoredHealth>('health-score')).map(({ accountId }) => accountId).sort();
  const views = await Promise.all(scored.map(async (accountId) => (await sandbox.ledger.health.get(accountId)).health));
  return views
    .filter((health): health is StoredHealth => health !== undefined)
    .map(({ accountId, score, band, profile, settingsVersion, scoredAt, cause, lines, missing, insufficient, previous, thresholds = {}, snoozes = {} }) => ({
      accountId,
      ...(score !== undefined ? { score } : {}),
      ...(band ? { band } : {}),
      profile,
      settingsVersion,
      scoredAt,
      cause,
      lines,
      missing,
      ...(insufficient ? { insufficient } : {}),
      ...(previous ? { previous: { ...(previous.score !== undefined ? { score: previous.score } : {}), ...(previous.band ? { band: previous.band } : {}), scoredAt: previous.scoredAt } } : {}),
      moved: whatMoved(previous?.lines, lines),
      thresholds: Object.entries(thresholds).map(([alertType, { since, raised, firstLook }]) => ({ alertType: alertType as ThresholdAlert, since, ...(raised ? { raised } : {}), ...(firstLook ? { firstLook } : {}) })),
      snoozes: Object.entries(snoozes).map(([alertType, { until, by }]) => ({ alertType: alertType as ThresholdAlert, until, by })),
    }));
}

/** A running execution's wait, its instants in the account's offset; none while a step runs or once it stopped. */
function waitingOf({ until, ...execution }: ExecutionRecord & { until: number | undefined }, local: (at: number, accountId: string) => string): ExecutionWaiting | undefined {
  if (execution.status !== 'RUNNING' || !execution.waiting || until === undefined) return undefined;
  const { since, ...waiting } = execution.waiting;
  return { ...waiting, since: local(since, execution.accountId), until: local(until, execution.accountId) };
}

function caseRow(record: PreChurnCase): PreChurnCaseRow {
  const opened = record.opened!;
  const retention = record.retention;
  return {
    caseId: record.id,
    accountId: record.accountId,
    status: record.status,
    owner: opened.owner,
    ownerRole: opened.ownerRole,
    openedAt: opened.openedAt,
    requestedAt: opened.requestedAt,
    ...(record.outcome ? { outcomeAt: record.outcome.at } : {}),
    ...(retention ? { type: retention.type, origin: retention.origin, proofUrl: retention.proofUrl, planExpiresOn: retention.planExpiresOn } : {}),
  };
}

/** Chronological (by instant, whatever the offsets), then by id: the same run gives the same order. */
function byTimeThen<K extends string, I extends string = 'id'>(key: K, id: I = 'id' as I) {
  return <T extends Record<K | I, string>>(a: T, b: T) => Date.parse(a[key]) - Date.parse(b[key]) || a[id].localeCompare(b[id]);
}
