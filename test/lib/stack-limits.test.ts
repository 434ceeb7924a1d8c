import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { CsPlaybooksStack } from '../../lib/cs-playbooks-stack.ts';
import { stageConfig } from '../../lib/stages.ts';

// CloudFormation's hard limits on one stack (AWS CloudFormation User Guide, "Understand CloudFormation
// quotas"): a template of at most 1 MB (from S3, as the CDK deploys it) and 500 resources. Neither can be
// raised: a stack past either fails at deploy time, after a green build. The playbooks' definitions are
// the bulk of the template, and each new playbook adds one, so the largest stage shipped is checked here,
// with the margin left said in the failure.

const TEMPLATE_LIMIT_BYTES = 1_000_000;
const RESOURCE_LIMIT = 500;

let template: Record<string, unknown> & { Resources: Record<string, { Type: string; Properties?: Record<string, unknown> }> };

beforeAll(() => {
  vi.stubEnv('CDK_VALIDATION', 'false');
  const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
  const stack = new CsPlaybooksStack(app, 'CsPlaybooks-limits', { stage: stageConfig('prod') });
  template = Template.fromStack(stack).toJSON() as typeof template;
});
afterAll(() => vi.unstubAllEnvs());

describe('given the prod stage synthesized', () => {
  it('then its template, written without indentation as the stack writes it, is within CloudFormation’s 1 MB', () => {
    const bytes = Buffer.byteLength(JSON.stringify(template));
    expect(bytes, `${bytes} bytes: past 1 MB, move playbooks to a nested stack`).toBeLessThan(TEMPLATE_LIMIT_BYTES);
  });

  it('then the state machines’ definitions are inlined without indentation (indentation was a third of their bytes)', () => {
    const definitions = Object.values(template.Resources).filter((resource) => resource.Type === 'AWS::StepFunctions::StateMachine');
    expect(definitions.length).toBeGreaterThan(0);
    for (const { Properties } of definitions) expect(Properties?.DefinitionString).not.toMatch(/\n/);
  });

  it('then it has fewer than CloudFormation’s 500 resources per stack', () => {
    expect(Object.keys(template.Resources).length).toBeLessThan(RESOURCE_LIMIT);
  });
});
