import type { Built, OutboundDeps } from '../adapters/from-environment.ts';
import type { Ledger } from '../adapters/ledger.ts';
import { LedgerOutbox } from '../adapters/outbox/ledger-outbox.ts';
import type { OutboundPorts, PortName } from '../adapters/ports.ts';
import { readSecret, type SecretReader } from './secrets.ts';
import { tracer } from './tracer.ts';
import { unwiredPorts } from './unwired-ports.ts';

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

/**
 * The ports of a handler: each wired port is the real adapter when the stage configures its vendor
 * (plain variables from the stack, tokens from the stage's vendor secret), the ledger's outbox
 * otherwise. Built again only when the secret changes (a rotation), not per invocation; an AWS client
 * an adapter creates (SES) is traced by the function's tracer.
 */
export function vendorPorts<P extends PortName>(wiring: PortWiring<P>, env: RawEnvironment = process.env, read: SecretReader = readSecret): PortsProvider<P> {
  let cached: { key: string; ports: OutboundPorts } | undefined;
  return {
    wiring,
    async resolve({ ledger, now }) {
      const secrets = await vendorSecrets(env, read);
      const key = JSON.stringify(secrets);
      if (cached?.key === key) return cached.ports;
      const raw = { ...env, ...secrets };
      const deps: OutboundDeps = { now, outbox: new LedgerOutbox(ledger), tracer };
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
 * Secrets Manager secret `VENDOR_SECRET_ID`, through Powertools Parameters (./secrets.ts: read at most
 * once per five minutes, so a rotated token reaches every instance within that time). No secret: the
 * stage has no vendor, and every port is the outbox. Secrets Manager throttled or failing is the
 * client's error, which the handler names `AwsServiceUnavailable`; a secret missing or refused is a
 * misconfiguration, for ops.
 */
export async function vendorSecrets(env: RawEnvironment, read: SecretReader = readSecret): Promise<Record<string, string>> {
  const secretId = env.VENDOR_SECRET_ID;
  if (!secretId) return {};
  let value: unknown;
  try {
    value = JSON.parse(await read(secretId));
  } catch (error) {
    if (!(error instanceof SyntaxError)) throw error;
    value = undefined;
  }
  if (!value || typeof value !== 'object' || Array.isArray(value)) throw new Error('The vendor secret must be a JSON object of strings');
  const secrets: Record<string, string> = {};
  for (const [name, field] of Object.entries(value)) if (typeof field === 'string') secrets[name] = field;
  return secrets;
}
