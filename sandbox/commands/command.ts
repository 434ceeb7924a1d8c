/**
 * One subcommand of `playbooks`: its name, the line `playbooks --help` shows, the usage
 * `playbooks <name> --help` prints, and what it does. A command that cannot do its job throws
 * `CliError` with one line saying what was wrong and how to fix it; the dispatcher prints it.
 */
export interface Command {
  readonly name: string;
  /** One line, for the command list. */
  readonly summary: string;
  /** The whole usage: synopsis, options, examples. */
  readonly usage: string;
  run(args: string[]): Promise<number>;
}

/**
 * A user's mistake or an unreachable sandbox, said in one line (`exitCode` 2 for a usage error, 1 for
 * anything else). Never a stack trace: what was wrong, and how to fix it.
 */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: 1 | 2 = 1,
  ) {
    super(message);
    this.name = 'CliError';
  }
}
