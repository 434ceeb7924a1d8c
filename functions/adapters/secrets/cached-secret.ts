/**
 * A Secrets Manager secret as the functions read it: `GetSecretValue` over AWS's JSON API with signed
 * `fetch` (../aws-json.ts; the Secrets Manager client with Powertools parameters would push the
 * endpoints' bundles over their budget), parsed, and cached for five minutes so that a rotation
 * reaches every instance within that time. Contract (AWS docs, Secrets Manager API reference):
 * `X-Amz-Target: secretsmanager.GetSecretValue`, AWS JSON 1.1, body `{ SecretId }`, answer
 * `{ SecretString, … }`; signing name `secretsmanager`.
 */
import { awsJsonServiceFromEnvironment, callAwsJson, type AwsJsonService } from '../aws-json.ts';

export const SECRET_CACHE_MS = 5 * 60_000;

export class CachedSecret<T> {
  private cached: { value: T; until: number } | undefined;

  constructor(
    private readonly secretsManager: AwsJsonService,
    private readonly secretId: string,
    private readonly parse: (secretString: string) => T,
  ) {}

  async read(): Promise<T> {
    const now = this.secretsManager.now().getTime();
    if (this.cached && now < this.cached.until) return this.cached.value;
    const { SecretString } = await callAwsJson<{ SecretString?: unknown }>(this.secretsManager, 'GetSecretValue', { SecretId: this.secretId });
    if (typeof SecretString !== 'string') throw new Error('The secret has no SecretString');
    const value = this.parse(SecretString);
    this.cached = { value, until: now + SECRET_CACHE_MS };
    return value;
  }
}

/** Secrets Manager in the function's region, with its role's credentials; `AWS_ENDPOINT_URL_SECRETS_MANAGER` (the SDK's own variable) points tests at a local server. */
export function secretsManagerFromEnvironment(env: Readonly<Record<string, string | undefined>>, now: () => Date): AwsJsonService {
  return awsJsonServiceFromEnvironment(env, now, { signingName: 'secretsmanager', targetPrefix: 'secretsmanager', protocol: '1.1', endpointVariable: 'AWS_ENDPOINT_URL_SECRETS_MANAGER' });
}

/** A list of signing secrets, comma-separated, newest first (two during a rotation). */
export const commaSeparated = (secretString: string): string[] =>
  secretString
    .split(',')
    .map((secret) => secret.trim())
    .filter(Boolean);
