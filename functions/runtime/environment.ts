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
  /**
   * The stage's vendor secret, by name (JSON: `SLACK_BOT_TOKEN`, `HUBSPOT_ACCESS_TOKEN`), set only on functions
   * that call a port and only when the stage configures a vendor. The vendors' other settings (channel,
   * pipeline, sender) are plain variables: functions/adapters/from-environment.ts reads them.
   */
  VENDOR_SECRET_ID: z.optional(z.string().check(z.minLength(1))),
});
export type PlaybookFunctionEnvironment = z.infer<typeof PlaybookFunctionEnvironment>;

export function readPlaybookEnvironment(env: NodeJS.ProcessEnv = process.env) {
  const parsed = parseContract(PlaybookFunctionEnvironment, env, 'function environment');
  return { ...parsed, settings: resolveSettings(JSON.parse(parsed.SETTINGS)) };
}
