import { CliError, type Command } from './command.ts';
import { fetchSandbox } from './io.ts';
import { baseUrl, parseOptions, stageOption } from './options.ts';

/**
 * `playbooks held` and `playbooks release`: the events the flood guard holds for an account
 * (functions/core/flood), and putting them on the bus once whoever knows the cause says so. Against the
 * running sandbox (`--url`), or a deployed stage (`--stage`: its `TableName` and `EventBusName` outputs,
 * with your AWS credentials: `dynamodb:Query` and `dynamodb:DeleteItem` on the table, `events:PutEvents`
 * on the bus).
 */

const USAGE_OPTIONS = `  --url <url>      the running sandbox (default http://127.0.0.1:3000, or PLAYBOOKS_URL)
  --stage <stage>  a deployed stage instead: stack CsPlaybooks-<stage>, your AWS credentials and region`;

export const held: Command = {
  name: 'held',
  summary: "list the events the flood guard holds for an account",
  usage: `playbooks held --account <accountId> [--url … | --stage …]

  List the events the flood guard holds for an account (past floodGuard.eventsPerAccountPerHour
  within an hour): id, type, when held. Nothing is lost: \`playbooks release\` puts them on the bus.
${USAGE_OPTIONS}`,
  async run(args) {
    const { account, target } = await options(args, 'held');
    const events = await target.held(account);
    console.log(JSON.stringify({ accountId: account, held: events }, null, 2));
    return 0;
  },
};

export const release: Command = {
  name: 'release',
  summary: 'put the events the flood guard holds for an account on the bus',
  usage: `playbooks release --account <accountId> [--url … | --stage …]

  Put the events the flood guard holds for an account on the bus, oldest first, past the guard: their
  playbooks run as if they had just arrived. Each is forgotten once it is on the bus, so a release
  that stops half-way releases the rest when run again.
${USAGE_OPTIONS}`,
  async run(args) {
    const { account, target } = await options(args, 'release');
    const released = await target.release(account);
    console.log(JSON.stringify({ accountId: account, released }, null, 2));
    return 0;
  },
};

interface HeldTarget {
  held(accountId: string): Promise<unknown[]>;
  release(accountId: string): Promise<string[]>;
}

async function options(args: string[], command: string): Promise<{ account: string; target: HeldTarget }> {
  const { values } = parseOptions({ args, options: { account: { type: 'string' }, url: { type: 'string' }, stage: { type: 'string' } } });
  if (!values.account) throw new CliError(`${command} needs --account <accountId> (the flood alert names it)`, 2);
  if (values.url !== undefined && values.stage !== undefined) throw new CliError(`${command} goes to the sandbox (--url) or a stage (--stage), not both`, 2);
  const target = values.stage === undefined ? sandboxTarget(baseUrl(values.url)) : await stageTarget((await stageOption(values.stage)).name);
  return { account: values.account, target };
}

/** The running sandbox's `GET /api/accounts/<id>/held` and `POST /api/accounts/<id>/release`. */
function sandboxTarget(url: string): HeldTarget {
  const call = async (accountId: string, path: 'held' | 'release') => {
    const response = await fetchSandbox(`${url}/api/accounts/${encodeURIComponent(accountId)}/${path}`, { method: path === 'held' ? 'GET' : 'POST' });
    const body = (await response.json()) as { held?: unknown[]; released?: string[]; error?: string };
    if (!response.ok) throw new CliError(`the sandbox answered ${response.status}: ${body.error ?? ''}`);
    return body;
  };
  return { held: async (accountId) => (await call(accountId, 'held')).held ?? [], release: async (accountId) => (await call(accountId, 'release')).released ?? [] };
}

/** A deployed stage's ledger and bus, with the user's credentials (the SDK loaded only for --stage). */
async function stageTarget(stage: string): Promise<HeldTarget> {
  const [{ CloudFormationClient }, { DynamoDBClient }, { EventBridgeClient, PutEventsCommand }, { stackOutputs }, { Ledger }, { heldEventsOf, releaseHeldEvents }, { busEntry, putAllEntries }] = await Promise.all([
    import('@aws-sdk/client-cloudformation'),
    import('@aws-sdk/client-dynamodb'),
    import('@aws-sdk/client-eventbridge'),
    import('../import/stage.ts'),
    import('../../functions/adapters/ledger.ts'),
    import('../../functions/adapters/flood-guard.ts'),
    import('../../functions/ingest/bus-entry.ts'),
  ]);
  const outputs = await stackOutputs(stage as never, new CloudFormationClient({}));
  const tableName = outputs.get('TableName');
  const busName = outputs.get('EventBusName');
  if (!tableName || !busName) throw new CliError(`stack of stage ${stage} has no TableName or EventBusName output: is it a cs-playbooks stack, fully deployed?`);
  const ledger = new Ledger(new DynamoDBClient({}), tableName);
  const eventBridge = new EventBridgeClient({});
  return {
    held: (accountId) => heldEventsOf(ledger, accountId),
    release: (accountId) => releaseHeldEvents(ledger, accountId, (message) => putAllEntries([busEntry(message, busName)], (entries) => eventBridge.send(new PutEventsCommand({ Entries: entries })))),
  };
}
