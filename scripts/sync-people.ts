/**
 * `npm run people -- --stage <stage>`: make the deployed stage's people directory (functions/adapters/
 * people.ts) the one its stage file lists (`settings.people` of stages/<stage>.json): each person
 * written, each one no longer listed removed. Run after a deploy that changed the team, and whenever
 * someone joins or leaves; until then, a direct message to someone the directory does not know goes to
 * the id the account names. With your AWS credentials and region; the table is the stack's `TableName`
 * output (`--table <name> [--endpoint <url>]` for another table, e.g. a local one).
 */
import { parseArgs } from 'node:util';
import { pathToFileURL } from 'node:url';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { PeopleDirectory } from '../functions/adapters/people.ts';
import { resolveSettings, type Person } from '../functions/contracts/settings.ts';
import { stackName } from '../lib/stack-name.ts';
import { stageConfig } from '../lib/stages.ts';

/** Write `people` into the directory of `tableName`: what the command does, and what its test runs. */
export async function syncPeople(client: DynamoDBClient, tableName: string, people: readonly Person[]): Promise<{ written: number; removed: string[] }> {
  return new PeopleDirectory(DynamoDBDocumentClient.from(client), tableName).sync(people);
}

async function stageTable(stage: string): Promise<string> {
  // Loaded only for a deployed stage.
  const { CloudFormationClient, DescribeStacksCommand } = await import('@aws-sdk/client-cloudformation');
  const name = stackName(stage);
  const { Stacks } = await new CloudFormationClient({}).send(new DescribeStacksCommand({ StackName: name }));
  const tableName = Stacks?.[0]?.Outputs?.find((output) => output.OutputKey === 'TableName')?.OutputValue;
  if (!tableName) throw new Error(`stack ${name} has no TableName output: is it a cs-playbooks stack, fully deployed?`);
  return tableName;
}

async function main(argv: readonly string[]): Promise<void> {
  const { values } = parseArgs({ args: [...argv], options: { stage: { type: 'string' }, table: { type: 'string' }, endpoint: { type: 'string' } }, strict: true });
  const stage = stageConfig(values.stage);
  const { people } = resolveSettings(stage.settings);
  const tableName = values.table ?? (await stageTable(stage.name));
  const { written, removed } = await syncPeople(new DynamoDBClient(values.endpoint ? { endpoint: values.endpoint } : {}), tableName, people);
  console.log(`${tableName}: ${written} ${written === 1 ? 'person' : 'people'} written from stages/${stage.name}.json${removed.length > 0 ? `, ${removed.length} no longer listed removed (${removed.join(', ')})` : ''}`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main(process.argv.slice(2)).catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 2;
  });
}
