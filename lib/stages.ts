import type { DeepPartial, Settings } from '../functions/contracts/index.ts';
import type { VendorConfig } from './vendors.ts';

/**
 * Everything that differs between environments, in one place. `npx cdk synth -c env=<stage>`
 * picks one; settings overrides are deep-merged over the docs/playbooks.md defaults.
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
}

export const STAGES = {
  dev: { settings: {}, retainData: false, logRetentionDays: 7, archiveRetentionDays: 7, webhookRateLimit: 20 },
  staging: { settings: {}, retainData: true, logRetentionDays: 30, archiveRetentionDays: 14, webhookRateLimit: 50 },
  prod: { settings: {}, retainData: true, logRetentionDays: 365, archiveRetentionDays: 30, webhookRateLimit: 200 },
} as const satisfies Record<string, StageConfig>;

export type StageName = keyof typeof STAGES;

export function stageConfig(name: unknown): StageConfig & { name: StageName } {
  const stages = Object.keys(STAGES).join('|');
  if (name === undefined) throw new Error(`No stage given: the stages are ${stages} (cdk: -c env=<stage>; playbooks: --stage <stage>)`);
  if (typeof name !== 'string' || !(name in STAGES)) throw new Error(`Unknown stage ${JSON.stringify(name)}: the stages are ${stages}`);
  return { name: name as StageName, ...STAGES[name as StageName] };
}
