import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { cliBundle } from '../../sandbox/cli-bundle.mjs';

// `playbooks` runs from a bundle of the repository's TypeScript, cached until a source changes
// (sandbox/cli-bundle.mjs). Here on a small project of its own, in a temporary folder.

let root: string | undefined;
afterEach(() => {
  if (root) rmSync(root, { recursive: true, force: true });
  root = undefined;
});

function project(files: Record<string, string>): string {
  root = mkdtempSync(path.join(tmpdir(), 'cli-bundle-'));
  for (const [name, text] of Object.entries(files)) write(name, text);
  return root;
}

function write(name: string, text: string): void {
  mkdirSync(path.dirname(path.join(root!, name)), { recursive: true });
  writeFileSync(path.join(root!, name), text);
}

const bundleOf = (dir: string) => cliBundle({ root: dir, entry: 'main.ts', cache: path.join(dir, '.cache') });

const SOURCES = {
  'main.ts': `export { greeting } from './greeting.ts';\nexport { whereAmI, literal } from './lib/where.ts';\n`,
  'greeting.ts': `export const greeting: string = 'hello';\n`,
  'lib/where.ts': `export const whereAmI: string = import.meta.url;\nexport const literal = 'import.meta.url';\n`,
};

describe('the CLI bundle', () => {
  it('given TypeScript sources, when bundled, then the bundle runs them, and each module keeps its own import.meta.url (a string that spells it is left alone)', async () => {
    const dir = project(SOURCES);

    const loaded = (await import(await bundleOf(dir))) as { greeting: string; whereAmI: string; literal: string };

    expect(loaded).toMatchObject({ greeting: 'hello', whereAmI: pathToFileURL(path.join(dir, 'lib/where.ts')).href, literal: 'import.meta.url' });
  });

  it('given unchanged sources, when asked again, then the same bundle is used', async () => {
    const dir = project(SOURCES);
    const first = await bundleOf(dir);
    expect(await bundleOf(dir)).toBe(first);
  });

  it('given a source edited since the bundle was built, when asked again, then it is rebuilt and runs the edit', async () => {
    const dir = project(SOURCES);
    const first = await bundleOf(dir);
    write('greeting.ts', `export const greeting: string = 'bonjour';\n`);

    const second = await bundleOf(dir);

    expect(second).not.toBe(first);
    expect(((await import(second)) as { greeting: string }).greeting).toBe('bonjour');
  });

  it('given a source that does not compile, when bundled, then it refuses (the launcher falls back to tsx, which says where)', async () => {
    const dir = project({ ...SOURCES, 'greeting.ts': `export const greeting: string = ;\n` });
    await expect(bundleOf(dir)).rejects.toThrow(/greeting\.ts/);
  });
});
