import { describe, expect, it } from 'vitest';
import { COMMANDS } from '../../sandbox/commands/index.ts';
import { SIGNED_VENDORS } from '../../sandbox/vendor-signing.ts';
import { playbooks } from '../support/cli.ts';

// `playbooks` as a newcomer meets it: the list of commands, then each command's usage. The list is
// the CLI's own (COMMANDS): a command added later is covered here without a line more.

describe('playbooks, with no command or asking for help', () => {
  it('given playbooks alone, or --help, -h or help, then every command with its summary, exit 0', async () => {
    const [alone, ...asked] = await Promise.all([[], ['--help'], ['-h'], ['help']].map((args) => playbooks(args)));

    expect(alone!.code).toBe(0);
    expect(alone!.stderr).toBe('');
    for (const command of COMMANDS) expect(alone!.stdout).toMatch(new RegExp(`^  ${command.name} +${command.summary.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`, 'm'));
    for (const run of asked) expect(run).toEqual(alone);
  });
});

describe('every subcommand answers --help and -h with its usage', () => {
  it.each(COMMANDS.map((command) => command.name))('given playbooks %s --help, or -h, then its usage on stdout, exit 0', async (name) => {
    const command = COMMANDS.find((candidate) => candidate.name === name)!;
    const [long, short] = await Promise.all([playbooks([name, '--help']), playbooks([name, '-h'])]);

    expect(long).toEqual({ code: 0, stdout: `${command.usage}\n`, stderr: '' });
    expect(short).toEqual(long);
    expect(command.usage).toMatch(new RegExp(`^playbooks ${name}\\b`));
  });

  it('given playbooks help send, then the usage of send, as with send --help', async () => {
    const send = COMMANDS.find((command) => command.name === 'send')!;
    expect(await playbooks(['help', 'send'])).toEqual({ code: 0, stdout: `${send.usage}\n`, stderr: '' });
  });

  it('given --help among other options, even wrong ones, then the usage: help comes first', async () => {
    const run = await playbooks(['simulate', '--bogus', '--help']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^playbooks simulate <scenario\.json>/);
  });

  it("given send's usage, then it names every vendor a payload can be signed for", () => {
    const send = COMMANDS.find((command) => command.name === 'send')!;
    expect(send.usage).toContain(`--vendor ${SIGNED_VENDORS.join('|')}`);
  });
});
