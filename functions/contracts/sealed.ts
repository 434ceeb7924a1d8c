import type { DetailOf, DetailType } from './events.ts';

/**
 * A personal value (a person's words, a contact list) kept in the ledger instead of travelling: on the
 * bus and in execution state it is this reference, and the function that needs the value reads it
 * (functions/runtime/playbook-function.ts opens every reference in a step's input before the step runs).
 * Step Functions keeps an execution's history 90 days and shows it to everyone with console access;
 * the reference is all it ever shows.
 */
export interface Sealed {
  /** The sealed value's id (`sld-` and 20 hex digits), in the account's partition. */
  sealed: string;
  accountId: string;
}

const SEALED_ID = /^sld-[0-9a-f]{20}$/;

/** A reference, and nothing else: an object with exactly `sealed` (an id) and `accountId`. */
export function isSealed(value: unknown): value is Sealed {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const keys = Object.keys(value);
  const { sealed, accountId } = value as Record<string, unknown>;
  return keys.length === 2 && typeof sealed === 'string' && SEALED_ID.test(sealed) && typeof accountId === 'string';
}

/**
 * The fields of an event's detail that hold personal data, sealed by the ingest before the event goes
 * on the bus: a person's or a client's own words, the contacts' names and addresses, and the CSM's name
 * (HubSpot's owner). Ids, scores, kinds and instants travel as they are: the rules match on them and
 * ops read them.
 */
export const PERSONAL_FIELDS: { readonly [T in DetailType]?: readonly (keyof DetailOf<T> & string)[] } = {
  AccountUpdated: ['contacts', 'csmName'],
  NpsResponseReceived: ['comment'],
  ChurnRiskCreated: ['reason'],
  ClientFeedbackReceived: ['text', 'quotes', 'analysis', 'actionPlan'],
  UpsellRequested: ['details'],
  HardwareOrderRequested: ['details'],
  CsmPulseRecorded: ['reasons'],
  AlertSnoozed: ['reason'],
};

/** The personal fields of a detail-type (none for most). */
export function personalFieldsOf(detailType: DetailType): readonly string[] {
  return PERSONAL_FIELDS[detailType] ?? [];
}
