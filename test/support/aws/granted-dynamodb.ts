import { createServer, request as forward } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * DynamoDB as one function's role sees it: an endpoint on 127.0.0.1 in front of the local DynamoDB
 * (dynalite) that lets through only the actions granted to the role it acts as, and answers any other
 * the way DynamoDB does for an IAM denial (HTTP 400, `AccessDeniedException`, "is not authorized to
 * perform"). A handler test that runs each Lambda with the catalog's grant of that function shows that
 * the grant is enough for what the handler really does, which the synthesized template (least
 * privilege) cannot show on its own.
 */
export interface GrantedDynamoDB {
  endpoint: string;
  /** From now on, requests are made by `role`, granted exactly `actions` (`dynamodb:GetItem`, …). */
  actAs(role: string, actions: readonly string[]): void;
  /**
   * DynamoDB itself failing: every request answered 500 `InternalServerError` (what the SDK retries,
   * then throws) until `available()` is called.
   */
  unavailable(): void;
  available(): void;
  /** Every request, by whom, and whether the grant let it through. */
  readonly calls: readonly { role: string; action: string; allowed: boolean }[];
  close(): Promise<void>;
}

export async function startGrantedDynamoDB(target: string): Promise<GrantedDynamoDB> {
  const upstream = new URL(target);
  const calls: { role: string; action: string; allowed: boolean }[] = [];
  let role = 'nobody';
  let granted = new Set<string>();
  let down = false;

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      // `X-Amz-Target: DynamoDB_20120810.GetItem` names the operation; its IAM action is `dynamodb:GetItem`.
      const operation = String(req.headers['x-amz-target'] ?? '').split('.')[1] ?? '';
      const action = `dynamodb:${operation}`;
      if (down) {
        const body = JSON.stringify({ __type: 'com.amazonaws.dynamodb.v20120810#InternalServerError', message: 'Internal server error' });
        res.writeHead(500, { 'content-type': 'application/x-amz-json-1.0', 'x-amzn-requestid': `down-${calls.length}` }).end(body);
        return;
      }
      const allowed = granted.has(action);
      calls.push({ role, action, allowed });
      if (!allowed) {
        const body = JSON.stringify({
          __type: 'com.amazon.coral.service#AccessDeniedException',
          Message: `User: arn:aws:sts::123456789012:assumed-role/${role}/${role} is not authorized to perform: ${action} because no identity-based policy allows the ${action} action`,
        });
        res.writeHead(400, { 'content-type': 'application/x-amz-json-1.0', 'x-amzn-requestid': `denied-${calls.length}` }).end(body);
        return;
      }
      const proxied = forward(
        { host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: { ...req.headers, host: upstream.host } },
        (answer) => {
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(res);
        },
      );
      proxied.on('error', () => res.writeHead(502).end());
      proxied.end(Buffer.concat(chunks));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    unavailable() {
      down = true;
    },
    available() {
      down = false;
    },
    actAs(name, actions) {
      role = name;
      granted = new Set(actions);
    },
    calls,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
