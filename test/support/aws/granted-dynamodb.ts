import { createServer, request as forward } from 'node:http';
import type { AddressInfo } from 'node:net';
import { TABLE_SCHEMA } from '../../../functions/adapters/table.ts';
import { allows, partitionOfRequest, type KeyedRequest, type TableStatement } from '../../../lib/table-grants.ts';

/**
 * What a role may do on the table, as its IAM policy says it (lib/table-grants.ts): each statement's
 * actions on the partitions its `dynamodb:LeadingKeys` patterns match, and Query on the indexes named.
 */
export interface TableGrant {
  statements: readonly TableStatement[];
  indexes?: readonly string[];
}

/**
 * DynamoDB as one function's role sees it: an endpoint on 127.0.0.1 in front of the local DynamoDB
 * (dynalite) that lets through only what the role it acts as is granted (an action on a partition its
 * LeadingKeys condition allows, as IAM decides it), and answers anything else the way DynamoDB does
 * for an IAM denial (HTTP 400, `AccessDeniedException`, "is not authorized to perform"). A handler test
 * that runs each Lambda with the catalog's grant of that function shows that the grant is enough for
 * what the handler really does, and that the handler stays inside it (the item types it owns), which
 * the synthesized template (least privilege) cannot show on its own.
 */
export interface GrantedDynamoDB {
  endpoint: string;
  /** From now on, requests are made by `role`, granted exactly `grant`. */
  actAs(role: string, grant: TableGrant): void;
  /**
   * DynamoDB itself failing: every request answered 500 `InternalServerError` (what the SDK retries,
   * then throws) until `available()` is called.
   */
  unavailable(): void;
  available(): void;
  /** Every request, by whom, on which partition (the index's name for a Query of one), and whether the grant let it through. */
  readonly calls: readonly GrantedCall[];
  close(): Promise<void>;
}

export interface GrantedCall {
  role: string;
  action: string;
  partition: string | undefined;
  allowed: boolean;
}

export async function startGrantedDynamoDB(target: string): Promise<GrantedDynamoDB> {
  const upstream = new URL(target);
  const calls: GrantedCall[] = [];
  let role = 'nobody';
  let granted: TableGrant = { statements: [] };
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
      const request = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as KeyedRequest;
      const partition = request.IndexName ?? partitionOfRequest(request, TABLE_SCHEMA.partitionKey);
      const allowed =
        request.IndexName !== undefined
          ? action === 'dynamodb:Query' && (granted.indexes ?? []).includes(request.IndexName)
          : partition !== undefined && allows(granted.statements, action, partition);
      calls.push({ role, action, partition, allowed });
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
    actAs(name, grant) {
      role = name;
      granted = grant;
    },
    calls,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
