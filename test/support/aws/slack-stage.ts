import { afterAll, beforeAll } from 'vitest';
import { Ledger } from '../../../functions/adapters/ledger.ts';
import { resolveSettings } from '../../../functions/contracts/settings.ts';
import type { ActionId } from '../../../lib/functions.ts';
import { startLocalDynamoDB, type LocalDynamoDB } from '../../../sandbox/database/dynamodb.ts';
import { RETENTION_PORTAL, startRetentionHubSpot, type LocalHubSpot } from '../vendors/hubspot.ts';
import { startLocalSlack, type LocalSlack } from '../vendors/slack.ts';
import { startGrantedDynamoDB, type GrantedDynamoDB } from './granted-dynamodb.ts';
import { lambdaStage, type PlaybookLambda } from './playbook-lambdas.ts';
import { startLocalSecretsManager, type LocalSecretsManager } from './secrets-manager.ts';
import { startLocalStepFunctions, type LocalStepFunctions } from './step-functions.ts';

/**
 * A stage that posts to Slack, for the handler tests of the actions that call it: the catalog's
 * actions cold-started through their domains' entries (./playbook-lambdas.ts), DynamoDB (dynalite) behind
 * each domain function's grant, Slack's Web API, Secrets Manager holding the stage's vendor secret, and,
 * when asked, Step Functions' task callbacks: each a server on 127.0.0.1.
 */
export interface SlackStageOptions {
  /** Names the table; one per test file. */
  name: string;
  /** The actions it cold-starts, each through its domain's entry. */
  functions: readonly ActionId[];
  alertChannel: string;
  financeChannel: string;
  /** Private channels among the two (their history needs groups:history). */
  privateChannels?: readonly string[];
  stepFunctions?: boolean;
  /** HubSpot too (the retention portal, with these companies): the CRM port's vendor. */
  hubspot?: readonly { id: string; name: string; accountId: string }[];
}

export interface SlackStage {
  lambdas: Record<ActionId, PlaybookLambda>;
  ledger: Ledger;
  dynamodb: GrantedDynamoDB;
  slack: LocalSlack;
  secretsManager: LocalSecretsManager;
  /** Present when asked for. */
  stepFunctions: LocalStepFunctions;
  /** Present when asked for. */
  hubspot: LocalHubSpot;
}

const REGION = 'eu-west-3';
const CREDENTIALS = { accessKeyId: 'AKIASLACKSTAGETEST01', secretAccessKey: 'slack-stage-test-secret-key' };
const BOT_TOKEN = 'xoxb-slack-stage-test';
const VENDOR_SECRET = 'cs-playbooks/test/vendors';

/** Starts the stage before the file's tests and stops it after them; its fields are set once `beforeAll` ran. */
export function useSlackStage(options: SlackStageOptions): SlackStage {
  const stage = { lambdas: {} } as SlackStage;
  let db: LocalDynamoDB | undefined;
  let lambdas: ReturnType<typeof lambdaStage> | undefined;

  beforeAll(async () => {
    db = await startLocalDynamoDB(options.name);
    stage.ledger = new Ledger(db.client, db.tableName);
    const channels = [options.alertChannel, options.financeChannel];
    const privateChannels = options.privateChannels ?? [];
    [stage.dynamodb, stage.slack, stage.secretsManager] = await Promise.all([
      startGrantedDynamoDB(db.endpoint),
      startLocalSlack({ botToken: BOT_TOKEN, channels: channels.filter((c) => !privateChannels.includes(c)), privateChannels }),
      startLocalSecretsManager({
        region: REGION,
        credentials: CREDENTIALS,
        secrets: [{ name: VENDOR_SECRET, value: JSON.stringify({ SLACK_BOT_TOKEN: BOT_TOKEN, ...(options.hubspot ? { HUBSPOT_ACCESS_TOKEN: RETENTION_PORTAL.accessToken } : {}) }) }],
      }),
    ]);
    if (options.hubspot) stage.hubspot = await startRetentionHubSpot(options.hubspot);
    if (options.stepFunctions) stage.stepFunctions = await startLocalStepFunctions({ region: REGION, credentials: CREDENTIALS });
    lambdas = lambdaStage({
      name: 'test',
      tableName: db.tableName,
      dynamodb: stage.dynamodb,
      settings: resolveSettings({ calendar: { countries: ['FR'] } }),
      vendors: {
        secretName: VENDOR_SECRET,
        slack: { alertChannel: options.alertChannel, financeChannel: options.financeChannel },
        ...(options.hubspot ? { hubspot: { riskPipeline: RETENTION_PORTAL.pipeline, riskStages: RETENTION_PORTAL.stages, companyIdProperty: 'cs_account_id' } } : {}),
      },
      platform: {
        AWS_REGION: REGION,
        AWS_ACCESS_KEY_ID: CREDENTIALS.accessKeyId,
        AWS_SECRET_ACCESS_KEY: CREDENTIALS.secretAccessKey,
        AWS_ENDPOINT_URL_DYNAMODB: stage.dynamodb.endpoint,
        ...(stage.stepFunctions ? { AWS_ENDPOINT_URL_SFN: stage.stepFunctions.endpoint } : {}),
        AWS_ENDPOINT_URL_SECRETS_MANAGER: stage.secretsManager.endpoint,
        SLACK_API_URL: stage.slack.apiUrl,
        ...(stage.hubspot ? { HUBSPOT_API_URL: stage.hubspot.url } : {}),
        POWERTOOLS_LOG_LEVEL: 'INFO',
      },
    });
    for (const id of options.functions) stage.lambdas[id] = await lambdas.coldStart(id);
  });

  afterAll(async () => {
    lambdas?.close();
    await Promise.all([db?.close(), stage.dynamodb?.close(), stage.slack?.close(), stage.secretsManager?.close(), stage.stepFunctions?.close(), stage.hubspot?.close()]);
  });

  return stage;
}

/** The vendor secret's name in this stage. */
export const SLACK_STAGE = { vendorSecret: VENDOR_SECRET } as const;
