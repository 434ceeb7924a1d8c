import type { AccountRecord, Contact, RiskKind } from '../../contracts/index.ts';
import { formatLocalIso } from '../calendar/business-time.ts';
import type { TouchpointChannel } from './exit-goals.ts';
import { annualRecurringRevenue, escalatesToTeamLead, respondentOf, type EscalationReason } from './escalation.ts';

/**
 * The texts of a detractor's tasks. They name people (the task is for the CSM, who knows them):
 * that is fine in a task's details, never in logs.
 */

export interface NpsAnswer {
  eventId: string;
  contactId: string;
  score: number;
  band: string;
  respondedAt: string;
  comment?: string | undefined;
}

export interface DetractorContext {
  account: AccountRecord;
  answer: NpsAnswer;
  /** Every NPS answer the account gave, this one included or not. */
  answers: readonly NpsAnswer[];
  openRisks: readonly { kind: RiskKind; origin: string; openedAt: string }[];
  touchpoints: readonly { contactId?: string | undefined; channel: TouchpointChannel; at: string }[];
  escalation: readonly EscalationReason[];
  escalationArr: number;
}

/** Enough to read at a glance; the CRM has the rest. */
export const MAX_OTHER_ANSWERS = 10;
export const MAX_TOUCHPOINTS = 5;
export const MAX_COMMENT_LENGTH = 500;
/** How far back before the answer "the last touchpoints" of the context look. */
export const TOUCHPOINT_HISTORY_DAYS = 365;

/** The instant the context's touchpoints are read from: `TOUCHPOINT_HISTORY_DAYS` before the answer. */
export function touchpointHistorySince(respondedAt: string): string {
  return new Date(Date.parse(respondedAt) - TOUCHPOINT_HISTORY_DAYS * 86_400_000).toISOString();
}

/**
 * seed 003 step 1, the 360° view: who answered (role, champion or not), what else the account said
 * in NPS surveys, which risks are open, the last touchpoints, and the revenue at stake.
 */
export function formatDetractorContext(context: DetractorContext): string {
  const { account, answer } = context;
  const zone = account.timezone;
  const others = context.answers
    .filter((other) => other.eventId !== answer.eventId)
    .sort((a, b) => Date.parse(b.respondedAt) - Date.parse(a.respondedAt));
  const touchpoints = [...context.touchpoints].sort((a, b) => Date.parse(b.at) - Date.parse(a.at));
  const lines = [
    `Detractor answer: ${answer.score}/10 (${answer.band}) on ${localTime(answer.respondedAt, zone)}`,
    ...(answer.comment ? [`Comment: “${clip(answer.comment, MAX_COMMENT_LENGTH)}”`] : []),
    `Respondent: ${describeRespondent(account, answer.contactId)}`,
    ...section(
      'Other NPS answers from this account',
      others.slice(0, MAX_OTHER_ANSWERS).map((other) => `${other.score}/10 (${other.band}) on ${localTime(other.respondedAt, zone)} from ${who(account, other.contactId)}`),
      others.length - MAX_OTHER_ANSWERS,
    ),
    ...section(
      'Open risks',
      context.openRisks.map((risk) => `${risk.kind}, origin ${risk.origin}, opened ${localTime(risk.openedAt, zone)}`),
      0,
    ),
    ...section(
      'Last touchpoints',
      touchpoints.slice(0, MAX_TOUCHPOINTS).map((t) => `${t.channel}${t.contactId ? ` with ${who(account, t.contactId)}` : ''} on ${localTime(t.at, zone)}`),
      touchpoints.length - MAX_TOUCHPOINTS,
    ),
    `Revenue: MRR ${euros(account.mrr)}, ARR ${euros(annualRecurringRevenue(account))}${account.arr === undefined ? ' (12 × MRR)' : ''}`,
    describeEscalationDecision(context),
  ];
  return lines.join('\n');
}

