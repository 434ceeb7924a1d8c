import PQueue from 'p-queue';
import { CliError } from '../commands/command.ts';
import { fetchSandbox } from '../commands/io.ts';
import type { AccountUpdatedDetail } from './check-rows.ts';
import { Retryable, retryAfterMs, retrying, type RetryOptions } from './retry.ts';
import type { ImportRow } from './rows.ts';
import { standardWebhookHeaders } from '../vendor-signing.ts';

/**
 * Sending the checked rows to the events endpoint (`POST /webhooks/events`), each a Standard Webhooks
 * message signed as any sender signs it, `webhook-id` the detail's content-derived `eventId`: the
 * endpoint's own idempotency then says whether it is news (202) or already accepted (202,
 * `redelivered`). At most `concurrency` in flight and `perSecond` started per second (a stage's API
 * answers 429 past its rate limit, which vendors' webhooks share); 429 and 5xx are tried again.
 */

export interface Endpoint {
  /** `…/webhooks/events`. */
  url: string;
  /** The `whsec_…` secret that signs (the first of a rotation's). */
  secret: string;
  /** Where the secret came from, for the error when the endpoint refuses it. */
  secretSource: string;
}

export type Delivery = { status: 'sent' } | { status: 'unchanged' } | { status: 'refused'; reasons: string[] } | { status: 'failed'; reason: string };

export interface DeliveryOptions {
  concurrency: number;
  /** Messages started per second at most; unlimited when absent. */
  perSecond?: number | undefined;
  retry?: RetryOptions;
  /** Told after each row: how many are done. */
  progress?(done: number): void;
}

/**
 * Each row's delivery, in the rows' order. An answer that concerns every row (the signature refused, no
 * events endpoint at that URL, the endpoint unreachable from the start) stops the sending: `stopped`
 * says why, and the rows not sent then have no delivery.
 */
export async function deliverRows(
  rows: readonly { row: ImportRow; detail: AccountUpdatedDetail }[],
  endpoint: Endpoint,
  options: DeliveryOptions,
): Promise<{ deliveries: (Delivery | undefined)[]; stopped?: CliError }> {
  const queue = new PQueue({ concurrency: options.concurrency, ...(options.perSecond ? { intervalCap: options.perSecond, interval: 1000 } : {}) });
  const deliveries: Delivery[] = [];
  let answered = false;
  let stopped: CliError | undefined;
  let unexpected: unknown;
  let done = 0;
  const sendOne = (row: ImportRow, detail: AccountUpdatedDetail) =>
    retrying(async () => {
      const response = await post(endpoint, detail).catch((error: unknown) => {
        // Unreachable before any answer: a wrong URL or a sandbox not started. After one: a blip.
        if (!answered || !(error instanceof CliError)) throw error;
        throw new Retryable(error.message);
      });
      answered = true;
      return classify(response, row, endpoint);
    }, options.retry);
  rows.forEach(({ row, detail }, i) => {
    void queue.add(async () => {
      if (stopped || unexpected) return;
      try {
        deliveries[i] = await sendOne(row, detail);
      } catch (error) {
        if (error instanceof Retryable) deliveries[i] = { status: 'failed', reason: `${error.message}; run the import again to send it` };
        else {
          // Whatever stops one row stops the rest: they would meet it too.
          if (error instanceof CliError) stopped ??= error;
          else unexpected ??= error;
          queue.clear();
        }
      }
      options.progress?.(++done);
    });
  });
  await queue.onIdle();
  if (unexpected) throw unexpected;
  return { deliveries: rows.map((_, i) => deliveries[i]), ...(stopped ? { stopped } : {}) };
}

async function post(endpoint: Endpoint, detail: AccountUpdatedDetail): Promise<Response> {
  const at = new Date();
  const body = JSON.stringify({ type: 'AccountUpdated', timestamp: at.toISOString(), data: detail });
  return fetchSandbox(endpoint.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...standardWebhookHeaders(detail.eventId, body, endpoint.secret, at) },
    body,
    signal: AbortSignal.timeout(30_000),
  });
}

/** What the endpoint's answer means for the row (README.md, "Vendor webhooks": the answers). */
async function classify(response: Response, row: ImportRow, endpoint: Endpoint): Promise<Delivery> {
  const answer = (await response.json().catch(() => ({}))) as { redelivered?: unknown; error?: unknown; details?: unknown };
  const status = response.status;
  if (status === 200 || status === 202) return { status: answer.redelivered === true ? 'unchanged' : 'sent' };
  if (status === 401) throw new CliError(`${endpoint.url} refused the signature (401: ${String(answer.error ?? '')}): the endpoint does not accept ${endpoint.secretSource}`);
  if (status === 403) {
    throw new CliError(`${endpoint.url} refused AccountUpdated from ${endpoint.secretSource} (403: ${String(answer.error ?? '')}): the stage must allow its import sender AccountUpdated (webhooks.events.import)`);
  }
  if (status === 404 || status === 405 || status === 415) throw new CliError(`${endpoint.url} answered ${status}: it is not a cs-playbooks events endpoint (check --url, or the stage's WebhookUrl output)`);
  if (status === 429 || status >= 500) throw new Retryable(`${endpoint.url} answered ${status}`, retryAfterMs(response.headers.get('retry-after')));
  const details = Array.isArray(answer.details) ? answer.details.map((detail) => inRowTerms(String(detail), row)) : [];
  return { status: 'refused', reasons: details.length > 0 ? details : [`the endpoint refused it (${status}): ${String(answer.error ?? 'no reason given')}`] };
}

/** `data.contacts.0.email: …` (the endpoint's 400 names the detail's fields) as the row names its own. */
function inRowTerms(detail: string, row: ImportRow): string {
  const match = /^data\.([^:]+): (.*)$/.exec(detail);
  if (!match) return detail;
  const path = match[1]!.split('.').map((key) => (/^\d+$/.test(key) ? Number(key) : key));
  return `${row.name(path[0] === 'accountId' ? ['id', ...path.slice(1)] : path)}: ${match[2]}`;
}
