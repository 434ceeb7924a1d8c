import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { stageEndpoint, stageHubSpotToken, type AwsClients } from '../../sandbox/import/stage.ts';
import { startLocalCloudFormation, type LocalCloudFormation } from '../support/aws/cloudformation.ts';
import { startLocalSecretsManager, type LocalSecretsManager } from '../support/aws/secrets-manager.ts';
import { runImportCli, startImportSandbox } from '../support/import-cli.ts';

// `playbooks import --stage <env>`: the stage's endpoint and signing secret come from its stack's outputs
// (CloudFormation DescribeStacks, the AWS query protocol) and Secrets Manager (GetSecretValue), read with
// the AWS SDK v3 clients and the user's credentials. Both are local servers implementing the documented
// APIs and checking SigV4; the "deployed" endpoint is a running sandbox.

const REGION = 'eu-west-3';
const CREDENTIALS = { accessKeyId: 'AKIAIMPORTTEST', secretAccessKey: 'import-test-secret-key' };
const NEW_SECRET = `whsec_${Buffer.from('the stage secret after rotation..').toString('base64')}`;
const OLD_SECRET = `whsec_${Buffer.from('the stage secret before rotation.').toString('base64')}`;

let cloudFormation: LocalCloudFormation;
let secretsManager: LocalSecretsManager;
let local: Awaited<ReturnType<typeof startImportSandbox>>;
let aws: AwsClients;

beforeAll(async () => {
  // The stage verifies with the new secret only: signing with the old one would be refused.
  local = await startImportSandbox([NEW_SECRET]);
  secretsManager = await startLocalSecretsManager({
    region: REGION,
    credentials: CREDENTIALS,
    secrets: [
      { name: 'CsPlaybooksstagingWebhookImportSenderSigningSecrets', value: `${NEW_SECRET},${OLD_SECRET}` },
      { name: 'CsPlaybooksprodWebhookImportSenderSigningSecrets', value: 'Xq3v8GeneratedAtDeployNotWhsec1' },
      // The product's secret, which the import never uses: it may not publish AccountUpdated.
      { name: 'CsPlaybooksstagingWebhookSigningSecrets', value: NEW_SECRET },
      { name: 'cs-playbooks/staging/vendors', value: JSON.stringify({ HUBSPOT_ACCESS_TOKEN: 'pat-eu1-stage-token', SLACK_BOT_TOKEN: 'xoxb-not-read' }) },
    ],
  });
  const outputs = (stage: string) => ({
    WebhookUrl: `${local.server.url}/webhooks/events`,
    WebhookSecretArn: secretsManager.arnOf(`CsPlaybooks${stage}WebhookSigningSecrets`),
    ImportSenderWebhookSecretArn: secretsManager.arnOf(`CsPlaybooks${stage}WebhookImportSenderSigningSecrets`),
    TableName: `CsPlaybooks-${stage}-Table`,
  });
  cloudFormation = await startLocalCloudFormation({
    region: REGION,
    credentials: CREDENTIALS,
    stacks: [
      { name: 'CsPlaybooks-staging', outputs: outputs('staging') },
      { name: 'CsPlaybooks-prod', outputs: outputs('prod') },
      // A stage whose file names senders without an import one: no ImportSenderWebhookSecretArn.
      { name: 'CsPlaybooks-eu-prod', outputs: { WebhookUrl: `${local.server.url}/webhooks/events`, WebhookSecretArn: secretsManager.arnOf('CsPlaybooksstagingWebhookSigningSecrets') } },
    ],
  });
  aws = {
    cloudFormation: new CloudFormationClient({ region: REGION, endpoint: cloudFormation.endpoint, credentials: CREDENTIALS }),
    secretsManager: new SecretsManagerClient({ region: REGION, endpoint: secretsManager.endpoint, credentials: CREDENTIALS }),
  };
});
afterAll(async () => {
  await cloudFormation?.close();
  await secretsManager?.close();
  await local?.close();
});
beforeEach(() => {
  secretsManager.reset();
});

