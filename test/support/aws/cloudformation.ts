import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { LocalAwsEndpointOptions } from './json-protocol-server.ts';
import { verifySigV4 } from './sigv4.ts';

/**
 * CloudFormation's `DescribeStacks` on 127.0.0.1, in the AWS query protocol CloudFormation speaks:
 * `POST /`, a form body (`Action=DescribeStacks&Version=2010-05-15&StackName=…`), a SigV4 signature
 * (service `cloudformation`); the answer is XML, per the API reference
 * (https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_DescribeStacks.html):
 * `<DescribeStacksResponse><DescribeStacksResult><Stacks><member>…<Outputs><member><OutputKey>…`. A
 * stack that does not exist is a 400 `ValidationError` ("Stack with id … does not exist"), in the
 * query protocol's `<ErrorResponse><Error><Type>Sender</Type><Code>…`.
 */

export interface LocalStack {
  name: string;
  outputs: Record<string, string>;
}

export interface LocalCloudFormation {
  endpoint: string;
  /** Each request that reached an operation: its action and parameters. */
  readonly requests: readonly Record<string, string>[];
  /** Requests the protocol checks refused (signature, content type), with why. */
  readonly refusals: readonly string[];
  close(): Promise<void>;
}

const ACCOUNT_ID = '123456789012';
const XMLNS = 'http://cloudformation.amazonaws.com/doc/2010-05-15/';

export async function startLocalCloudFormation(options: LocalAwsEndpointOptions & { stacks: readonly LocalStack[] }): Promise<LocalCloudFormation> {
  const requests: Record<string, string>[] = [];
  const refusals: string[] = [];
  const signing = { ...options.credentials, region: options.region, service: 'cloudformation' };

  function answer(req: IncomingMessage, body: Buffer): { status: number; xml: string } {
    const fail = (status: number, code: string, message: string, type = 'Sender') => ({
      status,
      xml: `<ErrorResponse xmlns="${XMLNS}"><Error><Type>${type}</Type><Code>${code}</Code><Message>${escape(message)}</Message></Error><RequestId>${randomUUID()}</RequestId></ErrorResponse>`,
    });
    const signature = verifySigV4({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body }, signing);
    if (signature !== 'valid') {
      refusals.push(signature);
      return fail(403, 'SignatureDoesNotMatch', signature);
    }
    if (!req.headers['content-type']?.startsWith('application/x-www-form-urlencoded')) {
      refusals.push(`content type ${req.headers['content-type']}`);
      return fail(400, 'InvalidParameterValue', 'The query protocol sends a form');
    }
    const params = Object.fromEntries(new URLSearchParams(body.toString('utf8')));
    requests.push(params);
    if (params.Action !== 'DescribeStacks' || params.Version !== '2010-05-15') return fail(400, 'InvalidAction', `Could not find operation ${params.Action} for version ${params.Version}`);
    const stacks = params.StackName ? options.stacks.filter((stack) => stack.name === params.StackName) : options.stacks;
    if (params.StackName && stacks.length === 0) return fail(400, 'ValidationError', `Stack with id ${params.StackName} does not exist`);
    const members = stacks.map(
      (stack) => `<member>
        <StackName>${escape(stack.name)}</StackName>
        <StackId>arn:aws:cloudformation:${options.region}:${ACCOUNT_ID}:stack/${escape(stack.name)}/aaf549a0-a413-11df-adb3-5081b3858e83</StackId>
        <CreationTime>2026-01-05T09:00:00Z</CreationTime>
        <StackStatus>UPDATE_COMPLETE</StackStatus>
        <DisableRollback>false</DisableRollback>
        <Outputs>${Object.entries(stack.outputs)
          .map(([key, value]) => `<member><OutputKey>${escape(key)}</OutputKey><OutputValue>${escape(value)}</OutputValue></member>`)
          .join('')}</Outputs>
      </member>`,
    );
    return {
      status: 200,
      xml: `<DescribeStacksResponse xmlns="${XMLNS}"><DescribeStacksResult><Stacks>${members.join('')}</Stacks></DescribeStacksResult><ResponseMetadata><RequestId>${randomUUID()}</RequestId></ResponseMetadata></DescribeStacksResponse>`,
    };
  }

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const { status, xml } = answer(req, Buffer.concat(chunks));
      res.writeHead(status, { 'Content-Type': 'text/xml', 'Content-Length': Buffer.byteLength(xml), 'x-amzn-RequestId': randomUUID() });
      res.end(xml);
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  return {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    refusals,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function escape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}
