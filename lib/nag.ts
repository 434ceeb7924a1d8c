import { Validations, type App } from 'aws-cdk-lib';
import { AwsSolutionsChecks, ServerlessChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';

/**
 * cdk-nag 3 runs as a CDK policy-validation plugin: findings end `cdk synth` (errors) or are printed
 * (warnings), and are written to the assembly's validation report. Each pack is returned so tests can
 * also call `validateScope()` and see warnings, which never fail a synthesis.
 */
export function addNagChecks(app: App): { awsSolutions: AwsSolutionsChecks; serverless: ServerlessChecks } {
  const awsSolutions = new AwsSolutionsChecks(app);
  const serverless = new ServerlessChecks(app);
  Validations.of(app).addPlugins(awsSolutions, serverless);
  return { awsSolutions, serverless };
}

/**
 * Acknowledge one cdk-nag finding on one construct (and its children only). `id` is a rule id or, for
 * granular rules such as IAM5, `RuleId[Finding]`: the v3 form of v2's `appliesTo`.
 */
export function acknowledge(scope: IConstruct, id: string, reason: string): void {
  Validations.of(scope).acknowledge({ id, reason });
}
