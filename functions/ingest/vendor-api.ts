import { VendorApiUnavailable, type VendorApi, type VendorApiAnswer, type VendorSettings } from './vendor.ts';

/**
 * The vendors' APIs as the ingest reads them (`IngestDeps.vendorApi`): HubSpot's CRM API with the
 * stage's private app token, when the stage configures HubSpot. The same code on AWS (tokens from
 * the stage's vendor secret, settings from the function's environment) and in the sandbox (both from
 * its `vendorEnvironment`), with `fetch` and the bearer token.
 */

type RawEnvironment = Readonly<Record<string, string | undefined>>;

/** HubSpot's API root (functions/adapters/hubspot/hubspot-crm.ts has the same; not imported, to keep the adapter out of this bundle). */
const HUBSPOT_API_URL = 'https://api.hubapi.com';
/** The settings the ingest passes to HubSpot's translation and `resolve` (lib/vendors.ts sets them on the ingest function). */
const HUBSPOT_SETTINGS = ['HUBSPOT_RISK_PIPELINE', 'HUBSPOT_ID_PROPERTY', 'HUBSPOT_COMPANY_ID_PROPERTY', 'HUBSPOT_ACCOUNT_PROPERTIES'] as const;
/** Per read: well inside the ingest's 10 s timeout, with a few reads per delivery. */
export const VENDOR_API_TIMEOUT_MS = 2_500;

export interface VendorApiSources {
  /** The stage's plain settings (`HUBSPOT_API_URL`, `HUBSPOT_RISK_PIPELINE`, …). */
  env: RawEnvironment;
  /** The vendor tokens (`HUBSPOT_ACCESS_TOKEN`, …); rejects when they cannot be read. */
  tokens(): Promise<RawEnvironment>;
  fetch?: typeof globalThis.fetch | undefined;
  timeoutMs?: number | undefined;
}

/** `IngestDeps.vendorApi`: the API of a vendor whose webhooks only name objects, or `undefined` when the stage has no token for it. */
export function vendorApis(sources: VendorApiSources): (vendorId: string) => Promise<VendorApi | undefined> {
  return async (vendorId) => {
    if (vendorId !== 'hubspot') return undefined;
    const token = (await sources.tokens()).HUBSPOT_ACCESS_TOKEN;
    if (!token) return undefined;
    return bearerApi({ name: 'HubSpot', root: sources.env.HUBSPOT_API_URL || HUBSPOT_API_URL, token, settings: vendorSettings(sources.env)(vendorId), fetch: sources.fetch, timeoutMs: sources.timeoutMs });
  };
}

/** `IngestDeps.vendorSettings`: a vendor's plain settings from the environment (HubSpot's only: no other vendor has any). */
export function vendorSettings(env: RawEnvironment): (vendorId: string) => VendorSettings {
  return (vendorId) => {
    if (vendorId === 'hubspot') return Object.fromEntries(HUBSPOT_SETTINGS.map((name) => [name, env[name] || undefined]));
    if (vendorId === 'segment') return { SEGMENT_ACCOUNT_TRAIT: env.SEGMENT_ACCOUNT_TRAIT || undefined };
    return {};
  };
}

/** GETs on `root` with `Authorization: Bearer <token>`; a network failure or a timeout is `VendorApiUnavailable`. */
export function bearerApi(options: {
  name: string;
  root: string;
  token: string;
  settings: VendorApi['settings'];
  fetch?: typeof globalThis.fetch | undefined;
  timeoutMs?: number | undefined;
}): VendorApi {
  const root = options.root.replace(/\/+$/, '');
  return {
    settings: options.settings,
    async get(pathAndQuery): Promise<VendorApiAnswer> {
      let response: Response;
      let text: string;
      try {
        response = await (options.fetch ?? globalThis.fetch)(`${root}${pathAndQuery}`, {
          headers: { authorization: `Bearer ${options.token}`, accept: 'application/json' },
          signal: AbortSignal.timeout(options.timeoutMs ?? VENDOR_API_TIMEOUT_MS),
        });
        text = await response.text();
      } catch (error) {
        // The kind of failure only (TimeoutError, TypeError): a message may quote the URL.
        throw new VendorApiUnavailable(`${options.name}'s API could not be reached (${(error as Error).name})`);
      }
      let json: unknown;
      try {
        json = text ? (JSON.parse(text) as unknown) : undefined;
      } catch {
        json = undefined;
      }
      return { status: response.status, json, retryAfter: response.headers.get('retry-after') ?? undefined };
    },
  };
}

/**
 * The stage's vendor secret (`VENDOR_SECRET_ID`: a JSON object of tokens), as the ingest uses it (read
 * through functions/runtime/secrets.ts): only the tokens it reads vendors' APIs with.
 */
export function ingestTokens(secretString: string): Record<string, string> {
  let value: unknown;
  try {
    value = JSON.parse(secretString);
  } catch {
    value = undefined;
  }
  if (!value || typeof value !== 'object' || Array.isArray(value)) throw new Error('The vendor secret must be a JSON object of strings');
  // Only the tokens the ingest reads with: the secret also holds the Slack bot token, which this
  // public-facing function never passes on.
  const tokens: Record<string, string> = {};
  for (const [name, field] of Object.entries(value)) if (INGEST_TOKENS.includes(name) && typeof field === 'string') tokens[name] = field;
  return tokens;
}

/** The vendor tokens the ingest reads vendors' APIs with. */
const INGEST_TOKENS = ['HUBSPOT_ACCESS_TOKEN'];
