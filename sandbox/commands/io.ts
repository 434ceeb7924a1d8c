import { parse as parseJsonc, printParseErrorCode, type ParseError } from 'jsonc-parser';
import { readFile } from 'node:fs/promises';
import { ContractError } from '../../functions/contracts/zod.ts';
import { CliError } from './command.ts';

/**
 * What the commands read and call, with the errors a user can act on: the file named (and for JSON the
 * line and column), the sandbox's URL and whether it is running. Never a raw `ENOENT` or `fetch failed`.
 */

/** A file's text; a missing or unreadable file says which one and why, in one line. */
export async function readTextFile(path: string, what: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new CliError(`${what} ${path} does not exist (paths are relative to ${process.cwd()})`);
    if (code === 'EISDIR') throw new CliError(`${what} ${path} is a directory, not a file`);
    if (code === 'EACCES') throw new CliError(`${what} ${path} cannot be read: permission denied`);
    throw new CliError(`${what} ${path} cannot be read: ${(error as Error).message}`);
  }
}

/** A JSON file, parsed; malformed JSON names the file, the line and the column. */
export async function readJsonFile(path: string, what: string): Promise<unknown> {
  return parseJsonText(await readTextFile(path, what), `${what} ${path}`);
}

/**
 * A JSON file checked against a contract by `parse` (which throws a ContractError naming each bad
 * field): one line naming the file and every problem in it, e.g.
 * `accounts file a.json is invalid: [3].timezone: expected an IANA time zone, e.g. Europe/Paris`.
 */
export async function readContractFile<T>(path: string, what: string, parse: (raw: unknown) => T | Promise<T>): Promise<T> {
  const raw = await readJsonFile(path, what);
  try {
    return await parse(raw);
  } catch (error) {
    if (error instanceof ContractError) throw new CliError(`${what} ${path} is invalid: ${error.problems.join('; ')}`);
    throw error;
  }
}

/** JSON text, parsed; an error says where (`<place>:<line>:<column>`) and what. */
export function parseJsonText(text: string, place: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    // V8 gives no position for most syntax errors: jsonc-parser (VS Code's) locates the first one.
    const errors: ParseError[] = [];
    parseJsonc(text, errors, { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false });
    const [first] = errors;
    if (!first) throw new CliError(`${place} is not valid JSON: ${(error as Error).message}`);
    const { line, column } = lineAndColumn(text, first.offset);
    throw new CliError(`${place}:${line}:${column} is not valid JSON: ${JSON_ERRORS[printParseErrorCode(first.error)] ?? printParseErrorCode(first.error)}`);
  }
}

/** jsonc-parser's codes, as a person reads them. */
const JSON_ERRORS: Record<string, string> = {
  InvalidSymbol: 'unexpected character',
  InvalidNumberFormat: 'invalid number',
  PropertyNameExpected: 'a property name in double quotes was expected (a trailing comma?)',
  ValueExpected: 'a value was expected',
  ColonExpected: 'a colon was expected',
  CommaExpected: 'a comma was expected',
  CloseBraceExpected: 'a closing } was expected',
  CloseBracketExpected: 'a closing ] was expected',
  EndOfFileExpected: 'nothing may follow the value',
  InvalidCommentToken: 'JSON has no comments',
  UnexpectedEndOfComment: 'JSON has no comments',
  UnexpectedEndOfString: 'a string is not closed',
  UnexpectedEndOfNumber: 'a number is cut short',
  InvalidUnicode: 'invalid \\u escape',
  InvalidEscapeCharacter: 'invalid escape character',
  InvalidCharacter: 'invalid character in a string (a raw line break or tab?)',
};

function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  return { line, column: offset - before.lastIndexOf('\n') };
}

/**
 * `fetch` to the running sandbox (or a stage's endpoint): a refused connection says the sandbox is not
 * running at that URL and how to start it.
 */
export async function fetchSandbox(url: string, init?: RequestInit): Promise<Response> {
  try {
    return await fetch(url, init);
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause;
    const origin = new URL(url).origin;
    if (cause?.code === 'ECONNREFUSED') throw new CliError(`no sandbox answers at ${origin}: start one with \`npm start\` (or pass --url, or set PORT)`);
    if (cause?.code === 'ENOTFOUND') throw new CliError(`${origin} does not resolve: check --url`);
    throw new CliError(`${origin} did not answer: ${cause?.code ?? (error as Error).message}`);
  }
}
