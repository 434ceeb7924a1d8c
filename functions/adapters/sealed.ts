import { ContractError, isSealed, personalFieldsOf, type DetailType, type DomainEventMessage, type Sealed } from '../contracts/index.ts';
import { sealedId } from '../core/tasks/identity.ts';
import type { Ledger } from './ledger.ts';

/**
 * How long a sealed value is kept: longer than any execution that can name it runs (Step Functions'
 * one-year limit, and the 14 days within which a failed one can be redriven).
 */
export const SEALED_DAYS = 365 + 15;

/**
 * Seal `value` as the value `name` of `reason` (an event id, a check's count) and answer its reference:
 * the ledger keeps the value, the bus and execution state carry the reference. Sealing the same value of
 * the same reason again (a redelivery, a retried step) writes the same item.
 */
export async function seal(ledger: Ledger, accountId: string, reason: string, name: string, value: unknown, at: Date, { firstWins = false } = {}): Promise<Sealed> {
  const id = sealedId({ accountId, reason, name });
  await ledger.putSealed(accountId, id, value, at.toISOString(), Math.floor(at.getTime() / 1000) + SEALED_DAYS * 86_400, { firstWins });
  return { sealed: id, accountId };
}

/**
 * An event's detail with its personal fields (contracts/sealed.ts) sealed, each under the event's id and
 * its detail-type's field name: what the ingest puts on the bus. The first delivery of an event id
 * wins, as the playbooks' own dedup on the event id does: a sender re-using an id with another text
 * changes nothing an execution reads. A detail with none is answered as it is.
 */
export async function sealDetail<D extends { eventId: string; accountId: string }>(ledger: Ledger, detailType: DetailType, detail: D, at: Date): Promise<D> {
  const fields = personalFieldsOf(detailType).filter((field) => (detail as Record<string, unknown>)[field] !== undefined);
  if (fields.length === 0) return detail;
  const sealed = await Promise.all(
    fields.map(async (field) => [field, await seal(ledger, detail.accountId, detail.eventId, `${detailType}.${field}`, (detail as Record<string, unknown>)[field], at, { firstWins: true })] as const),
  );
  return { ...detail, ...Object.fromEntries(sealed) };
}

/**
 * `input` with every sealed reference in it, at any depth, replaced by its value from the ledger: what
 * a step sees of what its execution carries by id. Only references to `accountId`'s values open (a
 * reference to another account's is a forged input: refused). A value that expired (after
 * SEALED_DAYS) opens to nothing: the field is left out, an array loses the element.
 */
export async function openSealed(ledger: Ledger, input: unknown, accountId: string | undefined): Promise<unknown> {
  if (isSealed(input)) {
    if (input.accountId !== accountId) throw new ContractError('sealed reference', [`${input.sealed} is a value of another account than the step's (${accountId ?? 'none named'})`]);
    const read = await ledger.getSealed(input.accountId, input.sealed);
    return read.found ? read.value : undefined;
  }
  if (Array.isArray(input)) return (await Promise.all(input.map((item) => openSealed(ledger, item, accountId)))).filter((item) => item !== undefined);
  if (typeof input === 'object' && input !== null) {
    const entries = await Promise.all(Object.entries(input).map(async ([key, value]) => [key, await openSealed(ledger, value, accountId)] as const));
    return Object.fromEntries(entries.filter(([, value]) => value !== undefined));
  }
  return input;
}

/** Whether `input` names a sealed value anywhere: a step that holds none reads nothing. */
export function holdsSealed(input: unknown): boolean {
  if (isSealed(input)) return true;
  if (Array.isArray(input)) return input.some(holdsSealed);
  if (typeof input === 'object' && input !== null) return Object.values(input).some(holdsSealed);
  return false;
}

/**
 * A domain event with its personal fields sealed (`sealDetail`): what goes on the bus. Typed as the
 * event it stands for, since every function sees its detail opened.
 */
export async function sealMessage(ledger: Ledger, message: DomainEventMessage, at: Date): Promise<DomainEventMessage> {
  return { ...message, data: await sealDetail(ledger, message.type, message.data, at) } as DomainEventMessage;
}
