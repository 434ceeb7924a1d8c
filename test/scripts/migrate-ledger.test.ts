import { PutItemCommand, ScanCommand, type AttributeValue } from '@aws-sdk/client-dynamodb';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { recordTouchpoint } from '../../functions/accounts/record-touchpoint.ts';
import { acknowledgeAlert } from '../../functions/alerts/acknowledge-alert.ts';
import { postAlert } from '../../functions/alerts/post-alert.ts';
import { Ledger } from '../../functions/adapters/ledger.ts';
import { ACCOUNT_ITEM_TYPES, keys } from '../../functions/adapters/table.ts';
import { resolveSettings } from '../../functions/contracts/settings.ts';
import { startNoContactCheck } from '../../functions/no-contact/start-no-contact-check.ts';
import { recordNpsResponse } from '../../functions/nps/record-nps-response.ts';
import { openRisk } from '../../functions/risks/open-risk.ts';
import { invoke } from '../../functions/runtime/playbook-function.ts';
import { createTask } from '../../functions/tasks/create-task.ts';
import { startLocalDynamoDB, type LocalDynamoDB } from '../../sandbox/database/dynamodb.ts';
import { migrateLedger, movedItem, prepareMigration, readMarker, type Item, type MigrationDeps } from '../../scripts/migrate-ledger.ts';
import { startGrantedDynamoDB, type GrantedDynamoDB } from '../support/aws/granted-dynamodb.ts';
import { captureOutput, lambdaStage } from '../support/aws/playbook-lambdas.ts';
import { deliverQueued, depsAt, FRIDAY_MORNING, givenAnAccount, ledgerTable, useLocalLedger } from '../support/ledger-fixture.ts';
import { aTaskRequest, CLARA } from '../support/records.ts';

// scripts/migrate-ledger.ts against dynalite: a ledger written by this version's functions is put back
// in the first layout (every item of an account under `ACCOUNT#<id>`, as the deployments before it
// hold it), then migrated: the items are where this version reads them, the same byte for byte.

useLocalLedger('cs-playbooks-migrate-ledger-written');

/** The same item as the first layout had it: under its account's partition, and so the keys a dispatch names. */
function inFirstLayout(item: Item): Item {
  const back = (key: Record<string, AttributeValue>): Record<string, AttributeValue> => {
    const [type, ...account] = key.pk!.S!.split('#');
    return (ACCOUNT_ITEM_TYPES as readonly string[]).includes(type!) && type !== 'ACCOUNT' ? { ...key, pk: { S: `ACCOUNT#${account.join('#')}` } } : key;
  };
  const old: Item = { ...item, ...back({ pk: item.pk!, sk: item.sk! }) };
  if (item.target?.M?.key?.M) old.target = { M: { ...item.target.M, key: { M: back(item.target.M.key.M) } } };
  if (item.call?.M?.postedAs?.M) old.call = { M: { ...item.call.M, postedAs: { M: back(item.call.M.postedAs.M) } } };
  return old;
}

const byKey = (a: Item, b: Item) => `${a.pk!.S} ${a.sk!.S}`.localeCompare(`${b.pk!.S} ${b.sk!.S}`);

async function scan(db: LocalDynamoDB): Promise<Item[]> {
  const items: Item[] = [];
  let ExclusiveStartKey: Item | undefined;
  do {
    const page = await db.client.send(new ScanCommand({ TableName: db.tableName, ExclusiveStartKey, ConsistentRead: true }));
    items.push(...(page.Items ?? []));
    ExclusiveStartKey = page.LastEvaluatedKey;
  } while (ExclusiveStartKey);
  return items.sort(byKey);
}

const withoutMarker = (items: Item[]) => items.filter((item) => item.pk!.S !== keys.layout().pk);

async function writeAll(db: LocalDynamoDB, items: readonly Item[]): Promise<void> {
  for (const Item of items) await db.client.send(new PutItemCommand({ TableName: db.tableName, Item }));
}

/** What this version's functions wrote for one account: its record, a task, an alert (raised, queued, ✅), touchpoints, an NPS answer, a risk, its no-contact check, deliveries. */
let written: Item[];
/** Those that move: all but the account record. */
let movable: Item[];
let accountId: string;

