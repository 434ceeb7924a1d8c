import { createHash } from 'node:crypto';

/**
 * Invariant 2, exactly-once effects: a task's id is derived from what it is for
 * (account + playbook + kind + reason, as Gainsight dedups CTAs), so a redelivered event or a
 * retried Lambda computes the same id and the ledger's conditional write keeps a single task.
 */
export function taskId(parts: { accountId: string; playbook: string; kind: string; reason: string }): string {
  return `tsk-${digest([parts.accountId, parts.playbook, parts.kind, parts.reason])}`;
}

export function riskId(parts: { accountId: string; kind: string; reason: string }): string {
  return `rsk-${digest([parts.accountId, parts.kind, parts.reason])}`;
}

/** One alert per account, type and reason: a redelivery or a retried step finds the first one. */
export function alertId(parts: { accountId: string; type: string; reason: string }): string {
  return `alr-${digest([parts.accountId, parts.type, parts.reason])}`;
}

/**
 * An approval's id, from what it approves (account + playbook + kind + reason): a retried
 * RequestApproval or a redelivered event finds the approval the first one recorded.
 */
export function approvalId(parts: { accountId: string; playbook: string; kind: string; reason: string }): string {
  return `apr-${digest([parts.accountId, parts.playbook, parts.kind, parts.reason])}`;
}

/**
 * An e-mail's id, from whom it is for and why (account + template + contact + reason): a redelivered
 * event, a retried step or a replay finds the e-mail the ledger recorded, and never sends a second one.
 */
export function emailId(parts: { accountId: string; template: string; contactId: string; reason: string }): string {
  return `eml-${digest([parts.accountId, parts.template, parts.contactId, parts.reason])}`;
}

/**
 * A sealed value's id, from what it is for (account + the event or check it belongs to + which value):
 * a personal value kept in the ledger so that the bus and execution state carry its id, never the value
 * (functions/contracts/sealed.ts). A redelivery or a retried step seals the same value again.
 */
export function sealedId(parts: { accountId: string; reason: string; name: string }): string {
  return `sld-${digest([parts.accountId, parts.reason, parts.name])}`;
}

/**
 * The name of an execution a playbook starts itself (StartExecution is idempotent on name and input, so
 * a retried start asks for the same name): `<prefix>-<account>-<digest>-<suffix>`, within Step Functions'
 * 1–80 letters, digits, `-` and `_`. The account id is kept readable for the console; the digest of
 * `parts` keeps ids that read alike once sanitised (`acc.1`, `acc-1`) apart.
 */
export function executionName(prefix: string, accountId: string, parts: readonly string[], digestLength: number, suffix: string): string {
  const account = accountId.replace(/[^A-Za-z0-9_-]/g, '-').slice(0, 40);
  return `${prefix}-${account}-${digest(parts, digestLength)}-${suffix}`;
}

function digest(parts: readonly string[], length = 20): string {
  // JSON keeps the parts apart whatever they contain: ("a|b", "c") and ("a", "b|c") never collide.
  return createHash('sha256').update(JSON.stringify(parts)).digest('hex').slice(0, length);
}

/**
 * A pre-churn case's id, from the contract it is about (account + signature instant): every
 * cancellation request and every save outcome of that contract meet on the same case, whatever their
 * order, and a new contract signed later is a new case.
 */
export function preChurnCaseId(parts: { accountId: string; signedAt: string }): string {
  return `pch-${digest([parts.accountId, new Date(parts.signedAt).toISOString()])}`;
}

/** The finance refund request of a case: one per case, the id Slack's message metadata carries. */
export function refundId(parts: { accountId: string; caseId: string }): string {
  return `rfd-${digest([parts.accountId, parts.caseId])}`;
}

/** A direct notification to a person, once per account, playbook, recipient and reason. */
export function notificationId(parts: { accountId: string; playbook: string; recipientId: string; reason: string }): string {
  return `ntf-${digest([parts.accountId, parts.playbook, parts.recipientId, parts.reason])}`;
}
