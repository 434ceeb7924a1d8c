import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { Webhook } from 'standardwebhooks';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { Ledger } from '../../functions/adapters/ledger.ts';
import type { ApprovalRecord } from '../../functions/core/approvals/approval.ts';
import { approvalId } from '../../functions/core/tasks/identity.ts';
import { startLocalDynamoDB, type LocalDynamoDB } from '../../sandbox/database/dynamodb.ts';
import { lambdaContext } from '../support/aws/lambda-context.ts';
import { startLocalSecretsManager, type LocalSecretsManager } from '../support/aws/secrets-manager.ts';
import { startLocalStepFunctions, type LocalStepFunctions } from '../support/aws/step-functions.ts';

// The approval Lambda (functions/decide-approval/handler.ts) as API Gateway invokes it, through its
// real SDK clients: DynamoDB (dynalite), and Step Functions and Secrets Manager, each a local endpoint
// on 127.0.0.1 implementing the documented operations, that checks the protocol and the SigV4
// signature of every request, and records what it received.

const REGION = 'eu-west-3';
const CREDENTIALS = { accessKeyId: 'AKIAAPPROVALTEST0001', secretAccessKey: 'approval-test-secret-access-key' };
const SECRET_NAME = 'cs-playbooks/test/approval-secrets';
const CURRENT_SECRET = `whsec_${Buffer.from('approval test current key, 32 by').toString('base64')}`;
const OLDER_SECRET = `whsec_${Buffer.from('approval test older key, 32 bytes').toString('base64')}`;
const VENDOR_SECRET = `whsec_${Buffer.from('the NPS vendor webhook key, 32 b').toString('base64')}`;

type Handler = (event: APIGatewayProxyEventV2, context: ReturnType<typeof lambdaContext>) => Promise<APIGatewayProxyStructuredResultV2>;

let db: LocalDynamoDB;
let ledger: Ledger;
let stepFunctions: LocalStepFunctions;
let secretsManager: LocalSecretsManager;
let handler: Handler;

beforeAll(async () => {
  db = await startLocalDynamoDB('cs-playbooks-approval-handler-test');
  ledger = new Ledger(db.client, db.tableName);
  stepFunctions = await startLocalStepFunctions({ region: REGION, credentials: CREDENTIALS });
  secretsManager = await startLocalSecretsManager({ region: REGION, credentials: CREDENTIALS, secrets: [{ name: SECRET_NAME, value: `${CURRENT_SECRET},${OLDER_SECRET}` }] });
  vi.stubEnv('AWS_REGION', REGION);
  vi.stubEnv('AWS_ACCESS_KEY_ID', CREDENTIALS.accessKeyId);
  vi.stubEnv('AWS_SECRET_ACCESS_KEY', CREDENTIALS.secretAccessKey);
  vi.stubEnv('AWS_SESSION_TOKEN', undefined);
  vi.stubEnv('AWS_ENDPOINT_URL_DYNAMODB', db.endpoint);
  vi.stubEnv('AWS_ENDPOINT_URL_SFN', stepFunctions.endpoint);
  vi.stubEnv('AWS_ENDPOINT_URL_SECRETS_MANAGER', secretsManager.endpoint);
  vi.stubEnv('TABLE_NAME', db.tableName);
  vi.stubEnv('APPROVAL_SECRET_ARN', secretsManager.arnOf(SECRET_NAME));
  vi.stubEnv('POWERTOOLS_SERVICE_NAME', 'decide-approval-test');
  vi.stubEnv('POWERTOOLS_METRICS_NAMESPACE', 'CsPlaybooksTest');
  vi.stubEnv('POWERTOOLS_LOG_LEVEL', 'SILENT');
  vi.stubEnv('POWERTOOLS_METRICS_DISABLED', 'true');
  vi.resetModules();
  ({ handler } = (await import('../../functions/decide-approval/handler.ts')) as { handler: Handler });
});

afterAll(async () => {
  vi.unstubAllEnvs();
  await Promise.all([db?.close(), stepFunctions?.close(), secretsManager?.close()]);
});

afterEach(() => {
  // A protocol or signature refusal would look like "Step Functions unavailable": never let it pass as such.
  expect(stepFunctions.refusals).toEqual([]);
  expect(secretsManager.refusals).toEqual([]);
});

let counter = 0;

/** An approval recorded by request-approval, with an execution parked on `token`, expiring in a week. */
async function givenAPendingApproval(expiresAt = new Date(Date.now() + 7 * 86_400_000)): Promise<{ id: string; token: string }> {
  const n = ++counter;
  const id = approvalId({ accountId: 'acc-paris', playbook: 'nps-response', kind: 'email', reason: `evt-${n}` });
  const token = `AQB8AAAAKgAAAAMAAAAAAAAAAT-token-${n}`;
  const record: ApprovalRecord = {
    id,
    accountId: 'acc-paris',
    playbook: 'nps-response',
    kind: 'email',
    template: 'review-request',
    reason: `evt-${n}`,
    emailId: `eml-${String(n).padStart(20, '0')}`,
    status: 'pending',
    timezone: 'Europe/Paris',
    requestedAt: new Date().toISOString(),
    expiresAt: expiresAt.toISOString(),
    taskId: `tsk-${n}`,
    waiters: { [`arn:aws:states:eu-west-3:123456789012:execution:nps:${n}`]: { token, since: new Date().toISOString(), state: 'waiting' } },
  };
  await ledger.writeApproval(record, 0);
  stepFunctions.park(token);
  return { id, token };
}

