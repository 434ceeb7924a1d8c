import type { Template } from 'aws-cdk-lib/assertions';
import { afterAll, beforeAll, vi } from 'vitest';
import { FUNCTIONS, type FunctionId } from '../../lib/catalog.ts';
import type { CsPlaybooksStack } from '../../lib/cs-playbooks-stack.ts';
import { asArray, logicalId, synthesize } from './synth.ts';

/**
 * The dev stage the stack tests read, synthesized once per test file by `synthesizeDevStage`, whose
 * beforeAll sets these bindings (ES modules export live bindings: tests see them once it has run).
 *
 * Vitest runs every test file in a process of its own, so a synthesis cannot be shared between files:
 * each is kept as cheap as its file's tests allow. Only the file that reads the bundles runs esbuild
 * (about 10 s); without it, the template differs only by the assets' S3 keys and `aws:asset:*` metadata.
 * And no app in these files runs aws-cdk-lib's built-in CloudFormation validation (`CDK_VALIDATION=false`,
 * as `cdk synth --no-validation`): it starts a WebAssembly engine, seconds in every new process, and only
 * adds findings to validation-report.json, which these tests never read; the template is the same.
 * nag.test.ts synthesizes every stage with it and asserts that report is clean.
 */
export let dev: ReturnType<typeof synthesize>;
export let template: Template;
export let stack: CsPlaybooksStack;

export function synthesizeDevStage({ bundle }: { bundle: boolean }): void {
  beforeAll(() => {
    vi.stubEnv('CDK_VALIDATION', 'false');
    dev = synthesize('dev', { bundle });
    ({ template, stack } = dev);
  });
  afterAll(() => {
    dev?.dispose();
    vi.unstubAllEnvs();
  });
}

export const resourcesOf = (type: string) => Object.entries(template.findResources(type));
export const functionIds = Object.keys(FUNCTIONS) as FunctionId[];
export const roleOf = (functionId: FunctionId) =>
  (template.toJSON().Resources[logicalId(stack.functions[functionId])].Properties.Role as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0];
export const actionsOf = (statements: { Action: string | string[] }[]) => statements.flatMap((s) => asArray(s.Action));