describe('given the staging stack deployed, its secret holding two whsec_ secrets during a rotation', () => {
  it('when a file is imported with --stage staging, then it goes to the WebhookUrl output, signed with the first secret of the import sender (ImportSenderWebhookSecretArn), at half the stage’s rate limit', async () => {
    const run = await runImportCli(['examples/accounts.csv', '--stage', 'staging'], { aws: async () => aws });

    expect(run.error).toBeUndefined();
    expect(run.out).toEqual(['5 accounts: 5 sent, 0 unchanged (already accepted), 0 refused']);
    expect(run.err[0]).toBe(`sending 5 of 5 accounts to ${local.server.url}/webhooks/events, 8 at a time, 25 a second at most`);
    expect(cloudFormation.requests).toEqual([{ Action: 'DescribeStacks', Version: '2010-05-15', StackName: 'CsPlaybooks-staging' }]);
    expect(cloudFormation.refusals).toEqual([]);
    expect(secretsManager.requests.map((request) => request.body.SecretId)).toEqual([secretsManager.arnOf('CsPlaybooksstagingWebhookImportSenderSigningSecrets')]);
    // Accepted (202) is on the bus: the account is written once account-sync's execution has run.
    await local.sandbox.settled();
    expect((await local.sandbox.accounts()).map((account) => account.id)).toContain('acc-nails-dublin');
  });

  it('when it is only checked (--dry-run), then no AWS call is made and nothing is sent', async () => {
    const calls = cloudFormation.requests.length;
    const run = await runImportCli(['examples/accounts.json', '--stage', 'staging', '--dry-run'], { aws: async () => aws });

    expect(run.out).toEqual(['5 accounts checked (dry run, nothing sent): 5 would be sent, 0 refused']);
    expect(cloudFormation.requests).toHaveLength(calls);
    expect(secretsManager.requests).toEqual([]);
  });

  it("when the HubSpot backfill reads the stage's vendor secret, then it takes HUBSPOT_ACCESS_TOKEN from it", async () => {
    expect(await stageHubSpotToken('staging', 'cs-playbooks/staging/vendors', aws)).toBe('pat-eu1-stage-token');
    await expect(stageHubSpotToken('staging', undefined, aws)).rejects.toThrow('stage staging configures no vendor secret (vendors.secretName in stages/staging.json): set HUBSPOT_ACCESS_TOKEN');
  });
});

describe('given a stage the import cannot reach', () => {
  it('when its stack does not exist in the region, then one line names the stack, the region and what to do', async () => {
    const run = await runImportCli(['examples/accounts.csv', '--stage', 'dev'], { aws: async () => aws });
    expect(run.error?.message).toBe(
      'DescribeStacks on CsPlaybooks-dev in eu-west-3: Stack with id CsPlaybooks-dev does not exist; deploy it (npx cdk deploy -c env=dev), or point AWS_REGION / AWS_PROFILE at where it is',
    );
  });

  it('when its signing secret still holds the value generated at deploy (no whsec_ secret), then one line says to put one there', async () => {
    const run = await runImportCli(['examples/accounts.csv', '--stage', 'prod'], { aws: async () => aws });
    expect(run.error?.message).toBe(`the first secret in CsPlaybooks-prod's ImportSenderWebhookSecretArn is not a whsec_ secret: put yours there, newest first (README.md, "Who may send what")`);
  });

  it('when its stack has no import sender (its stage file names senders, none of them import), then one line says what to add, and no secret is read', async () => {
    await expect(stageEndpoint('eu-prod', aws)).rejects.toThrow(
      'stack CsPlaybooks-eu-prod has no ImportSenderWebhookSecretArn output: give stages/eu-prod.json\'s webhooks.events an "import" sender allowed AccountUpdated (the default when it names no sender), then deploy it (README.md, "Who may send what")',
    );
    expect(secretsManager.requests).toEqual([]);
  });
});

describe('the playbooks CLI itself', () => {
  it('given AWS configured by the environment (region, keys, endpoints), when `playbooks import --stage staging` runs, then the SDK’s default clients read the stack and the sandbox receives the accounts', { timeout: 120_000 }, async () => {
    const { stdout } = await promisify(execFile)(process.execPath, ['sandbox/playbooks.mjs', 'import', 'examples/accounts.json', '--stage', 'staging'], {
      env: {
        // The test's own environment (its clock too, when the suite runs under faketime), minus any AWS setting of the machine's.
        ...Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('AWS_'))),
        AWS_REGION: REGION,
        AWS_ACCESS_KEY_ID: CREDENTIALS.accessKeyId,
        AWS_SECRET_ACCESS_KEY: CREDENTIALS.secretAccessKey,
        AWS_ENDPOINT_URL_CLOUDFORMATION: cloudFormation.endpoint,
        AWS_ENDPOINT_URL_SECRETS_MANAGER: secretsManager.endpoint,
        AWS_CONFIG_FILE: '/dev/null',
        AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
      },
    });
    expect(stdout).toBe('5 accounts: 5 sent, 0 unchanged (already accepted), 0 refused\n');
    expect((await local.sandbox.accounts()).map((account) => account.id)).toContain('acc-salon-lumiere');
  });
});
