/**
 * Loads the real `aws-local-stepfunctions` interpreter with its clock redirected.
 *
 * The interpreter reads time through the globals `setTimeout`, `clearTimeout`, `Date`
 * (Wait states, retry back-off, Task and machine timeouts, `$$.Execution.StartTime`) and
 * calls `Promise.withResolvers` (Node 22+). Patching those globals would also move the
 * clock under the AWS SDK, HTTP servers and tests sharing the process, and could not give
 * two sandboxes two different clocks. Instead we bundle the package once with esbuild and
 * `inject` a shim: inside the bundle those names resolve to the shim, which asks an
 * AsyncLocalStorage which Clock the current execution runs on. Nothing global is patched.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type * as Asl from 'aws-local-stepfunctions';
import { STEP_FUNCTIONS_PAYLOAD_BYTES } from '../../functions/contracts/payload-limits.ts';
import { wallClock, type Clock } from './clock.ts';

type AslModule = typeof Asl;

/**
 * Where the bundle finds the clock store. A `Symbol.for` key, not a module variable,
 * because the bundle is a separate, natively loaded module (test runners may evaluate
 * this file several times in one process while Node caches the bundle once).
 */
const CLOCK_HOOK_KEY = 'cs-playbooks.sandbox.clock';
const CLOCK_HOOK: unique symbol = Symbol.for(CLOCK_HOOK_KEY);

interface ClockHook {
  readonly storage: AsyncLocalStorage<Clock>;
  /** Clock used by the bundle outside `runWithClock`. */
  readonly fallback: Clock;
}

const registry = globalThis as typeof globalThis & { [CLOCK_HOOK]?: ClockHook };
const hook: ClockHook = (registry[CLOCK_HOOK] ??= {
  storage: new AsyncLocalStorage<Clock>(),
  fallback: wallClock,
});

/**
 * Runs `fn` so that every execution started inside it (Waits, retries, timeouts,
 * `$$.Execution.StartTime`, event timestamps) uses `clock`, including the async work
 * the execution does later.
 */
export function runWithClock<T>(clock: Clock, fn: () => T): T {
  return hook.storage.run(clock, fn);
}

/**
 * Injected into the bundle (plain JS, it never sees TypeScript). Exports named like the
 * globals it replaces. Notes on why:
 * - timer callbacks are bound to the scheduling async context, because a VirtualClock fires
 *   them from the driver's context and e.g. the machine-timeout callback reads `Date.now()`;
 * - handles remember their clock, so a timer is cancelled on the clock that scheduled it;
 * - `Date` is a constructor function sharing the real `Date.prototype` (rather than a
 *   `class extends Date`): instances are genuine Dates, `instanceof` works in both
 *   directions, and `Date()` without `new` still returns a string;
 * - `Promise.withResolvers` is rewritten (esbuild `define`) to a local ponyfill, so Node 20
 *   works and the global Promise is left alone;
 * - `Math.random` (retry jitter, `States.UUID`) asks the clock when it has a random source: a
 *   simulation's jittered retries then land at the same virtual instants on every run. The shim
 *   itself reaches the real one through `RealMath`: esbuild's `define` rewrites every `Math.random`
 *   of the bundle, the shim's own included, to `__csRandom`, a name only the other modules import
 *   (inside the shim it is undefined: a ReferenceError at the first jittered retry of a clock
 *   without `random`, which is how `npm start` failed).
 */
const SHIM_SOURCE = `
import { AsyncResource } from 'node:async_hooks';
const RealDate = globalThis.Date;
const RealMath = globalThis.Math;
const realClock = {
  now: () => RealDate.now(),
  random: () => RealMath.random(),
  setTimeout: (callback, ms) => globalThis.setTimeout(callback, ms),
  clearTimeout: (handle) => globalThis.clearTimeout(handle),
};
function currentClock() {
  const hook = globalThis[Symbol.for(${JSON.stringify(CLOCK_HOOK_KEY)})];
  return hook?.storage.getStore() ?? hook?.fallback ?? realClock;
}
const owners = new WeakMap();
function shimSetTimeout(callback, ms, ...args) {
  const clock = currentClock();
  const handle = clock.setTimeout(AsyncResource.bind(() => callback(...args)), ms);
  if (typeof handle === 'object' && handle !== null) owners.set(handle, clock);
  return handle;
}
function shimClearTimeout(handle) {
  if (handle === undefined || handle === null) return;
  const owner = typeof handle === 'object' ? owners.get(handle) : undefined;
  (owner ?? currentClock()).clearTimeout(handle);
}
function ShimDate(...args) {
  const now = currentClock().now();
  if (!new.target) return new RealDate(now).toString();
  return Reflect.construct(RealDate, args.length === 0 ? [now] : args, new.target);
}
ShimDate.prototype = RealDate.prototype;
ShimDate.now = () => currentClock().now();
ShimDate.parse = RealDate.parse;
ShimDate.UTC = RealDate.UTC;
function shimRandom() {
  const clock = currentClock();
  return typeof clock.random === 'function' ? clock.random() : RealMath.random();
}
function limitPayload(value, stateName, what) {
  const bytes = Buffer.byteLength(JSON.stringify(value) ?? 'null', 'utf8');
  if (bytes <= ${STEP_FUNCTIONS_PAYLOAD_BYTES}) return value;
  const error = new Error('The state ' + what + ' is ' + bytes + ' bytes in state ' + stateName + '; the limit is ${STEP_FUNCTIONS_PAYLOAD_BYTES} bytes');
  error.name = 'States.DataLimitExceeded';
  error.isRetryable = false;
  error.isCatchable = false;
  throw error;
}
function promiseWithResolvers() {
  let resolve, reject;
  const promise = new Promise((res, rej) => { resolve = res; reject = rej; });
  return { promise, resolve, reject };
}
export {
  shimSetTimeout as setTimeout,
  shimClearTimeout as clearTimeout,
  ShimDate as Date,
  promiseWithResolvers as __csPromiseWithResolvers,
  shimRandom as __csRandom,
  limitPayload as __csLimitPayload,
};
`;

