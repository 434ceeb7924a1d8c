/**
 * Stands in for `@aws-sdk/credential-provider-node` in the Lambda bundles (esbuild
 * `--alias:@aws-sdk/credential-provider-node=./functions/runtime/lambda-credentials.ts`, set in
 * lib/constructs/bundled-function.ts); never imported directly.
 *
 * Why: Lambda always injects the execution role's credentials as environment variables
 * (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN), and the SDK's default chain tries the
 * environment first. The rest of that chain (SSO, INI files, process, IMDS, ECS, STS web identity and
 * the nested STS/SSO clients they pull in) can never run in a Lambda, yet weighs ~130 KB of a bundle
 * whose size has a budget. The SDK clients only call `defaultProvider(init)`: this is that entry point.
 */
import { fromEnv, type FromEnvInit } from '@aws-sdk/credential-provider-env';

export const defaultProvider = (init: FromEnvInit = {}) => fromEnv(init);
