import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import LRUCache from '../../functions/runtime/lambda-lru-cache.ts';
import { AwsServiceUnavailable } from '../../functions/adapters/aws-unavailable.ts';
import { unwiredPorts, vendorSecrets } from '../../functions/runtime/lambda-ports.ts';
import { startLocalSecretsExtension, type LocalSecretsExtension } from '../support/aws/secrets-extension.ts';

// The vendor tokens come through the AWS Parameters and Secrets Lambda Extension's local endpoint:
// GET /secretsmanager/get?secretId=…, authenticated by the function's session token in
// X-Aws-Parameters-Secrets-Token, answering GetSecretValue's JSON. A local server implements it.

const SESSION_TOKEN = 'session-token-of-the-function';
let extension: LocalSecretsExtension;
let port: string;

beforeAll(async () => {
  extension = await startLocalSecretsExtension({
    sessionToken: SESSION_TOKEN,
    secrets: { 'cs-playbooks/prod/vendors': JSON.stringify({ HUBSPOT_ACCESS_TOKEN: 'pat-eu1-x', SLACK_BOT_TOKEN: 'xoxb-y', ignored: 3 }) },
  });
  port = extension.port;
});
afterAll(() => extension?.close());

const env = (overrides: Record<string, string> = {}) => ({
  VENDOR_SECRET_ID: 'cs-playbooks/prod/vendors',
  PARAMETERS_SECRETS_EXTENSION_HTTP_PORT: port,
  AWS_SESSION_TOKEN: SESSION_TOKEN,
  ...overrides,
});
const localFetch: typeof fetch = (input, init) => fetch(String(input).replace('http://localhost:', 'http://127.0.0.1:'), init);

describe('the vendor secret', () => {
  it('given the stage names a vendor secret, when a function reads it, then it gets the string fields of the JSON object, asked with its session token', async () => {
    expect(await vendorSecrets(env(), localFetch)).toEqual({ HUBSPOT_ACCESS_TOKEN: 'pat-eu1-x', SLACK_BOT_TOKEN: 'xoxb-y' });
    expect(extension.requests.at(-1)?.url).toBe('/secretsmanager/get?secretId=cs-playbooks%2Fprod%2Fvendors');
  });

  it('given no vendor secret, then no request is made and there are no tokens (every port is the outbox)', async () => {
    const before = extension.requests.length;
    expect(await vendorSecrets({}, localFetch)).toEqual({});
    expect(extension.requests.length).toBe(before);
  });

  it('given the extension refuses, then the error says so without quoting the answer', async () => {
    await expect(vendorSecrets(env({ AWS_SESSION_TOKEN: 'wrong' }), localFetch)).rejects.toThrow('The vendor secret could not be read: the secrets extension answered 401');
  });

  it('given the extension (Secrets Manager behind it) answering 503, or not listening, then AwsServiceUnavailable: an outage the step waits out', async () => {
    const busy = createServer((_request, response) => response.writeHead(503).end());
    await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', resolve));
    const busyPort = String((busy.address() as AddressInfo).port);
    try {
      await expect(vendorSecrets(env({ PARAMETERS_SECRETS_EXTENSION_HTTP_PORT: busyPort }), localFetch)).rejects.toThrow(AwsServiceUnavailable);
    } finally {
      await new Promise((resolve) => busy.close(resolve));
    }
    // The port just closed: nothing listens there any more.
    await expect(vendorSecrets(env({ PARAMETERS_SECRETS_EXTENSION_HTTP_PORT: busyPort }), localFetch)).rejects.toThrow(AwsServiceUnavailable);
  });

  it('given a secret that is not a JSON object, then it is refused', async () => {
    extension.setSecret('plain', 'pat-eu1-not-json');
    await expect(vendorSecrets(env({ VENDOR_SECRET_ID: 'plain' }), localFetch)).rejects.toThrow('The vendor secret must be a JSON object of strings');
  });
});

describe('a port the handler does not wire', () => {
  it('when the function calls it, then it fails naming the port, instead of silently using the outbox', () => {
    const ports = unwiredPorts('create-task');
    expect(() => ports.mailer).toThrow('create-task calls the mailer port, which its handler.ts does not wire');
  });
});

describe('the LRU that stands in for mnemonist in the bundles', () => {
  it('given a capacity of 2, when a third key is set, then the least recently read one is evicted', () => {
    const cache = new LRUCache<string, number>(2);
    cache.set('a', 1).set('b', 2);
    expect(cache.get('a')).toBe(1);
    cache.set('c', 3);
    expect([cache.has('a'), cache.has('b'), cache.has('c')]).toEqual([true, false, true]);
    expect(cache.peek('c')).toBe(3);
    cache.clear();
    expect(cache.size).toBe(0);
  });
});
