import { CliError, type Command } from './commands/command.ts';
import { COMMANDS } from './commands/index.ts';
import { logLevel } from './commands/options.ts';
import { didYouMean } from './did-you-mean.ts';

const HELP_FLAGS = new Set(['--help', '-h', 'help']);

function overview(): string {
  const width = Math.max(...COMMANDS.map((command) => command.name.length));
  return `playbooks <command> [options]   (playbooks <command> --help for its usage)

${COMMANDS.map((command) => `  ${command.name.padEnd(width)}  ${command.summary}`).join('\n')}

Environment: PORT, STANDARD_WEBHOOK_SECRETS and APPROVAL_SIGNING_SECRETS (comma-separated whsec_…
secrets; both default to the development secret), <VENDOR>_WEBHOOK_SECRETS (TYPEFORM_, HUBSPOT_,
ZENDESK_, SLACK_: each defaults to its development secret), LOG_LEVEL.`;
}

function commandNamed(name: string): Command {
  const command = COMMANDS.find((candidate) => candidate.name === name);
  const names = COMMANDS.map((candidate) => candidate.name);
  if (!command) throw new CliError(`unknown command "${name}"${didYouMean(name, names)}: the commands are ${names.join(', ')} (playbooks --help)`, 2);
  return command;
}

/** `--help`/`-h` among a command's options (not after `--`, where it would be an argument). */
const asksForHelp = (args: string[]) => args.slice(0, args.includes('--') ? args.indexOf('--') : undefined).some((arg) => arg === '--help' || arg === '-h');

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || HELP_FLAGS.has(name)) {
    // `playbooks help send` is `playbooks send --help`.
    console.log(name === 'help' && rest[0] !== undefined ? commandNamed(rest[0]).usage : overview());
    return 0;
  }
  const command = commandNamed(name);
  if (asksForHelp(rest)) {
    console.log(command.usage);
    return 0;
  }
  try {
    return await command.run(rest);
  } catch (error) {
    // A usage error points to the command's usage, unless it already says what to run.
    if (error instanceof CliError && error.exitCode === 2 && !error.message.includes('playbooks ')) throw new CliError(`${error.message}; see playbooks ${command.name} --help`, 2);
    throw error;
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    // The message is for the user; the stack only when asked for (LOG_LEVEL=DEBUG).
    if (error instanceof CliError) {
      console.error(`playbooks: ${error.message}`);
      process.exit(error.exitCode);
    }
    console.error(logLevel() === 'DEBUG' || !(error instanceof Error) ? error : `playbooks: ${error.message}`);
    process.exit(1);
  },
);
