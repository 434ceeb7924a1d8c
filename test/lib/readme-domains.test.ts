import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { actionsOf, DOMAIN_IDS, domainGrants, DOMAINS, ENDPOINT_TABLE_ACCESS, type DomainEntry } from '../../lib/functions.ts';
import { READ_OPERATIONS, WRITE_OPERATIONS, type TableAccess, type TableOperation } from '../../lib/table-grants.ts';

// The README's table of domains (Architecture) is how a newcomer finds which domain an action is in
// and where its rules are: it lists the catalog's domains and actions, no more, no fewer; and
// functions/ holds a folder per domain, with its handler and one file per action.

const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
const codes = (cell: string) => [...cell.matchAll(/`([^`]+)`/g)].map((match) => match[1]!);
const table = readme.slice(readme.indexOf('| domain (`functions/<domain>/`) |'));
const rows = table
  .slice(0, table.indexOf('\n\n'))
  .split('\n')
  .slice(2)
  .map((line) => line.split(' | ').map((cell) => cell.replace(/^\| |\s*\|$/g, '')))
  .map(([domain, actions, rules, role]) => ({ domain: codes(domain!)[0]!, actions: codes(actions!), rules: codes(rules!), role: role! }));

describe("the README's table of domains", () => {
  it('given the catalog, then the table has one row per domain, in its order, each naming exactly its actions', () => {
    expect(rows.map((row) => row.domain)).toEqual(DOMAIN_IDS);
    for (const row of rows) expect(row.actions, row.domain).toEqual(actionsOf(row.domain as (typeof DOMAIN_IDS)[number]));
  });

  it('given each row, then the rules it points to exist under functions/', () => {
    for (const row of rows) {
      for (const rule of row.rules) {
        const path = `functions/${rule}`;
        const [dir, file] = path.endsWith('/') ? [path, undefined] : [path.slice(0, path.lastIndexOf('/')), path.slice(path.lastIndexOf('/') + 1)];
        const entries = readdirSync(dir);
        if (file) expect(entries, `${row.domain}: ${rule}`).toContain(file);
        else expect(entries.length, `${row.domain}: ${rule}`).toBeGreaterThan(0);
      }
    }
  });

  it("given each row, then its role names exactly the domain's table actions", () => {
    for (const row of rows) {
      const named = codes(row.role).filter((code) => /^(GetItem|PutItem|UpdateItem|DeleteItem|Query)$/.test(code));
      expect(new Set(named), row.domain).toEqual(new Set(domainGrants(row.domain as (typeof DOMAIN_IDS)[number]).tableActions.map((action) => action.replace('dynamodb:', ''))));
    }
  });
});

describe('functions/, by domain', () => {
  it.each(DOMAIN_IDS)('given the %s domain, then its folder holds its handler and one file per action, nothing else', (domain) => {
    expect(DOMAINS[domain].entry).toBe(`functions/${domain}/handler.ts`);
    expect(readdirSync(`functions/${domain}`).sort()).toEqual(['handler.ts', ...actionsOf(domain).map((action) => `${action}.ts`)].sort());
  });
});

/**
 * The README's grant table (Security): each role, the item types it writes and those it reads, by
 * operation, as lib/functions.ts declares them and the stack grants them (test/lib/stack-security.test.ts).
 * A change of a declaration changes this text: the failure shows the table to paste.
 */
export function grantTable(): string {
  const cell = (access: TableAccess, operations: readonly TableOperation[]) =>
    operations
      .filter((operation) => (access[operation] ?? []).length > 0)
      .map((operation) => `${operation} ${access[operation]!.map((type) => `\`${type}\``).join(', ')}`)
      .join('; ');
  const rows = [
    ...DOMAIN_IDS.map((domain) => {
      const { table } = domainGrants(domain);
      const index = (DOMAINS[domain] as DomainEntry).drainsDispatches ? '; Query the `dispatch-queue` index' : '';
      return `| \`${domain}\` | ${cell(table, WRITE_OPERATIONS)} | ${cell(table, READ_OPERATIONS)}${index} |`;
    }),
    ...Object.entries(ENDPOINT_TABLE_ACCESS).map(([name, access]) => `| \`${name}\` | ${cell(access, WRITE_OPERATIONS)} | ${cell(access, READ_OPERATIONS)} |`),
  ];
  return ['| role | writes (item types) | reads (item types) |', '| --- | --- | --- |', ...rows].join('\n');
}

describe("the README's grant table", () => {
  it('given the catalog, then the Security section has the table of what each role writes and reads, item type by item type, as derived from it', () => {
    expect(readme.slice(readme.indexOf('## Security'))).toContain(grantTable());
  });
});
