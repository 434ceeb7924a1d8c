import { buildSync } from 'esbuild';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { SourceMap } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { keepOwnSources } from '../../lib/constructs/own-source-map.ts';

// A bundle's source map cut down to the project's own sources (lib/constructs/own-source-map.ts): built
// by esbuild from a project file and a package, then read back with Node's own source map reader, the
// one `--enable-source-maps` uses.

const root = mkdtempSync(join(tmpdir(), 'cs-playbooks-own-source-map-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

mkdirSync(join(root, 'node_modules', 'vendor-lib'), { recursive: true });
writeFileSync(join(root, 'node_modules', 'vendor-lib', 'package.json'), JSON.stringify({ name: 'vendor-lib', main: 'index.js' }));
writeFileSync(join(root, 'node_modules', 'vendor-lib', 'index.js'), 'export function vendorHelper(x) {\n  return globalThis.vendorMarker(x);\n}\n');
writeFileSync(
  join(root, 'handler.ts'),
  "import { vendorHelper } from 'vendor-lib';\n\nexport function ownFunction(value: number): number {\n  return vendorHelper(value) + globalThis.ownMarker(value);\n}\n",
);

function bundle() {
  const outfile = join(root, 'out', 'index.mjs');
  buildSync({ entryPoints: [join(root, 'handler.ts')], bundle: true, format: 'esm', platform: 'node', minify: true, sourcemap: true, sourcesContent: false, outfile, absWorkingDir: root, logLevel: 'silent' });
  return { code: readFileSync(outfile, 'utf8'), mapFile: `${outfile}.map` };
}

/** Where a marker's call sits in the one-line minified output, and what the map says of it. */
function lookup(code: string, map: SourceMap, marker: string) {
  const column = code.indexOf(marker);
  expect(column).toBeGreaterThan(-1);
  const line = code.slice(0, column).split('\n').length - 1;
  const lineStart = code.lastIndexOf('\n', column) + 1;
  return map.findEntry(line, column - lineStart) as { originalSource?: string; originalLine?: number };
}

describe("a bundle's source map, its own sources kept", () => {
  it('given a bundle of a project file and a package, then the project file still maps, line for line, and the package maps to nothing', () => {
    const { code, mapFile } = bundle();
    const before = JSON.parse(readFileSync(mapFile, 'utf8')) as { sources: string[] };
    expect(before.sources.some((source) => source.includes('node_modules/vendor-lib'))).toBe(true);

    keepOwnSources(mapFile);

    const after = JSON.parse(readFileSync(mapFile, 'utf8')) as { sources: string[]; names: string[] };
    expect(after.sources).toEqual([expect.stringMatching(/handler\.ts$/)]);
    const map = new SourceMap(after as never);
    expect(lookup(code, map, 'ownMarker')).toMatchObject({ originalSource: expect.stringMatching(/handler\.ts$/), originalLine: 3 });
    // Not the project mapping before it on the line: nothing (the bundle's own position shows).
    expect(lookup(code, map, 'vendorMarker').originalSource).toBeUndefined();
  });
});
