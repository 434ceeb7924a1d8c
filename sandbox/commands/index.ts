import { approvals, approve, cancelApproval } from './approvals.ts';
import type { Command } from './command.ts';
import { held, release } from './held.ts';
import { importCommand } from './import.ts';
import { executions, history, redrive, replay } from './ops.ts';
import { send } from './send.ts';
import { simulate } from './simulate.ts';
import { start } from './start.ts';

/** Every subcommand, in the order `playbooks --help` lists them. */
export const COMMANDS: readonly Command[] = [start, send, importCommand, simulate, approvals, approve, cancelApproval, held, release, executions, history, redrive, replay];
