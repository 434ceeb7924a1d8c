import { spawn } from 'node:child_process';
import { dirname } from 'node:path';
import type { Readable } from 'node:stream';
import { pathToFileURL } from 'node:url';
import { standardWebhookHeaders } from '../../../sandbox/vendor-signing.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Ledger } from '../../../functions/adapters/ledger.ts';
import type { ApprovalRecord } from '../../../functions/core/approvals/approval.ts';
import { approvalId } from '../../../functions/core/tasks/identity.ts';
import { startLocalDynamoDB, type LocalDynamoDB } from '../../../sandbox/database/dynamodb.ts';
import { startLocalEventBridge, type LocalEventBridge } from '../../support/aws/eventbridge.ts';
import { lambdaPlatformEnvironment, TRACE_HEADER } from '../../support/aws/lambda-platform.ts';
import { startLocalSecretsManager, type LocalSecretsManager } from '../../support/aws/secrets-manager.ts';
import { startLocalStepFunctions, type LocalStepFunctions } from '../../support/aws/step-functions.ts';
import { startLocalXRayDaemon, type LocalXRayDaemon, type TraceDocument } from '../../support/aws/xray-daemon.ts';
import { shippedDevStage, SYNTHESIS_WAIT_MS, type ShippedDevStage } from './shipped-dev-stage.ts';

// The shipped HTTP endpoints' bundles, each run once as Lambda runs it (a fresh process, the runtime's
// variables, active tracing, the function's own NODE_OPTIONS from the template) against local AWS
// endpoints that check every request's signature, and a local X-Ray daemon: every AWS SDK client the
// function calls is traced by Powertools Tracer, as a subsegment of the invocation's `## index.handler`
// subsegment, itself a child of the trace Lambda started. And a thrown error's stack, through the
// bundle's source map, names the TypeScript files.

const REGION = 'eu-west-3';
const CREDENTIALS = { accessKeyId: 'AKIATRACEDBUNDLES001', secretAccessKey: 'traced-bundles-secret-key', sessionToken: 'traced-bundles-session' };
const signingKey = (label: string) => `whsec_${Buffer.from(label.padEnd(32, '.')).toString('base64')}`;
const WEBHOOK_SECRET = signingKey('traced bundles webhook key');
const APPROVAL_SECRET = signingKey('traced bundles approval key');

let shipped: ShippedDevStage;
let db: LocalDynamoDB;
let eventBridge: LocalEventBridge;
let secretsManager: LocalSecretsManager;
let stepFunctions: LocalStepFunctions;
let xray: LocalXRayDaemon;

beforeAll(async () => {
  shipped = await shippedDevStage();
  [db, eventBridge, secretsManager, stepFunctions, xray] = await Promise.all([
    startLocalDynamoDB('cs-playbooks-traced-bundles-test'),
    startLocalEventBridge({ region: REGION, credentials: CREDENTIALS }),
    startLocalSecretsManager({ region: REGION, credentials: CREDENTIALS, secrets: [{ name: 'webhook-secret', value: WEBHOOK_SECRET }, { name: 'approval-secret', value: APPROVAL_SECRET }] }),
    startLocalStepFunctions({ region: REGION, credentials: CREDENTIALS }),
    startLocalXRayDaemon(),
  ]);
}, SYNTHESIS_WAIT_MS);

afterAll(async () => {
  await Promise.all([db?.close(), eventBridge?.close(), secretsManager?.close(), stepFunctions?.close(), xray?.close()]);
});

/** The shipped function whose POWERTOOLS_SERVICE_NAME is `service`: its bundle, memory and own variables. */
function shippedFunction(service: string) {
  const functions = shipped.template.findResources('AWS::Lambda::Function');
  const [logicalId, resource] = Object.entries(functions).find(([, fn]) => fn.Properties.Environment?.Variables?.POWERTOOLS_SERVICE_NAME === service)!;
  const bundle = shipped.bundles.find(([id]) => id === logicalId)![1];
  const variables = resource.Properties.Environment.Variables as Record<string, unknown>;
  return { bundle, memorySize: resource.Properties.MemorySize as number, variables };
}

/**
 * How this machine's clock is set for the test's process (libfaketime's preload and settings, when the
 * suite runs with the date moved): the function's process keeps the same clock, as a Lambda shares the
 * region's, so a request the test signs now is now for the function too.
 */
function machineClock(): Record<string, string> {
  return Object.fromEntries(Object.entries(process.env).filter((entry): entry is [string, string] => /^(LD_PRELOAD|FAKETIME\w*|DONT_FAKE_MONOTONIC)$/.test(entry[0]) && entry[1] !== undefined));
}

