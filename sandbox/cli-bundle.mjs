// The `playbooks` CLI as one ESM bundle of the repository's TypeScript, built by esbuild on first use
// and kept in node_modules/.cache/cs-playbooks/cli/ until a source changes.
//
// Why: run through tsx, every one of the CLI's ~170 modules is resolved and loaded through loader
// hooks on another thread, which was more than a second of CPU of every `playbooks` command (an empty
// `simulate` took 2.1 s of CPU, 0.9 s from the bundle). Packages stay external (node_modules, loaded
// by Node as usual); only the repository's own files are bundled.
//
// A bundle is named by a digest of the files it was built from, as esbuild read them. Before using
// one, the launcher hashes those files again as they are now: one changed file, and it builds again
// (esbuild takes a fraction of a second). Plain JavaScript: it runs before any TypeScript loader.
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const REPOSITORY = fileURLToPath(new URL('..', import.meta.url));
const BUILDER = readFileSync(fileURLToPath(import.meta.url));
/** Bundles of older sources are removed after a day (a running `npm start` has long loaded its own). */
const STALE_MS = 86_400_000;

/**
 * The bundle's file URL: the cached one when its sources are unchanged, else a fresh build. `root`,
 * `entry` (relative to it) and `cache` are the repository's CLI unless a test gives its own.
 */
export async function cliBundle({ root = REPOSITORY, entry = 'sandbox/cli.ts', cache = path.join(root, 'node_modules', '.cache', 'cs-playbooks', 'cli') } = {}) {
  const where = { root, entry, cache, inputs: path.join(cache, 'inputs.json') };
  return pathToFileURL(cachedBundle(where) ?? (await build(where))).href;
}

function cachedBundle({ root, cache, inputs: inputsFile }) {
  let inputs;
  try {
    inputs = JSON.parse(readFileSync(inputsFile, 'utf8'));
  } catch {
    return undefined;
  }
  const contents = new Map();
  for (const input of inputs) {
    try {
      contents.set(input, readFileSync(path.join(root, input)));
    } catch {
      return undefined; // a source was removed: build again
    }
  }
  const file = path.join(cache, digest(root, contents), 'cli.js');
  try {
    statSync(file);
    return file;
  } catch {
    return undefined;
  }
}

/** The digest of a bundle's sources: where the repository is (the bundle holds absolute paths), every path and its bytes, in path order. */
function digest(root, contents) {
  // This file's own bytes too: a change in how the bundle is built builds it again.
  const hash = createHash('sha256').update(BUILDER).update('\0').update(root).update('\0');
  for (const [input, bytes] of [...contents].sort(([a], [b]) => (a < b ? -1 : 1))) hash.update(input).update('\0').update(bytes).update('\0');
  return hash.digest('hex').slice(0, 16);
}

async function build({ root, entry, cache, inputs }) {
  const esbuild = await import('esbuild');
  /** What esbuild was given of each repository file: the digest is of these bytes, not of the files after the build. */
  const read = new Map();
  const temp = path.join(cache, `.build-${process.pid}-${Date.now()}`);
  await esbuild.build({
    absWorkingDir: root,
    entryPoints: { cli: entry },
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    packages: 'external',
    // Lazily imported modules (the holiday computation) stay out of the start-up path.
    splitting: true,
    outdir: temp,
    sourcemap: 'linked',
    // Each module's `import.meta` is its source file's, not the bundle's (PROJECT_ROOT, the example accounts).
    define: { 'import.meta.url': '__csImportMetaUrl', 'import.meta.dirname': '__csImportMetaDirname', 'import.meta.filename': '__csImportMetaFilename' },
    logLevel: 'silent',
    plugins: [
      {
        // A package's JSON data (country names) is bundled: Node would need an import attribute that
        // esbuild drops from an external import for this target.
        name: 'package-json-data',
        setup(build) {
          build.onResolve({ filter: /^[^./].*\.json$/ }, (args) => ({ path: createRequire(args.importer).resolve(args.path) }));
        },
      },
      {
        name: 'repository-sources',
        setup(build) {
          build.onLoad({ filter: /\.(ts|mts|js|mjs|json)$/ }, (args) => {
            const bytes = readFileSync(args.path);
            read.set(path.relative(root, args.path).split(path.sep).join('/'), bytes);
            const loader = args.path.endsWith('.json') ? 'json' : args.path.endsWith('ts') ? 'ts' : 'js';
            if (loader === 'json' || !bytes.includes('import.meta')) return { contents: bytes, loader };
            const meta = `const __csImportMetaUrl = ${JSON.stringify(pathToFileURL(args.path).href)}, __csImportMetaDirname = ${JSON.stringify(path.dirname(args.path))}, __csImportMetaFilename = ${JSON.stringify(args.path)};\n`;
            return { contents: meta + bytes.toString('utf8'), loader };
          });
        },
      },
    ],
  });
  const name = digest(root, read);
  const dir = path.join(cache, name);
  try {
    renameSync(temp, dir);
  } catch {
    rmSync(temp, { recursive: true, force: true }); // another process built the same sources first
  }
  writeAtomically(inputs, JSON.stringify([...read.keys()].sort()));
  removeStale(cache, name);
  return path.join(dir, 'cli.js');
}

function writeAtomically(file, text) {
  mkdirSync(path.dirname(file), { recursive: true });
  const temp = `${file}.${process.pid}.tmp`;
  writeFileSync(temp, text);
  renameSync(temp, file);
}

function removeStale(cache, current) {
  for (const entry of readdirSync(cache, { withFileTypes: true })) {
    if (!entry.isDirectory() || entry.name === current) continue;
    const dir = path.join(cache, entry.name);
    try {
      if (Date.now() - statSync(dir).mtimeMs > STALE_MS) rmSync(dir, { recursive: true, force: true });
    } catch {
      // another process removed it
    }
  }
}
