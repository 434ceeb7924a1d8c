import { Stack, Validations, type App, type CfnElement } from 'aws-cdk-lib';
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

/** How cdk-nag prints `Fn::GetAtt [<resource>, Arn]` in an IAM5 finding: `<LogicalId.Arn>`. */
export function nagArn(resource: IConstruct): string {
  const element = resource.node.defaultChild as CfnElement | undefined;
  if (!element) throw new Error(`${resource.node.path} has no CloudFormation resource`);
  return `<${Stack.of(resource).getLogicalId(element)}.Arn>`;
}
