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
    this.url = new URL(`${(config.endpoint ?? `https://secretsmanager.${config.region}.amazonaws.com`).replace(/\/+$/, '')}/`);
  }

  async active(): Promise<string[]> {
    const now = this.config.now().getTime();
    if (this.cached && now < this.cached.until) return this.cached.secrets;
    const body = JSON.stringify({ SecretId: this.config.secretId });
    const headers = await signRequest({
      method: 'POST',
      url: this.url,
      headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'secretsmanager.GetSecretValue' },
      body,
      service: 'secretsmanager',
      region: this.config.region,
      credentials: this.config.credentials(),
      now: this.config.now(),
    });
    const response = await (this.config.fetch ?? globalThis.fetch)(this.url, {
      method: 'POST',
      headers,
      body,
      signal: AbortSignal.timeout(this.config.timeoutMs ?? 3_000),
    });
    const answer = (await response.json().catch(() => ({}))) as { SecretString?: unknown; __type?: unknown };
    if (!response.ok) throw new Error(`Secrets Manager GetSecretValue failed: HTTP ${response.status} ${typeof answer.__type === 'string' ? answer.__type.split('#').pop() : ''}`.trim());
    if (typeof answer.SecretString !== 'string') throw new Error('The signing secret must be a string of comma-separated secrets');
    const secrets = answer.SecretString.split(',').map((secret) => secret.trim()).filter(Boolean);
    this.cached = { secrets, until: now + SECRET_CACHE_MS };
    return secrets;
  }
}