beforeAll(async () => {
  const account = await givenAnAccount('migrate');
  accountId = account.id;
  const deps = depsAt(FRIDAY_MORNING);
  const touchpoint = (eventId: string, at: string) => ({ detail: { eventId, accountId, contactId: CLARA.id, channel: 'call', at } });
  await invoke(recordTouchpoint, deps, touchpoint('evt-call-1', '2026-11-10T10:00:00+01:00'));
  await invoke(recordTouchpoint, deps, touchpoint('evt-call-2', '2026-11-12T10:00:00+01:00'));
  await invoke(startNoContactCheck, deps, { detailType: 'TouchpointLogged', ...touchpoint('evt-call-2', '2026-11-12T10:00:00+01:00'), time: '2026-11-12T09:00:00Z', execution: 'exec-1' });
  await invoke(recordNpsResponse, deps, { detail: { eventId: 'evt-nps-1', accountId, contactId: CLARA.id, score: 3, respondedAt: '2026-11-13T09:00:00+01:00' } });
  await invoke(openRisk, deps, { accountId, kind: 'churn-risk', origin: 'nps', reason: 'evt-nps-1' });
  const { alertId } = await invoke(postAlert, deps, { accountId, type: 'upsell-request', playbook: 'upsell-request', reason: 'evt-up-1', detail: 'Add 2 seats' });
  await invoke(acknowledgeAlert, deps, { accountId, alertId, handledBy: 'task' });
  // Delivered (to the outbox: marks on the items, dispatches closed), then one more queued and still due.
  await deliverQueued(deps);
  await invoke(createTask, deps, aTaskRequest({ accountId }));
  written = await scan(ledgerTable);
  movable = written.filter((item) => inFirstLayout(item).pk!.S !== item.pk!.S);
});

describe('the migration, from the first layout', () => {
  let db: LocalDynamoDB;
  let deps: MigrationDeps;
  beforeEach(async () => {
    db = await startLocalDynamoDB('cs-playbooks-migrate-ledger-first-layout');
    deps = { client: db.client, tableName: db.tableName, now: () => new Date('2026-12-01T08:00:00Z'), concurrency: 4, segments: 2 };
    await writeAll(db, written.map(inFirstLayout));
  });
  afterEach(async () => {
    await db.close();
  });

  it('given the items in the first layout, then they are of nine types, all under the account’s partition', async () => {
    const types = new Set(written.map((item) => item.pk!.S!.split('#')[0]));
    expect(types).toEqual(new Set(['ACCOUNT', 'NPS', 'RISK', 'TASK', 'TOUCHPOINT', 'NO_CONTACT', 'ALERT', 'DISPATCH', 'OUTBOX']));
    expect(movable).toHaveLength(written.length - 1);
    expect((await scan(db)).every((item) => item.pk!.S === `ACCOUNT#${accountId}`)).toBe(true);
  });

  it('given the ledger prepared, then migrated, then it holds exactly what this version wrote, the layout marker says partitioned, and the ledger reads it: the account’s touchpoints, answers, risks and check, the due dispatches by the index', async () => {
    expect(await prepareMigration(deps)).toBe('prepared');
    const result = await migrateLedger(deps);

    expect(result).toEqual({ status: 'migrated', moved: movable.length, resumed: 0, unknown: [] });
    expect(withoutMarker(await scan(db))).toEqual(written);
    expect(await readMarker(deps)).toEqual({ status: 'partitioned', preparedAt: '2026-12-01T08:00:00.000Z', migratedAt: '2026-12-01T08:00:00.000Z', moved: movable.length });
    const migrated = new Ledger(db.client, db.tableName);
    expect((await migrated.touchpointsSince(accountId, '2026-11-01T00:00:00Z')).map((touchpoint) => touchpoint.eventId)).toEqual(['evt-call-1', 'evt-call-2']);
    expect((await migrated.latestTouchpoint(accountId))?.eventId).toBe('evt-call-2');
    expect((await migrated.npsResponses(accountId)).map((answer) => answer.eventId)).toEqual(['evt-nps-1']);
    expect((await migrated.openRisks(accountId)).map((risk) => risk.origin)).toEqual(['nps']);
    expect((await migrated.noContactChecks.get(accountId)).version).toBe(1);
    // The index follows the items: the dispatches still due, under their new keys.
    const due = await migrated.dispatchKeys('due', '9999', 10);
    expect(due.length).toBe(written.filter((item) => item.dispatchQueue?.S === 'due').length);
    expect(due.length).toBeGreaterThan(0);
    for (const key of due) expect(key.pk).toBe(keys.dispatch(accountId, 'x').pk);
  });

  it('given a dispatch of the first layout, then the keys it names (the item it mirrors, the alert whose post a ✅ reacts to) are moved with it', () => {
    const dispatches = written.filter((item) => item.pk!.S!.startsWith('DISPATCH#'));
    const ack = dispatches.find((item) => item.call?.M?.postedAs !== undefined)!;
    expect(movedItem(inFirstLayout(ack))).toEqual(ack);
    const mirror = dispatches.find((item) => item.target !== undefined)!;
    expect(inFirstLayout(mirror).target?.M?.key?.M?.pk?.S).toBe(`ACCOUNT#${accountId}`);
    expect(movedItem(inFirstLayout(mirror))).toEqual(mirror);
  });

  it('given a run stopped half-way, then a second run finishes it, and a third changes nothing', async () => {
    await prepareMigration(deps);
    let moves = 0;
    await expect(
      migrateLedger({
        ...deps,
        afterMove: () => {
          if (++moves === 3) throw new Error('interrupted');
        },
      }),
    ).rejects.toThrow('interrupted');
    expect((await readMarker(deps))?.status).toBe('migrating');
    expect((await scan(db)).filter((item) => item.pk!.S!.startsWith('ACCOUNT#')).length).toBeGreaterThan(1);

    const second = await migrateLedger(deps);
    expect(second.moved).toBeGreaterThan(0);
    expect(second.moved).toBeLessThanOrEqual(movable.length - 3);
    expect(withoutMarker(await scan(db))).toEqual(written);

    expect(await migrateLedger(deps)).toEqual({ status: 'already-partitioned', moved: 0, resumed: 0, unknown: [] });
    expect(await prepareMigration(deps)).toBe('already-partitioned');
    expect(withoutMarker(await scan(db))).toEqual(written);
  });

  it('given a run that died between copies and deletes (every item copied, none deleted), then the next one keeps the copies and deletes the old keys', async () => {
    await prepareMigration(deps);
    await writeAll(db, movable);

    expect(await migrateLedger(deps)).toEqual({ status: 'migrated', moved: 0, resumed: movable.length, unknown: [] });
    expect(withoutMarker(await scan(db))).toEqual(written);
  });

  it('given an item whose sort key is of no known type, then it is left where it is and reported; given no preparation, then nothing moves', async () => {
    await expect(migrateLedger(deps)).rejects.toThrow('the ledger is not prepared: run this with --prepare first');
    expect(withoutMarker(await scan(db))).toEqual(written.map(inFirstLayout).sort(byKey));

    const stray: Item = { pk: { S: `ACCOUNT#${accountId}` }, sk: { S: 'LEGACY#1' }, entity: { S: 'legacy' } };
    await writeAll(db, [stray]);
    await prepareMigration(deps);
    expect((await migrateLedger(deps)).unknown).toEqual([{ pk: `ACCOUNT#${accountId}`, sk: 'LEGACY#1' }]);
    expect(withoutMarker(await scan(db))).toEqual([...written, stray].sort(byKey));
  });
});

