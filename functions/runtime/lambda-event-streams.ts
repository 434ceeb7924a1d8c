/**
 * Stands in for `@smithy/core/event-streams` in the Lambda bundles (esbuild
 * `--alias:@smithy/core/event-streams=./functions/runtime/lambda-event-streams.ts`, set in
 * lib/constructs/bundled-function.ts); never imported directly.
 *
 * Why: the SDK's HTTP protocol loads the event-stream codec with a dynamic `import()` for operations
 * that stream events (Bedrock, Transcribe, Lambda response streaming…). DynamoDB, EventBridge and
 * Secrets Manager have no such operation, so the import is never reached here, but esbuild writes a
 * single file and inlines every dynamic import: 15 KB of a bundle whose size has a budget. If a future
 * function calls a streaming operation, this fails loudly instead of silently misbehaving: remove the
 * alias for it.
 */
const unavailable = (): never => {
  throw new Error('Event streams are not bundled in this Lambda (see functions/runtime/lambda-event-streams.ts)');
};

export class EventStreamSerde {
  constructor() {
    unavailable();
  }
}

export const eventStreamSerdeProvider = unavailable;
