import { z } from '../contracts/zod.ts';
import { EXECUTION_ARN, EXECUTION_STATUSES } from '../core/executions/timeline.ts';

/**
 * What the stage's rule passes of a "Step Functions Execution Status Change" (its input transformer
 * keeps these fields of the event's detail, not the execution's output). The input is the bus event
 * that started the execution, which carries ids only (personal fields are sealed by the ingest): the
 * timeline keeps its account, detail-type and event id, and nothing else of it.
 */
export const ExecutionStatusEvent = z.object({
  executionArn: z.string().check(z.regex(EXECUTION_ARN)),
  stateMachineArn: z.string().check(z.regex(/^arn:aws[a-z-]*:states:[a-z0-9-]+:\d{12}:stateMachine:[^:]+$/)),
  status: z.enum(EXECUTION_STATUSES),
  /** When it started, in milliseconds since the epoch. */
  startDate: z.number(),
  /** When it ended (null while it runs). */
  stopDate: z.optional(z.nullable(z.number())),
  /** How many times it was redriven before this status. */
  redriveCount: z.int().check(z.gte(0)),
  /** A failed execution's error (null when it has none). */
  error: z.optional(z.nullable(z.string())),
  /** The execution's input as JSON text (null when Step Functions left it out). */
  input: z.optional(z.nullable(z.string())),
});
export type ExecutionStatusEvent = z.infer<typeof ExecutionStatusEvent>;