/** The team lead's copy: why it is theirs, then the same context. */
export function formatEscalation(context: DetractorContext): string {
  return `Escalated to you: ${describeEscalation(context)}.\n\n${formatDetractorContext(context)}`;
}

/** seed 003 step 2: call (or meet), listen, qualify; never an automatic e-mail. */
export function formatCallBrief(context: Pick<DetractorContext, 'account' | 'answer'>): string {
  const { account, answer } = context;
  return [
    `Call ${who(account, answer.contactId)} about their ${answer.score}/10 NPS answer of ${localTime(answer.respondedAt, account.timezone)}: ` +
      'let them explain, ask open questions, qualify the dissatisfaction. A call or a meeting, not an e-mail.',
    ...(answer.comment ? [`Comment: “${clip(answer.comment, MAX_COMMENT_LENGTH)}”`] : []),
  ].join('\n');
}

/** seed 003 step 6: measure the plan; closing the risk ends it and lifts the survey suppression. */
export function formatPlanReviewBrief(context: Pick<DetractorContext, 'account' | 'answer'>): string {
  const { account, answer } = context;
  return (
    `Measure the action plan started after the ${answer.score}/10 NPS answer of ${localTime(answer.respondedAt, account.timezone)} ` +
    `from ${who(account, answer.contactId)}. When the plan is done, close the churn risk: NPS surveys to the account stay suppressed until then.`
  );
}

function describeEscalationDecision(context: DetractorContext): string {
  if (context.escalation.length === 0) return `Not escalated: ARR below ${euros(context.escalationArr)} and the respondent is not the champion`;
  if (!escalatesToTeamLead(context.account, context.escalation)) {
    return `Not escalated: ${describeEscalation(context)}, but the account has no team lead on record`;
  }
  return `Escalated to the team lead: ${describeEscalation(context)}`;
}

function describeEscalation(context: DetractorContext): string {
  const reasons = context.escalation.map((reason) =>
    reason === 'arr'
      ? `ARR ${euros(annualRecurringRevenue(context.account))} ≥ ${euros(context.escalationArr)}`
      : 'the respondent is the account’s champion',
  );
  return reasons.join('; ');
}

function describeRespondent(account: AccountRecord, contactId: string): string {
  const respondent = respondentOf(account, contactId);
  if (!respondent) return `contact ${contactId}, not among the account’s contacts in the CRM (role unknown)`;
  if (respondent.role === 'champion') return `${respondent.name}, champion: the detractor is the account’s champion`;
  const champion = account.contacts.find((contact) => contact.role === 'champion');
  return `${respondent.name}, ${respondent.role}; not the champion (${champion ? `the champion is ${champion.name}` : 'the account has no champion on record'})`;
}

function who(account: AccountRecord, contactId: string): string {
  const contact: Contact | undefined = respondentOf(account, contactId);
  return contact ? `${contact.name} (${contact.role})` : `contact ${contactId}`;
}

function section(title: string, items: readonly string[], more: number): string[] {
  if (items.length === 0) return [`${title}: none`];
  return [`${title}:`, ...items.map((item) => `- ${item}`), ...(more > 0 ? [`- … and ${more} earlier`] : [])];
}

/** `2026-11-13 17:30` in the account's zone. */
function localTime(at: string, timezone: string): string {
  const local = formatLocalIso(new Date(at), timezone);
  return `${local.slice(0, 10)} ${local.slice(11, 16)}`;
}

/** `22 800 €`: grouped by thousands with spaces, at most two decimals. */
function euros(amount: number): string {
  const [units = '0', cents] = (Math.round(amount * 100) / 100).toString().split('.');
  return `${units.replace(/\B(?=(\d{3})+(?!\d))/g, ' ')}${cents ? `.${cents.padEnd(2, '0')}` : ''} €`;
}

function clip(text: string, max: number): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length <= max ? flat : `${flat.slice(0, max - 1)}…`;
}
