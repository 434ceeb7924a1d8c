export type TouchpointChannel = 'call' | 'meeting' | 'email' | 'qbr';

/** Invariant 5: what a waking playbook re-reads to decide whether its goal is already met. */

/**
 * The detractor's cool-down goal: someone talked with *that* contact, by call or meeting, at or
 * after the answer. An e-mail does not count (seed 003 step 2: a call, not an e-mail), nor does a
 * call with another contact of the account.
 */
export function contactedSince(
  touchpoints: readonly { contactId?: string | undefined; channel: TouchpointChannel; at: string }[],
  contactId: string,
  since: Date,
  channels: readonly TouchpointChannel[] = ['call', 'meeting'],
): boolean {
  return touchpoints.some(
    (touchpoint) => touchpoint.contactId === contactId && channels.includes(touchpoint.channel) && Date.parse(touchpoint.at) >= since.getTime(),
  );
}

/**
 * The detractor's goal: the action plan is open as long as *the* risk the answer opened or joined is
 * open. Another open risk of the account (that one closed, a later one opened since) is another plan.
 */
export function riskStillOpen(openRisks: readonly { id: string; status: string }[], riskId: string): boolean {
  return openRisks.some((risk) => risk.id === riskId && risk.status === 'open');
}
