/**
 * Step Functions' payload quota: an execution's input, a state's input and output, a Task's result, at
 * most 256 KiB as UTF-8 (https://docs.aws.amazon.com/step-functions/latest/dg/service-quotas.html).
 * Past it, StartExecution is refused and a state fails with the terminal `States.DataLimitExceeded`.
 * A playbook's execution input is the whole EventBridge event its rule matched.
 */
export const STEP_FUNCTIONS_PAYLOAD_BYTES = 262_144;

/**
 * What the ingest keeps of that quota for what a playbook adds to its state on the way (the account it
 * reads, each step's result under its ResultPath, a failure's cause): a few kilobytes in every flow
 * file; 16 KiB leaves them room fourfold.
 */
export const PLAYBOOK_STATE_MARGIN_BYTES = 16_384;

/** The largest event, as EventBridge delivers it, the ingest puts on the bus: 245,760 bytes. */
export const MAX_EVENT_BYTES = STEP_FUNCTIONS_PAYLOAD_BYTES - PLAYBOOK_STATE_MARGIN_BYTES;

/** A value's size as Step Functions counts it: its JSON text, in UTF-8 bytes. */
export function payloadBytes(value: unknown): number {
  return Buffer.byteLength(JSON.stringify(value) ?? 'null', 'utf8');
}

/**
 * Why StartExecution refuses `input` (its JSON text), as Step Functions says it, or undefined when it
 * takes it: more than STEP_FUNCTIONS_PAYLOAD_BYTES in UTF-8 is a ValidationException.
 */
export function startExecutionRefusal(input: string): string | undefined {
  const bytes = Buffer.byteLength(input, 'utf8');
  if (bytes <= STEP_FUNCTIONS_PAYLOAD_BYTES) return undefined;
  return `1 validation error detected: Value at 'input' failed to satisfy constraint: Member must have length less than or equal to ${STEP_FUNCTIONS_PAYLOAD_BYTES} (the input is ${bytes} bytes)`;
}
