import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { afterAll, beforeAll, expect } from 'vitest';
import { adaptersFromEnvironment } from '../../functions/adapters/from-environment.ts';
import { Ledger } from '../../functions/adapters/ledger.ts';
import { LedgerOutbox } from '../../functions/adapters/outbox/ledger-outbox.ts';
import type { OutboundPorts, PortName } from '../../functions/adapters/ports.ts';
import { DetailSchemas, resolveSettings, type AccountRecord, type DetailOf, type Settings } from '../../functions/contracts/index.ts';
import type { z } from '../../functions/contracts/zod.ts';
import { createBusinessCalendar } from '../../functions/core/calendar/business-time.ts';
import { drainDue } from '../../functions/adapters/dispatch/deliver.ts';
import { invoke, type PlaybookDeps, type PlaybookFunction } from '../../functions/runtime/playbook-function.ts';
import { upsertAccount } from '../../functions/accounts/upsert-account.ts';
import { buildHolidayTable } from '../../lib/calendar/public-holidays.ts';
import { startLocalDynamoDB, type LocalDynamoDB } from '../../sandbox/database/dynamodb.ts';
import { aParisAccount, CLARA } from './records.ts';

/**
 * What the tests of the playbook functions share: a real DynamoDB API (dynalite on 127.0.0.1) with the
 * stack's table, so that the conditional writes that make redeliveries harmless are exercised for real,
 * never mocked; the deps a function is invoked with; and an account to work on.
 */

/** The ledger of the running test file: set by the beforeAll that `useLocalLedger` registers (an ES live binding). */
export let ledger: Ledger;
/** Its table, for a test that reads the items as stored (likewise set by that beforeAll). */
export let ledgerTable: LocalDynamoDB;

/** Starts a local DynamoDB with the stack's table before the file's tests, and stops it after them. */
export function useLocalLedger(tableName: string): void {
  let db: LocalDynamoDB | undefined;

  beforeAll(async () => {
    db = await startLocalDynamoDB(tableName);
    ledger = new Ledger(db.client, db.tableName);
    ledgerTable = db;
  });

  afterAll(async () => {
    await db?.close();
  });
}

const calendar = createBusinessCalendar(buildHolidayTable(['FR', 'US'], 2025, 2027), { start: '09:00', end: '18:00' });

/** Friday 13 November 2026, 10:00 in Paris. */
export const FRIDAY_MORNING = new Date('2026-11-13T10:00:00+01:00');

/** The deps a function is invoked with at `now`; the ports are the ledger's outbox unless a test passes real adapters. */
export function depsAt(now: Date, settings: Settings = resolveSettings(), ports?: OutboundPorts): PlaybookDeps {
  const metrics = new Metrics({ namespace: 'test' });
  metrics.setThrowOnEmptyMetrics(false);
  const outboxPorts = () => adaptersFromEnvironment({}, { now: () => now, outbox: new LedgerOutbox(ledger) });
  return { ledger, now: () => now, settings, calendar, logger: new Logger({ logLevel: 'SILENT' }), metrics, ports: ports ?? outboxPorts() };
}

/**
 * The dispatch drain (functions/dispatch), as the table's stream runs it after each step on AWS and the
 * sandbox after each function call: delivers what the steps queued for the vendors, through `deps.ports`.
 */
export function deliverQueued(deps: PlaybookDeps): ReturnType<typeof drainDue> {
  return drainDue(deps);
}

/** A step, then the dispatch drain the table's stream runs after it: what the step queued has gone out. */
export async function invokeThenDeliver<S extends z.ZodMiniType, O>(fn: PlaybookFunction<S, O, PortName>, deps: PlaybookDeps, input: unknown): Promise<O> {
  const result = await invoke(fn, deps, input);
  await deliverQueued(deps);
  return result;
}

// Every test works on its own accounts, so tests never see each other's items in the shared table.
let accountCounter = 0;
export const newAccountId = (label: string) => `acc-${label}-${++accountCounter}`;

/** A complete account in Paris, Salon Horizon, with a champion and a user (invented names, example.com). */
export function salonHorizon(id: string): AccountRecord {
  return aParisAccount({
    id,
    name: 'Salon Horizon',
    mrr: 1200,
    arr: 14_400,
    contacts: [CLARA, { id: 'ct-tom', email: 'tom.durand@example.com', name: 'Tom Durand', role: 'user' }],
  });
}

/** The input of upsert-account: the event's time (when the CRM changed it) and its detail, parsed through its schema. */
export function accountUpdated(
  accountId: string,
  eventId: string,
  patch: Partial<Omit<AccountRecord, 'id'>>,
  time = '2026-11-13T09:00:00Z',
): { time: string; detail: DetailOf<'AccountUpdated'> } {
  return { time, detail: DetailSchemas.AccountUpdated.parse({ eventId, accountId, ...patch }) };
}

/** Given an account the CRM has synced: a complete AccountUpdated applied through upsert-account. */
export async function givenAnAccount(label: string): Promise<AccountRecord> {
  const account = salonHorizon(newAccountId(label));
  const { id, ...record } = account;
  await invoke(upsertAccount, depsAt(FRIDAY_MORNING), accountUpdated(id, `evt-sync-${id}`, record));
  return account;
}

/** What a failed invocation threw, whether `invoke` threw at once or its promise rejected. */
export async function failureOf(run: () => Promise<unknown>): Promise<Error> {
  try {
    await run();
  } catch (error) {
    expect(error).toBeInstanceOf(Error);
    return error as Error;
  }
  throw new Error('expected the invocation to fail, but it succeeded');
}
