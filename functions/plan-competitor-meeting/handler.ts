import { lambdaHandler } from '../runtime/lambda.ts';
import { planCompetitorMeeting } from './plan-competitor-meeting.ts';

export const handler = lambdaHandler(planCompetitorMeeting);
