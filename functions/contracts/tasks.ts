import { z } from './zod.ts';

/** The closed list of task kinds of docs/playbooks.md (extend only with a new playbook, or with approval mode's `email-approval`). */
export const TaskKind = z.enum([
  'detractor-context-review',
  'detractor-call',
  'detractor-plan-review',
  'nps-follow-up-call',
  'store-call',
  'red-alert-call',
  'churn-risk-info-and-meeting',
  'no-contact-outreach',
  'no-contact-reminder',
  'first-reply',
  'first-reply-overdue',
  'feedback-meeting',
  'risk-acknowledgement',
  'pre-churn-save',
  'pre-churn-proof-missing',
  'upsell-request',
  'hardware-order',
  'manual-follow-up',
  // usage-check and welcome-back (docs/playbooks.md, usage).
  'usage-drop',
  'usage-meeting-check',
  'champion-inactive',
  'welcome-back-call',
  // at-risk (docs/playbooks.md, health).
  'at-risk-plan',
  // renewal (docs/playbooks.md, renewal).
  'renewal-save-plan',
  'renewal-executive-review',
  'renewal-proposal',
  'renewal-reminder',
  // Approval mode: the CSM approves, edits or cancels an e-mail a playbook proposes (not a playbook of
  // its own: the e-mails of nps-response and no-contact ask for it when their mode is `approval`).
  'email-approval',
]);
export type TaskKind = z.infer<typeof TaskKind>;

/** Who a task goes to, as a role on the account: the single Authority of invariant 3. */
export const OwnerRole = z.enum(['csm', 'teamLead', 'sales', 'onboarding', 'support', 'strategist', 'expert']);
export type OwnerRole = z.infer<typeof OwnerRole>;

export const RiskKind = z.enum(['churn-risk', 'downsell-risk', 'client-risk']);
export type RiskKind = z.infer<typeof RiskKind>;

/**
 * What a step hands a task or an alert to read: one text, or parts joined with a space (a flow's own
 * words around a sealed value it cannot format itself: `States.Array('… raised by the CRM:', $.detail.reason)`).
 */
export const StepText = z.union([z.string(), z.array(z.string())]);
export type StepText = z.infer<typeof StepText>;

export function joinText(text: StepText): string;
export function joinText(text: StepText | undefined): string | undefined;
export function joinText(text: StepText | undefined): string | undefined {
  return Array.isArray(text) ? text.join(' ') : text;
}