/**
 * Step Functions' payload quota, which the interpreter (aws-local-stepfunctions 3.0.0) does not
 * enforce: a state's input after Parameters and its output after ResultSelector, ResultPath and
 * OutputPath over 256 KiB fail the state with the terminal `States.DataLimitExceeded`, as on AWS (no
 * retrier or catcher takes it). Each text replaced must be in the package once: a release that moves
 * it stops the build, saying so, rather than leaving the limit out.
 */
const PAYLOAD_LIMIT_PATCHES: readonly (readonly [string, string])[] = [
  ['const processedInput = this.processInput(input, context);', 'const processedInput = __csLimitPayload(this.processInput(input, context), this.stateName, "input");'],
  ['const processedResult = this.processResult(currResult, rawInput, context);', 'const processedResult = __csLimitPayload(this.processResult(currResult, rawInput, context), this.stateName, "output");'],
];

/** The package's source with PAYLOAD_LIMIT_PATCHES applied; throws when one does not apply exactly once. */
export function withPayloadLimit(source: string, file: string): string {
  let patched = source;
  for (const [from, to] of PAYLOAD_LIMIT_PATCHES) {
    const count = patched.split(from).length - 1;
    if (count !== 1) throw new Error(`${file}: expected the text \`${from}\` once, found it ${count} times: the sandbox's 256 KiB state payload limit needs updating for this aws-local-stepfunctions`);
    patched = patched.replace(from, to);
  }
  return patched;
}

/**
 * Modules the interpreter imports at its top that the sandbox needs late or never, replaced in the
 * bundle by stand-ins that `require` the real module at first use. The Lambda client and Cognito
 * credentials serve Task states without a local handler, which the sandbox never runs (every Task is
 * bound to a catalog function at deploy): loading them cost every start ~250 ms of CPU. The validator
 * runs only for a definition text not validated before (validated-machines.ts).
 */
const DEFERRED_MODULES: Readonly<Record<string, string>> = {
  'asl-validator': `export default function validator(...args) { return require('asl-validator')(...args); }`,
  '@aws-sdk/client-lambda': `
    export class LambdaClient { constructor(...args) { return new (require('@aws-sdk/client-lambda').LambdaClient)(...args); } }
    export class InvokeCommand { constructor(...args) { return new (require('@aws-sdk/client-lambda').InvokeCommand)(...args); } }`,
  '@aws-sdk/credential-providers': `export function fromCognitoIdentityPool(...args) { return require('@aws-sdk/credential-providers').fromCognitoIdentityPool(...args); }`,
};

const requireFromHere = createRequire(import.meta.url);

/** Locates the installed package and the cache file for this package version + shim. */
function bundleLocation(): { packageDir: string; version: string; file: string } {
  // The package's exports hide package.json, so resolve its entry and step up from build/.
  const packageDir = path.resolve(path.dirname(requireFromHere.resolve('aws-local-stepfunctions')), '..');
  const pkg = JSON.parse(readFileSync(path.join(packageDir, 'package.json'), 'utf8')) as { version: string };
  // The shim and the stand-ins are part of the key, so editing them can never leave a stale bundle behind.
  const shimHash = createHash('sha256').update(SHIM_SOURCE).update(JSON.stringify(DEFERRED_MODULES)).update(JSON.stringify(PAYLOAD_LIMIT_PATCHES)).digest('hex').slice(0, 8);
  // Inside node_modules, so the bundle's external `@aws-sdk/*` imports resolve as usual.
  const cacheDir = path.join(path.dirname(packageDir), '.cache', 'cs-playbooks');
  const file = path.join(cacheDir, `aws-local-stepfunctions-${pkg.version}-${shimHash}.mjs`);
  return { packageDir, version: pkg.version, file };
}

