/**
 * `npm run bundle-sizes [-- --stage <stage>] [--synth] [--why]`: the size of every Lambda
 * bundle the stack deploys, read from the synthesized assembly (`npx cdk synth` when cdk.out is
 * missing or older than the sources, or with `--synth`). `--why` re-synthesizes with esbuild metafiles
 * and lists each bundle's biggest packages. A report, not a budget: what a user waits for is the cold
 * start, which `npm run cold-start` (scripts/cold-start.ts) measures and budgets.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { deflateRawSync } from 'node:zlib';
import { stackName } from '../lib/cs-playbooks-stack.ts';
import { METAFILE_CONTEXT } from '../lib/constructs/bundled-function.ts';
import { PROJECT_ROOT } from '../lib/project-root.ts';
import { stageConfig, type StageName } from '../lib/stages.ts';

const SOURCES = ['bin', 'lib', 'functions', 'statemachines', 'cdk.json', 'package-lock.json'];

interface Options {
  stage: StageName;
  synth: boolean;
  why: boolean;
}

export interface BundleSize {
  function: string;
  /** The AWS::Lambda::Function's logical id in the template. */
  logicalId: string;
  bundleBytes: number;
  zippedBytes: number;
  assetDir: string;
}

function parseArgs(argv: readonly string[]): Options {
  let stage = 'dev';
  const options = { synth: false, why: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--stage') stage = argv[++i] ?? '';
    else if (arg?.startsWith('--stage=')) stage = arg.slice('--stage='.length);
    else if (arg === '--synth') options.synth = true;
    else if (arg === '--why') options.why = true;
    else throw new Error(`Unknown argument ${arg}; usage: bundle-sizes [--stage <stage>] [--synth] [--why]`);
  }
  return { ...options, stage: stageConfig(stage).name }; // a clear error for an unknown stage
}

function newestSourceMtime(path: string): number {
  const stats = statSync(path);
  if (!stats.isDirectory()) return stats.mtimeMs;
  let newest = stats.mtimeMs;
  for (const entry of readdirSync(path)) {
    if (entry === 'node_modules') continue;
    newest = Math.max(newest, newestSourceMtime(join(path, entry)));
  }
  return newest;
}

function synthesize(stage: StageName, outdir: string, extraContext: readonly string[] = []): void {
  console.error(`Synthesizing ${stackName(stage)} into ${outdir}…`);
  const result = spawnSync('npx', ['cdk', 'synth', '-c', `env=${stage}`, ...extraContext, '--quiet', '--output', outdir], {
    cwd: PROJECT_ROOT,
    // esbuild reports every bundle on stderr: shown only when the synthesis fails.
    stdio: ['ignore', 'ignore', 'pipe'],
    encoding: 'utf8',
  });
  if (result.status !== 0) throw new Error(`cdk synth failed (exit ${result.status}):\n${result.stderr}`);
}

/** Every AWS::Lambda::Function of the template, with its bundle and (deflated, as zipped) size. */
export function bundleSizes(outdir: string, stack: string): BundleSize[] {
  const template = JSON.parse(readFileSync(join(outdir, `${stack}.template.json`), 'utf8')) as {
    Resources: Record<string, { Type: string; Metadata?: Record<string, unknown> }>;
  };
  const sizes: BundleSize[] = [];
  for (const [logicalId, resource] of Object.entries(template.Resources)) {
    if (resource.Type !== 'AWS::Lambda::Function') continue;
    const assetPath = resource.Metadata?.['aws:asset:path'];
    if (typeof assetPath !== 'string') throw new Error(`${logicalId}: no aws:asset:path metadata (inline code?)`);
    const assetDir = join(outdir, assetPath);
    const bundle = readFileSync(join(assetDir, 'index.mjs'));
    const cdkPath = String(resource.Metadata?.['aws:cdk:path'] ?? logicalId);
    sizes.push({
      function: cdkPath.replace(`${stack}/`, '').replace(/\/(Lambda\/)?Function\/Resource$/, ''),
      logicalId,
      bundleBytes: bundle.byteLength,
      zippedBytes: deflateRawSync(bundle, { level: 9 }).byteLength,
      assetDir,
    });
  }
  return sizes;
}

/** The biggest packages of a bundle, from the esbuild metafile written next to it with `--why`. */
function biggestInputs(assetDir: string, count = 12): string[] {
  const metafile = join(assetDir, 'index.meta.json');
  if (!existsSync(metafile)) return ['(no index.meta.json)'];
  const meta = JSON.parse(readFileSync(metafile, 'utf8')) as {
    outputs: Record<string, { inputs: Record<string, { bytesInOutput: number }> }>;
  };
  const byPackage = new Map<string, number>();
  for (const output of Object.values(meta.outputs)) {
    for (const [input, { bytesInOutput }] of Object.entries(output.inputs)) {
      const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(input)?.[1] ?? input.split('/').slice(0, 2).join('/');
      byPackage.set(pkg, (byPackage.get(pkg) ?? 0) + bytesInOutput);
    }
  }
  return [...byPackage]
    .sort((a, b) => b[1] - a[1])
    .slice(0, count)
    .map(([pkg, bytes]) => `${kb(bytes).padStart(8)} KB  ${pkg}`);
}

const kb = (bytes: number) => (bytes / 1024).toFixed(1);

/**
 * The stage's Lambda bundles as `cdk synth` writes them: cdk.out is synthesized again when it is older
 * than the sources (or with `synth`); `why` synthesizes into .cache/cdk.out.why with esbuild metafiles.
 * Also what scripts/cold-start.ts loads.
 */
export function synthesizedBundles(stage: StageName, { synth = false, why = false }: { synth?: boolean; why?: boolean } = {}): { outdir: string; stack: string; sizes: BundleSize[] } {
  const stack = stackName(stage);
  let outdir = join(PROJECT_ROOT, 'cdk.out');
  if (why) {
    outdir = join(PROJECT_ROOT, '.cache', 'cdk.out.why');
    synthesize(stage, outdir, ['-c', `${METAFILE_CONTEXT}=true`]);
  } else {
    const template = join(outdir, `${stack}.template.json`);
    const fresh =
      existsSync(template) && statSync(template).mtimeMs >= Math.max(...SOURCES.map((source) => newestSourceMtime(join(PROJECT_ROOT, source))));
    if (synth || !fresh) synthesize(stage, outdir);
    else console.error(`${template} is newer than the sources: not synthesizing again`);
  }
  return { outdir, stack, sizes: bundleSizes(outdir, stack) };
}

function main(argv: readonly string[]): void {
  const options = parseArgs(argv);
  const { sizes: unsorted } = synthesizedBundles(options.stage, options);
  const sizes = unsorted.sort((a, b) => b.bundleBytes - a.bundleBytes);
  const width = Math.max('function'.length, ...sizes.map((size) => size.function.length));
  console.log(`${'function'.padEnd(width)}  ${'bundle KB'.padStart(9)}  ${'zipped KB'.padStart(9)}`);
  for (const size of sizes) {
    console.log(`${size.function.padEnd(width)}  ${kb(size.bundleBytes).padStart(9)}  ${kb(size.zippedBytes).padStart(9)}`);
    if (options.why) for (const line of biggestInputs(size.assetDir)) console.log(`    ${line}`);
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  try {
    main(process.argv.slice(2));
  } catch (error) {
    console.error((error as Error).message);
    process.exitCode = 2;
  }
}
