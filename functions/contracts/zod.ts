// The contracts use zod/mini: the full zod build is 450 KB minified, which every Lambda's cold start
// would compile for the few checks it makes. The English locale turns "Invalid input" into messages a
// vendor can act on ("Too big: expected number to be <=10 → at data.score").
// zod/mini through a list of what is used: see zod-api.ts for why (bundle size).
import * as z from './zod-api.ts';
import en from 'zod/v4/locales/en.js';

z.config(en());

export { z };

/** ISO-8601 instant that carries its offset, as every time in the public contracts does. */
export const isoInstant = () => z.iso.datetime({ offset: true, error: 'expected an ISO-8601 time with its offset, e.g. 2026-11-13T09:00:00+01:00' });

/**
 * A place in a JSON document as every message names it: `events[4].detail.score`, `[0].timezone`
 * (an index in brackets, a key after a dot), so a 400 answer, a scenario error and a CLI error read alike.
 */
export function formatPath(path: readonly PropertyKey[]): string {
  return path.map((key, position) => (typeof key === 'number' ? `[${key}]` : position === 0 ? String(key) : `.${String(key)}`)).join('');
}

/** One line per problem, each naming the field: what a 400 answer and a CLI error print. */
export function describeIssues(error: z.core.$ZodError, prefix: readonly PropertyKey[] = []): string[] {
  return error.issues.map((issue) => {
    const path = formatPath([...prefix, ...issue.path]);
    return path ? `${path}: ${issue.message}` : issue.message;
  });
}

export class ContractError extends Error {
  override readonly name = 'ContractError';
  constructor(
    readonly what: string,
    readonly problems: readonly string[],
  ) {
    super(`${what} is invalid: ${problems.join('; ')}`);
  }
}

/** Parse or throw a ContractError naming every bad field. */
export function parseContract<S extends z.ZodMiniType>(schema: S, value: unknown, what: string): z.infer<S> {
  const result = schema.safeParse(value);
  if (!result.success) throw new ContractError(what, describeIssues(result.error));
  return result.data;
}
