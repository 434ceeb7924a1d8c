import type { OwnerRole } from '../../functions/contracts/index.ts';
import { describeLines, describeMovement } from '../../functions/core/health/describe.ts';
import { Directory } from './directory.ts';
import { byInstant, heading, indented, readableTime as time, table } from './layout.ts';
import type { Report } from './report.ts';
import { summarize, type Counts } from './summary.ts';
import { describeWaiting } from './waits.ts';

/**
 * The report as a CSM reads it in a terminal: a summary first, then each section in time order, people
 * and contacts by name (with their id), each task with what it asks, every running execution with what
 * it waits for and until when. Times stay in the account's offset.
 */
export function formatReport(report: Report): string {
  const names = new Directory(report);
  const sections = [
    warningsSection(report),
    summarySection(report, names),
    tasksSection(report, names),
    risksSection(report, names),
    alertsSection(report, names),
    notesSection(report, names),
    emailsSection(report, names),
    notificationsSection(report, names),
    casesSection(report, names),
    refundsSection(report, names),
    approvalsSection(report, names),
    decisionsSection(report, names),
    pendingAccountsSection(report, names),
    usageSection(report, names),
    healthSection(report, names),
    digestsSection(report, names),
    undeliveredSection(report, names),
    deadLettersSection(report, names),
    executionsSection(report, names),
    scheduledRunsSection(report, names),
  ];
  return sections
    .filter((lines) => lines.length > 0)
    .map((lines) => lines.join('\n'))
    .join('\n\n');
}

type Section = (report: Report, names: Directory) => string[];

/** What the run did that its author may not expect (a scenario's event after `until`, or for an unknown account): first. */
const warningsSection = (report: Report): string[] => (report.warnings.length === 0 ? [] : [...heading(`Warnings (${report.warnings.length})`), ...report.warnings]);

/** Step Functions' execution statuses, in the order the summary counts them. */
const EXECUTION_STATUSES = ['RUNNING', 'SUCCEEDED', 'FAILED', 'TIMED_OUT', 'ABORTED'] as const;
/** `TIMED_OUT` → `timed out`. */
const inWords = (status: string) => status.toLowerCase().replace('_', ' ');
const COUNT_COLUMNS = ['tasks', 'alerts', 'e-mails', 'failed executions', 'manual follow-ups'] as const;
const counted = (counts: Counts) => [counts.tasks, counts.alerts, counts.emails, counts.failedExecutions, counts.manualFollowUps];

const summarySection: Section = (report, names) => {
  const { byPlaybook, byOwner } = summarize(report);
  const playbooks = [...byPlaybook].sort(([a], [b]) => a.localeCompare(b)).map(([playbook, counts]) => [`  ${playbook}`, ...counted(counts)]);
  const owners = [...byOwner]
    .map(([owner, counts]) => [`  ${owner === undefined ? 'no owner (account not in the ledger)' : names.person(owner)}`, ...counted(counts)])
    .sort(([a], [b]) => String(a).localeCompare(String(b)));
  const [header, ...rows] = table(['', ...COUNT_COLUMNS], [['Per playbook'], ...playbooks, ['Per owner'], ...owners]);
  const executions =
    EXECUTION_STATUSES.map((status) => [status, report.executions.filter((execution) => execution.status === status).length] as const)
      .filter(([, count]) => count > 0)
      .map(([status, count]) => `${count} ${inWords(status)}`)
      .join(', ') || 'none';
  return [
    ...heading('Summary'),
    ...(playbooks.length > 0 ? [header!, ...rows] : ['Nothing done: no task, alert or e-mail.']),
    `Executions: ${executions}`,
  ];
};

/**
 * A section of items in time order under its heading and count; left out when it has none, unless
 * `always` (a CSM looks for tasks and risks even when there are none).
 */
function listed<T>(title: string, items: readonly T[], instant: (item: T) => string, render: (item: T) => string[], always = false): string[] {
  if (items.length === 0 && !always) return [];
  return [...heading(`${title} (${items.length})`), ...byInstant(items, instant).flatMap(render)];
}

