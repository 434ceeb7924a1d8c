import { randomUUID } from 'node:crypto';
import { error, startAwsJsonServer, type AwsJsonServer, type LocalAwsEndpointOptions } from './json-protocol-server.ts';

export interface LocalSecret {
  name: string;
  value: string;
}

export interface LocalSecretsManager extends AwsJsonServer {
  /** The ARN a stored secret answers to (`arn:aws:secretsmanager:<region>:<account>:secret:<name>-AbCdEf`). */
  arnOf(name: string): string;
  /** Replace a secret's value with a new AWSCURRENT version. */
  putSecretValue(name: string, value: string): void;
}

const ACCOUNT_ID = '123456789012';

/**
 * AWS Secrets Manager's `GetSecretValue` (AWS JSON 1.1, `X-Amz-Target: secretsmanager.GetSecretValue`),
 * per the API reference: `SecretId` (name or ARN) is required; the answer is
 * `{ ARN, Name, SecretString, VersionId, VersionStages, CreatedDate }` for the AWSCURRENT version,
 * `CreatedDate` in epoch seconds as the JSON protocol encodes timestamps; an unknown secret is a
 * 400 ResourceNotFoundException.
 */
export async function startLocalSecretsManager(options: LocalAwsEndpointOptions & { secrets: readonly LocalSecret[] }): Promise<LocalSecretsManager> {
  interface Version {
    versionId: string;
    value: string;
    createdDate: Date;
  }
  const arns = new Map<string, string>();
  const current = new Map<string, Version>();
  const arnOf = (name: string) => {
    let arn = arns.get(name);
    if (!arn) {
      // Secrets Manager appends six random characters to the name in a secret's ARN.
      arn = `arn:aws:secretsmanager:${options.region}:${ACCOUNT_ID}:secret:${name}-${randomUUID().replace(/-/g, '').slice(0, 6)}`;
      arns.set(name, arn);
    }
    return arn;
  };
  const putSecretValue = (name: string, value: string) => {
    arnOf(name);
    current.set(name, { versionId: randomUUID(), value, createdDate: new Date() });
  };
  for (const secret of options.secrets) putSecretValue(secret.name, secret.value);

  const server = await startAwsJsonServer(
    {
      targetPrefix: 'secretsmanager',
      signingName: 'secretsmanager',
      operations: {
        GetSecretValue(body) {
          const { SecretId, VersionStage, VersionId } = body;
          if (typeof SecretId !== 'string' || SecretId.length === 0) {
            return error(400, 'ValidationException', "1 validation error detected: Value at 'secretId' failed to satisfy constraint: Member must not be null");
          }
          const name = [...arns].find(([secretName, arn]) => SecretId === secretName || SecretId === arn)?.[0];
          const version = name === undefined ? undefined : current.get(name);
          if (name === undefined || !version) return error(400, 'ResourceNotFoundException', "Secrets Manager can't find the specified secret.");
          if ((VersionStage !== undefined && VersionStage !== 'AWSCURRENT') || (VersionId !== undefined && VersionId !== version.versionId)) {
            return error(400, 'ResourceNotFoundException', "Secrets Manager can't find the specified secret value for the requested version or staging label.");
          }
          return {
            status: 200,
            body: {
              ARN: arnOf(name),
              Name: name,
              SecretString: version.value,
              VersionId: version.versionId,
              VersionStages: ['AWSCURRENT'],
              CreatedDate: version.createdDate.getTime() / 1000,
            },
          };
        },
      },
    },
    options,
  );

  return Object.assign(server, { arnOf, putSecretValue });
}
