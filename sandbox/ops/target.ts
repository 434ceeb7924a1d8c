import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { SFNClient } from '@aws-sdk/client-sfn';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { ExecutionTimeline } from '../../functions/adapters/execution-timeline.ts';
import { pascalCase } from '../../lib/catalog.ts';
import type { StageName } from '../../lib/stages.ts';
import { executionPath } from '../console/paths.ts';
import { localStateMachineArn, SANDBOX_EVENTS } from '../runtime/definitions.ts';
import { CliError } from '../commands/command.ts';
import { defaultAwsClients, stackOutputs } from '../import/stage.ts';

/**
 * Where the ops commands look: a deployed stage (the SDK's default credentials and region, the stack's
 * outputs naming its table, bus, archive and rules) or a running sandbox (its URL, which serves the
 * same APIs: sandbox/api). Either way the same clients: `@aws-sdk/client-sfn`, the ledger's timeline
 * through `@aws-sdk/client-dynamodb`, and `@aws-sdk/client-eventbridge` for replays.
 */
export interface OpsTarget {
  /** What the commands say they looked at: `stage prod (CsPlaybooks-prod, eu-west-3)` or the sandbox's URL. */
  where: string;
  stepFunctions: SFNClient;
  timeline: ExecutionTimeline;
  events: EventBridgeClient;
  busArn: string;
  archiveArn: string;
  /** A playbook's state machine, by playbook id. */
  stateMachineArn(playbook: string): string;
  /** The rule that starts a playbook, by playbook id; undefined for one the clock starts. */
  triggerRuleArn(playbook: string): string | undefined;
  /** The execution in the Step Functions console (AWS only). */
  consoleLink(executionArn: string): string | undefined;
}

/** The sandbox at `url` (`npm start`'s, http://127.0.0.1:3000 by default). */
export function sandboxTarget(url: string): OpsTarget {
  let endpoint: URL;
  try {
    endpoint = new URL(url);
  } catch {
    throw new CliError(`--url ${url} is not a URL: the sandbox's, as npm start prints it (http://127.0.0.1:3000)`);
  }
  // The sandbox checks no signature; the SDK still signs, so it needs credentials of some kind.
  const config = { endpoint: endpoint.origin, region: 'local', credentials: { accessKeyId: 'sandbox', secretAccessKey: 'sandbox' }, maxAttempts: 1 };
  return {
    where: `the sandbox at ${endpoint.origin}`,
    stepFunctions: new SFNClient(config),
    timeline: new ExecutionTimeline(ledgerClient(new DynamoDBClient(config)), 'cs-playbooks-sandbox'),
    events: new EventBridgeClient(config),
    busArn: SANDBOX_EVENTS.busArn,
    archiveArn: SANDBOX_EVENTS.archiveArn,
    stateMachineArn: localStateMachineArn,
    triggerRuleArn: (playbook) => SANDBOX_EVENTS.ruleArn(`${playbook}-trigger`),
    consoleLink: (executionArn) => `${endpoint.origin}${executionPath(executionArn)}`,
  };
}

const ledgerClient = (client: DynamoDBClient) => DynamoDBDocumentClient.from(client);

/** A deployed stage, found by its stack's outputs (DescribeStacks: the ops read-only policy allows it). */
export async function stageTarget(stage: StageName): Promise<OpsTarget> {
  const { cloudFormation } = await defaultAwsClients();
  const outputs = await stackOutputs(stage, cloudFormation);
  const output = (key: string) => {
    const value = outputs.get(key);
    if (!value) throw new CliError(`the stack of stage ${stage} has no ${key} output: deploy this version (npx cdk deploy -c env=${stage})`);
    return value;
  };
  const region = await cloudFormation.config.region();
  return {
    where: `stage ${stage} (${region})`,
    stepFunctions: new SFNClient({}),
    timeline: new ExecutionTimeline(ledgerClient(new DynamoDBClient({})), output('TableName')),
    events: new EventBridgeClient({}),
    busArn: output('EventBusArn'),
    archiveArn: output('EventArchiveArn'),
    stateMachineArn: (playbook) => output(`${pascalCase(playbook)}StateMachineArn`),
    triggerRuleArn: (playbook) => outputs.get(`${pascalCase(playbook)}TriggerRuleArn`),
    consoleLink: (executionArn) => `https://${region}.console.aws.amazon.com/states/home?region=${region}#/v2/executions/details/${encodeURIComponent(executionArn)}`,
  };
}
