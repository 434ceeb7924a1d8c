/**
 * The ingest counts each answer as `Webhook_<status>` (1 per request), with two dimensions: `service`
 * (Powertools' default: the function's POWERTOOLS_SERVICE_NAME, `INGEST_SERVICE` on AWS) and `vendor`
 * (the path's vendor, `unknown` for a path no vendor has: those are answered 404). The stage's webhook
 * alarms (lib/stage-alarms.ts) sum `Webhook_401`, `Webhook_403` and `Webhook_503` over the vendors:
 * the names here are what they watch.
 */
export const webhookAnswerMetric = (statusCode: number) => `Webhook_${statusCode}`;
export const INGEST_SERVICE = 'ingest';
export const VENDOR_DIMENSION = 'vendor';
export const UNKNOWN_VENDOR = 'unknown';
/** The dimension Powertools Metrics adds to every metric of a function, valued its service name. */
export const SERVICE_DIMENSION = 'service';
