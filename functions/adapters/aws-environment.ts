import type { AwsCredentials } from './email/sigv4.ts';

/**
 * What a Lambda knows about its own AWS account from its environment, for the calls it signs itself
 * (SigV4 over `fetch`): Lambda always sets the region and injects the role's credentials as variables.
 */

export function awsRegion(env: Readonly<Record<string, string | undefined>>): string {
  const region = env.AWS_REGION?.trim();
  if (!region) throw new Error('AWS_REGION is not set (Lambda always sets it)');
  return region;
}

/** Read at each call: the role's credentials are rotated in the environment for the life of the instance. */
export function credentialsFromEnvironment(env: Readonly<Record<string, string | undefined>>): AwsCredentials {
  const accessKeyId = env.AWS_ACCESS_KEY_ID?.trim();
  const secretAccessKey = env.AWS_SECRET_ACCESS_KEY?.trim();
  if (!accessKeyId || !secretAccessKey) throw new Error('No AWS credentials in the environment (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY)');
  const sessionToken = env.AWS_SESSION_TOKEN?.trim();
  return { accessKeyId, secretAccessKey, ...(sessionToken ? { sessionToken } : {}) };
}
