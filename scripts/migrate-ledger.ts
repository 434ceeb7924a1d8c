// Moves a stage's ledger from the first layout (every item of an account under `pk ACCOUNT#<id>`) to
// the partitioned one (`pk <TYPE>#<id>`, functions/adapters/table.ts), which the partition-confined
// grants need (README, "Migrating the ledger"):
//
//   npm run migrate-ledger -- --stage prod --prepare   # 1. before deploying this version
//   npx cdk deploy -c env=prod                         # 2. its functions wait while the ledger says `migrating`
//   npm run migrate-ledger -- --stage prod             # 3. every item moved, then the ledger says `partitioned`
//
// Idempotent and resumable: an item is copied to its new key (a conditional put: a copy an interrupted
// run made is kept), then deleted from its old one; a run reads the table again from the start and
// moves what is left. `--table <name> [--endpoint <url>]` works on a table directly (a local one).
import {
  ConditionalCheckFailedException,
  DeleteItemCommand,
  DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  ScanCommand,
  UpdateItemCommand,
  type AttributeValue,
} from '@aws-sdk/client-dynamodb';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { ACCOUNT_ITEM_TYPES, keys, partitionOf, type AccountItemType, type ItemKey } from '../functions/adapters/table.ts';
import type { LayoutMarker } from '../functions/runtime/ledger-layout.ts';
import { stackName } from '../lib/stack-name.ts';
import { stageConfig } from '../lib/stages.ts';

/** An item as DynamoDB's low-level API carries it: every attribute kept exactly (numbers, sets, maps). */
export type Item = Record<string, AttributeValue>;

/** Where every item of an account was in the first layout. */
const FIRST_LAYOUT_PARTITION = 'ACCOUNT#';

/** An item of the first layout: under its account's partition, but the account record (whose key does not change). */
export function inFirstLayout({ pk, sk }: ItemKey): boolean {
  return pk.startsWith(FIRST_LAYOUT_PARTITION) && sk !== 'ACCOUNT';
}

/**
 * The key a first-layout item has now: its type (the sort key's first part) joins its account in the
 * partition key, the sort key is kept. Undefined for a key that needs no move, or whose sort key is of
 * no type this code knows (left where it is, and reported).
 */
export function movedKey(key: ItemKey): ItemKey | undefined {
  if (!inFirstLayout(key)) return undefined;
  const type = key.sk.split('#')[0]!;
  if (type === 'ACCOUNT' || !(ACCOUNT_ITEM_TYPES as readonly string[]).includes(type)) return undefined;
  return { pk: partitionOf(type as AccountItemType, key.pk.slice(FIRST_LAYOUT_PARTITION.length)), sk: key.sk };
}

const keyOf = (item: Item): ItemKey => ({ pk: item.pk?.S ?? '', sk: item.sk?.S ?? '' });

/** A key stored inside an item (a map with `pk` and `sk`), moved as the item it names. */
function withMovedKey(value: AttributeValue | undefined, field: string): AttributeValue | undefined {
  const stored = value?.M?.[field]?.M;
  const key = stored?.pk?.S !== undefined && stored.sk?.S !== undefined ? movedKey({ pk: stored.pk.S, sk: stored.sk.S }) : undefined;
  if (!value?.M || !key) return value;
  return { M: { ...value.M, [field]: { M: { ...stored, pk: { S: key.pk }, sk: { S: key.sk } } } } };
}

/**
 * A first-layout item as this layout has it: its new key, and, for a dispatch, the keys it names moved
 * too (the item it mirrors, `target.key`; an alert's post for a ✅, `call.postedAs`). Undefined: not moved.
 */
export function movedItem(item: Item): Item | undefined {
  const key = movedKey(keyOf(item));
  if (!key) return undefined;
  const moved: Item = { ...item, pk: { S: key.pk }, sk: { S: key.sk } };
  if (key.sk.startsWith('DISPATCH#')) {
    const target = withMovedKey(item.target, 'key');
    const call = withMovedKey(item.call, 'postedAs');
    if (target) moved.target = target;
    if (call) moved.call = call;
  }
  return moved;
}

export interface MigrationDeps {
  client: DynamoDBClient;
  tableName: string;
  now?(): Date;
  /** Items moved at once (each a put and a delete). */
  concurrency?: number;
  /** Parallel scan segments. */
  segments?: number;
  log?(line: string): void;
  /** Called after each item moved (tests stop a run there). */
  afterMove?(key: ItemKey): void;
}

export interface MigrationResult {
  status: 'migrated' | 'already-partitioned';
  /** Items moved by this run. */
  moved: number;
  /** Items an interrupted run had copied already: only their old key was deleted. */
  resumed: number;
  /** First-layout items of a type no code knows: left where they were. */
  unknown: ItemKey[];
}

