import { CliError } from '../commands/command.ts';
import { Retryable, retryAfterMs, retrying, type RetryOptions } from './retry.ts';

/**
 * HubSpot's CRM API as the backfill reads it: `Authorization: Bearer <private app token>`, JSON both
 * ways. A rate limit (429, HubSpot's per-second and daily limits) and HubSpot's own failures (5xx, a
 * dropped connection) are tried again; a refused token, or a request HubSpot refuses, stops the import
 * with one line saying what to fix.
 */
export interface HubSpotApi {
  get(pathAndQuery: string): Promise<unknown>;
  post(path: string, body: unknown): Promise<unknown>;
}

/** HubSpot's API root; `HUBSPOT_API_URL` points elsewhere (a test's local HubSpot), as for the ingest. */
export const HUBSPOT_API_URL = 'https://api.hubapi.com';

export function hubspotApi(options: { token: string; root?: string; fetch?: typeof fetch; retry?: RetryOptions }): HubSpotApi {
  const root = (options.root ?? HUBSPOT_API_URL).replace(/\/+$/, '');
  const call = (method: 'GET' | 'POST', path: string, body?: unknown) =>
    retrying(async () => {
      let response: Response;
      try {
        response = await (options.fetch ?? fetch)(`${root}${path}`, {
          method,
          headers: { authorization: `Bearer ${options.token}`, accept: 'application/json', ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
          ...(body === undefined ? {} : { body: JSON.stringify(body) }),
          signal: AbortSignal.timeout(30_000),
        });
      } catch (error) {
        throw new Retryable(`HubSpot could not be reached at ${root} (${(error as { cause?: { code?: string } }).cause?.code ?? (error as Error).name})`);
      }
      const text = await response.text();
      const what = `${method} ${path.split('?')[0]}`;
      if (response.status === 401 || response.status === 403) {
        throw new CliError(
          `HubSpot refused the token (HTTP ${response.status} on ${what}): check HUBSPOT_ACCESS_TOKEN, a private app token with the scopes crm.objects.companies.read, crm.objects.contacts.read and crm.objects.owners.read`,
        );
      }
      if (response.status === 429 || response.status >= 500) throw new Retryable(`HubSpot answered HTTP ${response.status} on ${what}`, retryAfterMs(response.headers.get('retry-after')));
      // 207: a batch read some of whose inputs HubSpot did not find (an archived contact); the rest is there.
      if (response.status !== 200 && response.status !== 207) throw new CliError(`HubSpot answered HTTP ${response.status} on ${what}: ${hubspotMessage(text)}`);
      try {
        return JSON.parse(text) as unknown;
      } catch {
        throw new CliError(`HubSpot's answer to ${what} is not JSON`);
      }
    }, options.retry).catch((error: unknown) => {
      if (error instanceof Retryable) throw new CliError(`${error.message}, and again after retries: try the import again later`);
      throw error;
    });
  return { get: (pathAndQuery) => call('GET', pathAndQuery), post: (path, body) => call('POST', path, body) };
}

/** HubSpot's error body `{ status, message, category }`: its message, at most a line of it. */
function hubspotMessage(text: string): string {
  try {
    const { message, category } = JSON.parse(text) as { message?: unknown; category?: unknown };
    if (typeof message === 'string') return `${typeof category === 'string' ? `${category}: ` : ''}${message.split('\n')[0]!.slice(0, 300)}`;
  } catch {
    // Not HubSpot's JSON error: a proxy's page.
  }
  return 'no error message';
}