/**
 * One cold start of `service`'s bundle, invoked with `event`: what the handler returned (or the stack
 * of what it threw), once the process ended (the X-Ray SDK sends each subsegment as it closes).
 */
async function invokeOnce(service: string, event: unknown, environment: Record<string, string>): Promise<{ returned?: { statusCode: number; body: string }; thrown?: string }> {
  const fn = shippedFunction(service);
  const script = `
    import { writeSync } from 'node:fs';
    const context = { functionName: ${JSON.stringify(service)}, awsRequestId: 'traced-bundles', invokedFunctionArn: 'arn:aws:lambda:${REGION}:123456789012:function:${service}', memoryLimitInMB: '${fn.memorySize}', functionVersion: '$LATEST', getRemainingTimeInMillis: () => 10_000 };
    try {
      const { handler } = await import(${JSON.stringify(pathToFileURL(fn.bundle).href)});
      writeSync(3, JSON.stringify({ returned: await handler(${JSON.stringify(event)}, context) }));
    } catch (error) {
      writeSync(3, JSON.stringify({ thrown: error.stack }));
    }`;
  const child = spawn(process.execPath, ['--input-type=module', '--eval', script], {
    cwd: dirname(fn.bundle),
    env: {
      ...machineClock(),
      ...lambdaPlatformEnvironment({ functionName: service, memorySize: fn.memorySize, region: REGION, credentials: CREDENTIALS, taskRoot: dirname(fn.bundle), xrayDaemon: xray.address }),
      // The stack's own runtime options (source maps): the only NODE_OPTIONS the function gets.
      NODE_OPTIONS: String(fn.variables.NODE_OPTIONS),
      POWERTOOLS_SERVICE_NAME: service,
      POWERTOOLS_METRICS_NAMESPACE: String(fn.variables.POWERTOOLS_METRICS_NAMESPACE),
      POWERTOOLS_LOG_LEVEL: 'SILENT',
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
      ...environment,
    },
    stdio: ['ignore', 'ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  let result = '';
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  (child.stdio[3] as Readable).setEncoding('utf8').on('data', (chunk: string) => (result += chunk));
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  if (code !== 0 || !result) throw new Error(`${service}: the process exited ${code}: ${stderr.trim()}`);
  return JSON.parse(result) as { returned?: { statusCode: number; body: string }; thrown?: string };
}

/** The invocation's subsegment (`## index.handler`, under Lambda's trace) and the AWS calls traced under it. */
function tracedCalls(service: string) {
  const ofTrace = xray.documents.filter((doc) => doc.trace_id === TRACE_HEADER.root);
  const invocation = ofTrace.find((doc) => doc.name === '## index.handler' && doc.annotations?.Service === service);
  const calls = ofTrace.filter((doc: TraceDocument) => doc.namespace === 'aws' && doc.parent_id === invocation?.id).map((doc) => `${doc.name} ${doc.aws?.operation}`);
  return { invocation, calls };
}

function signedRequest(rawPath: string, payload: string, secret: string, pathParameters?: Record<string, string>) {
  return {
    version: '2.0',
    rawPath,
    rawQueryString: '',
    headers: { 'content-type': 'application/json', ...standardWebhookHeaders(`msg_traced_${rawPath.replace(/\W/g, '_')}`, payload, secret, new Date()) },
    ...(pathParameters ? { pathParameters } : {}),
    requestContext: { domainName: 'api.example.com', http: { method: 'POST', path: rawPath } },
    body: payload,
    isBase64Encoded: false,
  };
}

describe('the shipped endpoints, traced', () => {
  it('given the ingest bundle, when a signed delivery arrives, then its Secrets Manager, DynamoDB and EventBridge calls are subsegments of the invocation, under the trace Lambda started', async () => {
    const payload = JSON.stringify({ type: 'TaskCompleted', timestamp: '2026-11-22T10:00:00Z', data: { eventId: 'evt-traced', accountId: 'acc-traced', taskId: 'tsk-traced', at: '2026-11-22T10:00:00Z' } });

    const { returned } = await invokeOnce('ingest', signedRequest('/webhooks/events', payload, WEBHOOK_SECRET), {
      AWS_ENDPOINT_URL_DYNAMODB: db.endpoint,
      AWS_ENDPOINT_URL_EVENTBRIDGE: eventBridge.endpoint,
      AWS_ENDPOINT_URL_SECRETS_MANAGER: secretsManager.endpoint,
      EVENT_BUS_NAME: 'cs-playbooks-traced',
      TABLE_NAME: db.tableName,
      WEBHOOK_SENDERS: JSON.stringify({ events: { crm: { secretArn: 'webhook-secret', types: ['TaskCompleted'] } } }),
      EVENTS_PER_ACCOUNT_PER_HOUR: '30',
    });

    expect(returned?.statusCode).toBe(202);
    expect(eventBridge.events.map((entry) => entry.DetailType)).toEqual(['TaskCompleted']);
    const { invocation, calls } = tracedCalls('ingest');
    expect(invocation).toMatchObject({ type: 'subsegment', parent_id: TRACE_HEADER.parent, annotations: { ColdStart: true } });
    // The answer stays out of the trace, as out of the logs: a refusal can quote the vendor's body.
    expect(invocation).not.toHaveProperty('metadata');
    // Powertools idempotency: the delivery's record put in progress, then completed.
    expect(calls).toEqual(['SecretsManager GetSecretValue', 'DynamoDB PutItem', 'EventBridge PutEvents', 'DynamoDB UpdateItem']);
    expect([...eventBridge.refusals, ...secretsManager.refusals, ...xray.malformed]).toEqual([]);
  });

  it('given the approval bundle, when a signed decision arrives, then its Secrets Manager, DynamoDB and Step Functions calls are subsegments of the invocation', async () => {
    const ledger = new Ledger(db.client, db.tableName);
    const id = approvalId({ accountId: 'acc-traced', playbook: 'nps-response', kind: 'email', reason: 'evt-traced' });
    const token = 'AQB8AAAAKgAAAAMAAAAAAAAAAT-traced-token';
    const record: ApprovalRecord = {
      id,
      accountId: 'acc-traced',
      playbook: 'nps-response',
      kind: 'email',
      template: 'review-request',
      reason: 'evt-traced',
      emailId: 'eml-00000000000000000001',
      status: 'pending',
      timezone: 'Europe/Paris',
      requestedAt: new Date().toISOString(),
      expiresAt: new Date(Date.now() + 86_400_000).toISOString(),
      taskId: 'tsk-traced',
      waiters: { 'arn:aws:states:eu-west-3:123456789012:execution:nps:traced': { token, since: new Date().toISOString(), state: 'waiting' } },
    };
    await ledger.writeApproval(record, 0);
    stepFunctions.park(token);

    const { returned } = await invokeOnce(
      'decide-approval',
      signedRequest(`/approvals/${id}`, JSON.stringify({ approvalId: id, decision: 'approve', decidedBy: 'csm-traced' }), APPROVAL_SECRET, { approvalId: id }),
      {
        AWS_ENDPOINT_URL_DYNAMODB: db.endpoint,
        AWS_ENDPOINT_URL_SFN: stepFunctions.endpoint,
        AWS_ENDPOINT_URL_SECRETS_MANAGER: secretsManager.endpoint,
        TABLE_NAME: db.tableName,
        APPROVAL_SECRET_ARN: 'approval-secret',
      },
    );

    expect(returned?.statusCode).toBe(200);
    expect(stepFunctions.completed.get(token)).toMatchObject({ output: { decision: 'approved' } });
    const { calls } = tracedCalls('decide-approval');
    expect(calls).toEqual(expect.arrayContaining(['SecretsManager GetSecretValue', 'DynamoDB GetItem', 'DynamoDB PutItem', 'SFN SendTaskSuccess']));
    expect(calls.filter((call) => !/^(SecretsManager|DynamoDB|SFN) /.test(call))).toEqual([]);
    expect([...stepFunctions.refusals, ...secretsManager.refusals, ...xray.malformed]).toEqual([]);
  });

  it('given a domain bundle, when its handler throws, then the stack trace names the TypeScript sources through the source map, not index.mjs positions', async () => {
    const { variables } = shippedFunction('tasks');
    const own = Object.fromEntries(Object.entries(variables).filter((entry): entry is [string, string] => typeof entry[1] === 'string'));

    // An input that is not the function's contract: refused by `invoke`, after the layout marker's read only.
    const { returned, thrown } = await invokeOnce('tasks', { action: 'create-task', input: {} }, { ...own, TABLE_NAME: db.tableName, AWS_ENDPOINT_URL_DYNAMODB: db.endpoint });

    expect(returned).toBeUndefined();
    expect(thrown).toMatch(/^ContractError: create-task input is invalid/);
    // The project's frames, through the map; a package's (middy's) keeps the bundle's position.
    expect(thrown!.split('\n').slice(1, 4)).toEqual([
      expect.stringMatching(/^\s+at parseContract \(\S*functions\/contracts\/zod\.ts:\d+:\d+\)$/),
      expect.stringMatching(/^\s+at inputOf \(\S*functions\/runtime\/playbook-function\.ts:\d+:\d+\)$/),
      expect.stringMatching(/^\s+at invoke \(\S*functions\/runtime\/playbook-function\.ts:\d+:\d+\)$/),
    ]);
  });
});