export async function readMarker({ client, tableName }: MigrationDeps): Promise<LayoutMarker | undefined> {
  const { Item } = await client.send(new GetItemCommand({ TableName: tableName, Key: toKey(keys.layout()), ConsistentRead: true }));
  if (!Item) return undefined;
  return { status: Item.status?.S as LayoutMarker['status'], preparedAt: Item.preparedAt?.S, migratedAt: Item.migratedAt?.S, moved: Item.moved?.N === undefined ? undefined : Number(Item.moved.N) };
}

/**
 * Step 1, before this version is deployed: the ledger says `migrating`, which today's functions ignore
 * and this version's wait for (as for an AWS outage). Again while it says so: nothing changes.
 */
export async function prepareMigration(deps: MigrationDeps): Promise<'prepared' | 'already-prepared' | 'already-partitioned'> {
  const marker = await readMarker(deps);
  if (marker?.status === 'partitioned') return 'already-partitioned';
  if (marker?.status === 'migrating') return 'already-prepared';
  const preparedAt = (deps.now?.() ?? new Date()).toISOString();
  await deps.client.send(
    new PutItemCommand({
      TableName: deps.tableName,
      Item: { ...toKey(keys.layout()), status: { S: 'migrating' }, preparedAt: { S: preparedAt } },
      ConditionExpression: 'attribute_not_exists(pk)',
    }),
  );
  return 'prepared';
}

/**
 * Step 3, once this version is deployed: every first-layout item moved (copied, then deleted), the
 * table read again until none is left, then the ledger says `partitioned` and the functions go on.
 */
export async function migrateLedger(deps: MigrationDeps): Promise<MigrationResult> {
  const marker = await readMarker(deps);
  if (marker?.status === 'partitioned') return { status: 'already-partitioned', moved: 0, resumed: 0, unknown: [] };
  if (marker?.status !== 'migrating') {
    throw new Error('the ledger is not prepared: run this with --prepare first, then deploy this version, then run it again (README, "Migrating the ledger")');
  }
  const log = deps.log ?? (() => undefined);
  const result: MigrationResult = { status: 'migrated', moved: 0, resumed: 0, unknown: [] };
  for (let pass = 1; ; pass++) {
    const before = result.moved + result.resumed;
    const unknown: ItemKey[] = [];
    await forEachFirstLayoutItem(deps, async (item) => {
      const moved = movedItem(item);
      if (!moved) return void unknown.push(keyOf(item));
      const copied = await copy(deps, moved);
      await deps.client.send(new DeleteItemCommand({ TableName: deps.tableName, Key: toKey(keyOf(item)) }));
      if (copied) result.moved++;
      else result.resumed++;
      deps.afterMove?.(keyOf(moved));
    });
    result.unknown = unknown;
    log(`pass ${pass}: ${result.moved + result.resumed - before} item(s) moved${unknown.length > 0 ? `, ${unknown.length} of no known type left where they are` : ''}`);
    // A pass that moved nothing read a table with no first-layout item left (but the unknown ones).
    if (result.moved + result.resumed === before) break;
  }
  for (const key of result.unknown) log(`left in place (no known type): pk ${key.pk} sk ${key.sk}`);
  await deps.client.send(
    new UpdateItemCommand({
      TableName: deps.tableName,
      Key: toKey(keys.layout()),
      UpdateExpression: 'SET #status = :partitioned, migratedAt = :at, moved = :moved',
      ConditionExpression: '#status = :migrating',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: {
        ':partitioned': { S: 'partitioned' },
        ':migrating': { S: 'migrating' },
        ':at': { S: (deps.now?.() ?? new Date()).toISOString() },
        ':moved': { N: String((marker.moved ?? 0) + result.moved + result.resumed) },
      },
    }),
  );
  return result;
}

/** Put the item at its new key unless it is there already (a copy an interrupted run made): true when this run copied it. */
async function copy({ client, tableName }: MigrationDeps, item: Item): Promise<boolean> {
  try {
    await client.send(new PutItemCommand({ TableName: tableName, Item: item, ConditionExpression: 'attribute_not_exists(pk)' }));
    return true;
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) return false;
    throw error;
  }
}

/**
 * Every first-layout item, in parallel segments, `concurrency` handled at once; strongly consistent
 * reads. A failure stops the handing out of items, lets those under way finish, then is thrown: a run
 * never leaves a move half done behind it but for a crash, which the next run finishes.
 */
