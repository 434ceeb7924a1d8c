import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat, type BundlingOptions } from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { join } from 'node:path';
import type { HolidayTable } from '../../functions/core/calendar/business-time.ts';
import { packHolidayTable } from '../../functions/runtime/holidays.ts';
import type { HolidayYears } from '../calendar/public-holidays.ts';
import { acknowledge } from '../nag.ts';
import { PROJECT_ROOT } from '../project-root.ts';

/** Every bundle must stay under this (scripts/bundle-sizes.ts enforces it): cold starts grow with size. */
export const BUNDLE_BUDGET_BYTES = 300 * 1024;

/** `-c bundleMetafile=true` writes esbuild's metafile next to each bundle (`npm run bundle-sizes -- --why`). */
export const METAFILE_CONTEXT = 'bundleMetafile';

/** The runtime of every function: the latest Node.js Lambda runs (cdk-nag L1 / LambdaLatestVersion). */
export const FUNCTION_RUNTIME = lambda.Runtime.NODEJS_24_X;

/** What every bundle gets compiled in: the stage's holiday table and the years it covers. */
export interface BundledHolidays {
  readonly table: HolidayTable;
  readonly years: HolidayYears;
}

/**
 * esbuild options shared by every function. The holiday table and its window of years are compiled
 * in as data (functions/runtime/holidays.ts); the SDK's Node credential chain is swapped for the
 * environment-only provider Lambda needs (functions/runtime/lambda-credentials.ts), and its
 * event-stream codec, which none of our services use, for a stub (functions/runtime/lambda-event-streams.ts).
 */
export function bundlingOptions(holidays: BundledHolidays, metafile = false): BundlingOptions {
  return {
    // Analysis only: the metafile would otherwise be zipped with the code.
    metafile,
    format: OutputFormat.ESM,
    mainFields: ['module', 'main'],
    minify: true,
    sourceMap: false,
    // Pinned with the code, not the runtime's copy: the versions the tests ran are the ones deployed.
    bundleAwsSDK: true,
    // The values are JavaScript source: JSON text makes each an object literal. CDK hands each to
    // esbuild as one argv entry (no shell), so no extra quoting is needed. The table keeps its shape
    // ({ COUNTRY: dates }); the years it covers are a second constant, `{ fromYear, toYear }`, so a
    // function knows the window without an environment variable.
    // esbuild replaces only identifiers the code reads: a define nothing reads leaves no trace.
    define: {
      __PUBLIC_HOLIDAYS__: JSON.stringify(packHolidayTable(holidays.table)),
      __PUBLIC_HOLIDAY_YEARS__: JSON.stringify({ fromYear: holidays.years.fromYear, toYear: holidays.years.toYear }),
    },
    // Relative to the project root, esbuild's working directory. Each swaps SDK code a Lambda can
    // never run for a small stand-in; each file says why.
    esbuildArgs: {
      '--alias:@aws-sdk/credential-provider-node': './functions/runtime/lambda-credentials.ts',
      '--alias:@smithy/core/event-streams': './functions/runtime/lambda-event-streams.ts',
      '--alias:mnemonist/lru-cache': './functions/runtime/lambda-lru-cache.ts',
    },
  };
}

export interface BundledFunctionProps {
  /** Entry module, relative to the repository root. */
  readonly entry: string;
  readonly description: string;
  readonly environment: Readonly<Record<string, string>>;
  readonly memorySize: number;
  readonly timeout: Duration;
  readonly holidays: BundledHolidays;
  readonly logRetention: logs.RetentionDays;
  readonly removalPolicy: RemovalPolicy;
  /** The AWS Parameters and Secrets Lambda Extension, for functions that read a secret through it. */
  readonly paramsAndSecrets?: lambda.ParamsAndSecretsLayerVersion;
}

/**
 * One Lambda function, packaged and observed the same way as all the others: an ESM bundle for arm64,
 * active tracing, its own log group with a retention, and a role that starts with nothing but the
 * right to write that log group (no AWSLambdaBasicExecutionRole: it allows every log group).
 */
export class BundledFunction extends Construct {
  readonly function: NodejsFunction;
  readonly role: iam.Role;
  readonly logGroup: logs.LogGroup;
  /** The esbuild options it was bundled with (tests read the defines; the asset only has the output). */
  readonly bundling: BundlingOptions;

  constructor(scope: Construct, id: string, props: BundledFunctionProps) {
    super(scope, id);
    if (props.timeout.toSeconds() > 30) throw new Error(`${id}: timeout above 30 s`);
    if (props.memorySize < 256 || props.memorySize > 512) throw new Error(`${id}: memory outside 256–512 MB`);

    this.logGroup = new logs.LogGroup(this, 'LogGroup', {
      retention: props.logRetention,
      removalPolicy: props.removalPolicy,
    });
    this.role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `${props.description} (Lambda execution role)`,
    });
    // CreateLogStream and PutLogEvents on this log group only; CreateLogGroup is not needed: it exists.
    this.logGroup.grantWrite(this.role);

    this.bundling = bundlingOptions(props.holidays, [true, 'true'].includes(this.node.tryGetContext(METAFILE_CONTEXT)));
    this.function = new NodejsFunction(this, 'Function', {
      entry: join(PROJECT_ROOT, props.entry),
      handler: 'handler',
      projectRoot: PROJECT_ROOT,
      depsLockFilePath: join(PROJECT_ROOT, 'package-lock.json'),
      description: props.description,
      runtime: FUNCTION_RUNTIME,
      architecture: lambda.Architecture.ARM_64,
      memorySize: props.memorySize,
      timeout: props.timeout,
      tracing: lambda.Tracing.ACTIVE,
      role: this.role,
      logGroup: this.logGroup,
      environment: { ...props.environment },
      bundling: this.bundling,
      paramsAndSecrets: props.paramsAndSecrets,
    });

    acknowledge(
      this.role.node.findChild('DefaultPolicy'),
      'AwsSolutions-IAM5[Resource::*]',
      'Active tracing: xray:PutTraceSegments and xray:PutTelemetryRecords support no resource-level permissions (X-Ray service authorization reference).',
    );
    // Callers are synchronous (Step Functions Task states, API Gateway): a failure goes back to the
    // caller, which retries and catches it (ASL Retry/Catch, the vendor's webhook redelivery). A DLQ
    // and an on-failure destination only ever receive asynchronous invocations, which never happen.
    acknowledge(
      this.function,
      'Serverless-LambdaDLQ',
      'Invoked synchronously only (Step Functions Task states, API Gateway): errors return to the caller, which retries and catches; a DLQ would never receive anything.',
    );
  }
}

/** The log retention of a stage, as the CDK enum (whose values are the day counts). */
export function retentionDays(days: number): logs.RetentionDays {
  if (!Object.values(logs.RetentionDays).includes(days)) throw new Error(`Unsupported log retention: ${days} days`);
  return days as logs.RetentionDays;
}
