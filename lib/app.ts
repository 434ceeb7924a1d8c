import { App, type AppProps } from 'aws-cdk-lib';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { addNagChecks } from './nag.ts';
import { CsPlaybooksStack, stackName, type CsPlaybooksStackProps } from './cs-playbooks-stack.ts';
import { PROJECT_ROOT } from './project-root.ts';
import { stageConfig, type StageName } from './stages.ts';

/** One stage's stack in `app`. */
export function buildStack(app: App, stage: StageName, options: Omit<CsPlaybooksStackProps, 'stage'> = {}): CsPlaybooksStack {
  return new CsPlaybooksStack(app, stackName(stage), { stage: stageConfig(stage), ...options });
}

export interface BuildAppOptions extends AppProps {
  /** Register the cdk-nag packs (default true, as `cdk synth` does). */
  readonly nag?: boolean;
  /** Tests only: synthesize these playbooks instead of the catalog's (an ASL fixture). */
  readonly playbooks?: CsPlaybooksStackProps['playbooks'];
}

/**
 * The whole application for one stage, as `cdk synth -c env=<stage>` builds it, for tests: the same
 * feature flags (cdk.json's context), the same stack, the same nag packs.
 */
export function buildApp(stage: StageName, { nag = true, context, playbooks, ...appProps }: BuildAppOptions = {}) {
  const app = new App({ ...appProps, context: { ...cdkJsonContext(), env: stage, ...context } });
  const stack = buildStack(app, stage, playbooks ? { playbooks } : {});
  const packs = nag ? addNagChecks(app) : undefined;
  return { app, stack, packs };
}

function cdkJsonContext(): Record<string, unknown> {
  const cdkJson = JSON.parse(readFileSync(join(PROJECT_ROOT, 'cdk.json'), 'utf8')) as { context?: Record<string, unknown> };
  return cdkJson.context ?? {};
}
