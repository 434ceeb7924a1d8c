import { FUNCTION_RUNTIME } from '../../../lib/constructs/bundled-function.ts';

/**
 * The variables the Lambda service sets in a function's process, besides the function's own
 * (https://docs.aws.amazon.com/lambda/latest/dg/configuration-envvars.html#configuration-envvars-runtime),
 * for a bundle run in a fresh process as Lambda runs it: an on-demand execution environment of the
 * stack's runtime, active tracing (the invocation's trace header, the X-Ray daemon's address), its
 * role's credentials, and nothing of this shell (no NODE_OPTIONS but the function's own).
 */
export interface LambdaPlatform {
  functionName: string;
  memorySize: number;
  region: string;
  credentials: { accessKeyId: string; secretAccessKey: string; sessionToken: string };
  /** Where the function's directory is (Lambda's /var/task). */
  taskRoot: string;
  /** `host:port` of the X-Ray daemon, UDP: a local listener, or a port nothing listens on. */
  xrayDaemon: string;
}

/** A sampled trace of one invocation: Root, the caller's segment as Parent (a fixed, valid X-Ray header). */
export const TRACE_HEADER = { root: '1-6755d5a0-0123456789abcdef01234567', parent: '53995c3f42cd8ad8' } as const;

export function lambdaPlatformEnvironment(platform: LambdaPlatform): Record<string, string> {
  return {
    PATH: '/usr/local/bin:/usr/bin:/bin',
    LANG: 'en_US.UTF-8',
    TZ: ':UTC',
    _HANDLER: 'index.handler',
    LAMBDA_TASK_ROOT: platform.taskRoot,
    AWS_EXECUTION_ENV: `AWS_Lambda_${FUNCTION_RUNTIME.name}`,
    AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand',
    AWS_LAMBDA_FUNCTION_NAME: platform.functionName,
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(platform.memorySize),
    AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
    AWS_LAMBDA_LOG_GROUP_NAME: `/aws/lambda/${platform.functionName}`,
    AWS_REGION: platform.region,
    AWS_DEFAULT_REGION: platform.region,
    AWS_ACCESS_KEY_ID: platform.credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: platform.credentials.secretAccessKey,
    AWS_SESSION_TOKEN: platform.credentials.sessionToken,
    AWS_XRAY_CONTEXT_MISSING: 'LOG_ERROR',
    AWS_XRAY_DAEMON_ADDRESS: platform.xrayDaemon,
    _X_AMZN_TRACE_ID: `Root=${TRACE_HEADER.root};Parent=${TRACE_HEADER.parent};Sampled=1`,
  };
}
