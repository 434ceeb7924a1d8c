import { parseArgs, type ParseArgsConfig } from 'node:util';
import type { Settings } from '../../functions/contracts/index.ts';
import type { WebhookSenders } from '../../functions/ingest/senders.ts';
import type { Stage } from '../../lib/stages.ts';
import { didYouMean } from '../did-you-mean.ts';
import { CliError } from './command.ts';

/**
 * `parseArgs`, with its errors said the way a user fixes them (an unknown option with the closest
 * one, an option missing its value), and at most `maxPositionals` arguments besides the options: an
 * extra one is refused, never ignored. Every error here is a usage error (exit 2).
 */
export function parseOptions<T extends ParseArgsConfig>(config: T, maxPositionals = 0) {
  let parsed: ReturnType<typeof parseArgs<T>>;
  try {
    parsed = parseArgs(config);
  } catch (error) {
    throw new CliError(optionError(error as Error & { code?: string }, Object.keys(config.options ?? {})), 2);
  }
  const [extra] = ((parsed as { positionals?: string[] }).positionals ?? []).slice(maxPositionals);
  if (extra !== undefined) throw new CliError(unexpectedArgument(extra, maxPositionals), 2);
  return parsed;
}

const unexpectedArgument = (argument: string, maxPositionals: number) => `unexpected argument "${argument}"${maxPositionals === 0 ? ': this command takes options only' : ''}`;

function optionError(error: Error & { code?: string }, options: string[]): string {
  const quoted = /'([^' ]+)/.exec(error.message)?.[1] ?? '';
  switch (error.code) {
    case 'ERR_PARSE_ARGS_UNKNOWN_OPTION':
      return `unknown option ${quoted}${didYouMean(quoted.replace(/^-+/, ''), options).replace(/"(.+)"/, '--$1')}`;
    case 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE':
      return error.message.includes('argument missing') ? `${quoted} needs a value` : `${quoted} takes no value`;
    case 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL':
      return unexpectedArgument(quoted, 0);
    default:
      return error.message.split('\n')[0]!;
  }
}

/** A TCP port from `--port` or `PORT`: 1 to 65535, or 0 for any free one. A bad one is a usage error naming where it came from. */
export function portOption(port: string | undefined, env: NodeJS.ProcessEnv = process.env): number {
  const [value, source] = port !== undefined ? [port, '--port '] : [env.PORT, 'PORT='];
  // An empty PORT is an unset one (`PORT= npm start`); an empty --port is a mistake.
  if (value === undefined || (value === '' && source === 'PORT=')) return 3000;
  if (!/^\d{1,5}$/.test(value) || Number(value) > 65535) {
    throw new CliError(`${source}"${value}" is not a port: give a number from 1 to 65535, or 0 for any free one`, 2);
  }
  return Number(value);
}

/** The running sandbox's address: `--url`, else `http://127.0.0.1:$PORT` (3000). */
export function baseUrl(url: string | undefined, env: NodeJS.ProcessEnv = process.env): string {
  if (url === undefined) return `http://127.0.0.1:${portOption(undefined, env)}`;
  if (!URL.canParse(url) || !/^https?:$/.test(new URL(url).protocol)) throw new CliError(`--url "${url}" is not an http(s) URL: e.g. --url http://127.0.0.1:3000`, 2);
  return url.replace(/\/+$/, '');
}

/**
 * `--stage <stage>`: its file (stages/<stage>.json), read and checked by the loader `cdk synth` uses
 * (lib/stages.ts). An unknown stage is a usage error naming the closest one and the stage files; a bad
 * file names itself and each bad field. Loaded on demand: `--help` and usage errors answer without the
 * contracts.
 */
export async function stageOption(stage: string, dir?: string): Promise<Stage> {
  const { listStages, stageConfig, stageNames } = await import('../../lib/stages.ts');
  const stages = stageNames(dir);
  if (!stages.includes(stage)) throw new CliError(`unknown stage "${stage}"${didYouMean(stage, stages)}: ${listStages(dir)}`, 2);
  return stageConfig(stage, dir);
}

/** A stage's settings as deployed: the defaults deep-merged with its file's `settings` (stageOption; `dir`: tests' own stage files). */
export async function stageSettings(stage = 'dev', dir?: string): Promise<Settings> {
  const [{ resolveSettings }, config] = await Promise.all([import('../../functions/contracts/index.ts'), stageOption(stage, dir)]);
  return resolveSettings(config.settings);
}

/** Who may post what to a stage's webhooks (its file's `webhooks` over the defaults, functions/ingest/senders.ts), as the ingest enforces it. */
export async function stageWebhookSenders(stage = 'dev', dir?: string): Promise<WebhookSenders> {
  const [{ webhookSenders }, config] = await Promise.all([import('../../functions/ingest/senders.ts'), stageOption(stage, dir)]);
  return webhookSenders(config.webhooks);
}

/** `LOG_LEVEL` for the sandbox's functions; silent unless asked. */
export function logLevel() {
  const level = process.env.LOG_LEVEL?.toUpperCase();
  return level === 'DEBUG' || level === 'INFO' || level === 'WARN' || level === 'ERROR' ? level : 'SILENT';
}
