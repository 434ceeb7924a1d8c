import type { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import type { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { IMPORT_SENDER, secretOutputName } from '../../functions/ingest/senders.ts';
import { stackName } from '../../lib/stack-name.ts';
import type { StageName } from '../../lib/stages.ts';
import { CliError } from '../commands/command.ts';
import type { Endpoint } from './deliver.ts';

/**
 * A deployed stage, as `playbooks import --stage` reaches it with the user's AWS credentials: the
 * stack's outputs (`DescribeStacks`: `WebhookUrl`, `ImportSenderWebhookSecretArn`) and the secrets
 * they name (`GetSecretValue`): the `import` sender's Standard Webhooks secret that signs (the first of
 * a rotation's list; the one sender allowed AccountUpdated by default), and the stage's vendor secret,
 * whose `HUBSPOT_ACCESS_TOKEN` reads HubSpot for the backfill.
 */

export interface AwsClients {
  cloudFormation: CloudFormationClient;
  secretsManager: SecretsManagerClient;
}

/** The SDK's clients with its default configuration: region and credentials from the environment or the profile. */
export async function defaultAwsClients(): Promise<AwsClients> {
  // Loaded only for --stage: a file imported into the sandbox does not pay for the SDK.
  const [{ CloudFormationClient }, { SecretsManagerClient }] = await Promise.all([import('@aws-sdk/client-cloudformation'), import('@aws-sdk/client-secrets-manager')]);
  return { cloudFormation: new CloudFormationClient({}), secretsManager: new SecretsManagerClient({}) };
}

/** The stack output of the `import` sender's secret: `ImportSenderWebhookSecretArn`. */
const IMPORT_OUTPUT = secretOutputName('events', IMPORT_SENDER);

/** A deployed stage's stack outputs (`DescribeStacks`), by key: what the CLI's `--stage` commands reach it by. */
export async function stackOutputs(stage: StageName, cloudFormation: CloudFormationClient): Promise<Map<string | undefined, string | undefined>> {
  const { DescribeStacksCommand } = await import('@aws-sdk/client-cloudformation');
  const name = stackName(stage);
  const answer = await cloudFormation.send(new DescribeStacksCommand({ StackName: name })).catch(async (error: unknown) => {
    throw await awsError(error, `DescribeStacks on ${name}`, cloudFormation, `deploy it (npx cdk deploy -c env=${stage}), or point AWS_REGION / AWS_PROFILE at where it is`);
  });
  return new Map((answer.Stacks?.[0]?.Outputs ?? []).map((output) => [output.OutputKey, output.OutputValue]));
}

/** The stage's events endpoint and the secret that signs for it. */
export async function stageEndpoint(stage: StageName, aws: AwsClients): Promise<Endpoint> {
  const name = stackName(stage);
  const outputs = await stackOutputs(stage, aws.cloudFormation);
  const url = outputs.get('WebhookUrl');
  if (!url) throw new CliError(`stack ${name} has no WebhookUrl output: is it a cs-playbooks stack, fully deployed?`);
  const secretArn = outputs.get(IMPORT_OUTPUT);
  if (!secretArn) {
    throw new CliError(
      `stack ${name} has no ${IMPORT_OUTPUT} output: give stages/${stage}.json's webhooks.events an "${IMPORT_SENDER}" sender allowed AccountUpdated (the default when it names no sender), then deploy it (README.md, "Who may send what")`,
    );
  }
  const secrets = (await secretString(aws, secretArn, `the import sender's secret (${IMPORT_OUTPUT})`)).split(',').map((secret) => secret.trim());
  const [first] = secrets;
  if (!first?.startsWith('whsec_')) {
    throw new CliError(`the first secret in ${name}'s ${IMPORT_OUTPUT} is not a whsec_ secret: put yours there, newest first (README.md, "Who may send what")`);
  }
  return { url, secret: first, secretSource: `the first secret of ${name}'s ${IMPORT_OUTPUT}` };
}

/** `HUBSPOT_ACCESS_TOKEN` of the stage's vendor secret (a JSON object of tokens, lib/vendors.ts). */
export async function stageHubSpotToken(stage: StageName, secretName: string | undefined, aws: AwsClients): Promise<string> {
  if (!secretName) throw new CliError(`stage ${stage} configures no vendor secret (vendors.secretName in stages/${stage}.json): set HUBSPOT_ACCESS_TOKEN`);
  let tokens: { HUBSPOT_ACCESS_TOKEN?: unknown };
  try {
    tokens = JSON.parse(await secretString(aws, secretName, `the vendor secret ${secretName}`)) as typeof tokens;
  } catch (error) {
    if (error instanceof CliError) throw error;
    throw new CliError(`the vendor secret ${secretName} is not a JSON object of tokens`);
  }
  if (typeof tokens?.HUBSPOT_ACCESS_TOKEN !== 'string' || tokens.HUBSPOT_ACCESS_TOKEN === '') throw new CliError(`the vendor secret ${secretName} has no HUBSPOT_ACCESS_TOKEN`);
  return tokens.HUBSPOT_ACCESS_TOKEN;
}

async function secretString(aws: AwsClients, secretId: string, what: string): Promise<string> {
  const { GetSecretValueCommand } = await import('@aws-sdk/client-secrets-manager');
  const answer = await aws.secretsManager.send(new GetSecretValueCommand({ SecretId: secretId })).catch(async (error: unknown) => {
    throw await awsError(error, `GetSecretValue on ${what}`, aws.secretsManager, 'check that it exists in this region and account');
  });
  if (!answer.SecretString) throw new CliError(`${what} holds no text value`);
  return answer.SecretString;
}

/** An SDK error as one line: what was asked, where, and what to do; never its stack. */
async function awsError(error: unknown, what: string, client: CloudFormationClient | SecretsManagerClient, whenMissing: string): Promise<CliError> {
  const { name, message } = error as { name?: string; message?: string };
  if (name === 'CredentialsProviderError') return new CliError(`no AWS credentials for ${what}: set AWS_PROFILE, or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY`);
  if (/region is missing/i.test(message ?? '')) return new CliError(`no AWS region for ${what}: set AWS_REGION (or a region in your AWS profile)`);
  const region = await client.config.region().catch(() => 'its region');
  if (name === 'ValidationError' || name === 'ResourceNotFoundException') return new CliError(`${what} in ${region}: ${message ?? name}; ${whenMissing}`);
  if (name === 'AccessDenied' || name === 'AccessDeniedException') {
    return new CliError(`AWS refused ${what} in ${region}: your credentials need cloudformation:DescribeStacks on the stack and secretsmanager:GetSecretValue on the secrets it outputs`);
  }
  return new CliError(`${what} in ${region} failed: ${name ?? 'error'}: ${(message ?? '').split('\n')[0]}`);
}
