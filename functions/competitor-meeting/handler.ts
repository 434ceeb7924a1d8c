import { domainHandler, lambdaAction } from '../runtime/lambda.ts';
import { planCompetitorMeeting } from './plan-competitor-meeting.ts';
import { recheckCompetitorMeeting } from './recheck-competitor-meeting.ts';
import { releaseCompetitorMeeting } from './release-competitor-meeting.ts';

/** The red alert: a client meeting a competitor, one follow-up per meeting. Rules: ../core/competitor-meeting/. */
export const handler = domainHandler('competitor-meeting', {
  'plan-competitor-meeting': lambdaAction(planCompetitorMeeting),
  'recheck-competitor-meeting': lambdaAction(recheckCompetitorMeeting),
  'release-competitor-meeting': lambdaAction(releaseCompetitorMeeting),
});
