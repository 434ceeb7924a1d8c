import type { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, vi } from 'vitest';
import { DOMAIN_IDS, type DomainId } from '../../lib/catalog.ts';
import type { CsPlaybooksStack } from '../../lib/cs-playbooks-stack.ts';
import { asArray, logicalId, synthesize } from './synth.ts';

/**
 * The dev stage the stack tests read, synthesized without esbuild: no test here reads a bundle (those
 * read the bundles the run synthesized once, see bundles/shipped-dev-stage.ts); without bundling, the
 * template differs only by the assets' S3 keys and `aws:asset:*` metadata.
 *
 * Synthesized once per worker, the first time a file asks (`synthesizeDevStage` in its top level), and
 * shared by the next files of that worker (vitest.config.ts: `isolate: false`). The template is read at
 * once and the assembly's directory removed: vitest kills its workers at the end of a run, so no later
 * hook could.
 * A file that synthesizes the dev stage runs its apps without aws-cdk-lib's built-in CloudFormation
 * validation (`CDK_VALIDATION=false`, as `cdk synth --no-validation`): it starts a WebAssembly engine,
 * seconds of CPU, and only adds findings to validation-report.json, which these tests never read; the
 * template is the same. nag.test.ts synthesizes every stage with it and asserts that report is clean.
 *
 * ES modules export live bindings: a file's tests see these once its beforeAll has run.
 */
export let template: Template;
export let stack: CsPlaybooksStack;

let synthesized: { template: Template; stack: CsPlaybooksStack } | undefined;

export function synthesizeDevStage(): void {
  beforeAll(() => {
    // For the file's own syntheses too; put back after the file (test/support/file-hygiene.ts).
    vi.stubEnv('CDK_VALIDATION', 'false');
    synthesized ??= synthesizeOnce();
    ({ template, stack } = synthesized);
  });
}

function synthesizeOnce() {
  const dev = synthesize('dev', { bundle: false });
  dev.dispose();
  return { template: dev.template, stack: dev.stack };
}

export const resourcesOf = (type: string) => Object.entries(template.findResources(type));
export const domainIds: readonly DomainId[] = DOMAIN_IDS;
export const roleOf = (domain: DomainId) =>
  (template.toJSON().Resources[logicalId(stack.functions[domain])].Properties.Role as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0];
export const actionsOf = (statements: { Action: string | string[] }[]) => statements.flatMap((s) => asArray(s.Action));