async function buildBundle(packageDir: string, file: string): Promise<void> {
  const esbuild = await import('esbuild'); // only needed on a cache miss
  const SHIM_ID = 'cs-playbooks:clock-shim';
  let patched = false;
  const result = await esbuild.build({
    stdin: { contents: `export * from 'aws-local-stepfunctions';`, resolveDir: packageDir, loader: 'js' },
    bundle: true,
    write: false,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    external: ['@aws-sdk/*'],
    inject: [SHIM_ID],
    define: { 'Promise.withResolvers': '__csPromiseWithResolvers', 'Math.random': '__csRandom' },
    // Bundled CommonJS dependencies may `require()` Node built-ins; give ESM a real require.
    banner: {
      js: `import { createRequire as __csCreateRequire } from 'node:module';\nconst require = __csCreateRequire(import.meta.url);`,
    },
    logLevel: 'silent',
    plugins: [
      {
        name: 'payload-limit',
        setup(build) {
          build.onLoad({ filter: /[\\/]aws-local-stepfunctions[\\/]build[\\/]main\.node\.esm\.js$/ }, (args) => {
            patched = true;
            return { contents: withPayloadLimit(readFileSync(args.path, 'utf8'), args.path), loader: 'js', resolveDir: path.dirname(args.path) };
          });
        },
      },
      {
        name: 'clock-shim',
        setup(build) {
          build.onResolve({ filter: /^cs-playbooks:clock-shim$/ }, () => ({ path: SHIM_ID, namespace: 'clock-shim' }));
          build.onLoad({ filter: /.*/, namespace: 'clock-shim' }, () => ({ contents: SHIM_SOURCE, loader: 'js' }));
        },
      },
      {
        name: 'deferred-modules',
        setup(build) {
          const names = new RegExp(`^(${Object.keys(DEFERRED_MODULES).map((name) => name.replace(/[/.-]/g, '\\$&')).join('|')})$`);
          // The stand-in's own `require` resolves as usual: bundled (the validator) or external (@aws-sdk/*).
          build.onResolve({ filter: names }, (args) => (args.namespace === 'deferred' ? undefined : { path: args.path, namespace: 'deferred' }));
          build.onLoad({ filter: /.*/, namespace: 'deferred' }, (args) => ({ contents: DEFERRED_MODULES[args.path]!, loader: 'js', resolveDir: packageDir }));
        },
      },
    ],
  });
  const output = result.outputFiles[0];
  if (!output) throw new Error('esbuild produced no output for aws-local-stepfunctions');
  if (!patched) throw new Error('aws-local-stepfunctions: its build/main.node.esm.js was not bundled, so the 256 KiB state payload limit could not be added');
  // Temp file + rename: concurrent builders (vitest workers) each write a whole file and
  // the rename is atomic, so a reader never imports a half-written bundle.
  mkdirSync(path.dirname(file), { recursive: true });
  const temp = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  writeFileSync(temp, output.text);
  renameSync(temp, file);
}

let loading: Promise<{ module: AslModule; file: string }> | undefined;

function loadBundle(): Promise<{ module: AslModule; file: string }> {
  loading ??= (async () => {
    const { packageDir, file } = bundleLocation();
    if (!existsSync(file)) await buildBundle(packageDir, file);
    return { module: (await import(pathToFileURL(file).href)) as AslModule, file };
  })().catch((error: unknown) => {
    loading = undefined; // let a later call retry (e.g. after installing esbuild)
    throw error;
  });
  return loading;
}

/** The clock-redirected interpreter module (StateMachine and its error classes). */
export async function loadInterpreter(): Promise<AslModule> {
  return (await loadBundle()).module;
}

/** The clock-redirected `StateMachine` class; run it inside `runWithClock`. */
export async function loadStateMachineClass(): Promise<typeof Asl.StateMachine> {
  return (await loadInterpreter()).StateMachine;
}

let digest: Promise<string> | undefined;

/**
 * A digest of the interpreter bundle as loaded: the package, its bundled validator and the shim, byte
 * for byte. What a definition was validated by, for the cache of validated definitions.
 */
export function interpreterDigest(): Promise<string> {
  digest ??= loadBundle().then(({ file }) => createHash('sha256').update(readFileSync(file)).digest('hex'));
  return digest;
}

/** The folder of the interpreter bundle's cache (node_modules/.cache/cs-playbooks), for other caches bound to it. */
export function interpreterCacheDir(): string {
  return path.dirname(bundleLocation().file);
}