/** What API Gateway (HTTP API, payload v2) hands the Lambda for a signed decision. */
function signedDecision(id: string, body: object, { secret = CURRENT_SECRET } = {}): APIGatewayProxyEventV2 {
  const payload = JSON.stringify(body);
  const messageId = `msg_approval_${++counter}`;
  const sentAt = new Date();
  return {
    version: '2.0',
    routeKey: 'POST /approvals/{approvalId}',
    rawPath: `/approvals/${id}`,
    rawQueryString: '',
    headers: {
      'Content-Type': 'application/json',
      'Webhook-Id': messageId,
      'Webhook-Timestamp': String(Math.floor(sentAt.getTime() / 1000)),
      'Webhook-Signature': new Webhook(secret).sign(messageId, sentAt, payload),
    },
    pathParameters: { approvalId: id },
    requestContext: {
      accountId: '123456789012',
      apiId: 'abc123',
      domainName: 'abc123.execute-api.eu-west-3.amazonaws.com',
      domainPrefix: 'abc123',
      http: { method: 'POST', path: `/approvals/${id}`, protocol: 'HTTP/1.1', sourceIp: '203.0.113.10', userAgent: 'playbooks-cli' },
      requestId: `api-${messageId}`,
      routeKey: 'POST /approvals/{approvalId}',
      stage: '$default',
      time: sentAt.toUTCString(),
      timeEpoch: sentAt.getTime(),
    },
    body: payload,
    isBase64Encoded: false,
  };
}

async function decide(id: string, body: object, options?: { secret?: string }) {
  const result = await handler(signedDecision(id, body, options), lambdaContext('cs-playbooks-decide-approval'));
  return { statusCode: result.statusCode, body: JSON.parse(String(result.body)) as Record<string, unknown> };
}

const approve = (id: string, extra: object = {}) => ({ approvalId: id, decision: 'approve', decidedBy: 'csm-camille', ...extra });

describe('the approval Lambda, through Step Functions and Secrets Manager on 127.0.0.1', () => {
  it('given a pending approval, when the CSM approves with an edited text, then SendTaskSuccess resumes the parked task with the decision only (the edited text is kept on the approval), exactly once', async () => {
    const { id, token } = await givenAPendingApproval();

    const first = await decide(id, approve(id, { edits: { text: 'Hello Alex, a review on G2?' } }));
    const second = await decide(id, approve(id, { edits: { text: 'Hello Alex, a review on G2?' } }));

    expect(first).toMatchObject({ statusCode: 200, body: { approvalId: id, status: 'approved', resumed: 1 } });
    expect(stepFunctions.completed.get(token)).toEqual({
      output: {
        approvalId: id,
        decision: 'approved',
        edited: true,
        decidedBy: 'csm-camille',
        decidedAt: expect.any(String),
      },
    });
    expect(second.statusCode).toBe(409);
    expect(stepFunctions.requests.filter((r) => r.body.taskToken === token).map((r) => r.operation)).toEqual(['SendTaskSuccess']);
    const stored = (await ledger.getApproval(id)).approval!;
    expect(stored.status).toBe('approved');
    expect(stored.edits).toEqual({ text: 'Hello Alex, a review on G2?' });
    expect(Object.values(stored.waiters).map((waiter) => waiter.state)).toEqual(['resumed']);
  });

  it('given the task timed out in Step Functions before the decision (TaskTimedOut), then 410 and the approval is marked expired', async () => {
    const { id, token } = await givenAPendingApproval();
    stepFunctions.timeOut(token);

    const answer = await decide(id, approve(id));

    expect(answer.statusCode).toBe(410);
    expect(answer.body.error).toContain('expired before the decision reached the playbook');
    expect((await ledger.getApproval(id)).approval).toMatchObject({ status: 'expired', expiredAt: expect.any(String) });
  });

  it('given an approval past its expiry, then 410 without calling Step Functions', async () => {
    const { id } = await givenAPendingApproval(new Date(Date.now() - 60_000));
    const before = stepFunctions.requests.length;

    expect((await decide(id, approve(id))).statusCode).toBe(410);
    expect(stepFunctions.requests.length).toBe(before);
  });

  it('given Step Functions unavailable (HTTP 500 to each of the client\'s three attempts), then 503 with the decision recorded; the same request again resumes the task once; a third is 409', async () => {
    const { id, token } = await givenAPendingApproval();
    stepFunctions.failNextRequests(3, 500);

    const unavailable = await decide(id, approve(id));
    const again = await decide(id, approve(id));
    const third = await decide(id, approve(id));

    expect(unavailable.statusCode).toBe(503);
    expect(unavailable.body.error).toContain('Decision recorded (approved), but the playbook could not be resumed yet: send the same request again');
    expect(again).toMatchObject({ statusCode: 200, body: { resumed: 1 } });
    expect(third.statusCode).toBe(409);
    expect(stepFunctions.requests.filter((r) => r.body.taskToken === token)).toHaveLength(4);
    expect(stepFunctions.completed.get(token)).toMatchObject({ output: { decision: 'approved' } });
  });

  it('given a decision signed with the older secret during a rotation, then it is accepted; one signed with a vendor webhook secret is 401 and reaches nothing', async () => {
    const { id: rotated } = await givenAPendingApproval();
    const { id: forged, token } = await givenAPendingApproval();

    expect((await decide(rotated, approve(rotated), { secret: OLDER_SECRET })).statusCode).toBe(200);
    expect(await decide(forged, approve(forged), { secret: VENDOR_SECRET })).toEqual({ statusCode: 401, body: { error: 'Signature rejected: No matching signature found' } });
    expect(stepFunctions.completed.has(token)).toBe(false);
    expect((await ledger.getApproval(forged)).approval?.status).toBe('pending');
  });

  it('given an id no playbook requested, then 404', async () => {
    const id = approvalId({ accountId: 'acc-none', playbook: 'nps-response', kind: 'email', reason: 'evt-none' });
    expect((await decide(id, approve(id))).statusCode).toBe(404);
  });
});
