import { SecretsProvider } from '@aws-lambda-powertools/parameters/secrets';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { tracer } from './tracer.ts';

/**
 * Five minutes: a secret is read from Secrets Manager at most once per that time by an execution
 * environment, and a rotated value reaches every instance within it.
 */
export const SECRET_MAX_AGE_SECONDS = 5 * 60;

/** A secret's text (its `SecretString`) by name or ARN. */
export type SecretReader = (secretId: string) => Promise<string>;

/** Reads secrets through Powertools Parameters' SecretsProvider, which caches each for SECRET_MAX_AGE_SECONDS. */
export function secretReader(client: SecretsManagerClient): SecretReader {
  const secrets = new SecretsProvider({ awsSdkV3Client: client });
  return async (secretId) => {
    const value = await secrets.get(secretId, { maxAge: SECRET_MAX_AGE_SECONDS });
    if (typeof value !== 'string') throw new Error('The secret has no SecretString');
    return value;
  };
}

let functionSecrets: SecretReader | undefined;

/**
 * The function's own reader: its role's Secrets Manager client, traced, created at the first read (the
 * bundles that import this module without reading a secret create nothing).
 */
export const readSecret: SecretReader = (secretId) => {
  functionSecrets ??= secretReader(tracer.captureAWSv3Client(new SecretsManagerClient({})));
  return functionSecrets(secretId);
};

/** A list of signing secrets, comma-separated, newest first (two during a rotation). */
export function commaSeparated(secretString: string): string[] {
  return secretString
    .split(',')
    .map((secret) => secret.trim())
    .filter(Boolean);
}