async function forEachFirstLayoutItem(deps: MigrationDeps, handle: (item: Item) => Promise<void>): Promise<void> {
  const segments = deps.segments ?? 4;
  const concurrency = Math.max(1, Math.floor((deps.concurrency ?? 16) / segments));
  let failure: { error: unknown } | undefined;
  const guarded = async (work: () => Promise<void>) => {
    try {
      await work();
    } catch (error) {
      failure ??= { error };
    }
  };
  await Promise.all(
    Array.from({ length: segments }, (_, segment) =>
      guarded(async () => {
        let ExclusiveStartKey: Item | undefined;
        do {
          const page = await deps.client.send(
            new ScanCommand({
              TableName: deps.tableName,
              Segment: segment,
              TotalSegments: segments,
              FilterExpression: 'begins_with(pk, :first) AND sk <> :account',
              ExpressionAttributeValues: { ':first': { S: FIRST_LAYOUT_PARTITION }, ':account': { S: 'ACCOUNT' } },
              ConsistentRead: true,
              ExclusiveStartKey,
            }),
          );
          const items = [...(page.Items ?? [])];
          await Promise.all(
            Array.from({ length: concurrency }, async () => {
              for (let item = items.shift(); item && !failure; item = items.shift()) await guarded(() => handle(item));
            }),
          );
          ExclusiveStartKey = page.LastEvaluatedKey;
        } while (ExclusiveStartKey && !failure);
      }),
    ),
  );
  if (failure) throw failure.error;
}

const toKey = ({ pk, sk }: ItemKey): Item => ({ pk: { S: pk }, sk: { S: sk } });

/** The stage's table (the stack's `TableName` output), and whether the deployed stack is this version (its roles read the layout marker). */
async function deployedStage(stage: string): Promise<{ tableName: string; partitionedGrants: boolean }> {
  // Loaded only for --stage.
  const { CloudFormationClient, DescribeStacksCommand, GetTemplateCommand } = await import('@aws-sdk/client-cloudformation');
  const cloudFormation = new CloudFormationClient({});
  const name = stackName(stage);
  const { Stacks } = await cloudFormation.send(new DescribeStacksCommand({ StackName: name }));
  const tableName = Stacks?.[0]?.Outputs?.find((output) => output.OutputKey === 'TableName')?.OutputValue;
  if (!tableName) throw new Error(`stack ${name} has no TableName output: is it a cs-playbooks stack, fully deployed?`);
  const { TemplateBody } = await cloudFormation.send(new GetTemplateCommand({ StackName: name }));
  return { tableName, partitionedGrants: (TemplateBody ?? '').includes('dynamodb:LeadingKeys') && (TemplateBody ?? '').includes('"LAYOUT"') };
}

async function main(argv: readonly string[]): Promise<void> {
  const { values } = parseArgs({
    args: [...argv],
    options: { stage: { type: 'string' }, table: { type: 'string' }, endpoint: { type: 'string' }, prepare: { type: 'boolean' }, concurrency: { type: 'string' } },
    strict: true,
  });
  if (!values.stage === !values.table) throw new Error('say which table: --stage <stage> (its stack\'s table), or --table <name> [--endpoint <url>]');
  if (values.stage) stageConfig(values.stage);
  const stage = values.stage ? await deployedStage(values.stage) : undefined;
  const tableName = stage?.tableName ?? values.table!;
  const deps: MigrationDeps = {
    client: new DynamoDBClient(values.endpoint ? { endpoint: values.endpoint } : {}),
    tableName,
    concurrency: values.concurrency ? Number(values.concurrency) : 16,
    log: (line) => console.log(line),
  };
  if (values.prepare) {
    const prepared = await prepareMigration(deps);
    console.log(`${tableName}: ${prepared === 'already-partitioned' ? 'already in the partitioned layout: nothing to do' : 'the ledger says `migrating`'}`);
    if (prepared === 'already-partitioned') return;
    console.log(
      stage?.partitionedGrants
        ? `this version is deployed already: run the migration now (npm run migrate-ledger -- --stage ${values.stage})`
        : `next: deploy this version (npx cdk deploy -c env=${values.stage ?? '<stage>'}), then run this again without --prepare`,
    );
    return;
  }
  if (stage && !stage.partitionedGrants) {
    throw new Error(`the deployed ${stackName(values.stage!)} is not this version yet (its roles do not read the layout marker): deploy it first (npx cdk deploy -c env=${values.stage}); today's functions would not see the moved items`);
  }
  const result = await migrateLedger(deps);
  console.log(
    result.status === 'already-partitioned'
      ? `${tableName}: already in the partitioned layout: nothing to do`
      : `${tableName}: ${result.moved} item(s) moved, ${result.resumed} finished from an interrupted run; the ledger says \`partitioned\`: the functions go on`,
  );
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main(process.argv.slice(2)).catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 2;
  });
}
