import { lambdaHandler } from '../runtime/lambda.ts';
import { remindOpenAlerts } from './remind-open-alerts.ts';

export const handler = lambdaHandler(remindOpenAlerts);
