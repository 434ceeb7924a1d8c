/**
 * `npm run people -- --stage <stage> [--from hubspot]`: make the deployed stage's people directory
 * (functions/adapters/people.ts) the one its stage file lists (`settings.people` of stages/<stage>.json):
 * each person written, each one no longer listed removed. With `--from hubspot`, kept in step with the
 * CRM's owners first (functions/core/people/directory.ts, peopleFromCrm): their names and e-mails as
 * HubSpot holds them, an owner archived in HubSpot out, an active owner the file does not list named.
 * Run after a deploy that changed the team, and whenever someone joins or leaves (a daily cron with
 * `--from hubspot` keeps up with HubSpot); until then, a direct message to someone the directory does not
 * know goes to the id the account names. With your AWS credentials and region; the table is the stack's
 * `TableName` output (`--table <name> [--endpoint <url>]` for another table, e.g. a local one); the HubSpot
 * token is `HUBSPOT_ACCESS_TOKEN`, else the stage's vendor secret's (scope crm.objects.owners.read).
 */
import { parseArgs } from 'node:util';
import { pathToFileURL } from 'node:url';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { PeopleDirectory } from '../functions/adapters/people.ts';
import { peopleFromCrm } from '../functions/core/people/directory.ts';
import { hubspotApi, HUBSPOT_API_URL, type HubSpotApi } from '../sandbox/import/hubspot-api.ts';
import { readHubSpotOwners } from '../sandbox/import/hubspot-portfolio.ts';
import { defaultAwsClients, stageHubSpotToken } from '../sandbox/import/stage.ts';
import { resolveSettings, type Person } from '../functions/contracts/settings.ts';
import { stackName } from '../lib/stack-name.ts';
import { stageConfig } from '../lib/stages.ts';

/** Write `people` into the directory of `tableName`: what the command does, and what its test runs. */
export async function syncPeople(client: DynamoDBClient, tableName: string, people: readonly Person[]): Promise<{ written: number; removed: string[] }> {
  return new PeopleDirectory(DynamoDBDocumentClient.from(client), tableName).sync(people);
}

/** `--from hubspot`: the stage file's people in step with HubSpot's owners, then written. */
export async function syncPeopleFromHubSpot(
  client: DynamoDBClient,
  tableName: string,
  listed: readonly Person[],
  api: HubSpotApi,
): Promise<{ written: number; removed: string[]; updated: string[]; departed: string[]; unlisted: string[] }> {
  const owners = [...(await readHubSpotOwners(api, { archived: false })), ...(await readHubSpotOwners(api, { archived: true }))];
  const { people, updated, departed, unlisted } = peopleFromCrm(listed, owners);
  return { ...(await syncPeople(client, tableName, people)), updated, departed, unlisted };
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
  const { values } = parseArgs({ args: [...argv], options: { stage: { type: 'string' }, table: { type: 'string' }, endpoint: { type: 'string' }, from: { type: 'string' } }, strict: true });
  if (values.from !== undefined && values.from !== 'hubspot') throw new Error(`--from ${values.from}: the people directory follows HubSpot's owners only (--from hubspot)`);
  const stage = stageConfig(values.stage);
  const { people } = resolveSettings(stage.settings);
  const tableName = values.table ?? (await stageTable(stage.name));
  const client = new DynamoDBClient(values.endpoint ? { endpoint: values.endpoint } : {});
  if (values.from === undefined) {
    const { written, removed } = await syncPeople(client, tableName, people);
    console.log(`${tableName}: ${written} ${written === 1 ? 'person' : 'people'} written from stages/${stage.name}.json${removed.length > 0 ? `, ${removed.length} no longer listed removed (${removed.join(', ')})` : ''}`);
    return;
  }
  const token = process.env.HUBSPOT_ACCESS_TOKEN || (await stageHubSpotToken(stage.name, stage.vendors?.secretName, await defaultAwsClients()));
  const api = hubspotApi({ token, root: process.env.HUBSPOT_API_URL || HUBSPOT_API_URL });
  const { written, removed, updated, departed, unlisted } = await syncPeopleFromHubSpot(client, tableName, people, api);
  console.log(`${tableName}: ${written} ${written === 1 ? 'person' : 'people'} written from stages/${stage.name}.json in step with HubSpot's owners`);
  if (updated.length > 0) console.log(`  name or e-mail taken from HubSpot: ${updated.join(', ')}`);
  if (departed.length > 0) console.log(`  archived in HubSpot, so out of the directory (remove them from stages/${stage.name}.json): ${departed.join(', ')}`);
  if (removed.length > 0) console.log(`  no longer listed, removed: ${removed.join(', ')}`);
  if (unlisted.length > 0) console.log(`  HubSpot owners not in stages/${stage.name}.json (add each with a timezone, language and role to reach them): ${unlisted.join(', ')}`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main(process.argv.slice(2)).catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 2;
  });
}
