import type { AccountRecord } from '../../contracts/index.ts';
import type { CaseOpening } from './case.ts';
import type { PreChurnRole } from './owner.ts';

/**
 * What the people of a pre-churn read: the owner's save task, the other one's notification, the team
 * lead's escalation and the missing proof. Account names belong here, in tasks and messages, never in logs.
 */

const ROLE: Record<PreChurnRole, string> = { sales: 'Sales', onboarding: 'the onboarding AM' };
/** A role at the start of a sentence. */
const Role = (role: PreChurnRole) => ROLE[role].charAt(0).toUpperCase() + ROLE[role].slice(1);

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
    `${Role(opening.ownerRole)} (${opening.owner}) owns the save; you are told directly so that you save the client together.`,
  ].join('\n');
}

export function escalationDetails(opening: CaseOpening, signedOn: string): string {
  return [
    `No outcome of the pre-churn save by ${opening.saveDeadline}.`,
    requestLine(opening, signedOn),
    `${Role(opening.ownerRole)} (${opening.owner}) has the save task. The case stays open until its outcome is reported.`,
  ].join('\n');
}

export function proofMissingDetails(opening: CaseOpening): string {
  return [
    'The pre-churn case was reported lost, but nothing proves the client asked to cancel.',
    `Report the outcome again with a screenshot of the client's e-mail or SMS (a termination letter is not one): until then, no RETENTION case, no plan expiry and no refund request.`,
    `Cancellation requested on ${opening.requestedAt.slice(0, 10)} (${opening.channel}).`,
  ].join('\n');
}

/** The churn-risk task of a cancellation that is not a pre-churn: why it is not. */
export function churnRiskDetails(request: { requestedAt: string; channel: string }, window: { days: number; windowDays: number } | undefined): string {
  const when = `The client asked to cancel on ${request.requestedAt.slice(0, 10)} (${request.channel})`;
  return window
    ? `${when}, ${window.days} days after signing: beyond the ${window.windowDays}-day pre-churn window, so a churn risk.`
    : `${when}; no contract signature is on file, so it cannot be a pre-churn: a churn risk.`;
}

/** For a person, when an outcome arrives that no execution will act on. */
export function outcomeFollowUpDetails(
  why: 'late-outcome' | 'conflicting-outcome' | 'no-pre-churn-contract',
  outcome: { outcome: string; eventId: string; at: string; proofUrl?: string | undefined },
  concluded?: { status: string } | undefined,
): string {
  const reported = `The save was reported ${outcome.outcome} on ${outcome.at} (event ${outcome.eventId})${outcome.proofUrl ? `, proof ${outcome.proofUrl}` : ''}.`;
  switch (why) {
    case 'late-outcome':
      return `${reported} The pre-churn playbook had stopped waiting for it: if lost with proof, create the RETENTION case (origin SALES_PROCESS), set PLAN EXPIRATION DATE to tomorrow and ask finance for the refund, by hand.`;
    case 'conflicting-outcome':
      return `${reported} The case was already concluded ${concluded?.status}: nothing was changed. Settle which is right with the owner; a refund, if any, is requested by hand.`;
    case 'no-pre-churn-contract':
      return `${reported} The account has no contract signature on file, so no pre-churn case can hold it: check the account and follow the cancellation up by hand.`;
  }
}

/** The CRM record the lost case is mirrored to: its name and description say what the seed asks for. */
export function retentionCaseTitle(account: Pick<AccountRecord, 'name'>): string {
  return `Pre-churn lost (RETENTION, SALES_PROCESS): ${account.name}`;
}

export function retentionCaseDescription(proofUrl: string, planExpiresOn: string): string {
  return `Case type RETENTION, origin SALES_PROCESS, status lost. Proof of the client's request: ${proofUrl}. PLAN EXPIRATION DATE: ${planExpiresOn}.`;
}
