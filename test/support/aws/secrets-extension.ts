import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * The AWS Parameters and Secrets Lambda Extension's local endpoint, as a function reads the stage's
 * vendor secret through it (functions/runtime/lambda-ports.ts): `GET /secretsmanager/get?secretId=…`,
 * authenticated by the function's session token in `X-Aws-Parameters-Secrets-Token` (401 otherwise),
 * answering GetSecretValue's JSON (`Name`, `SecretString`); an unknown secret is a 400.
 * https://docs.aws.amazon.com/secretsmanager/latest/userguide/retrieving-secrets_lambda.html
 */
export interface LocalSecretsExtension {
  /** What the function's `PARAMETERS_SECRETS_EXTENSION_HTTP_PORT` says. */
  port: string;
  /** Every request received, in order. */
  readonly requests: readonly IncomingMessage[];
  setSecret(secretId: string, value: string): void;
  close(): Promise<void>;
}

export async function startLocalSecretsExtension({ sessionToken, secrets = {} }: { sessionToken: string; secrets?: Record<string, string> }): Promise<LocalSecretsExtension> {
  const values = new Map(Object.entries(secrets));
  const requests: IncomingMessage[] = [];
  const server = createServer((request, response) => {
    requests.push(request);
    const url = new URL(request.url ?? '/', 'http://localhost');
    if (request.headers['x-aws-parameters-secrets-token'] !== sessionToken) return void response.writeHead(401).end('unauthorized');
    const secretId = url.searchParams.get('secretId') ?? '';
    const value = url.pathname === '/secretsmanager/get' ? values.get(secretId) : undefined;
    if (value === undefined) return void response.writeHead(400).end('{"message":"secret not found"}');
    response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ Name: secretId, SecretString: value }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: String((server.address() as AddressInfo).port),
    requests,
    setSecret: (secretId, value) => void values.set(secretId, value),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
