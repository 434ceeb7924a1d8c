import { executionName } from '../tasks/identity.ts';
import type { HolderToken } from './check.ts';

/**
 * The name of the execution a holder hands its check over to. Derived from the account, the holder
 * and the generation, so a retried hand-over asks for the same name with the same input, which Step
 * Functions answers with the execution already started (StartExecution is idempotent on name and
 * input for Standard workflows), and never starts a second one. Execution names are 1–80 characters
 * among letters, digits, `-` and `_`; the account id is kept readable for the console.
 */
export function handOverName(accountId: string, token: HolderToken): string {
  return executionName('nc', accountId, [accountId, token.holder], 16, String(token.generation));
}

/** The input of a handed-over execution: the check it holds, which it waits for and re-reads. */
export interface HandOverInput {
  check: { accountId: string; holder: string; generation: number; wakeAt: string };
}
