import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Ledger } from '../../functions/adapters/ledger.ts';
import type { DomainEventMessage } from '../../functions/contracts/index.ts';
import { startLocalDynamoDB, type LocalDynamoDB } from '../../sandbox/database/dynamodb.ts';
import { startLocalCloudFormation, type LocalCloudFormation } from '../support/aws/cloudformation.ts';
import { startLocalEventBridge, type LocalEventBridge } from '../support/aws/eventbridge.ts';
import { playbooks } from '../support/cli.ts';
import { useRunningSandbox } from '../support/running-sandbox.ts';

// `playbooks held` and `playbooks release`, as a user runs them: against `npm start` (--url), and against
// a deployed stage (--stage: its stack's outputs from CloudFormation, its table, its bus), the AWS APIs
// being local servers that implement them and check SigV4.

const ACCOUNT = 'acc-salon-lumiere';
const upsell = (n: number, at: string): DomainEventMessage => ({
  type: 'UpsellRequested',
  timestamp: at,
  data: { eventId: `evt-flood-upsell-${n}`, accountId: ACCOUNT, at, details: `Add ${n} seats` },
});

describe('given the running sandbox (30 guarded events an account an hour) and 33 upsell requests from one account at once', () => {
  const running = useRunningSandbox();
  const upsells = () => running().sandbox.executions.filter((e) => e.playbook === 'upsell-request').length;

  it('then `held` lists the 3 past the limit, `release` puts them on the bus, and a second release finds none', { timeout: 60_000 }, async () => {
    const { sandbox, server } = running();
    // The guard counts by clock hour, on the wall clock here: not astride an hour's end.
    const toNextHour = 3_600_000 - (Date.now() % 3_600_000);
    if (toNextHour < 20_000) await new Promise((resolve) => setTimeout(resolve, toNextHour + 100));
    const at = new Date().toISOString();
    for (let n = 1; n <= 33; n++) await sandbox.publish(upsell(n, at));
    await sandbox.settled();
    expect(upsells()).toBe(30);

    const held = await playbooks(['held', '--account', ACCOUNT, '--url', server.url]);
    expect(held.code).toBe(0);
    expect((JSON.parse(held.stdout) as { held: { eventId: string; detailType: string }[] }).held.map((event) => [event.eventId, event.detailType])).toEqual([
      ['evt-flood-upsell-31', 'UpsellRequested'],
      ['evt-flood-upsell-32', 'UpsellRequested'],
      ['evt-flood-upsell-33', 'UpsellRequested'],
    ]);

    const released = await playbooks(['release', '--account', ACCOUNT, '--url', server.url]);
    expect(released.code).toBe(0);
    expect(JSON.parse(released.stdout)).toEqual({ accountId: ACCOUNT, released: ['evt-flood-upsell-31', 'evt-flood-upsell-32', 'evt-flood-upsell-33'] });
    await sandbox.settled();
    expect(upsells()).toBe(33);
    expect(JSON.parse((await playbooks(['release', '--account', ACCOUNT, '--url', server.url])).stdout)).toEqual({ accountId: ACCOUNT, released: [] });
  });

  it('then `release` without --account says what it needs', async () => {
    const run = await playbooks(['release', '--url', running().server.url]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/release needs --account <accountId>/);
  });
});

describe('given a deployed stage whose ledger holds two events of an account', () => {
  const REGION = 'eu-west-3';
  const CREDENTIALS = { accessKeyId: 'AKIARELEASETEST', secretAccessKey: 'release-test-secret-key' };
  let db: LocalDynamoDB;
  let eventBridge: LocalEventBridge;
  let cloudFormation: LocalCloudFormation;
  const env = () => ({
    AWS_REGION: REGION,
    AWS_ACCESS_KEY_ID: CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: CREDENTIALS.secretAccessKey,
    AWS_SESSION_TOKEN: '',
    AWS_ENDPOINT_URL_CLOUDFORMATION: cloudFormation.endpoint,
    AWS_ENDPOINT_URL_DYNAMODB: db.endpoint,
    AWS_ENDPOINT_URL_EVENTBRIDGE: eventBridge.endpoint,
  });

  beforeAll(async () => {
    db = await startLocalDynamoDB('cs-playbooks-release-test');
    eventBridge = await startLocalEventBridge({ region: REGION, credentials: CREDENTIALS });
    cloudFormation = await startLocalCloudFormation({ region: REGION, credentials: CREDENTIALS, stacks: [{ name: 'CsPlaybooks-staging', outputs: { TableName: db.tableName, EventBusName: 'cs-playbooks-staging' } }] });
    const ledger = new Ledger(db.client, db.tableName);
    const at = '2026-11-20T10:00:00.000Z';
    await ledger.holdEvent(ACCOUNT, upsell(31, at), at, `${at}#000031`);
    await ledger.holdEvent(ACCOUNT, upsell(32, at), at, `${at}#000032`);
  });
  afterAll(async () => {
    await cloudFormation?.close();
    await eventBridge?.close();
    await db?.close();
  });

  it('when `release --stage staging` runs with the user’s credentials, then both go on the stage’s bus in order and the ledger holds none', async () => {
    const before = await playbooks(['held', '--account', ACCOUNT, '--stage', 'staging'], env());
    expect(before.stderr).toBe('');
    expect((JSON.parse(before.stdout) as { held: unknown[] }).held).toHaveLength(2);

    const run = await playbooks(['release', '--account', ACCOUNT, '--stage', 'staging'], env());

    expect(run.stderr).toBe('');
    expect(JSON.parse(run.stdout)).toEqual({ accountId: ACCOUNT, released: ['evt-flood-upsell-31', 'evt-flood-upsell-32'] });
    expect(eventBridge.events.map((event) => [event.EventBusName, event.Source, event.DetailType, (JSON.parse(event.Detail) as { eventId: string }).eventId])).toEqual([
      ['cs-playbooks-staging', 'cs-playbooks', 'UpsellRequested', 'evt-flood-upsell-31'],
      ['cs-playbooks-staging', 'cs-playbooks', 'UpsellRequested', 'evt-flood-upsell-32'],
    ]);
    expect(await new Ledger(db.client, db.tableName).heldEvents(ACCOUNT)).toEqual([]);
    expect(cloudFormation.requests).toEqual([{ Action: 'DescribeStacks', Version: '2010-05-15', StackName: 'CsPlaybooks-staging' }, { Action: 'DescribeStacks', Version: '2010-05-15', StackName: 'CsPlaybooks-staging' }]);
  });
});