describe("this version's functions during the migration", () => {
  let db: LocalDynamoDB;
  let granted: GrantedDynamoDB;
  let stage: ReturnType<typeof lambdaStage>;
  const output = captureOutput();

  beforeAll(async () => {
    db = await startLocalDynamoDB('cs-playbooks-migrate-ledger-functions');
    granted = await startGrantedDynamoDB(db.endpoint);
    stage = lambdaStage({
      name: 'test',
      tableName: db.tableName,
      dynamodb: granted,
      settings: resolveSettings({ calendar: { countries: ['FR'] } }),
      platform: { AWS_REGION: 'eu-west-3', AWS_ACCESS_KEY_ID: 'AKIAMIGRATELEDGER001', AWS_SECRET_ACCESS_KEY: 'migrate-ledger-test', AWS_ENDPOINT_URL_DYNAMODB: granted.endpoint },
    });
  });
  afterAll(async () => {
    stage?.close();
    await granted?.close();
    await db?.close();
  });
  beforeEach(() => output.start());
  afterEach(() => output.stop());

  it('given the ledger prepared, then a playbook step fails as an AWS outage (its Task retries it) and the dispatch drain delivers nothing; once migrated, both go on, each inside its grant', async () => {
    const deps: MigrationDeps = { client: db.client, tableName: db.tableName };
    await writeAll(db, [inFirstLayout(written.find((item) => item.sk!.S === 'ACCOUNT')!)]);
    await prepareMigration(deps);
    const createTaskLambda = await stage.coldStart('create-task');
    const drain = await stage.coldStart('deliver-dispatches');
    const sweep = { source: 'aws.events', 'detail-type': 'Scheduled Event', detail: {} };

    await expect(createTaskLambda(aTaskRequest({ accountId }))).rejects.toMatchObject({ name: 'AwsServiceUnavailable' });
    await expect(drain(sweep)).resolves.toEqual({ skipped: 'ledger-migrating' });
    expect(await scan(db).then((items) => items.filter((item) => item.pk!.S!.startsWith('TASK#')))).toEqual([]);

    await migrateLedger(deps);
    await expect(createTaskLambda(aTaskRequest({ accountId }))).resolves.toMatchObject({ created: true });
    await expect(drain(sweep)).resolves.toEqual({ delivered: 1, 'already-mirrored': 0, retry: 0, 'dead-letter': 0, 'not-due': 0 });
    expect(granted.calls.filter((call) => !call.allowed)).toEqual([]);
  });
});
