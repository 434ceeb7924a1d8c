/**
 * The active signing secrets (`whsec_…`, comma-separated, newest first) of a Secrets Manager secret,
 * read with `GetSecretValue` over the AWS JSON 1.1 API with `fetch` and SigV4 (../email/sigv4.ts),
 * cached for five minutes so that a rotation reaches every instance within that time.
 *
 * Why not Powertools' `getSecret` (the ingest function's way): it brings @aws-sdk/client-secrets-manager,
 * 20 KB that the approval endpoint's bundle (DynamoDB client, Step Functions calls, signature checks)
 * cannot afford under its 300 KB budget. The call is one request; its contract (AWS docs, Secrets
 * Manager API reference): `POST /`, `X-Amz-Target: secretsmanager.GetSecretValue`, `Content-Type:
 * application/x-amz-json-1.1`, body `{ SecretId }`, answer `{ SecretString, … }`; signing name `secretsmanager`.
 */
import { signRequest, type AwsCredentials } from '../email/sigv4.ts';

export const SECRET_CACHE_MS = 5 * 60_000;

export interface SigningSecretsConfig {
  secretId: string;
  region: string;
  /** Defaults to https://secretsmanager.<region>.amazonaws.com; tests point it at a local server. */
  endpoint?: string | undefined;
  credentials(): AwsCredentials;
  now(): Date;
  fetch?: typeof globalThis.fetch | undefined;
  timeoutMs?: number | undefined;
}

export class SigningSecrets {
  private cached: { secrets: string[]; until: number } | undefined;
  private readonly url: URL;

  constructor(private readonly config: SigningSecretsConfig) {
    this.url = secretsManagerUrl(config);
  }

  async active(): Promise<string[]> {
    const now = this.config.now().getTime();
    if (this.cached && now < this.cached.until) return this.cached.secrets;
    const value = await getSecretString(this.config, this.url);
    const secrets = value.split(',').map((secret) => secret.trim()).filter(Boolean);
    this.cached = { secrets, until: now + SECRET_CACHE_MS };
    return secrets;
  }
}

/** One `GetSecretValue` call: the secret's `SecretString`. Rejects with the HTTP status and AWS error type only. */
export async function getSecretString(config: SigningSecretsConfig, url = secretsManagerUrl(config)): Promise<string> {
  const body = JSON.stringify({ SecretId: config.secretId });
  const headers = await signRequest({
    method: 'POST',
    url,
    headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'secretsmanager.GetSecretValue' },
    body,
    service: 'secretsmanager',
    region: config.region,
    credentials: config.credentials(),
    now: config.now(),
  });
  const response = await (config.fetch ?? globalThis.fetch)(url, {
    method: 'POST',
    headers,
    body,
    signal: AbortSignal.timeout(config.timeoutMs ?? 3_000),
  });
  const answer = (await response.json().catch(() => ({}))) as { SecretString?: unknown; __type?: unknown };
  if (!response.ok) throw new Error(`Secrets Manager GetSecretValue failed: HTTP ${response.status} ${typeof answer.__type === 'string' ? answer.__type.split('#').pop() : ''}`.trim());
  if (typeof answer.SecretString !== 'string') throw new Error('The secret has no SecretString');
  return answer.SecretString;
}

function secretsManagerUrl(config: Pick<SigningSecretsConfig, 'endpoint' | 'region'>): URL {
  return new URL(`${(config.endpoint ?? `https://secretsmanager.${config.region}.amazonaws.com`).replace(/\/+$/, '')}/`);
}
