import { AwsServiceUnavailable } from '../adapters/aws-unavailable.ts';
import type { Built, OutboundDeps } from '../adapters/from-environment.ts';
import type { Ledger } from '../adapters/ledger.ts';
import { LedgerOutbox } from '../adapters/outbox/ledger-outbox.ts';
import type { OutboundPorts, PortName } from '../adapters/ports.ts';

type RawEnvironment = Readonly<Record<string, string | undefined>>;

/** How a Lambda builds one port (functions/adapters/from-environment.ts has one builder per port). */
export type PortBuilder<K extends PortName> = (raw: RawEnvironment, deps: OutboundDeps) => Built<OutboundPorts[K], string>;

/** One builder for each port a function names: what a handler.ts passes to `vendorPorts`. */
export type PortWiring<P extends PortName> = { readonly [K in P]: PortBuilder<K> };

/** What `lambdaAction` gets for an action that calls ports: the wiring, and how to resolve it per invocation. */
export interface PortsProvider<P extends PortName> {
  readonly wiring: PortWiring<P>;
  resolve(deps: { ledger: Ledger; now(): Date }): Promise<OutboundPorts>;
}

/** Ports a Lambda did not wire: calling one is a wiring error (handler.ts), never a silent outbox. */
export function unwiredPorts(functionId: string): OutboundPorts {
  const refuse = (port: PortName): never => {
    throw new Error(`${functionId} calls the ${port} port, which its handler.ts does not wire`);
  };
  return {
    get alerts() {
      return refuse('alerts');
    },
    get crm() {
      return refuse('crm');
    },
    get mailer() {
      return refuse('mailer');
    },
    get finance() {
      return refuse('finance');
    },
  };
}

/**
 * The ports of a handler: each wired port is the real adapter when the stage configures its vendor
 * (plain variables from the stack, tokens from the stage's vendor secret), the ledger's outbox
 * otherwise. Built again only when the secret changes (a rotation), not per invocation.
 * Imported by the handlers that call ports only, so the other bundles carry no adapter.
 */
export function vendorPorts<P extends PortName>(wiring: PortWiring<P>, env: RawEnvironment = process.env): PortsProvider<P> {
  let cached: { key: string; ports: OutboundPorts } | undefined;
  return {
    wiring,
    async resolve({ ledger, now }) {
      const secrets = await vendorSecrets(env);
      const key = JSON.stringify(secrets);
      if (cached?.key === key) return cached.ports;
      const raw = { ...env, ...secrets };
      const deps: OutboundDeps = { now, outbox: new LedgerOutbox(ledger) };
      const ports = unwiredPorts('this function');
      for (const [name, build] of Object.entries(wiring) as [PortName, PortBuilder<PortName>][]) {
        Object.defineProperty(ports, name, { value: build(raw, deps).port, enumerable: true });
      }
      cached = { key, ports };
      return ports;
    },
  };
}

/**
 * The vendor tokens (a JSON object: `SLACK_BOT_TOKEN`, `HUBSPOT_ACCESS_TOKEN`) from the stage's
 * Secrets Manager secret `VENDOR_SECRET_ID`, read through the AWS Parameters and Secrets Lambda
 * Extension: it caches the secret in the execution environment (5 minutes by default, so a rotated
 * token reaches every instance within that time) and costs the bundle no SDK client. No secret: the
 * stage has no vendor, and every port is the outbox.
 * https://docs.aws.amazon.com/secretsmanager/latest/userguide/retrieving-secrets_lambda.html
 */
export async function vendorSecrets(env: RawEnvironment, fetchImpl: typeof fetch = fetch): Promise<Record<string, string>> {
  const secretId = env.VENDOR_SECRET_ID;
  if (!secretId) return {};
  const port = env.PARAMETERS_SECRETS_EXTENSION_HTTP_PORT ?? '2773';
  let response: Response;
  try {
    response = await fetchImpl(`http://localhost:${port}/secretsmanager/get?secretId=${encodeURIComponent(secretId)}`, {
      headers: { 'X-Aws-Parameters-Secrets-Token': env.AWS_SESSION_TOKEN ?? '' },
      signal: AbortSignal.timeout(2000),
    });
  } catch (error) {
    // Secrets Manager (through the extension) slow or unreachable: an AWS outage, waited out by the step's Retry.
    throw new AwsServiceUnavailable('SecretsManager.GetSecretValue', (error as Error).name === 'TimeoutError' ? 'timeout' : 'network error');
  }
  // The status only: an error body may quote the request. Throttled or failing is an outage; the rest
  // (the secret missing, access denied) is a misconfiguration, for ops.
  if (response.status === 429 || response.status >= 500) throw new AwsServiceUnavailable('SecretsManager.GetSecretValue', `the secrets extension answered ${response.status}`);
  if (!response.ok) throw new Error(`The vendor secret could not be read: the secrets extension answered ${response.status}`);
  const { SecretString } = (await response.json()) as { SecretString?: unknown };
  let value: unknown;
  try {
    value = typeof SecretString === 'string' ? JSON.parse(SecretString) : undefined;
  } catch {
    value = undefined;
  }
  if (!value || typeof value !== 'object' || Array.isArray(value)) throw new Error('The vendor secret must be a JSON object of strings');
  const secrets: Record<string, string> = {};
  for (const [name, field] of Object.entries(value)) if (typeof field === 'string') secrets[name] = field;
  return secrets;
}
