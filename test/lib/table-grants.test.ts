import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Ledger } from '../../functions/adapters/ledger.ts';
import { ACCOUNT_ITEM_TYPES, itemTypeOf, keys, partitionPattern, TABLE_SCHEMA } from '../../functions/adapters/table.ts';
import { DELIVERIES_PARTITION } from '../../functions/ingest/deliveries.ts';
import { domainGrants } from '../../lib/functions.ts';
import { allows, stringLike, tableStatements } from '../../lib/table-grants.ts';
import { startLocalDynamoDB, type LocalDynamoDB } from '../../sandbox/database/dynamodb.ts';
import { startGrantedDynamoDB, type GrantedDynamoDB } from '../support/aws/granted-dynamodb.ts';
import { aParisAccount } from '../support/records.ts';

// The layout that lets IAM confine a role to item types (functions/adapters/table.ts), the statements
// derived from an access (lib/table-grants.ts), and the test proxy that enforces them as IAM would.

describe('the partitions', () => {
  it('given every key of an account item, then its partition is `<TYPE>#<accountId>`, and its type is the one its sort key begins with', () => {
    const account = 'acc#1';
    const all = [
      keys.account(account),
      keys.npsResponse(account, 'evt'),
      keys.openRisk(account, 'churn-risk'),
      keys.task(account, 'tsk'),
      keys.touchpoint(account, '2026-11-13T10:00:00+01:00', 'evt'),
      keys.competitorMeeting(account, 'mtg'),
      keys.note(account, 'note'),
      keys.noContactCheck(account),
      keys.alert(account, 'alr'),
      keys.reply(account, 'msg'),
      keys.slaBreach(account, 'first-reply', 'msg'),
      keys.email(account, 'eml'),
      keys.emailCap(account, 'review-request', 'ct'),
      keys.alertReminder(account, '2026-11-13'),
      keys.preChurnCase(account, 'case'),
      keys.refund(account, 'case'),
      keys.notification(account, 'ntf'),
      keys.dispatch(account, 'TASK#tsk@crmId'),
      keys.outbox(account, 'email', 'eml'),
      keys.sealed(account, 'sld'),
      keys.floodCount(account, '2026-11-20T09:00:00.000Z'),
      keys.heldEvent(account, 'evt'),
      keys.contactUsage(account, 'ct'),
      keys.usageCheck(account),
      keys.health(account),
      keys.pulse(account),
      keys.ticket(account, 'tkt'),
      keys.renewalCheck(account),
      keys.execution(account, '2026-11-20T09:00:00+01:00', 'arn:aws:states:eu-west-3:123456789012:execution:NpsResponse:run-1'),
    ];
    expect(all.map(({ pk }) => itemTypeOf(pk)).sort()).toEqual([...ACCOUNT_ITEM_TYPES].sort());
    for (const { pk, sk } of [...all, keys.usageDay(account, '2026-11-20'), keys.healthDay(account, '2026-11-20')]) expect(pk).toBe(`${sk.split('#')[0]}#${account}`);
  });

  it('given the partitions outside the accounts, then each is one partition but the approvals, one per approval', () => {
    expect(itemTypeOf(keys.openAlert('acc-1', 'alr').pk)).toBe('OPEN_ALERTS');
    expect(itemTypeOf(keys.approval('apr-1').pk)).toBe('APPROVAL');
    expect(itemTypeOf(DELIVERIES_PARTITION)).toBe('WEBHOOK_DELIVERY');
    expect(itemTypeOf(keys.layout().pk)).toBe('LAYOUT');
    expect(itemTypeOf(keys.healthRoster('acc-1').pk)).toBe('HEALTH_ROSTER');
    expect(['OPEN_ALERTS', 'WEBHOOK_DELIVERY', 'LAYOUT', 'HEALTH_ROSTER', 'APPROVAL'].map((type) => partitionPattern(type as 'LAYOUT'))).toEqual(['OPEN_ALERTS', 'WEBHOOK_DELIVERY', 'LAYOUT', 'HEALTH_ROSTER', 'APPROVAL#*']);
    // The earlier layout's keys belong to no type but the account's record.
    expect(itemTypeOf('OPEN_ALERTS#x')).toBeUndefined();
    expect(itemTypeOf('UNKNOWN#acc-1')).toBeUndefined();
  });

  it("given two types, one a prefix of the other's name, then neither's pattern matches the other's partitions", () => {
    expect(stringLike(partitionPattern('EMAIL'), keys.emailCap('acc-1', 'review-request', 'ct').pk)).toBe(false);
    expect(stringLike(partitionPattern('EMAIL_CAP'), keys.email('acc-1', 'eml').pk)).toBe(false);
    expect(stringLike(partitionPattern('EMAIL'), keys.email('acc-1', 'eml').pk)).toBe(true);
    // `?` and `*` are IAM's wildcards; the rest is literal.
    expect(stringLike('TASK#?', 'TASK#a')).toBe(true);
    expect(stringLike('TASK.*', 'TASKX')).toBe(false);
  });
});

