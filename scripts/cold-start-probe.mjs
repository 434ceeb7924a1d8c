// One cold start, in a fresh process started by scripts/cold-start.ts with the function's environment:
// `node cold-start-probe.mjs <bundle.mjs> <event JSON> <function name>`. Times the bundle's `import()`
// (what Lambda's init phase runs) and the first `handler(event, context)` call, and names the requests
// that call made (Node's diagnostics channels: the SDK's node:http, and fetch), then writes one JSON line
// to file descriptor 3 (standard output is the function's: Powertools' logs and metrics) and exits.
// Plain JavaScript: it runs on the runtime's Node, without tsx.
import { subscribe } from 'node:diagnostics_channel';
import { writeSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';

const [bundle, eventJson, functionName] = process.argv.slice(2);
if (!bundle || !eventJson || !functionName) throw new Error('usage: cold-start-probe.mjs <bundle.mjs> <event JSON> <function name>');

/** `DynamoDB GetItem`, `SecretsManager GetSecretValue` (the AWS JSON protocols' X-Amz-Target), else the method and host. */
function describe(target, method, host) {
  const operation = typeof target === 'string' ? /^(?<service>[A-Za-z]+)(?:_\d+)?\.(?<name>\w+)$/.exec(target)?.groups : undefined;
  if (!operation) return `${method} ${host}`;
  const service = { dynamodb: 'DynamoDB', secretsmanager: 'SecretsManager', awsstepfunctions: 'StepFunctions', awsevents: 'EventBridge' }[operation.service.toLowerCase()];
  return `${service ?? operation.service} ${operation.name}`;
}

/** undici's request headers: a flat [name, value, …] array, or (older versions) one `name: value\r\n` string. */
function undiciHeader(headers, wanted) {
  if (Array.isArray(headers)) {
    for (let i = 0; i + 1 < headers.length; i += 2) if (String(headers[i]).toLowerCase() === wanted) return String(headers[i + 1]);
    return undefined;
  }
  return typeof headers === 'string' ? new RegExp(`^${wanted}:\\s*(.*)$`, 'im').exec(headers)?.[1]?.trim() : undefined;
}

const requests = [];
subscribe('http.client.request.start', ({ request }) => requests.push(describe(request.getHeader('x-amz-target'), request.method, request.host)));
subscribe('undici:request:create', ({ request }) => requests.push(describe(undiciHeader(request.headers, 'x-amz-target'), request.method, request.origin)));

const event = JSON.parse(eventJson);
// What Lambda's runtime passes (Powertools' Logger reads these fields); test/support/aws/lambda-context.ts in the tests.
const context = {
  callbackWaitsForEmptyEventLoop: true,
  functionName,
  functionVersion: '$LATEST',
  invokedFunctionArn: `arn:aws:lambda:${process.env.AWS_REGION}:123456789012:function:${functionName}`,
  memoryLimitInMB: process.env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE ?? '256',
  awsRequestId: 'cold-start-probe',
  logGroupName: `/aws/lambda/${functionName}`,
  logStreamName: '2026/11/20/[$LATEST]0123456789abcdef0123456789abcdef',
  getRemainingTimeInMillis: () => 10_000,
};

const started = performance.now();
const module = await import(pathToFileURL(bundle).href);
const imported = performance.now();
const importRequests = requests.length;
let outcome;
try {
  const result = await module.handler(event, context);
  outcome = result && typeof result === 'object' && 'statusCode' in result ? `HTTP ${result.statusCode}` : 'returned';
} catch (error) {
  // A named error says what it is (AccountNotFound); a plain Error, by its message.
  outcome = !(error instanceof Error) ? `threw ${typeof error}` : error.name === 'Error' ? `Error "${error.message}"` : error.name;
}
const called = performance.now();

writeSync(3, `${JSON.stringify({ importMs: imported - started, callMs: called - imported, outcome, importRequests, requests: requests.slice(importRequests), node: process.version })}\n`);
// The measurement is taken: no wait for the SDK's keep-alive sockets to close.
process.exit(0);
