import type { DetailOf, FeedbackTopic, OwnerRole } from '../../contracts/index.ts';
import { formatLocalIso, type BusinessCalendar } from '../calendar/business-time.ts';

/**
 * Meeting feedback becomes a client risk (seed 000). The CSM stays its owner, the Authority; each
 * topic names who is Responsible for acting on it (RACI):
 * - strategy, roadmap → the strategist;
 * - a promise or commitment made, add-ons sold, the calibration of the quote → sales;
 * - the speed or quality of onboarding → the expert.
 */
const RESPONSIBLE: Record<FeedbackTopic, Extract<OwnerRole, 'strategist' | 'sales' | 'expert'>> = {
  strategy: 'strategist',
  roadmap: 'strategist',
  promise: 'sales',
  commitment: 'sales',
  'add-ons': 'sales',
  'quote-calibration': 'sales',
  'onboarding-speed': 'expert',
  'onboarding-quality': 'expert',
};

/** Who must acknowledge the client risk: each Responsible role once, in the order of the RACI table. */
export function responsibleRoles(topics: readonly FeedbackTopic[]): ('strategist' | 'sales' | 'expert')[] {
  const roles = new Set(topics.map((topic) => RESPONSIBLE[topic]));
  return (['strategist', 'sales', 'expert'] as const).filter((role) => roles.has(role));
}

type MeetingFeedback = Pick<DetailOf<'ClientFeedbackReceived'>, 'text' | 'quotes' | 'recordingUrl' | 'analysis' | 'actionPlan' | 'topics'>;

/**
 * The context the risk carries (seed 000: notes, the client's quotes, the recording, the CSM's
 * analysis, a simple action plan): what each Responsible reads before acknowledging it. Absent parts
 * are named as missing, so the CSM sees what to complete.
 */
export function clientRiskContext(feedback: MeetingFeedback): string {
  const part = (title: string, value: string | undefined) => `${title}: ${value?.trim() ? value.trim() : '(missing: complete it in the CRM)'}`;
  return [
    part('Topics', feedback.topics?.join(', ')),
    part('Notes', feedback.text),
    part('Client quotes', feedback.quotes?.map((quote) => `“${quote}”`).join(' ')),
    part('Recording', feedback.recordingUrl),
    part('CSM analysis', feedback.analysis),
    part('Action plan', feedback.actionPlan),
  ].join('\n');
}

/**
 * Seed 000: an acknowledgement still missing `days` business days after the risk was opened goes to the
 * team lead: that many business days later (the account's country), at the same local time.
 */
export function acknowledgementDeadline(
  openedAt: Date,
  where: { timezone: string; country: string },
  days: number,
  calendar: Pick<BusinessCalendar, 'addBusinessDays' | 'atLocalTime'>,
): string {
  const local = formatLocalIso(openedAt, where.timezone);
  const day = calendar.addBusinessDays(local.slice(0, 10), days, where.country);
  return formatLocalIso(calendar.atLocalTime(day, local.slice(11, 16), where.timezone), where.timezone);
}
