import { findNodeAtLocation, parseTree, type Node } from 'jsonc-parser';
import { CliError } from '../commands/command.ts';
import { parseJsonText } from '../commands/io.ts';
import { contractPath, lineNumbers, type ImportRow } from './rows.ts';

/**
 * An accounts JSON file: an array of account records (as examples/accounts.json, and as `npm start
 * --accounts` reads them), or a scenario-like `{ "accounts": [...] }`. Each account is placed at the line
 * its object starts on.
 */
export function readJsonAccounts(text: string, file: string): ImportRow[] {
  const value = parseJsonText(text, `accounts file ${file}`);
  // Well-formed (parseJsonText said so): the tree only tells where each element starts.
  const tree = parseTree(text)!;
  const list = Array.isArray(value) ? { items: value, node: tree } : accountsOf(value, tree);
  if (!list) throw new CliError(`accounts file ${file} holds neither an array of accounts nor { "accounts": [...] }`);
  const lineOf = lineNumbers((offset) => text.charCodeAt(offset));
  return list.items.map((item, i) => {
    const line = lineOf(list.node.children?.[i]?.offset ?? 0);
    const isObject = typeof item === 'object' && item !== null && !Array.isArray(item);
    return {
      place: `${file}:${line}`,
      candidate: isObject ? (item as Record<string, unknown>) : {},
      problems: isObject ? [] : [{ path: [], reason: 'not an account: expected a JSON object' }],
      notes: [],
      name: contractPath,
    };
  });
}

function accountsOf(value: unknown, tree: Node): { items: unknown[]; node: Node } | undefined {
  const items = (value as { accounts?: unknown } | null)?.accounts;
  const node = findNodeAtLocation(tree, ['accounts']);
  return Array.isArray(items) && node ? { items, node } : undefined;
}
