import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { PLAYBOOKS } from '../../lib/catalog.ts';

// The README's "What runs today" is where a user learns what each playbook does: one row per playbook
// of the catalog, naming its triggers.

const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
const section = readme.slice(readme.indexOf('## What runs today'));
const rows = section
  .slice(section.indexOf('| playbook | trigger | what it does |'))
  .split('\n\n')[0]!
  .split('\n')
  .slice(2)
  .map((line) => line.split(' | '));

describe("the README's table of playbooks", () => {
  it('given the catalog, then each playbook has its row, naming every event that starts it', () => {
    const named = (row: string[]) => [...row[0]!.matchAll(/`([^`]+)`/g)].map((match) => match[1]!);
    for (const playbook of PLAYBOOKS) {
      const row = rows.find((cells) => named(cells).includes(playbook.id));
      expect(row, playbook.id).toBeDefined();
      for (const trigger of playbook.trigger) expect(row![1], `${playbook.id}: ${trigger}`).toContain(trigger);
    }
    expect(rows.length).toBeLessThanOrEqual(PLAYBOOKS.length);
  });
});
