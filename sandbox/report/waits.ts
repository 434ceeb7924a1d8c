import type { ExecutionWaiting } from './report.ts';
import { readableTime } from './layout.ts';

/**
 * What each playbook's Wait states and callback Tasks wait for, in a CSM's words, by playbook and
 * state name. test/sandbox/report-waits.test.ts holds it against the catalog's built definitions: a new
 * waiting state without its words fails there.
 */
export const WAITS_FOR: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  'nps-response': {
    CoolDown: 'the detractor call, once the cool-down is over',
    WaitForPlanReview: "the action plan's review",
    RequestReviewRequestApproval: "the CSM's approval of the review-request e-mail",
  },
  'no-contact': {
    WaitForWakeUp: "the 91-day check's next look at the account",
    RequestProposalApproval: "the CSM's approval of the no-contact proposal e-mail",
  },
  'usage-check': {
    WaitForWakeUp: "the usage check's next review of the account",
    RequestCheckInApproval: "the CSM's approval of the usage check-in e-mail",
  },
  renewal: { WaitForWakeUp: "the renewal's next milestone (the branch, a reminder)" },
  'welcome-back': { RequestWelcomeApproval: "the CSM's approval of the welcome-back e-mail" },
  'competitor-meeting': { WaitForCallDay: 'the red-alert call day' },
  'alert-reminder': { WaitForReminderTime: 'the reminder of alerts without ✅' },
  'monday-digest': { WaitForDigestTime: 'the Monday digest time of a group of people (digest.time in their zone)' },
  'client-feedback': {
    AwaitFirstReply: "the client's first reply",
    AwaitLateReply: "the client's late reply",
    WaitForAcknowledgements: "the assignees' acknowledgements (then the team lead is told)",
  },
  'pre-churn': {
    AwaitSaveOutcome: "the save attempt's outcome",
    AwaitLateOutcome: "a late outcome of the save attempt",
    AwaitProof: "the proof of the client's cancellation",
  },
};

/**
 * One line: what a running execution waits for and until when, e.g. "waiting for the client's first
 * reply until 2026-11-11T10:15+01:00 (Task AwaitFirstReply, then it times out)".
 */
export function describeWaiting(playbook: string, waiting: ExecutionWaiting): string {
  const until = readableTime(waiting.until);
  const what = WAITS_FOR[playbook]?.[waiting.state];
  switch (waiting.kind) {
    case 'wait':
      return `waiting until ${until}${what ? ` for ${what}` : ''} (Wait state ${waiting.state})`;
    case 'callback':
      return `waiting for ${what ?? 'a callback'} until ${until} (Task ${waiting.state}, then it times out)`;
    case 'retry':
      return `waiting until ${until} to retry ${waiting.state} (retry ${waiting.retry ?? 1}, after ${waiting.error ?? 'an error'})`;
  }
}
