import type { ActionId } from '../../lib/catalog.ts';
import type { FunctionInterceptor } from '../../sandbox/runtime/sandbox.ts';

// Fault injection for scenario tests, through the sandbox's `intercept` option: the ASL runs in the
// real interpreter with the real functions; only the named function is made to fail.

/**
 * A brief, unnamed failure (a throttling error no adapter named, thrown past the function's own mapping):
 * the policies' catch-all retries it a few times, briefly. An AWS outage the functions name is
 * `AwsServiceUnavailable`, waited out for many minutes (test/statemachines/aws-outage.asl.test.ts).
 */
export class Throttled extends Error {
  override readonly name = 'ThrottlingException';
}

/** Fails `actionId`'s first `times` calls with a throttling error, counting every call. */
export function outage(actionId: ActionId, times: number, calls = { count: 0 }): FunctionInterceptor {
  return (id, _input, call) => {
    if (id !== actionId) return call();
    calls.count += 1;
    return calls.count <= times ? Promise.reject(new Throttled('Rate exceeded')) : call();
  };
}
