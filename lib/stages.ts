import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { ContractError, describeIssues, mergeSettings, Settings, type DeepPartial } from '../functions/contracts/index.ts';
import { z } from '../functions/contracts/zod.ts';
import { WebhooksConfigSchema, type WebhooksConfig } from '../functions/ingest/senders.ts';
import { PROJECT_ROOT } from './project-root.ts';
import { VendorConfigSchema, type VendorConfig } from './vendors.ts';

/**
 * Everything that differs between environments: one JSON file per stage in stages/ (stages/prod.json),
 * which a company edits, or adds to (stages/eu-prod.json makes the stage eu-prod), without touching
 * TypeScript. `npx cdk synth -c env=<stage>` and `playbooks … --stage <stage>` load one, checked by
 * StageFile; settings overrides are deep-merged over the docs/playbooks.md defaults.
 */
export interface StageConfig {
  readonly settings: DeepPartial<Settings>;
  /** Keep data when the stack is deleted (prod, staging), or clean up (dev). */
  readonly retainData: boolean;
  readonly logRetentionDays: 7 | 30 | 90 | 365;
  /**
   * Days the event archive keeps every domain event, for replays. Shorter than the logs (never longer:
   * the stack refuses it) because the archive keeps whole events, with contacts' names, e-mail
   * addresses and NPS comments, while the logs carry no event data. A replay follows an incident that
   * an alarm reports within minutes; a few weeks of events cover its fix. Keeping customer data
   * longer than that purpose needs is what data minimisation forbids.
   */
  readonly archiveRetentionDays: number;
  /** Requests per second the webhook endpoint accepts before answering 429. */
  readonly webhookRateLimit: number;
  /** The CRM, Slack and SES the ledger is mirrored to (lib/vendors.ts); none: the ledger's outbox. */
  readonly vendors?: VendorConfig;
  /**
   * Who may post what (functions/ingest/senders.ts): the detail-types each vendor's path may publish,
   * and the senders of `/webhooks/events` with theirs, each with a secret of its own. None: the defaults.
   */
  readonly webhooks?: WebhooksConfig;
}

/** A stage's name: the name of its file in stages/, without `.json`. */
export type StageName = string;

export type Stage = StageConfig & { readonly name: StageName };

/** Where the stage files are. */
export const STAGES_DIR = join(PROJECT_ROOT, 'stages');

/** It names the stack (CsPlaybooks-<stage>), its bus, metrics namespace and state machines. */
const STAGE_NAME = /^[a-z][a-z0-9-]{0,39}$/;

/**
 * A stage's settings overrides: any part of Settings, at any depth. Checked as resolveSettings uses
 * them, merged over the defaults, so a misspelt key, a wrong type or an out-of-range value is named at
 * its place (`settings.nps.detractorCoolDown`), and a rule between two fields (business hours) holds.
 */
const SettingsOverrides = z.record(z.string(), z.unknown()).check(
  z.superRefine((overrides, context) => {
    const merged = Settings.safeParse(mergeSettings(overrides));
    if (merged.success) return;
    for (const issue of merged.error.issues) context.addIssue({ code: 'custom', path: issue.path, message: issue.message, input: overrides });
  }),
);

/** What a stage file holds: a StageConfig, checked field by field (strict: a misspelt key is an error). */
export const StageFile = z
  .strictObject({
    settings: z.optional(SettingsOverrides),
    retainData: z.boolean(),
    logRetentionDays: z.literal([7, 30, 90, 365]),
    archiveRetentionDays: z.int().check(z.gte(1), z.lte(365)),
    webhookRateLimit: z.int().check(z.gte(1), z.lte(10_000)),
    vendors: z.optional(VendorConfigSchema),
    webhooks: z.optional(WebhooksConfigSchema),
  })
  .check(
    z.refine((stage) => stage.archiveRetentionDays <= stage.logRetentionDays, {
      message: 'expected at most logRetentionDays: the archive keeps whole events, never longer than the logs',
      path: ['archiveRetentionDays'],
    }),
  );

/** The stages: one per `<name>.json` in `dir` (stages/), in alphabetical order. */
export function stageNames(dir: string = STAGES_DIR): StageName[] {
  let files: string[];
  try {
    files = readdirSync(dir);
  } catch {
    return [];
  }
  return files
    .filter((file) => file.endsWith('.json'))
    .map((file) => file.slice(0, -'.json'.length))
    .sort();
}

/** What an unknown stage's error says: `the stages are the files dev.json, prod.json, staging.json in stages/`. */
export function listStages(dir: string = STAGES_DIR): string {
  const names = stageNames(dir);
  return `the stages are the files ${names.length ? names.map((stage) => `${stage}.json`).join(', ') : '(none)'} in ${shown(dir)}${sep}`;
}

/**
 * The stage `name`, read from its file in `dir` (stages/) and checked. Throws one line: no stage or an
 * unknown one (naming the files there), a file that is not JSON, or one naming each bad field.
 */
export function stageConfig(name: unknown, dir: string = STAGES_DIR): Stage {
  if (name === undefined || name === '') throw new Error(`No stage given: ${listStages(dir)} (cdk: -c env=<stage>; playbooks: --stage <stage>)`);
  if (typeof name !== 'string' || !stageNames(dir).includes(name)) throw new Error(`Unknown stage ${JSON.stringify(name)}: ${listStages(dir)}`);
  const file = join(dir, `${name}.json`);
  if (!STAGE_NAME.test(name)) {
    throw new Error(`${shown(file)}: a stage is named in lower case letters, digits and -, 40 at most, starting with a letter (it names the stack CsPlaybooks-<stage>)`);
  }
  return { name, ...parseStageFile(readFileSync(file, 'utf8'), shown(file)) };
}

/** A stage file's text, parsed and checked; `file` names it in the error. */
export function parseStageFile(text: string, file: string): StageConfig {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new Error(`${file} is not JSON: ${(error as Error).message}`);
  }
  const result = StageFile.safeParse(json);
  if (!result.success) throw new ContractError(file, describeIssues(result.error));
  const { settings = {}, vendors, webhooks, ...rest } = result.data;
  return { settings: settings as DeepPartial<Settings>, ...rest, ...(vendors ? { vendors } : {}), ...(webhooks ? { webhooks } : {}) };
}

/** A path as the user reads it: relative to the repository when inside it (stages/prod.json). */
function shown(path: string): string {
  const inside = relative(PROJECT_ROOT, path);
  return inside && !inside.startsWith('..') ? inside : path;
}
