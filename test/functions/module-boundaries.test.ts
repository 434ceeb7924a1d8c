import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

// A domain's folder holds its Lambda's handler (the router) and its actions' bodies; the API Lambdas
// (ingest, decide-approval) have theirs. What two functions share lives in contracts/, core/ (pure
// rules), adapters/ (I/O) or runtime/. A function importing another function's module couples two
// deployables and bundles one inside the other.
const FUNCTIONS_DIR = 'functions';
const SHARED = new Set(['contracts', 'core', 'adapters', 'runtime']);
const functionDirs = readdirSync(FUNCTIONS_DIR, { withFileTypes: true })
  .filter((entry) => entry.isDirectory() && !SHARED.has(entry.name))
  .map((entry) => entry.name);

describe('module boundaries between functions', () => {
  it.each(functionDirs)('given the function folder %s, then it imports no other function’s module', (dir) => {
    const crossImports = readdirSync(join(FUNCTIONS_DIR, dir))
      .filter((file) => file.endsWith('.ts'))
      .flatMap((file) =>
        [...readFileSync(join(FUNCTIONS_DIR, dir, file), 'utf8').matchAll(/from '\.\.\/([a-z0-9-]+)\//g)]
          .map((match) => match[1]!)
          .filter((target) => !SHARED.has(target))
          .map((target) => `${file} → ${target}`),
      );
    expect(crossImports).toEqual([]);
  });
});
