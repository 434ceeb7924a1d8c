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

/**
 * `APPROVAL_SIGNING_SECRETS`: what signs `POST /approvals/<id>` (the CSM's decisions). On AWS it is a
 * secret of its own, never shared with the webhook vendors (an NPS tool must not approve e-mails); the
 * sandbox and `playbooks approve` fall back to the same development secret, so they agree out of the box.
 */
export function sandboxApprovalSecrets(env: NodeJS.ProcessEnv = process.env): string[] {
  const configured = (env.APPROVAL_SIGNING_SECRETS ?? '').split(',').map((secret) => secret.trim()).filter(Boolean);
  return configured.length > 0 ? configured : [DEVELOPMENT_WEBHOOK_SECRET];
}
