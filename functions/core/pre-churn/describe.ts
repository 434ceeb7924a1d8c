import type { AccountRecord } from '../../contracts/index.ts';
import type { CaseOpening } from './case.ts';
import type { PreChurnRole } from './owner.ts';

/**
 * What the people of a pre-churn read: the owner's save task, the other one's notification, the team
 * lead's escalation and the missing proof. Account names belong here, in tasks and messages, never in logs.
 */

const ROLE: Record<PreChurnRole, string> = { sales: 'Sales', onboarding: 'the onboarding AM' };

const requestLine = (opening: CaseOpening, signedOn: string) =>
  `The client asked to cancel on ${opening.requestedAt.slice(0, 10)} (${opening.channel}), ${opening.days} days after signing on ${signedOn} (pre-churn window: ${opening.windowDays} days).`;

export function saveTaskDetails(opening: CaseOpening, signedOn: string): string {
  const stage = opening.ownerRole === 'sales' ? 'before the welcome call: Sales owns the save' : 'after the welcome call: the onboarding AM owns the save';
  return [
    requestLine(opening, signedOn),
    `It came ${stage}${opening.informed ? `; ${ROLE[opening.informedRole!]} (${opening.informed}) was told and saves the client with you` : ''}. A growth AM can advise.`,
    `Report the outcome (SaveAttemptConcluded): saved, or lost with the proof, a screenshot of the client's e-mail or SMS asking to cancel (a termination letter is not one).`,
    `Without an outcome by ${opening.saveDeadline}, the team lead takes it up.`,
  ].join('\n');
}

export function notificationText(opening: CaseOpening, account: Pick<AccountRecord, 'name'>, signedOn: string): string {
  return [
    `Pre-churn: ${account.name} wants to cancel.`,
    requestLine(opening, signedOn),
    `${ROLE[opening.ownerRole]} (${opening.owner}) owns the save; you are told directly so that you save the client together.`,
  ].join('\n');
}

export function escalationDetails(opening: CaseOpening, signedOn: string): string {
  return [
    `No outcome of the pre-churn save by ${opening.saveDeadline}.`,
    requestLine(opening, signedOn),
    `${ROLE[opening.ownerRole]} (${opening.owner}) has the save task. The case stays open until its outcome is reported.`,
  ].join('\n');
}

export function proofMissingDetails(opening: CaseOpening): string {
  return [
    'The pre-churn case was reported lost, but nothing proves the client asked to cancel.',
    `Report the outcome again with a screenshot of the client's e-mail or SMS (a termination letter is not one): until then, no RETENTION case, no plan expiry and no refund request.`,
    `Cancellation requested on ${opening.requestedAt.slice(0, 10)} (${opening.channel}).`,
  ].join('\n');
}
