import { randomUUID } from 'node:crypto';
import { error, startAwsJsonServer, type AwsJsonServer, type LocalAwsEndpointOptions } from './json-protocol-server.ts';

/** An entry EventBridge accepted, as the SDK sent it (`Time` decoded from epoch seconds). */
export interface AcceptedEvent {
  EventId: string;
  EventBusName: string | undefined;
  Source: string;
  DetailType: string;
  Detail: string;
  Time: Date | undefined;
  Resources: readonly string[] | undefined;
}

export interface LocalEventBridge extends AwsJsonServer {
  /** Entries put on a bus, in order; refused entries are not here. */
  readonly events: readonly AcceptedEvent[];
  /** Refuse the next entry in the response (HTTP 200, `FailedEntryCount` 1), as EventBridge does. */
  refuseNextEntry(errorCode?: string, errorMessage?: string): void;
}

/** PutEvents takes 1 to 10 entries per request (EventBridge quotas). */
const MAX_ENTRIES = 10;

/**
 * Amazon EventBridge's `PutEvents` (AWS JSON 1.1, `X-Amz-Target: AWSEvents.PutEvents`), per the API
 * reference: the response is `{ FailedEntryCount, Entries }`, one result per request entry in order,
 * `{ EventId }` when accepted and `{ ErrorCode, ErrorMessage }` when refused. An entry without
 * Source, DetailType or Detail is refused with InvalidArgument, a Detail that is not a JSON object
 * with MalformedDetail; a request without entries, or with too many, is a ValidationException.
 */
export async function startLocalEventBridge(options: LocalAwsEndpointOptions): Promise<LocalEventBridge> {
  const events: AcceptedEvent[] = [];
  const refusals: { errorCode: string; errorMessage: string }[] = [];

  const server = await startAwsJsonServer(
    {
      targetPrefix: 'AWSEvents',
      signingName: 'events',
      operations: {
        PutEvents(body) {
          const entries = body.Entries;
          if (!Array.isArray(entries) || entries.length < 1 || entries.length > MAX_ENTRIES) {
            return error(400, 'ValidationException', `1 validation error detected: Value at 'entries' failed to satisfy constraint: Member must have length between 1 and ${MAX_ENTRIES}`);
          }
          const results = entries.map((entry: unknown) => {
            const problem = entryProblem(entry);
            if (problem) return problem;
            const refusal = refusals.shift();
            if (refusal) return { ErrorCode: refusal.errorCode, ErrorMessage: refusal.errorMessage };
            const { EventBusName, Source, DetailType, Detail, Time, Resources } = entry as Record<string, unknown>;
            const accepted: AcceptedEvent = {
              EventId: randomUUID(),
              EventBusName: EventBusName as string | undefined,
              Source: Source as string,
              DetailType: DetailType as string,
              Detail: Detail as string,
              Time: typeof Time === 'number' ? new Date(Time * 1000) : undefined,
              Resources: Resources as string[] | undefined,
            };
            events.push(accepted);
            return { EventId: accepted.EventId };
          });
          return { status: 200, body: { FailedEntryCount: results.filter((result) => 'ErrorCode' in result).length, Entries: results } };
        },
      },
    },
    options,
  );

  const resetRequests = server.reset;
  return Object.assign(server, {
    events,
    refuseNextEntry(errorCode = 'InternalFailure', errorMessage = 'The request processing has failed because of an unknown error, exception or failure.') {
      refusals.push({ errorCode, errorMessage });
    },
    reset() {
      resetRequests();
      events.length = 0;
      refusals.length = 0;
    },
  });
}

function entryProblem(entry: unknown): { ErrorCode: string; ErrorMessage: string } | undefined {
  if (typeof entry !== 'object' || entry === null) return { ErrorCode: 'InvalidArgument', ErrorMessage: 'The entry is not an object.' };
  const { Source, DetailType, Detail, Time } = entry as Record<string, unknown>;
  const missing = Object.entries({ Source, DetailType, Detail })
    .filter(([, value]) => typeof value !== 'string' || value.length === 0)
    .map(([name]) => name);
  if (missing.length > 0) return { ErrorCode: 'InvalidArgument', ErrorMessage: `Parameter(s) ${missing.join(', ')} not valid.` };
  if (Time !== undefined && typeof Time !== 'number') return { ErrorCode: 'InvalidArgument', ErrorMessage: 'Parameter Time is not valid: expected epoch seconds.' };
  let detail: unknown;
  try {
    detail = JSON.parse(Detail as string);
  } catch {
    detail = undefined;
  }
  if (typeof detail !== 'object' || detail === null || Array.isArray(detail)) return { ErrorCode: 'MalformedDetail', ErrorMessage: 'Detail is malformed.' };
  return undefined;
}
