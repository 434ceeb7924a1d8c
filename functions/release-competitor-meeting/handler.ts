import { lambdaHandler } from '../runtime/lambda.ts';
import { releaseCompetitorMeeting } from './release-competitor-meeting.ts';

export const handler = lambdaHandler(releaseCompetitorMeeting);
