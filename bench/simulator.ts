// npm run bench: how fast the simulator fast-forwards, as ratios against a baseline measured in the
// same run on the same machine (never an assertion in a test). The baseline is one conditional
// DynamoDB write and one read against the embedded DynamoDB: the floor any function call pays.
import { GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { performance } from 'node:perf_hooks';
import { startLocalDynamoDB } from '../sandbox/database/dynamodb.ts';
import { parseScenario } from '../sandbox/simulate/scenario.ts';
import { simulate } from '../sandbox/simulate/simulate.ts';
import { parisAccounts } from './accounts.ts';
import { benchStartUp } from './start-up.ts';
import { benchHealth } from './health.ts';
import { benchUsage } from './usage.ts';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

async function baselineRoundTripMs(samples: number): Promise<number> {
  const db = await startLocalDynamoDB('bench');
  try {
    const timings: number[] = [];
    for (let i = 0; i < samples; i++) {
      const Key = { pk: { S: `BENCH#${i}` }, sk: { S: 'ITEM' } };
      const started = performance.now();
      await db.client.send(new PutItemCommand({ TableName: db.tableName, Item: { ...Key, n: { N: String(i) } }, ConditionExpression: 'attribute_not_exists(pk)' }));
      await db.client.send(new GetItemCommand({ TableName: db.tableName, Key, ConsistentRead: true }));
      timings.push(performance.now() - started);
    }
    return median(timings);
  } finally {
    await db.close();
  }
}

/** `accounts` accounts in Paris, each answering one NPS survey every `everyDays` days for `days` days. */
function portfolioScenario(accounts: number, days: number, everyDays: number) {
  const start = Date.parse('2026-01-05T08:00:00+01:00');
  const records = parisAccounts(accounts);
  const events = records.flatMap((account, i) =>
    Array.from({ length: Math.floor(days / everyDays) }, (_, k) => {
      const at = new Date(start + (k * everyDays + (i % everyDays)) * 86_400_000 + (i % 9) * 3_600_000).toISOString();
      return { at, type: 'NpsResponseReceived', detail: { eventId: `evt-${i}-${k}`, accountId: account.id, contactId: `ct-${i}`, score: (i + k) % 11, respondedAt: at } };
    }),
  );
  return parseScenario({ start: new Date(start).toISOString(), accounts: records, events });
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

async function main(): Promise<void> {
  await benchStartUp();
  console.log('');
  const baseline = await baselineRoundTripMs(200);
  console.log(`baseline: one conditional write + one read on the embedded DynamoDB = ${baseline.toFixed(2)} ms (median of 200)\n`);
  console.log('scenario                          executions   wall s   ms/execution   × baseline   virtual days per wall second');
  for (const [accounts, days, everyDays] of [
    [20, 30, 7],
    [200, 30, 7],
    [200, 90, 7],
  ] as const) {
    const scenario = portfolioScenario(accounts, days, everyDays);
    const started = performance.now();
    const report = await simulate(scenario);
    const wallMs = performance.now() - started;
    const perExecution = wallMs / report.executions.length;
    console.log(
      `${`${accounts} accounts, ${days} days`.padEnd(34)}${String(report.executions.length).padStart(10)}${(wallMs / 1000).toFixed(1).padStart(9)}` +
        `${perExecution.toFixed(1).padStart(15)}${(perExecution / baseline).toFixed(1).padStart(13)}${(days / (wallMs / 1000)).toFixed(0).padStart(31)}`,
    );
  }
  console.log('');
  await benchUsage(baseline);
  console.log('');
  await benchHealth(baseline);
}

await main();
