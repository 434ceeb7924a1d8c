import { CliError, type Command } from './command.ts';
import { readContractFile } from './io.ts';
import { parseOptions, stageSettings } from './options.ts';
import { offsetMinutesOf, progressDisplay } from './progress.ts';

export const simulate: Command = {
  name: 'simulate',
  summary: 'run a scenario on a virtual clock and print its report',
  usage: `playbooks simulate <scenario.json> [--json] [--stage dev]

  Run a scenario on a virtual clock and print its report (JSON with --json).
  A run longer than a few seconds shows the virtual date reached on stderr, when it is a terminal.
  --stage runs with that stage's settings (stages/<stage>.json), as deployed; the scenario's
  "config" is merged over them. Warnings (an event after "until", an event for an account
  the scenario does not have) go to stderr and into the report's "warnings".`,
  async run(args) {
    const { values, positionals } = parseOptions({ args, allowPositionals: true, options: { json: { type: 'boolean' }, stage: { type: 'string' } } }, 1);
    const [file] = positionals;
    if (!file) throw new CliError('simulate needs a scenario file: playbooks simulate <scenario.json>', 2);
    const baseSettings = await stageSettings(values.stage);
    // The engine is loaded once the command line is known good (`--help` and usage errors answer at
    // once), while the file is read: a missing or malformed file is said without waiting for it.
    const engine = Promise.all([import('../report/format.ts'), import('../simulate/scenario.ts'), import('../simulate/simulate.ts')]);
    const scenario = await readContractFile(file, 'scenario', async (raw) => (await engine)[1].parseScenario(raw));
    const [{ formatReport }, , { simulate: runScenario }] = await engine;
    for (const warning of scenario.warnings) console.error(`playbooks: warning: ${warning}`);
    // On stderr, and only to a terminal: stdout is the report (or --json) and nothing else.
    const progress = progressDisplay(process.stderr, { offsetMinutes: offsetMinutesOf(scenario.start) });
    let report;
    try {
      report = await runScenario(scenario, { baseSettings, onProgress: (reached) => progress.update(reached) });
    } finally {
      progress.clear();
    }
    console.log(values.json ? JSON.stringify(report, null, 2) : formatReport(report));
    return 0;
  },
};
