import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

// Every AWS call goes through the SDK's clients: the project depends on the clients the design names,
// and none of its modules signs a request or speaks an AWS protocol itself (a signature, a signing
// header, a JSON protocol's operation header). The local AWS endpoints of test/support verify
// signatures, and the cold-start probe reads the operation header to name a request: neither signs.
// Nor does sandbox/api, which serves the APIs the ops CLI's SDK clients call: it reads the protocol.

const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { dependencies: Record<string, string>; devDependencies: Record<string, string>; overrides?: unknown };

/** Markers of a hand-made AWS request: SigV4 and its headers, the JSON protocols' X-Amz-Target. */
const SIGNING = /AWS4-HMAC-SHA256|SignatureV4|signature-v4|x-amz-date|x-amz-content-sha256|x-amz-security-token|credential-provider-env/i;
const PROTOCOL = /x-amz-target|application\/x-amz-json/i;

function sources(directory: string): string[] {
  return readdirSync(directory).flatMap((entry) => {
    const path = join(directory, entry);
    if (statSync(path).isDirectory()) return entry === 'node_modules' ? [] : sources(path);
    return /\.(ts|mjs|js)$/.test(entry) ? [path] : [];
  });
}

describe('the AWS clients', () => {
  it('given package.json, then the SDK clients the functions call are dependencies, and no SigV4 signer or credential provider of its own is', () => {
    for (const client of ['@aws-sdk/client-sfn', '@aws-sdk/client-eventbridge', '@aws-sdk/client-dynamodb', '@aws-sdk/client-secrets-manager', '@aws-sdk/client-sesv2']) {
      expect(pkg.dependencies[client], client).toBeDefined();
    }
    const all = { ...pkg.dependencies, ...pkg.devDependencies };
    expect(Object.keys(all).filter((name) => /signature-v4|credential-provider/.test(name))).toEqual([]);
    expect(pkg.overrides).toBeUndefined();
  });

  it.each(['functions', 'sandbox', 'lib', 'bin', 'scripts'])('given the modules of %s/, then none signs an AWS request itself', (directory) => {
    expect(sources(directory).filter((file) => SIGNING.test(readFileSync(file, 'utf8')))).toEqual([]);
  });

  it.each(['functions', 'sandbox', 'lib', 'bin'])('given the modules of %s/, then none speaks an AWS JSON protocol itself (but the sandbox serving one)', (directory) => {
    const servers = join('sandbox', 'api');
    expect(sources(directory).filter((file) => !file.startsWith(servers) && PROTOCOL.test(readFileSync(file, 'utf8')))).toEqual([]);
  });
});
