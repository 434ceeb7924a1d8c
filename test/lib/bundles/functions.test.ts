import { transformSync } from 'esbuild';
import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { NODE_OPTIONS } from '../../../lib/constructs/bundled-function.ts';
import { actionsOf } from '../../../lib/catalog.ts';
import { domainIds, stack, synthesizeDevStage, template } from '../dev-stage.ts';
import { logicalId } from '../synth.ts';
import { shippedDevStage, SYNTHESIS_WAIT_MS, type ShippedDevStage } from './shipped-dev-stage.ts';

const run = promisify(execFile);

// The Lambda bundles the dev stage ships, as this run synthesized them once (./global-setup.ts). The
// stage built in this process (../dev-stage.ts, no bundles) names each domain function's logical id.
synthesizeDevStage();

let shipped: ShippedDevStage;
beforeAll(async () => {
  shipped = await shippedDevStage();
}, SYNTHESIS_WAIT_MS);

const bundleOf = (domain: (typeof domainIds)[number]) => shipped.bundles.find(([id]) => id === logicalId(stack.functions[domain]))![1];

describe('the bundles', () => {
  it('given the shipped template, then its Lambda functions are those of the stage the stack tests read', () => {
    expect(shipped.bundles.map(([id]) => id).sort()).toEqual(Object.keys(template.findResources('AWS::Lambda::Function')).sort());
  });

  it("given every domain, then its bundle is its own: one asset per function, holding the bodies of the domain's actions (their catalog ids) and no other action's", () => {
    expect(new Set(shipped.bundles.map(([, file]) => file)).size).toBe(shipped.bundles.length);
    for (const domain of domainIds) {
      const code = readFileSync(bundleOf(domain), 'utf8');
      // Each body's `definePlaybookFunction({ id: '<action>' })` survives minification as a string.
      const bundled = domainIds.flatMap((other) => actionsOf(other)).filter((action) => code.includes(`"${action}"`));
      expect(bundled.sort(), domain).toEqual([...actionsOf(domain)].sort());
    }
  });

  // No byte cap: what users wait for is the cold start, which `npm run cold-start` (scripts/cold-start.ts) budgets.
  it('given every function, then its ESM bundle exists with its source map beside it, which the function starts with (NODE_OPTIONS)', () => {
    const functions = shipped.template.findResources('AWS::Lambda::Function');
    for (const [id, file] of shipped.bundles) {
      expect(existsSync(file), id).toBe(true);
      expect(readFileSync(file, 'utf8').trimEnd().endsWith('//# sourceMappingURL=index.mjs.map'), id).toBe(true);
      // The project's own sources only (lib/constructs/own-source-map.ts).
      const map = JSON.parse(readFileSync(`${file}.map`, 'utf8')) as { sources: string[] };
      expect(map.sources.some((source) => source.endsWith('functions/runtime/tracer.ts')), id).toBe(true);
      expect(map.sources.filter((source) => source.includes('node_modules/')), id).toEqual([]);
      expect(functions[id]!.Properties.Environment.Variables.NODE_OPTIONS, id).toBe(NODE_OPTIONS);
    }
  });

  it('given every bundle, when Node loads it as ESM in a process of its own (a cold start), then it exports a handler (no CommonJS `require` left behind)', async () => {
    const loaded = new Map<string, string>();
    const queue = [...shipped.bundles];
    // One process per core at a time.
    await Promise.all(
      Array.from({ length: availableParallelism() }, async () => {
        for (let next = queue.shift(); next; next = queue.shift()) loaded.set(next[0], await handlerExportOf(next[1]));
      }),
    );
    expect(Object.fromEntries(loaded)).toEqual(Object.fromEntries(shipped.bundles.map(([id]) => [id, 'function'])));
  });

  it('given the playbook bundles, then the public-holiday table is compiled in as an object, not left undefined', () => {
    for (const domain of domainIds) {
      const code = readFileSync(bundleOf(domain), 'utf8');
      // Booleans, not the code: a failure must not print a 280 KB bundle. Packed: { FR: { 2026: "0101 …" } }.
      expect(/\{FR:\{"\d{4}":"\d{4}( \d{4})*"/.test(code), domain).toBe(true);
    }
  });

  it('given every bundle, then neither holiday constant is left unresolved: wherever the code reads one, esbuild replaced it', () => {
    // The names also appear in error messages, so the text cannot be searched: the bundle is compiled
    // again with each name defined as a marker global (a global, not a string, so that even a bare
    // `typeof` is not folded away), which shows up only where an identifier was left.
    const marker = 'UNRESOLVED_HOLIDAY_CONSTANT';
    const define = { __PUBLIC_HOLIDAYS__: `globalThis.${marker}`, __PUBLIC_HOLIDAY_YEARS__: `globalThis.${marker}` };
    for (const [id, file] of shipped.bundles) {
      const { code } = transformSync(readFileSync(file, 'utf8'), { define, format: 'esm', logLevel: 'silent' });
      expect(code.includes(marker), id).toBe(false);
    }
  });
});

/** The environment Lambda gives a function, as far as loading a bundle goes (its clients are built at import). */
const LAMBDA_ENVIRONMENT = {
  EVENT_BUS_NAME: 'bus',
  WEBHOOK_SENDERS: JSON.stringify({ events: { product: { secretArn: 'secret', types: ['ContractSigned'] } } }),
  EVENTS_PER_ACCOUNT_PER_HOUR: '30',
  TABLE_NAME: 'table',
  APPROVAL_SECRET_ARN: 'secret',
  PLAYBOOK_STATE_MACHINES: JSON.stringify({ 'NpsResponseStateMachine-AbC': 'nps-response' }),
  AWS_REGION: 'eu-west-3',
  POWERTOOLS_SERVICE_NAME: 't',
  POWERTOOLS_METRICS_NAMESPACE: 't',
};

/**
 * What Node's own ESM loader finds as `handler` when a fresh process imports `file`, as Lambda's runtime
 * does: `typeof handler`, or the error that stopped the import. Not through vitest's module runner,
 * which transforms what it imports (several times slower for these bundles).
 */
async function handlerExportOf(file: string): Promise<string> {
  const script = `const bundle = await import(${JSON.stringify(pathToFileURL(file).href)}); process.stdout.write(typeof bundle.handler);`;
  try {
    const { stdout } = await run(process.execPath, ['--input-type=module', '--eval', script], { env: { ...process.env, ...LAMBDA_ENVIRONMENT } });
    return stdout;
  } catch (error) {
    const stderr = String((error as { stderr?: unknown }).stderr ?? error);
    return `not loaded: ${stderr.split('\n').find((line) => /^\w*Error\b/.test(line)) ?? stderr.trim()}`;
  }
}
