import type { SandboxActivity } from '../runtime/activity.ts';

/**
 * One terminal line per event on the bus and per execution that ends, for whoever watches `npm start`:
 *
 *   17:05:02  event      AlertAcknowledged  acc-salon-lumiere  evt-sample-alertAcknowledged → alert-acknowledged
 *   17:05:03  SUCCEEDED  touchpoint-log  acc-salon-lumiere
 *   17:05:17  FAILED     alert-acknowledged  acc-salon-lumiere  AutomationFailed, manual follow-up task-… for csm-camille
 *
 * Ids only (the activity carries nothing else). `timeZone` is the terminal's unless given.
 */
export function activityLine(activity: SandboxActivity, timeZone?: string): string {
  if (activity.type === 'dead-letter') {
    return line(activity.at, 'NOT STARTED', `${activity.playbook}  ${activity.accountId}  ${activity.eventId}: ${activity.errorCode}: ${activity.errorMessage}`, timeZone);
  }
  if (activity.type === 'event') {
    const started = activity.playbooks.length > 0 ? activity.playbooks.join(', ') : 'no playbook consumes it';
    return line(activity.at, 'event', `${activity.detailType}  ${activity.accountId}  ${activity.eventId} → ${started}`, timeZone);
  }
  const { execution, manualFollowUps } = activity;
  const followUps = manualFollowUps.map((task) => `${task.taskId} for ${task.owner}`).join(', ');
  const subject = `${execution.playbook}  ${execution.accountId || '(no account)'}`;
  if (execution.status === 'SUCCEEDED') {
    // A side step that failed for good still leaves its task: the CSM has something to do by hand.
    return line(execution.stoppedAt ?? execution.startedAt, 'SUCCEEDED', followUps ? `${subject}  with a manual follow-up: ${followUps}` : subject, timeZone);
  }
  const why = execution.error ?? execution.status;
  const outcome = followUps ? `manual follow-up ${followUps}` : 'no manual follow-up task: nobody has been told';
  return line(execution.stoppedAt ?? execution.startedAt, execution.status, `${subject}  ${why}, ${outcome}`, timeZone);
}

function line(at: number, label: string, text: string, timeZone: string | undefined): string {
  return `${clockTime(at, timeZone)}  ${label.padEnd(9)}  ${text}`;
}

function clockTime(at: number, timeZone: string | undefined): string {
  return new Intl.DateTimeFormat('en-GB', { hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23', ...(timeZone ? { timeZone } : {}) }).format(at);
}
