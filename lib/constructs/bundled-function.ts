import { AssetHashType, DockerImage, Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { buildSync, type BuildOptions } from 'esbuild';
import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { HolidayTable } from '../../functions/core/calendar/business-time.ts';
import { packHolidayTable } from '../../functions/runtime/holidays.ts';
import type { HolidayYears } from '../calendar/public-holidays.ts';
import { acknowledge } from '../nag.ts';
import { keepOwnSources } from './own-source-map.ts';
import { PROJECT_ROOT } from '../project-root.ts';

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
 * esbuild options shared by every function, as esbuild's own API takes them: one ESM file with every
 * package in it (the AWS SDK too: the versions the tests ran are the ones deployed), and its source map
 * beside it, which the runtime applies to stack traces (`NODE_OPTIONS=--enable-source-maps`, set on
 * every function). The holiday table and its window of years are compiled in as data
 * (functions/runtime/holidays.ts).
 */
export function bundlingOptions(holidays: BundledHolidays, metafile = false): BuildOptions & { define: Record<string, string> } {
  return {
    bundle: true,
    platform: 'node',
    // The runtime's Node (nodejs24.x): what CDK's NodejsFunction derives from it, said once here.
    target: `node${/^nodejs(\d+)/.exec(FUNCTION_RUNTIME.name)![1]}`,
    format: 'esm',
    mainFields: ['module', 'main'],
    minify: true,
    // Stack traces name the TypeScript file, line and function (`at invoke (…/functions/runtime/playbook-function.ts:58:17)`),
    // not a minified name: the map holds positions and names, not the sources, which a trace never shows,
    // and the project's own code only (./own-source-map.ts: Node parses it at the first stack it formats).
    sourcemap: true,
    sourcesContent: false,
    // The AWS X-Ray SDK under Powertools Tracer is CommonJS and `require`s Node's modules, which an ESM
    // file has no `require` for: the banner Powertools' examples/app gives its ESM bundles.
    banner: { js: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);" },
    // Analysis only (`npm run bundle-sizes -- --why`): written beside the bundle when asked.
    metafile,
    // The values are JavaScript source: JSON text makes each an object literal. The table keeps its
    // shape ({ COUNTRY: dates }); the years it covers are a second constant, `{ fromYear, toYear }`, so a
    // function knows the window without an environment variable. esbuild replaces only identifiers the
    // code reads: a define nothing reads leaves no trace.
    define: {
      __PUBLIC_HOLIDAYS__: JSON.stringify(packHolidayTable(holidays.table)),
      __PUBLIC_HOLIDAY_YEARS__: JSON.stringify({ fromYear: holidays.years.fromYear, toYear: holidays.years.toYear }),
    },
    absWorkingDir: PROJECT_ROOT,
    logLevel: 'warning',
  };
}

/** What every function's runtime is started with: stack traces through the bundle's source map. */
export const NODE_OPTIONS = '--enable-source-maps';

/**
 * The function's code: its entry bundled by esbuild's API in the synthesizing process (CDK's documented
 * local bundling), hashed by its output. CDK's NodejsFunction would run the same esbuild through `npx`
 * once per function, a Node and npm start-up each (about 0.8 s of CPU, most of a synth's bundling time).
 */
function bundledCode(entry: string, options: BuildOptions): lambda.Code {
  return lambda.Code.fromAsset(PROJECT_ROOT, {
    assetHashType: AssetHashType.OUTPUT,
    bundling: {
      // Never used: esbuild is a dependency, so local bundling always runs (no Docker).
      image: DockerImage.fromRegistry('local-bundling-only'),
      // What `local` does, said as a command: CDK keys its bundling cache on these options (not on the
      // `local` function), so the entry and the esbuild options must be in them, or every function
      // would get the first one's bundle.
      command: ['esbuild', '--bundle', entry, `--options-digest=${createHash('sha256').update(JSON.stringify(options)).digest('hex').slice(0, 16)}`],
      local: {
        tryBundle(outputDir) {
          const result = buildSync({ ...options, entryPoints: [join(PROJECT_ROOT, entry)], outfile: join(outputDir, 'index.mjs') });
          keepOwnSources(join(outputDir, 'index.mjs.map'));
          if (result.metafile) writeFileSync(join(outputDir, 'index.meta.json'), JSON.stringify(result.metafile));
          return true;
        },
      },
    },
  });
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
  /** Traced only when its caller's request is (a high-volume function: lib/functions.ts `highVolume`), not actively. */
  readonly passThroughTracing?: boolean;
}

/**
 * One Lambda function, packaged and observed the same way as all the others: an ESM bundle with its
 * source map for arm64, active tracing (Powertools Tracer's segments: functions/runtime/tracer.ts), its
 * own log group with a retention, and a role that starts with nothing but the right to write that log
 * group (no AWSLambdaBasicExecutionRole: it allows every log group).
 */
export class BundledFunction extends Construct {
  readonly function: lambda.Function;
  readonly role: iam.Role;
  readonly logGroup: logs.LogGroup;
  /** The esbuild options it was bundled with (tests read the defines; the asset only has the output). */
  readonly bundling: ReturnType<typeof bundlingOptions>;

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
    this.function = new lambda.Function(this, 'Function', {
      code: bundledCode(props.entry, this.bundling),
      handler: 'index.handler',
      description: props.description,
      runtime: FUNCTION_RUNTIME,
      architecture: lambda.Architecture.ARM_64,
      memorySize: props.memorySize,
      timeout: props.timeout,
      tracing: props.passThroughTracing ? lambda.Tracing.PASS_THROUGH : lambda.Tracing.ACTIVE,
      role: this.role,
      logGroup: this.logGroup,
      environment: { ...props.environment, ...(props.passThroughTracing ? { POWERTOOLS_TRACE_ENABLED: 'false' } : {}), NODE_OPTIONS },
    });

    if (props.passThroughTracing) {
      acknowledge(
        this.function,
        'Serverless-LambdaTracing',
        "Called once per event of a high-volume fact (a use of the product): X-Ray's default sampling would record about every call at one a second ($5 a million traces, more than the recording itself). Pass-through: traced when the webhook request that brought the event was.",
      );
    }
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
