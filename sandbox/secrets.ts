/**
 * The development signing secret, documented in the README: the sandbox and `playbooks send`
 * agree on it out of the box. Never used by a deployed stage (those read Secrets Manager).
 */
export const DEVELOPMENT_WEBHOOK_SECRET = 'whsec_Y3MtcGxheWJvb2tzIGxvY2FsIHNhbmRib3ggc2VjcmV0';

/** The variable holding a vendor's signing secrets in the sandbox: `STANDARD_WEBHOOK_SECRETS`, `TYPEFORM_WEBHOOK_SECRETS`, … */
export const webhookSecretsVariable = (vendor: string) => (vendor === 'events' ? 'STANDARD_WEBHOOK_SECRETS' : `${vendor.toUpperCase()}_WEBHOOK_SECRETS`);

/** A vendor's development secret, when its variable is unset: documented, so `playbooks send` and tests sign out of the box. */
export const developmentSecret = (vendor: string) => (vendor === 'events' ? DEVELOPMENT_WEBHOOK_SECRET : `cs-playbooks-local-${vendor}-secret`);

/** A vendor's signing secrets (comma-separated, the new one first during a rotation), from the environment. */
export function sandboxWebhookSecrets(vendor = 'events', env: NodeJS.ProcessEnv = process.env): string[] {
  const configured = (env[webhookSecretsVariable(vendor)] ?? '').split(',').map((secret) => secret.trim()).filter(Boolean);
  return configured.length > 0 ? configured : [developmentSecret(vendor)];
}

/**
 * `APPROVAL_SIGNING_SECRETS`: what signs `POST /approvals/<id>` (the CSM's decisions). On AWS it is a
 * secret of its own, never shared with the webhook vendors (an NPS tool must not approve e-mails); the
 * sandbox and `playbooks approve` fall back to the same development secret, so they agree out of the box.
 */
export function sandboxApprovalSecrets(env: NodeJS.ProcessEnv = process.env): string[] {
  const configured = (env.APPROVAL_SIGNING_SECRETS ?? '').split(',').map((secret) => secret.trim()).filter(Boolean);
  return configured.length > 0 ? configured : [DEVELOPMENT_WEBHOOK_SECRET];
}
