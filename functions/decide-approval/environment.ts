import { z } from '../contracts/zod.ts';

/** The approval endpoint's environment contract: the CDK construct types its `environment` from it. */
export const DecideApprovalEnvironment = z.object({
  TABLE_NAME: z.string().check(z.minLength(1)),
  /** Secrets Manager secret holding the active approval signing secrets, comma-separated. */
  APPROVAL_SECRET_ARN: z.string().check(z.minLength(1)),
  POWERTOOLS_SERVICE_NAME: z.string(),
  POWERTOOLS_METRICS_NAMESPACE: z.string(),
});