const tasksSection: Section = (report, names) =>
  listed(
    'Tasks',
    report.tasks,
    (task) => task.dueAt,
    (task) => [
      `due ${time(task.dueAt)}  ${task.kind}  for ${names.person(task.owner)}${task.ownerRole === 'csm' ? '' : `, ${roleInWords(task.ownerRole)}`}`,
      ...indented(task.title, 4),
      ...indented([names.account(task.accountId), task.playbook, `created ${time(task.createdAt)}`, taskStatus(task)].join(' · '), 4),
      ...(task.details ? indented(task.details, 8) : []),
    ],
    true,
  );

const taskStatus = (task: Report['tasks'][number]) => (task.status === 'completed' ? `completed${task.completedAt ? ` ${time(task.completedAt)}` : ''}` : 'open');

/** The role someone got a task or a case in, as the team says it. */
const OWNER_ROLES: Readonly<Record<OwnerRole, string>> = {
  csm: 'CSM',
  teamLead: 'team lead',
  sales: 'Sales',
  onboarding: 'onboarding AM',
  support: 'support',
  strategist: 'strategist',
  expert: 'expert',
};
const roleInWords = (role: string) => OWNER_ROLES[role as OwnerRole] ?? role;

const risksSection: Section = (report, names) =>
  listed('Risks', report.risks, (risk) => risk.openedAt, (risk) => [`${time(risk.openedAt)}  ${risk.status}  ${risk.kind}  ${names.account(risk.accountId)}  origin ${risk.origin}`], true);

const alertsSection: Section = (report, names) =>
  listed('Alerts', report.alerts, (alert) => alert.raisedAt, (alert) => [
    `${time(alert.raisedAt)}  ${alert.type}  ${names.account(alert.accountId)}  ${alert.playbook}`,
    ...indented(
      alert.acknowledged
        ? `✅ acknowledged${alert.acknowledgedAt ? ` ${time(alert.acknowledgedAt)}` : ''}${alert.handledBy ? `: ${alert.handledBy}` : ''}`
        : 'not acknowledged: no task set and not resolved yet',
      4,
    ),
  ]);

const notesSection: Section = (report, names) =>
  listed('Account notes', report.notes, (note) => note.at, (note) => [`${time(note.at)}  ${names.account(note.accountId)}  ${note.playbook}`, ...indented(note.text, 4)]);

const emailsSection: Section = (report, names) =>
  listed('E-mails', report.emails, (email) => email.at, (email) => [
    `${time(email.at)}  ${email.status}  ${email.template} (${email.language})  ${names.account(email.accountId)}`,
    ...indented(`to ${names.recipient(email.accountId, email.to)}`, 4),
    ...indented(`subject: ${email.subject}`, 4),
  ]);

const notificationsSection: Section = (report, names) =>
  listed('Notifications', report.notifications, (notification) => notification.at, (notification) => [
    `${time(notification.at)}  ${channel(notification.channel, names)}  ${notification.type}  ${names.account(notification.accountId)}`,
    // As posted: the words the channel or the person read.
    ...indented(notification.text, 4),
  ]);

/** `alerts` → the alert channel; `direct:<person>` → a direct message to that person. */
function channel(name: string, names: Directory): string {
  if (name === 'alerts') return 'alert channel';
  if (name.startsWith('direct:')) return `direct message to ${names.person(name.slice('direct:'.length))}`;
  return `channel ${name}`;
}

const casesSection: Section = (report, names) =>
  listed('Pre-churn cases', report.cases, (row) => row.openedAt, (row) => [
    `${time(row.openedAt)}  ${row.status}  ${names.account(row.accountId)}  owner ${names.person(row.owner)}, ${roleInWords(row.ownerRole)}`,
    ...(row.type ? indented(`${row.type}/${row.origin}, plan expires ${row.planExpiresOn}`, 4) : []),
    ...(row.proofUrl ? indented(`proof ${row.proofUrl}`, 4) : []),
  ]);

const refundsSection: Section = (report, names) =>
  listed('Refund requests', report.refunds, (refund) => refund.at, (refund) => [
    `${time(refund.at)}  ${names.account(refund.accountId)}  case ${refund.caseId}`,
    ...indented(`proof ${refund.proofUrl}`, 4),
  ]);

const approvalsSection: Section = (report, names) =>
  listed('Approvals', report.approvals, (approval) => approval.requestedAt, (approval) => [
    `${time(approval.requestedAt)}  ${approval.status}  ${approval.template}  ${names.account(approval.accountId)}  ${approval.id}`,
    ...indented(
      approval.decidedBy
        ? `decided by ${names.person(approval.decidedBy)}${approval.decidedAt ? ` at ${time(approval.decidedAt)}` : ''}${approval.edited ? ' (edited)' : ''}`
        : `${approval.status === 'pending' ? 'waiting for the CSM' : approval.status} until ${time(approval.expiresAt)}`,
      4,
    ),
  ]);

