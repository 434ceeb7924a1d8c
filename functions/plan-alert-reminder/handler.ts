import { lambdaHandler } from '../runtime/lambda.ts';
import { planAlertReminder } from './plan-alert-reminder.ts';

export const handler = lambdaHandler(planAlertReminder);
