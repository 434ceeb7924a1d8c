import { EVENTS_PATH, PRODUCT_SENDER, senderSecretsVariable } from '../functions/ingest/senders.ts';

/**
 * The development signing secret, documented in the README: the sandbox and `playbooks send`
 * agree on it out of the box. Never used by a deployed stage (those read Secrets Manager).
 * It is the `product` sender's of `/webhooks/events`; each other sender has its own.
 */
export const DEVELOPMENT_WEBHOOK_SECRET = 'whsec_Y3MtcGxheWJvb2tzIGxvY2FsIHNhbmRib3ggc2VjcmV0';

/** A path's sender when none is named: the vendor itself, or the product on `/webhooks/events`. */
export const defaultSender = (vendor: string) => (vendor === EVENTS_PATH ? PRODUCT_SENDER : vendor);

/**
 * The variable holding a sender's signing secrets in the sandbox: `STANDARD_WEBHOOK_SECRETS` (the
 * product), `STANDARD_WEBHOOK_SECRETS_<SENDER>` (another sender of `/webhooks/events`: `…_NPS_TOOL`),
 * `TYPEFORM_WEBHOOK_SECRETS`, …
 */
export const webhookSecretsVariable = (vendor: string, sender = defaultSender(vendor)) => (vendor === EVENTS_PATH ? senderSecretsVariable(sender) : `${vendor.toUpperCase()}_WEBHOOK_SECRETS`);

/**
 * A sender's development secret, when its variable is unset: documented, so `playbooks send` and tests
 * sign out of the box. Each sender of `/webhooks/events` has its own, so that the signature says which
 * sender it is, as on AWS.
 */
export function developmentSecret(vendor: string, sender = defaultSender(vendor)): string {
  if (vendor !== EVENTS_PATH) return `cs-playbooks-local-${vendor}-secret`;
  if (sender === PRODUCT_SENDER) return DEVELOPMENT_WEBHOOK_SECRET;
  return `whsec_${Buffer.from(`cs-playbooks local sandbox secret of ${sender}`).toString('base64')}`;
}

/** A sender's signing secrets (comma-separated, the new one first during a rotation), from the environment. */
export function sandboxWebhookSecrets(vendor = EVENTS_PATH, env: NodeJS.ProcessEnv = process.env, sender = defaultSender(vendor)): string[] {
  const configured = (env[webhookSecretsVariable(vendor, sender)] ?? '').split(',').map((secret) => secret.trim()).filter(Boolean);
  return configured.length > 0 ? configured : [developmentSecret(vendor, sender)];
}

/**
 * `APPROVAL_SIGNING_SECRETS`: what signs `POST /approvals/<id>` (the CSMs' decisions). On AWS it is a
 * secret of its own, never shared with the webhook vendors (an NPS tool must not approve e-mails); the
 * sandbox and `playbooks approve` fall back to the same development secret, so they agree out of the box.
 */
export function sandboxApprovalSecrets(env: NodeJS.ProcessEnv = process.env): string[] {
  const configured = (env.APPROVAL_SIGNING_SECRETS ?? '').split(',').map((secret) => secret.trim()).filter(Boolean);
  return configured.length > 0 ? configured : [DEVELOPMENT_WEBHOOK_SECRET];
}
