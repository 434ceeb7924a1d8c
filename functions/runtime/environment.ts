import { resolveSettings } from '../contracts/settings.ts';
import { parseContract, z } from '../contracts/zod.ts';

/**
 * The environment contract of a playbook function. The CDK construct types its `environment`
 * from this schema, and the handler validates it at cold start.
 */
export const PlaybookFunctionEnvironment = z.object({
  TABLE_NAME: z.string().check(z.minLength(1)),
  /** The stage's settings as JSON (see lib/settings): small, and versioned with the deployment. */
  SETTINGS: z.string().check(z.minLength(2)),
  POWERTOOLS_SERVICE_NAME: z.string(),
  POWERTOOLS_METRICS_NAMESPACE: z.string(),
  STAGE: z.string(),
});
export type PlaybookFunctionEnvironment = z.infer<typeof PlaybookFunctionEnvironment>;

export function readPlaybookEnvironment(env: NodeJS.ProcessEnv = process.env) {
  const parsed = parseContract(PlaybookFunctionEnvironment, env, 'function environment');
  return { ...parsed, settings: resolveSettings(JSON.parse(parsed.SETTINGS)) };
}
