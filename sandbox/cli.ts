import { approvals, approve, cancelApproval } from './commands/approvals.ts';
import { CliError, type Command } from './commands/command.ts';
import { importCommand } from './commands/import.ts';
import { logLevel } from './commands/options.ts';
import { send } from './commands/send.ts';
import { simulate } from './commands/simulate.ts';
import { start } from './commands/start.ts';

/** Every subcommand, in the order `playbooks --help` lists them. */
const COMMANDS: readonly Command[] = [start, send, importCommand, simulate, approvals, approve, cancelApproval];

const HELP_FLAGS = new Set(['--help', '-h', 'help']);

function overview(): string {
  const width = Math.max(...COMMANDS.map((command) => command.name.length));
  return `playbooks <command> [options]   (playbooks <command> --help for its usage)

${COMMANDS.map((command) => `  ${command.name.padEnd(width)}  ${command.summary}`).join('\n')}

Environment: PORT, STANDARD_WEBHOOK_SECRETS and APPROVAL_SIGNING_SECRETS (comma-separated whsec_…
secrets; both default to the development secret), <VENDOR>_WEBHOOK_SECRETS (TYPEFORM_, HUBSPOT_,
ZENDESK_, SLACK_: each defaults to its development secret), LOG_LEVEL.`;
}

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || HELP_FLAGS.has(name)) {
    console.log(overview());
    return 0;
  }
  const command = COMMANDS.find((candidate) => candidate.name === name);
  if (!command) throw new CliError(`unknown command "${name}": the commands are ${COMMANDS.map((candidate) => candidate.name).join(', ')} (playbooks --help)`, 2);
  if (rest.some((arg) => arg === '--help' || arg === '-h')) {
    console.log(command.usage);
    return 0;
  }
  return command.run(rest);
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
