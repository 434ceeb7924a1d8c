import type { Context } from 'aws-lambda';
import { alertChannelFromEnvironment, crmFromEnvironment, mailerFromEnvironment } from '../adapters/from-environment.ts';
import { domainHandler, lambdaAction } from '../runtime/lambda.ts';
import { vendorPorts } from '../runtime/lambda-ports.ts';
import { deliverDispatches } from './deliver-dispatches.ts';

// While the ledger is migrated, a stream batch or a sweep delivers nothing and succeeds: the sweep after it delivers what is due.
const routed = domainHandler(
  'dispatch',
  { 'deliver-dispatches': lambdaAction(deliverDispatches, vendorPorts({ crm: crmFromEnvironment, alerts: alertChannelFromEnvironment, mailer: mailerFromEnvironment })) },
  { whileMigrating: 'skip' },
);

/** A Task's request: `{ action, input }`. */
const isRouted = (event: unknown): boolean => typeof event === 'object' && event !== null && 'action' in event && 'input' in event;

/**
 * What the ledger owes the vendors, delivered (functions/adapters/mirror.ts queues it; rules:
 * ../core/dispatch/). The table's stream and the minute's sweep call it with their own events, routed to
 * its one action; an `{ action, input }` request (as the other domains get) is routed as it is.
 */
export const handler = Object.assign((event: unknown, context: Context) => routed(isRouted(event) ? event : { action: 'deliver-dispatches', input: event }, context), {
  domain: routed.domain,
  routes: routed.routes,
});
