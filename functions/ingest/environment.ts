import { z } from '../contracts/zod.ts';

/** The ingest function's environment contract: the CDK construct types its `environment` from it. */
export const IngestEnvironment = z.object({
  EVENT_BUS_NAME: z.string().check(z.minLength(1)),
  /** Secrets Manager secret holding the active signing secrets, comma-separated. */
  WEBHOOK_SECRET_ARN: z.string().check(z.minLength(1)),
  POWERTOOLS_SERVICE_NAME: z.string(),
  POWERTOOLS_METRICS_NAMESPACE: z.string(),
});
