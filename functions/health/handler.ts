import { eventBusFromEnvironment } from '../runtime/event-bus.ts';
import { domainHandler, lambdaAction } from '../runtime/lambda.ts';
import { planAtRisk } from './plan-at-risk.ts';
import { scoreHealth } from './score-health.ts';

/**
 * The health score (docs/playbooks.md, health), straight from the bus: each event that moves a measure
 * scores its account within the minute. A degradation goes back on the bus (`HealthDegraded`) for the
 * at-risk playbook, whose plan this domain also answers. Rules: ../core/health/.
 */
export const handler = domainHandler('health', {
  'score-health': lambdaAction(scoreHealth, undefined, { events: eventBusFromEnvironment }),
  'plan-at-risk': lambdaAction(planAtRisk),
});
