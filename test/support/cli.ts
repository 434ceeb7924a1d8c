import { execFile } from 'node:child_process';
import { expect } from 'vitest';

/** What a run of the `playbooks` command gave: its exit code and both streams. */
export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * `npx playbooks <args>` as a user runs it: `node sandbox/playbooks.mjs` as a child process, from the
 * repository's root, with `env` over this process's environment (PORT unset unless given).
 */
export function playbooks(args: string[], env: NodeJS.ProcessEnv = {}): Promise<CliRun> {
  const { PORT: _port, ...inherited } = process.env;
  return new Promise((resolve) => {
    execFile(process.execPath, ['sandbox/playbooks.mjs', ...args], { env: { ...inherited, ...env } }, (error, stdout, stderr) => {
      resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr });
    });
  });
}

/** The CLI's answer to a mistake: `exitCode`, nothing on stdout, and one line on stderr (no stack trace) matching `message`. */
export function expectOneLineError(run: CliRun, exitCode: 1 | 2, message: string | RegExp): void {
  expect(run.stderr).toMatch(/^playbooks: [^\n]+\n$/);
  expect(run.stderr.slice('playbooks: '.length, -1)).toMatch(typeof message === 'string' ? new RegExp(`^${message.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`) : message);
  expect(run.stdout).toBe('');
  expect(run.code).toBe(exitCode);
}