/** Events that reached no playbook or recorder: where they wait on AWS (a queue that pages), and why. */
const undeliveredSection: Section = (report, names) =>
  listed('Undelivered events (kept where ops find them, not lost)', report.undelivered, (row) => row.at, (row) => [
    `${time(row.at)}  ${row.detailType} ${row.eventId}  ${names.account(row.accountId)}  ${row.playbook === 'ingest' ? 'never accepted' : `not taken by ${row.playbook}`}: ${row.errorCode}`,
    ...indented(row.errorMessage, 4),
  ]);

/** The product's usage per account: since when idle, this week against the 4 weeks before. */
const usageSection: Section = (report, names) =>
  report.usage.length === 0
    ? []
    : [
        ...heading(`Usage (${report.usage.length} accounts, as of their local date)`),
        ...report.usage.flatMap(({ accountId, lastActiveDay, idleDays, thisWeek, fourWeekAverage, check }) => {
          const last = lastActiveDay === undefined ? 'never used' : idleDays === 0 ? `last used ${lastActiveDay}` : `last used ${lastActiveDay} (${idleDays} days idle)`;
          const average = (value: number) => (Number.isInteger(value) ? String(value) : value.toFixed(1));
          const drop = check?.openDrop;
          const watch = !check
            ? 'no usage check yet'
            : check.status === 'live'
              ? `usage check: next review ${check.nextReview ? time(check.nextReview) : 'now'}`
              : check.status === 'ended'
                ? 'usage check ended (idle, its drop raised): the next use starts it again'
                : 'usage check failed: the next use resumes it';
          return [
            `${names.account(accountId)}  ${last}; this week ${thisWeek.userDays} user-days on ${thisWeek.activeDays} days, the 4 weeks before ${average(fourWeekAverage.userDays)} a week`,
            ...indented(`${watch}${drop ? `; open drop ${drop.id} since ${time(drop.raisedAt)}${drop.meetingCheckDue ? `, meeting check due ${time(drop.meetingCheckDue)}` : ''}` : ''}`, 4),
          ];
        }),
      ];

/** Each scored account's health: the score, each measure's part in it, and what moved it since the score before. */
const healthSection: Section = (report, names) =>
  report.health.length === 0
    ? []
    : [
        ...heading(`Health (${report.health.length} account${report.health.length === 1 ? '' : 's'}, the latest score)`),
        ...report.health.flatMap(({ accountId, score, band, profile, scoredAt, cause, lines, missing, insufficient, previous, moved, thresholds, snoozes }) => [
          `${names.account(accountId)}  ${score !== undefined ? `${score} ${band}` : insufficient ? `no score: the measures with data weigh ${insufficient.weight} of 100, under health.minimumWeight (${insufficient.minimum})` : 'no score (no measure has data)'}  scored ${time(scoredAt)} on ${cause.type}${previous?.score !== undefined ? `, was ${previous.score} ${previous.band ?? ''} (${time(previous.scoredAt)})` : ''}`,
          ...describeLines(lines).flatMap((line) => indented(line, 4)),
          ...(missing.length > 0 ? indented(`no data: ${missing.join(', ')} (their weight spread over the others; profile ${profile})`, 4) : indented(`profile ${profile}`, 4)),
          ...(moved.length > 0 ? indented(`moved: ${moved.map(describeMovement).join('; ')}`, 4) : []),
          ...(thresholds.length > 0 ? indented(`thresholds reached: ${thresholds.map(({ alertType, since, raised, firstLook }) => `${alertType} since ${since}${raised ? '' : firstLook ? ' (past it at the first look: not raised)' : ' (snoozed: not raised)'}`).join(', ')}`, 4) : []),
          ...(snoozes.length > 0 ? indented(`snoozed: ${snoozes.map(({ alertType, until, by }) => `${alertType} until ${until} (by ${names.person(by)})`).join(', ')}`, 4) : []),
        ]),
      ];

