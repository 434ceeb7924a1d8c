/**
 * The development signing secret, documented in the README: the sandbox and `playbooks send`
 * agree on it out of the box. Never used by a deployed stage (those read Secrets Manager).
 */
export const DEVELOPMENT_WEBHOOK_SECRET = 'whsec_Y3MtcGxheWJvb2tzIGxvY2FsIHNhbmRib3ggc2VjcmV0';

/** `STANDARD_WEBHOOK_SECRETS`: comma-separated, the new one first during a rotation. */
export function sandboxWebhookSecrets(env: NodeJS.ProcessEnv = process.env): string[] {
  const configured = (env.STANDARD_WEBHOOK_SECRETS ?? '').split(',').map((secret) => secret.trim()).filter(Boolean);
  return configured.length > 0 ? configured : [DEVELOPMENT_WEBHOOK_SECRET];
}
