import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { asAwsUnavailable, AwsServiceUnavailable } from '../../functions/adapters/aws-unavailable.ts';
import { vendorSecrets } from '../../functions/runtime/lambda-ports.ts';
import { secretReader, type SecretReader } from '../../functions/runtime/secrets.ts';
import { unwiredPorts } from '../../functions/runtime/unwired-ports.ts';
import { startLocalSecretsManager, type LocalSecretsManager } from '../support/aws/secrets-manager.ts';

// The vendor tokens come from the stage's vendor secret in Secrets Manager, through Powertools
// Parameters' SecretsProvider on the SDK's client, here pointed at a local Secrets Manager
// (test/support/aws/secrets-manager.ts: GetSecretValue as documented, every request's SigV4 checked).

const REGION = 'eu-west-3';
const CREDENTIALS = { accessKeyId: 'AKIAVENDORSECRETS001', secretAccessKey: 'vendor-secrets-test-key' };
const SECRET = 'cs-playbooks/prod/vendors';

let secretsManager: LocalSecretsManager;
let read: SecretReader;

beforeAll(async () => {
  secretsManager = await startLocalSecretsManager({
    region: REGION,
    credentials: CREDENTIALS,
    secrets: [
      { name: SECRET, value: JSON.stringify({ HUBSPOT_ACCESS_TOKEN: 'pat-eu1-x', SLACK_BOT_TOKEN: 'xoxb-y', ignored: 3 }) },
      { name: 'plain', value: 'pat-eu1-not-json' },
    ],
  });
});
afterAll(() => secretsManager?.close());

beforeEach(() => {
  secretsManager.reset();
  // A fresh execution environment: its cache starts empty.
  read = secretReader(new SecretsManagerClient({ region: REGION, endpoint: secretsManager.endpoint, credentials: CREDENTIALS }));
});

afterEach(() => {
  // A signature or protocol refusal must never pass as a missing secret or an outage.
  expect(secretsManager.refusals).toEqual([]);
});

describe('the vendor secret', () => {
  it('given the stage names a vendor secret, when a function reads it, then it gets the string fields of the JSON object, by one GetSecretValue', async () => {
    expect(await vendorSecrets({ VENDOR_SECRET_ID: SECRET }, read)).toEqual({ HUBSPOT_ACCESS_TOKEN: 'pat-eu1-x', SLACK_BOT_TOKEN: 'xoxb-y' });
    expect(secretsManager.requests.map((request) => [request.operation, request.body.SecretId])).toEqual([['GetSecretValue', SECRET]]);
  });

  it('given the secret read once, when the function reads it again within five minutes, then it is not asked again; a rotated value is read once the five minutes passed', async () => {
    await vendorSecrets({ VENDOR_SECRET_ID: SECRET }, read);
    secretsManager.putSecretValue(SECRET, JSON.stringify({ SLACK_BOT_TOKEN: 'xoxb-rotated' }));

    expect(await vendorSecrets({ VENDOR_SECRET_ID: SECRET }, read)).toMatchObject({ SLACK_BOT_TOKEN: 'xoxb-y' });
    expect(secretsManager.requests).toHaveLength(1);
    vi.useFakeTimers({ now: Date.now() + 5 * 60_000 + 1000, toFake: ['Date'] });
    try {
      expect(await vendorSecrets({ VENDOR_SECRET_ID: SECRET }, read)).toEqual({ SLACK_BOT_TOKEN: 'xoxb-rotated' });
    } finally {
      vi.useRealTimers();
    }
    expect(secretsManager.requests).toHaveLength(2);
  });

  it('given no vendor secret, then no request is made and there are no tokens (every port is the outbox)', async () => {
    expect(await vendorSecrets({}, read)).toEqual({});
    expect(secretsManager.requests).toEqual([]);
  });

  it('given a secret that does not exist, then the read fails, and not as an outage: a misconfiguration, for ops', async () => {
    const error = await vendorSecrets({ VENDOR_SECRET_ID: 'cs-playbooks/prod/missing' }, read).catch((e: unknown) => e);

    expect(error).toMatchObject({ name: 'GetParameterError', cause: { name: 'ResourceNotFoundException' } });
    expect(asAwsUnavailable(error)).toBe(error);
  });

  it('given Secrets Manager failing (HTTP 500 to every attempt of the client), then the handler names it AwsServiceUnavailable: an outage the step waits out', async () => {
    secretsManager.failNextRequests(3, 500, 'InternalServiceError');

    const error = await vendorSecrets({ VENDOR_SECRET_ID: SECRET }, read).catch((e: unknown) => e);

    expect(asAwsUnavailable(error)).toBeInstanceOf(AwsServiceUnavailable);
    expect(secretsManager.requests).toHaveLength(3);
  });

  it('given a secret that is not a JSON object, then it is refused', async () => {
    await expect(vendorSecrets({ VENDOR_SECRET_ID: 'plain' }, read)).rejects.toThrow('The vendor secret must be a JSON object of strings');
  });
});

describe('a port the handler does not wire', () => {
  it('when the function calls it, then it fails naming the port, instead of silently using the outbox', () => {
    const ports = unwiredPorts('create-task');
    expect(() => ports.mailer).toThrow('create-task calls the mailer port, which its handler.ts does not wire');
  });
});