describe('the statements', () => {
  it('given an access, then each set of partitions is one statement with every operation on exactly those', () => {
    expect(tableStatements({ GetItem: ['ACCOUNT', 'TASK'], PutItem: ['TASK', 'DISPATCH'], UpdateItem: ['TASK'], Query: ['TASK', 'ACCOUNT'] })).toEqual([
      { actions: ['dynamodb:GetItem', 'dynamodb:Query'], leadingKeys: ['ACCOUNT#*', 'TASK#*'] },
      { actions: ['dynamodb:PutItem'], leadingKeys: ['DISPATCH#*', 'TASK#*'] },
      { actions: ['dynamodb:UpdateItem'], leadingKeys: ['TASK#*'] },
    ]);
  });

  it("given the tasks domain's grant, then it may put a task, not an alert, and read the layout marker", () => {
    const { tableStatements: statements } = domainGrants('tasks');
    expect(allows(statements, 'dynamodb:PutItem', keys.task('acc-1', 'tsk').pk)).toBe(true);
    expect(allows(statements, 'dynamodb:PutItem', keys.alert('acc-1', 'alr').pk)).toBe(false);
    expect(allows(statements, 'dynamodb:DeleteItem', keys.task('acc-1', 'tsk').pk)).toBe(false);
    expect(allows(statements, 'dynamodb:GetItem', keys.layout().pk)).toBe(true);
  });
});

describe('the granted DynamoDB proxy', () => {
  let db: LocalDynamoDB;
  let granted: GrantedDynamoDB;
  let ledger: Ledger;

  beforeAll(async () => {
    db = await startLocalDynamoDB('cs-playbooks-table-grants-test');
    granted = await startGrantedDynamoDB(db.endpoint);
    ledger = new Ledger(new DynamoDBClient({ endpoint: granted.endpoint, region: 'local', credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, maxAttempts: 1 }), db.tableName);
  });

  afterAll(async () => {
    await granted?.close();
    await db?.close();
  });

  it('given the tasks role, when it writes its own items, then they go through; when it writes or reads another type, then DynamoDB answers AccessDeniedException, as IAM would', async () => {
    granted.actAs('cs-playbooks-test-tasks', { statements: domainGrants('tasks').tableStatements });
    await expect(ledger.putOnce(keys.task('acc-1', 'tsk-1'), 'task', { id: 'tsk-1' })).resolves.toMatchObject({ created: true });
    await expect(ledger.readItem(keys.account('acc-1'))).resolves.toBeUndefined();
    await expect(ledger.putOnce(keys.alert('acc-1', 'alr-1'), 'alert', { id: 'alr-1' })).rejects.toMatchObject({ name: 'AccessDeniedException' });
    await expect(ledger.openRisks('acc-1')).rejects.toMatchObject({ name: 'AccessDeniedException' });
    await expect(ledger.dispatchKeys('due', '9999', 1)).rejects.toMatchObject({ name: 'AccessDeniedException' });
    expect(granted.calls.map(({ action, partition, allowed }) => [action, partition, allowed])).toEqual([
      ['dynamodb:PutItem', 'TASK#acc-1', true],
      ['dynamodb:GetItem', 'ACCOUNT#acc-1', true],
      ['dynamodb:PutItem', 'ALERT#acc-1', false],
      ['dynamodb:Query', 'RISK#acc-1', false],
      ['dynamodb:Query', TABLE_SCHEMA.dispatchIndex.name, false],
    ]);
  });

  it("given the dispatch drain's role, then it may Query the dispatch index it is granted", async () => {
    granted.actAs('cs-playbooks-test-dispatch', { statements: domainGrants('dispatch').tableStatements, indexes: [TABLE_SCHEMA.dispatchIndex.name] });
    await expect(ledger.dispatchKeys('due', '9999', 1)).resolves.toEqual([]);
    // An account record is the accounts domain's to write.
    await expect(ledger.writeAccountState('acc-2', aParisAccount({ id: 'acc-2' }), {}, 0, new Date('2026-11-13T10:00:00Z'))).rejects.toMatchObject({ name: 'AccessDeniedException' });
  });
});