/** The Monday digests: to whom, when, by which channel, and what they read. */
const digestsSection: Section = (report, names) =>
  listed('Monday digests', report.digests, (digest) => digest.at, ({ personId, monday, at, text, delivered }) => [
    `${time(at)}  ${names.person(personId)}, week to ${monday}: ${text === undefined ? 'nothing to say, not sent' : `slack ${delivered.slack}, e-mail ${delivered.email}`}`,
    ...(text === undefined ? [] : indented(text, 4)),
  ]);

/** The playbooks the stage's clock starts: their runs counted, a failed or running one named. */
const scheduledRunsSection: Section = (report) =>
  report.scheduledRuns.length === 0
    ? []
    : [
        ...heading('Scheduled runs (about no account)'),
        ...report.scheduledRuns.flatMap(({ playbook, schedule, runs, succeeded, running, failed }) => [
          `${playbook}  ${schedule}: ${runs} run${runs === 1 ? '' : 's'}, ${succeeded} succeeded${running.length > 0 ? `, ${running.length} running` : ''}${failed.length > 0 ? `, ${failed.length} failed` : ''}`,
          ...failed.flatMap((run) => indented(`${time(run.startedAt)}  ${run.name}  ${run.status}${run.error ? ` (${run.error})` : ''}`, 4)),
        ]),
      ];

/** Accounts the ledger knows only in part: no playbook sees them until their record is complete. */
const pendingAccountsSection: Section = (report) =>
  listed('Pending accounts (no playbook sees them until their record is complete)', report.pendingAccounts, (row) => row.since, (row) => [
    `${time(row.since)}  ${row.accountId}`,
    ...indented(`missing ${row.missing.join(', ')}; holds ${row.fields.join(', ')}`, 4),
  ]);

/** What a vendor never received, and what still waits for one (README, "Deliveries to the vendors"): only when there is some. */
const deadLettersSection: Section = (report, names) => {
  const { deadLetters, dispatchesDue } = report;
  if (deadLetters.length === 0 && dispatchesDue === 0) return [];
  return [
    ...heading(`Deliveries to the vendors: ${deadLetters.length} dead letter${deadLetters.length === 1 ? '' : 's'}, ${dispatchesDue} still waiting`),
    ...byInstant(deadLetters, (letter) => letter.at).flatMap((letter) => [
      `${time(letter.at)}  ${letter.call}  ${names.account(letter.accountId)}  ${letter.reason} after ${letter.attempts} attempt${letter.attempts === 1 ? '' : 's'}`,
      ...indented(letter.lastError, 4),
    ]),
  ];
};

const decisionsSection: Section = (report) =>
  listed(
    'Refused decisions',
    report.decisions.filter((decision) => decision.statusCode >= 300),
    (decision) => decision.at,
    (decision) => [`${time(decision.at)}  ${decision.statusCode}  ${decision.decision}  ${decision.approvalId}  ${decision.error ?? ''}`.trimEnd()],
  );

const executionsSection: Section = (report, names) => {
  const running = report.executions.filter((execution) => execution.status === 'RUNNING');
  const stopped = report.executions.filter((execution) => execution.status !== 'RUNNING' && execution.status !== 'SUCCEEDED');
  const which = (execution: Execution) => indented(`execution ${execution.name}, started ${time(execution.startedAt)}`, 6);
  return [
    ...heading(`Executions (${report.executions.length})`),
    ...(running.length === 0
      ? []
      : [
          `Still running, by next wake-up (${running.length}):`,
          ...byInstant(running, (execution) => execution.waiting?.until ?? execution.startedAt).flatMap((execution) => [
            `  ${execution.playbook}  ${names.account(execution.accountId)}`,
            ...indented(execution.waiting ? describeWaiting(execution.playbook, execution.waiting) : 'running a step', 6),
            ...which(execution),
          ]),
        ]),
    ...(stopped.length === 0
      ? []
      : [
          `Failed or stopped (${stopped.length}):`,
          ...byInstant(stopped, (execution) => execution.stoppedAt ?? execution.startedAt).flatMap((execution) => [
            `  ${execution.stoppedAt ? `${time(execution.stoppedAt)}  ` : ''}${execution.playbook}  ${names.account(execution.accountId)}`,
            ...indented(`${inWords(execution.status)}${execution.error ? `: ${execution.error}` : ''}`, 6),
            ...which(execution),
          ]),
        ]),
    ...(running.length + stopped.length === 0 ? ['All succeeded.'] : []),
  ];
};

type Execution = Report['executions'][number];
