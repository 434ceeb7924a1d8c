import { formatReport } from '../report/format.ts';
import { parseScenario } from '../simulate/scenario.ts';
import { simulate as runScenario } from '../simulate/simulate.ts';
import { CliError, type Command } from './command.ts';
import { readJsonFile } from './io.ts';
import { parseOptions, stageSettings } from './options.ts';
import { offsetMinutesOf, progressDisplay } from './progress.ts';

export const simulate: Command = {
  name: 'simulate',
  summary: 'run a scenario on a virtual clock and print its report',
  usage: `playbooks simulate <scenario.json> [--json] [--stage dev]

  Run a scenario on a virtual clock and print its report (JSON with --json).
  A run longer than a few seconds shows the virtual date reached on stderr, when it is a terminal.
  --stage runs with that stage's settings (lib/stages.ts), as deployed; the scenario's
  "config" is merged over them.`,
  async run(args) {
    const { values, positionals } = parseOptions({ args, allowPositionals: true, options: { json: { type: 'boolean' }, stage: { type: 'string' } } });
    const [file] = positionals;
    if (!file) throw new CliError('simulate needs a scenario file: playbooks simulate <scenario.json>', 2);
    const scenario = parseScenario(await readJsonFile(file, 'scenario'));
    // On stderr, and only to a terminal: stdout is the report (or --json) and nothing else.
    const progress = progressDisplay(process.stderr, { offsetMinutes: offsetMinutesOf(scenario.start) });
    let report;
    try {
      report = await runScenario(scenario, { baseSettings: stageSettings(values.stage), onProgress: (reached) => progress.update(reached) });
    } finally {
      progress.clear();
    }
    console.log(values.json ? JSON.stringify(report, null, 2) : formatReport(report));
    return 0;
  },
};
