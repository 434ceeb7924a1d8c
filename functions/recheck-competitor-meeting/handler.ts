import { lambdaHandler } from '../runtime/lambda.ts';
import { recheckCompetitorMeeting } from './recheck-competitor-meeting.ts';

export const handler = lambdaHandler(recheckCompetitorMeeting);
