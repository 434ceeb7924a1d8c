// What a role may do to the ledger's table, as declared in the catalog (lib/functions.ts: each action's
// `table`) and derived into IAM: each operation on the partitions of the item types it needs, and no
// other. IAM confines an operation to partitions with `dynamodb:LeadingKeys` (it cannot see the sort
// key): functions/adapters/table.ts gives each item type partitions of its own for that.
// The CDK constructs, the test proxy (test/support/aws/granted-dynamodb.ts) and the sandbox all read
// these statements, so that what a test or a simulation allows is what the stack grants.
import { partitionPattern, type ItemType } from '../functions/adapters/table.ts';

/** The ledger's operations (functions/adapters/ledger*.ts): single-item reads and writes, and queries within one partition. */
export const TABLE_OPERATIONS = ['GetItem', 'Query', 'PutItem', 'UpdateItem', 'DeleteItem'] as const;
export type TableOperation = (typeof TABLE_OPERATIONS)[number];
export type TableAction = `dynamodb:${TableOperation}`;
export const WRITE_OPERATIONS: readonly TableOperation[] = ['PutItem', 'UpdateItem', 'DeleteItem'];
export const READ_OPERATIONS: readonly TableOperation[] = ['GetItem', 'Query'];

/** What an action (or an endpoint's function) does to the table: each operation, on the item types it needs. */
export type TableAccess = { readonly [O in TableOperation]?: readonly ItemType[] };

/** One IAM statement on the table: these actions, on the partitions these patterns match (`StringLike`). */
export interface TableStatement {
  readonly actions: readonly TableAction[];
  readonly leadingKeys: readonly string[];
}

/** The IAM condition that confines a statement to its partitions. */
export function leadingKeysCondition(patterns: readonly string[]) {
  return { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': [...patterns] } };
}

/** Several accesses as one: each operation on every type any of them names. */
export function unionOf(accesses: readonly TableAccess[]): TableAccess {
  const union: { [O in TableOperation]?: ItemType[] } = {};
  for (const operation of TABLE_OPERATIONS) {
    const types = [...new Set(accesses.flatMap((access) => access[operation] ?? []))];
    if (types.length > 0) union[operation] = types;
  }
  return union;
}

/** The table actions an access needs, whatever the partitions. */
export function tableActionsOf(access: TableAccess): TableAction[] {
  return TABLE_OPERATIONS.filter((operation) => (access[operation] ?? []).length > 0).map((operation) => `dynamodb:${operation}` as const);
}

/** The item types an access writes (Put, Update, Delete) or reads (Get, Query), in the table's order of types. */
export function typesOf(access: TableAccess, operations: readonly TableOperation[]): ItemType[] {
  return [...new Set(operations.flatMap((operation) => access[operation] ?? []))];
}

/**
 * The IAM statements of an access: one per set of partitions, with every operation that needs exactly
 * those (a role's GetItem on the account and its tasks, its PutItem on its tasks only).
 */
export function tableStatements(access: TableAccess): TableStatement[] {
  const byPartitions = new Map<string, { actions: TableAction[]; leadingKeys: string[] }>();
  for (const operation of TABLE_OPERATIONS) {
    const types = access[operation] ?? [];
    if (types.length === 0) continue;
    const leadingKeys = [...new Set(types.map(partitionPattern))].sort();
    const key = leadingKeys.join(' ');
    const statement = byPartitions.get(key) ?? { actions: [], leadingKeys };
    statement.actions.push(`dynamodb:${operation}`);
    byPartitions.set(key, statement);
  }
  return [...byPartitions.values()];
}

/** IAM's `StringLike`: `*` any run of characters, `?` one character, the rest literally. */
export function stringLike(pattern: string, value: string): boolean {
  const regex = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${regex}$`, 's').test(value);
}

/** Whether the statements let `action` reach the partition `pk`, as IAM would decide it. */
export function allows(statements: readonly TableStatement[], action: string, pk: string): boolean {
  return statements.some((statement) => (statement.actions as readonly string[]).includes(action) && statement.leadingKeys.some((pattern) => stringLike(pattern, pk)));
}

/** An attribute value as the SDK's low-level client carries it (`{ S: "…" }`), or as the document client takes it. */
type KeyValue = string | { S?: string } | undefined;

/** What a request names of its key: the item's key, the item put, or a Query's key condition. */
export interface KeyedRequest {
  Key?: Record<string, unknown>;
  Item?: Record<string, unknown>;
  IndexName?: string;
  KeyConditionExpression?: string;
  ExpressionAttributeNames?: Record<string, string>;
  ExpressionAttributeValues?: Record<string, unknown>;
}

const stringOf = (value: unknown): string | undefined => {
  const key = value as KeyValue;
  return typeof key === 'string' ? key : typeof key?.S === 'string' ? key.S : undefined;
};

/**
 * The partition a request reaches, as IAM's `dynamodb:LeadingKeys` sees it: its key's (or its item's)
 * partition key, or the value a Query's key condition sets it equal to (`pk = :pk`, or a name for it).
 * Undefined for a Query of an index (its partitions are the index's) and for a request with no key.
 */
export function partitionOfRequest(request: KeyedRequest, partitionKey: string): string | undefined {
  if (request.IndexName !== undefined) return undefined;
  const direct = stringOf(request.Key?.[partitionKey]) ?? stringOf(request.Item?.[partitionKey]);
  if (direct !== undefined || request.KeyConditionExpression === undefined) return direct;
  for (const [, name, placeholder] of request.KeyConditionExpression.matchAll(/([#\w]+)\s*=\s*(:\w+)/g)) {
    if ((request.ExpressionAttributeNames?.[name!] ?? name) === partitionKey) return stringOf(request.ExpressionAttributeValues?.[placeholder!]);
  }
  return undefined;
}
