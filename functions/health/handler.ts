import { eventBusFromEnvironment } from '../runtime/event-bus.ts';
import { domainHandler, lambdaAction } from '../runtime/lambda.ts';
import { planAtRisk } from './plan-at-risk.ts';
import { rescoreAccounts } from './rescore-accounts.ts';
import { scoreHealth } from './score-health.ts';

/**
 * The health score (docs/playbooks.md, health): each event that moves a measure scores its account
 * within the minute, straight from the bus, and the health-nightly playbook scores every account again,
 * a page at a time. A degradation goes back on the bus (`HealthDegraded`) for the at-risk playbook,
 * whose plan this domain also answers. Rules: ../core/health/.
 */
export const handler = domainHandler('health', {
  'score-health': lambdaAction(scoreHealth, undefined, { events: eventBusFromEnvironment }),
  'rescore-accounts': lambdaAction(rescoreAccounts, undefined, { events: eventBusFromEnvironment }),
  'plan-at-risk': lambdaAction(planAtRisk),
});
