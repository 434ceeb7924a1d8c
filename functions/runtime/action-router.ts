import { ContractError, parseContract, z } from '../contracts/zod.ts';

/**
 * What a domain's Lambda receives from a Task state: the action the Task names, and the input the state
 * passes it. The flow file names the action (`"Action": "create-task"`); lib/flow.ts wraps the state's
 * input so, for CDK and the sandbox alike.
 */
export const ActionRequest = z.strictObject({
  action: z.string().check(z.minLength(1)),
  input: z.unknown(),
});
export type ActionRequest = z.infer<typeof ActionRequest>;

/**
 * The route of `request`'s action among a domain's `routes`, and the input for it. A request that is not
 * `{ action, input }`, or names an action the domain does not route, is a ContractError: a flow built
 * for another catalog, which no retry mends (the failure policies never retry it). One router for both
 * runtimes: the domain's Lambda (functions/runtime/lambda.ts) and the sandbox dispatch through it.
 */
export function routeAction<Route>(domain: string, routes: Readonly<Record<string, Route>>, request: unknown): { action: string; route: Route; input: unknown } {
  const what = `${domain} request`;
  const { action, input } = parseContract(ActionRequest, request, what);
  if (!Object.hasOwn(routes, action)) {
    throw new ContractError(what, [`action "${action}" is not one of the ${domain} domain's (${Object.keys(routes).join(', ')})`]);
  }
  return { action, route: routes[action]!, input };
}
