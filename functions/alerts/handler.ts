import { domainHandler, lambdaAction } from '../runtime/lambda.ts';
import { acknowledgeAlert } from './acknowledge-alert.ts';
import { notifyPerson } from './notify-person.ts';
import { planAlertReminder } from './plan-alert-reminder.ts';
import { postAlert } from './post-alert.ts';
import { remindOpenAlerts } from './remind-open-alerts.ts';
import { snoozeAlert } from './snooze-alert.ts';

/** The alert channel and direct messages: alerts posted once, acknowledged, reminded at 17:00. Rules: ../core/alerts/. */
export const handler = domainHandler('alerts', {
  'post-alert': lambdaAction(postAlert),
  'acknowledge-alert': lambdaAction(acknowledgeAlert),
  'snooze-alert': lambdaAction(snoozeAlert),
  'plan-alert-reminder': lambdaAction(planAlertReminder),
  'remind-open-alerts': lambdaAction(remindOpenAlerts),
  'notify-person': lambdaAction(notifyPerson),
});
