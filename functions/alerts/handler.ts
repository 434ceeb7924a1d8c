import { alertChannelFromEnvironment } from '../adapters/from-environment.ts';
import { domainHandler, lambdaAction } from '../runtime/lambda.ts';
import { vendorPorts } from '../runtime/lambda-ports.ts';
import { acknowledgeAlert } from './acknowledge-alert.ts';
import { notifyPerson } from './notify-person.ts';
import { planAlertReminder } from './plan-alert-reminder.ts';
import { postAlert } from './post-alert.ts';
import { remindOpenAlerts } from './remind-open-alerts.ts';

/** The alert channel and direct messages: alerts posted once, acknowledged, reminded at 17:00. Rules: ../core/alerts/. */
export const handler = domainHandler('alerts', {
  'post-alert': lambdaAction(postAlert, vendorPorts({ alerts: alertChannelFromEnvironment })),
  'acknowledge-alert': lambdaAction(acknowledgeAlert, vendorPorts({ alerts: alertChannelFromEnvironment })),
  'plan-alert-reminder': lambdaAction(planAlertReminder),
  'remind-open-alerts': lambdaAction(remindOpenAlerts, vendorPorts({ alerts: alertChannelFromEnvironment })),
  'notify-person': lambdaAction(notifyPerson, vendorPorts({ alerts: alertChannelFromEnvironment })),
});
