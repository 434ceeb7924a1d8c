import { z } from '../contracts/zod.ts';

/** The redrive function's environment contract: the CDK construct types its `environment` from it. */
export const RedriveEnvironment = z.object({
  POWERTOOLS_SERVICE_NAME: z.string(),
  POWERTOOLS_METRICS_NAMESPACE: z.string(),
});
