import type { AccountRecord, RiskKind, TaskKind } from '../../contracts/index.ts';

/** What the owner reads in their task list. Account names are fine here; they never go to logs. */
const TITLES: Record<TaskKind, string> = {
  'detractor-context-review': 'Review the 360° context of a detractor NPS answer',
  'detractor-call': 'Call the detractor to qualify the dissatisfaction',
  'detractor-plan-review': 'Measure the detractor action plan',
  'nps-follow-up-call': 'Follow-up call after a passive NPS answer',
  'store-call': 'Call about the store (promoter NPS)',
  'red-alert-call': 'Red alert: book a meeting before the competitor does',
  'churn-risk-info-and-meeting': 'Churn risk: gather the context and book a meeting',
  'no-contact-outreach': 'No contact for too long: propose an exchange to the champion',
  'no-contact-reminder': 'No contact: reminder, the champion has not answered',
  'first-reply': 'First reply to a dissatisfied client',
  'first-reply-overdue': 'First reply overdue: the client is still waiting',
  'feedback-meeting': 'Book the feedback meeting with the client',
  'risk-acknowledgement': 'Acknowledge the client risk assigned to you',
  'pre-churn-save': 'Pre-churn: try to save the client',
  'pre-churn-proof-missing': 'Pre-churn lost: attach the client’s written request',
  'upsell-request': 'Upsell request from the client',
  'hardware-order': 'Hardware order from the client',
  'manual-follow-up': 'Automated step failed: follow up by hand',
  'usage-drop': 'Usage drop: find out why the account uses the product less',
  'usage-meeting-check': 'Usage drop: is a meeting booked with the account?',
  'champion-inactive': 'A key contact stopped using the product: reach out',
  'welcome-back-call': 'A key contact is back in the product: call them',
  'at-risk-plan': 'Health score down: agree an action plan with the account',
  'renewal-save-plan': 'Renewal at risk: build the save plan with your team lead',
  'renewal-executive-review': 'Strategic renewal: book the executive review with the sponsor',
  'renewal-proposal': 'Renewal ahead: send the renewal proposal',
  'renewal-reminder': 'Renewal not recorded yet: where does it stand?',
  'email-approval': 'Approve, edit or cancel an e-mail before it is sent',
};

export function taskTitle(kind: TaskKind, account: Pick<AccountRecord, 'name'>): string {
  return `${TITLES[kind]} — ${account.name}`;
}

const RISK_LABELS: Record<RiskKind, string> = { 'churn-risk': 'Churn risk', 'downsell-risk': 'Downsell risk', 'client-risk': 'Client risk' };

/** A risk's name where the CS team reads it (the deal in the CRM's retention pipeline). */
export function riskTitle(kind: RiskKind, account: Pick<AccountRecord, 'name'>): string {
  return `${RISK_LABELS[kind]}: ${account.name}`;
}
