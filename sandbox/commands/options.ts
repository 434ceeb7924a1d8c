import { parseArgs, type ParseArgsConfig } from 'node:util';
import { resolveSettings } from '../../functions/contracts/index.ts';
import { stageConfig } from '../../lib/stages.ts';
import { CliError } from './command.ts';

/** `parseArgs`, with its errors (an unknown option, a missing value) as one-line usage errors. */
export function parseOptions<T extends ParseArgsConfig>(config: T) {
  try {
    return parseArgs(config);
  } catch (error) {
    throw new CliError((error as Error).message.split('\n')[0]!, 2);
  }
}

/** The running sandbox's address: `--url`, else `http://127.0.0.1:$PORT` (3000). */
export function baseUrl(url: string | undefined): string {
  return (url ?? `http://127.0.0.1:${process.env.PORT ?? 3000}`).replace(/\/+$/, '');
}

/** A stage's settings as deployed (the defaults deep-merged with lib/stages.ts). */
export function stageSettings(stage = 'dev') {
  try {
    return resolveSettings(stageConfig(stage).settings);
  } catch (error) {
    throw new CliError((error as Error).message, 2);
  }
}

/** `LOG_LEVEL` for the sandbox's functions; silent unless asked. */
export function logLevel() {
  const level = process.env.LOG_LEVEL?.toUpperCase();
  return level === 'DEBUG' || level === 'INFO' || level === 'WARN' || level === 'ERROR' ? level : 'SILENT';
}
