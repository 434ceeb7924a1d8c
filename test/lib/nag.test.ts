import { Validations } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';
import { AwsSolutionsChecks, ServerlessChecks } from 'cdk-nag';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stageNames, type StageName } from '../../lib/stages.ts';
import { synthesize } from './synth.ts';

// cdk-nag 3 is a policy-validation plugin: an unacknowledged error fails `app.synth()`, a warning does
// not, so both are read back: from the validation report `cdk synth` prints, and from each pack.
// No bundling: no rule reads a bundle's code.

const stages = stageNames();
const synthesized = new Map<StageName, ReturnType<typeof synthesize>>();

beforeAll(() => {
  for (const stage of stages) synthesized.set(stage, synthesize(stage, { bundle: false }));
});
afterAll(() => {
  for (const s of synthesized.values()) s.dispose();
});

describe.each(stages)('given the %s stage with the AwsSolutions and Serverless packs', (stage) => {
  it('when synthesized, then the validation report has no unacknowledged finding, error or warning', () => {
    const { assembly } = synthesized.get(stage)!;
    const report = JSON.parse(readFileSync(join(assembly.directory, 'validation-report.json'), 'utf8')) as {
      pluginReports: { pluginName: string; violations?: unknown[] }[];
    };
    const findings = report.pluginReports.flatMap((plugin) => (plugin.violations ?? []).map((v) => `${plugin.pluginName}: ${JSON.stringify(v)}`));
    expect(findings).toEqual([]);
  });

  it.each(['awsSolutions', 'serverless'] as const)('when the %s pack walks the app, then it finds nothing unacknowledged', (pack) => {
    const { app, packs } = synthesized.get(stage)!;
    const violations = packs![pack].validateScope(app).violations;
    expect(violations.map((v) => `${v.severity} ${v.ruleName}: ${v.violatingResources.map((r) => r.constructPath).join(', ')}`)).toEqual([]);
  });
});

describe('the acknowledgements', () => {
  interface Ack {
    path: string;
    id: string;
    reason: string;
  }
  const acks: Ack[] = [];
  let rawFindings: { rule: string; path: string }[] = [];

  // The same app, with acknowledge() recorded instead of applied, synthesized without the plugins
  // (their errors would stop it) and walked by the packs: the raw findings each ack must answer.
  beforeAll(() => {
    const original = Validations.prototype.acknowledge;
    Validations.prototype.acknowledge = function (this: Validations, ...rules) {
      const scope = (this as unknown as { scope: IConstruct }).scope;
      for (const rule of rules) acks.push({ path: scope.node.path, id: rule.id, reason: rule.reason });
    };
    let bare: ReturnType<typeof synthesize> | undefined;
    try {
      bare = synthesize('prod', { bundle: false, nag: false });
      rawFindings = [new AwsSolutionsChecks(), new ServerlessChecks()].flatMap((pack) =>
        pack.validateScope(bare!.app).violations.flatMap((v) => v.violatingResources.map((r) => ({ rule: v.ruleName, path: r.constructPath ?? '' }))),
      );
    } finally {
      Validations.prototype.acknowledge = original;
      bare?.dispose();
    }
  });

  it('given every acknowledgement, then it answers a finding on that very construct or its children: none is stale or broader than needed', () => {
    expect(acks.length).toBeGreaterThan(0);
    const stale = acks.filter((ack) => !rawFindings.some((f) => f.rule === ack.id && (f.path === ack.path || f.path.startsWith(`${ack.path}/`))));
    expect(stale.map((ack) => `${ack.id} on ${ack.path}`)).toEqual([]);
  });

  it('given every acknowledgement, then it names a single rule (IAM5 with its finding) and gives a specific reason', () => {
    for (const ack of acks) {
      expect(ack.id, ack.path).toMatch(/^(AwsSolutions|Serverless)-[A-Za-z0-9]+(\[.+\])?$/);
      if (ack.id.startsWith('AwsSolutions-IAM5')) expect(ack.id, ack.path).toMatch(/\[(Resource|Action)::.+\]$/);
      expect(ack.reason.length, `${ack.id} on ${ack.path}`).toBeGreaterThan(60);
    }
  });
});
