import { createHash } from 'node:crypto';
import { redriveDecision, type RedriveDecision } from '../core/redrive/redrive-rule.ts';
import type { RedriveResult } from '../adapters/step-functions/sfn-redrive.ts';

/** A failed execution, as the executions function reads it from its status change (./status-change.ts). */
export interface FailedExecutionEvent {
  executionArn: string;
  /** The execution's error (null when it has none). */
  error?: string | null;
  /** How many times it was redriven before this failure. */
  redriveCount: number;
  /** When it failed, in milliseconds since the epoch. */
  stopDate: number;
}

export interface RedrivePorts {
  redrive(executionArn: string, clientToken: string): Promise<RedriveResult>;
  now(): number;
  log(message: string, fields: Record<string, unknown>): void;
}

/**
 * What came of a failure: redriven; already running again (the same failure delivered twice, after its
 * redrive); or staying failed, and why (the rule's answer, or Step Functions' refusal).
 */
export type RedriveOutcome =
  | { readonly outcome: 'redriven' }
  | { readonly outcome: 'already-running' }
  | { readonly outcome: 'stays-failed'; readonly why: Extract<RedriveDecision, { redrive: false }>['why'] | 'not-redrivable' };

/**
 * A failed execution, redriven when the rule says so (../core/redrive/redrive-rule.ts). One that stays
 * failed is what the playbook's StayedFailedAlarm counts (the handler's `ExecutionStayedFailed`).
 */
export async function redriveFailedExecution(failure: FailedExecutionEvent, ports: RedrivePorts): Promise<RedriveOutcome> {
  const fields = { executionArn: failure.executionArn, error: failure.error ?? undefined, redriveCount: failure.redriveCount };
  const decision = redriveDecision({ error: failure.error ?? undefined, redriveCount: failure.redriveCount, stoppedAt: failure.stopDate }, ports.now());
  if (!decision.redrive) {
    ports.log('execution stays failed', { ...fields, why: decision.why });
    return { outcome: 'stays-failed', why: decision.why };
  }
  const result = await ports.redrive(failure.executionArn, clientToken(failure));
  if (result === 'already-running') {
    ports.log('execution already redriven', fields);
    return { outcome: 'already-running' };
  }
  if (result === 'not-redrivable') {
    ports.log('execution stays failed', { ...fields, why: 'not-redrivable' });
    return { outcome: 'stays-failed', why: 'not-redrivable' };
  }
  ports.log('execution redriven', fields);
  return { outcome: 'redriven' };
}

/** The state machine an execution belongs to: `…:execution:<machine>:<name>` → `…:stateMachine:<machine>`. */
export function stateMachineOf(executionArn: string): string {
  return executionArn.replace(/:execution:([^:]+):[^:]+$/, ':stateMachine:$1');
}

/** One token per execution and failure (at most 64 characters): a second delivery of the same failure is the same redrive. */
function clientToken({ executionArn, redriveCount }: FailedExecutionEvent): string {
  return `redrive-${redriveCount}-${createHash('sha256').update(executionArn).digest('hex').slice(0, 48)}`;
}
