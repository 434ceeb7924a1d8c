import { z } from '../contracts/zod.ts';

/** The executions function's environment contract: the CDK construct types its `environment` from it. */
export const ExecutionsEnvironment = z.object({
  POWERTOOLS_SERVICE_NAME: z.string(),
  POWERTOOLS_METRICS_NAMESPACE: z.string(),
  /** The ledger, where each execution goes on its account's timeline. */
  TABLE_NAME: z.string().check(z.minLength(1)),
  /**
   * The stage's playbooks by state machine name (JSON `{ "<name>": "<playbook id>" }`): CloudFormation
   * names the state machines, the timeline names the playbook.
   */
  PLAYBOOK_STATE_MACHINES: z.string().check(z.minLength(2)),
});
