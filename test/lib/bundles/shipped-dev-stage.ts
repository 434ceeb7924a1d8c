import { Template } from 'aws-cdk-lib/assertions';
import { CloudAssembly } from 'aws-cdk-lib/cx-api';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { inject } from 'vitest';
import { stackName } from '../../../lib/cs-playbooks-stack.ts';

/** Where this run's bundled dev stage is synthesized (./global-setup.ts), and where it says how that ended. */
export interface BundledDevStageRun {
  readonly assembly: string;
  readonly outcome: string;
}

export type SynthesisOutcome = { ok: true } | { ok: false; detail: string };

/** Bundling every function takes under a minute on an idle 2-core machine, and several on a shared one. */
export const SYNTHESIS_WAIT_MS = 20 * 60_000;
const POLL_MS = 200;

export interface ShippedDevStage {
  /** The template as `cdk synth -c env=dev` writes it, bundles' asset metadata included. */
  readonly template: Template;
  /** Every Lambda function of the template, by logical id, with the path of its bundle (`index.mjs`). */
  readonly bundles: readonly (readonly [logicalId: string, file: string])[];
}

/**
 * The dev stage with its Lambda bundles, as this run synthesized it once: waits for the synthesis
 * started at the run's beginning, then reads its cloud assembly. Call it in a beforeAll whose timeout
 * is SYNTHESIS_WAIT_MS, from a file in test/lib/bundles/ (the project whose global setup synthesizes it).
 */
export async function shippedDevStage(): Promise<ShippedDevStage> {
  const run = inject('bundledDevStage');
  if (!run) throw new Error('No bundled dev stage in this run: a test that reads the shipped bundles goes in test/lib/bundles/, the vitest project that synthesizes them');
  while (!existsSync(run.outcome)) await sleep(POLL_MS);
  const outcome = JSON.parse(readFileSync(run.outcome, 'utf8')) as SynthesisOutcome;
  if (!outcome.ok) throw new Error(`The dev stage's synthesis with bundles failed (test/lib/bundles/synthesize-dev-stage.ts): ${outcome.detail}`);
  const stackArtifact = new CloudAssembly(run.assembly).getStackByName(stackName('dev'));
  const template = Template.fromJSON(stackArtifact.template);
  const bundles = Object.entries(template.findResources('AWS::Lambda::Function')).map(
    ([logicalId, fn]) => [logicalId, join(run.assembly, String(fn.Metadata['aws:asset:path']), 'index.mjs')] as const,
  );
  return { template, bundles };
}
