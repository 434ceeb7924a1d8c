import { Stack, type CfnElement } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import type { IConstruct } from 'constructs';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildApp } from '../../lib/app.ts';
import type { PlaybookEntry } from '../../lib/catalog.ts';
import type { StageName } from '../../lib/stages.ts';

/**
 * One stage synthesized as `cdk synth` does (same flags, same nag packs), into `outdir` (by default a
 * temporary directory). `bundle: false` skips esbuild (CDK's `aws:cdk:bundling-stacks`): for assertions
 * that never read a bundle, a synthesis then costs no bundling at all.
 */
export function synthesize(
  stage: StageName,
  { bundle, nag = true, playbooks, outdir = mkdtempSync(join(tmpdir(), `cdk-${stage}-`)) }: { bundle: boolean; nag?: boolean; playbooks?: readonly PlaybookEntry[]; outdir?: string },
) {
  const { app, stack, packs } = buildApp(stage, {
    nag,
    outdir,
    ...(playbooks ? { playbooks } : {}),
    // Asset metadata (`aws:asset:path`) is what the CLI adds by default; the bundles are found by it.
    context: bundle ? { 'aws:cdk:enable-asset-metadata': true } : { 'aws:cdk:bundling-stacks': [] },
  });
  const assembly = app.synth();
  return {
    app,
    stack,
    packs,
    assembly,
    template: Template.fromStack(stack),
    dispose: () => rmSync(outdir, { recursive: true, force: true }),
  };
}

export const logicalId = (construct: IConstruct) => Stack.of(construct).getLogicalId(construct.node.defaultChild as CfnElement);

export const getAttArn = (construct: IConstruct) => ({ 'Fn::GetAtt': [logicalId(construct), 'Arn'] });

/** Every statement of the AWS::IAM::Policy resources attached to a role. */
export function statementsOfRole(template: Template, roleLogicalId: string): PolicyStatementJson[] {
  const policies = Object.values(template.findResources('AWS::IAM::Policy')).filter((policy) =>
    (policy.Properties.Roles as unknown[]).some((role) => JSON.stringify(role) === JSON.stringify({ Ref: roleLogicalId })),
  );
  return policies.flatMap((policy) => policy.Properties.PolicyDocument.Statement as PolicyStatementJson[]);
}

export interface PolicyStatementJson {
  Effect: string;
  Action: string | string[];
  Resource: unknown;
  Condition?: unknown;
}

export const asArray = <T>(value: T | T[]): T[] => (Array.isArray(value) ? value : [value]);
