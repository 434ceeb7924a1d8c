import { App, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as events from 'aws-cdk-lib/aws-events';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { transformSync } from 'esbuild';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TABLE_SCHEMA } from '../../functions/adapters/table.ts';
import { resolveSettings } from '../../functions/contracts/settings.ts';
import { PlaybookFunctionEnvironment } from '../../functions/runtime/environment.ts';
import { buildHolidayTable, holidayYears } from '../../lib/calendar/public-holidays.ts';
import { assertSupportedPattern } from '../../sandbox/bus/event-pattern.ts';
import { FUNCTIONS, PLAYBOOKS, substitutionKeysIn, substitutionsOf, triggerPattern, type FunctionId } from '../../lib/catalog.ts';
import { BUNDLE_BUDGET_BYTES, BundledFunction } from '../../lib/constructs/bundled-function.ts';
import { cdkEventPattern, TRIGGER_RETRY, type EventBridgePattern } from '../../lib/constructs/playbook-trigger.ts';
import { CsPlaybooksStack } from '../../lib/cs-playbooks-stack.ts';
import { PROJECT_ROOT } from '../../lib/project-root.ts';
import { STAGES, stageConfig, type StageName } from '../../lib/stages.ts';
import { asArray, getAttArn, logicalId, statementsOfRole, synthesize } from './synth.ts';

// The dev stage, synthesized once with real esbuild bundles (the bundle checks read them).
let dev: ReturnType<typeof synthesize>;
let template: Template;
let stack: CsPlaybooksStack;

beforeAll(() => {
  dev = synthesize('dev', { bundle: true });
  ({ template, stack } = dev);
});
afterAll(() => dev?.dispose());

const resourcesOf = (type: string) => Object.entries(template.findResources(type));
const functionIds = Object.keys(FUNCTIONS) as FunctionId[];
const roleOf = (functionId: FunctionId) =>
  (template.toJSON().Resources[logicalId(stack.functions[functionId])].Properties.Role as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0];
const actionsOf = (statements: { Action: string | string[] }[]) => statements.flatMap((s) => asArray(s.Action));

describe('the playbooks: one rule, one state machine per catalog entry', () => {
  it('given the catalog, when synthesized, then there is exactly one rule and one state machine per playbook', () => {
    template.resourceCountIs('AWS::Events::Rule', PLAYBOOKS.length);
    template.resourceCountIs('AWS::StepFunctions::StateMachine', PLAYBOOKS.length);
  });

  // Written out, not recomputed with triggerPattern: a change to the catalog's pattern must show here.
  it.each([
    ['nps-response', { source: ['cs-playbooks'], 'detail-type': ['NpsResponseReceived'] }],
    ['account-sync', { source: ['cs-playbooks'], 'detail-type': ['AccountUpdated'] }],
  ])('given the %s rule, then its EventPattern is literally %j, and its target gets the whole event (no Input, InputPath or InputTransformer)', (id, pattern) => {
    const rule = template.toJSON().Resources[logicalId(stack.triggers[id]!.rule)];
    expect(rule.Type).toBe('AWS::Events::Rule');
    expect(rule.Properties.EventPattern).toEqual(pattern);
    expect(rule.Properties.Targets).toHaveLength(1);
    for (const target of rule.Properties.Targets) {
      expect(target).not.toHaveProperty('Input');
      expect(target).not.toHaveProperty('InputPath');
      expect(target).not.toHaveProperty('InputTransformer');
    }
  });

  describe.each(PLAYBOOKS.map((playbook) => [playbook.id, playbook] as const))('given the %s playbook', (id, playbook) => {
    const machine = () => stack.stateMachines[id]!;
    const trigger = () => stack.triggers[id]!;

    it("when an event matches the catalog's pattern on the custom bus, then the rule starts this state machine, with retries then a dead-letter queue", () => {
      template.hasResourceProperties('AWS::Events::Rule', {
        EventBusName: { Ref: logicalId(stack.node.findChild('Events').node.findChild('Bus')) },
        EventPattern: triggerPattern(playbook),
        Targets: [
          Match.objectLike({
            Arn: { Ref: logicalId(machine().stateMachine) },
            DeadLetterConfig: { Arn: getAttArn(trigger().deadLetterQueue.queue) },
            RetryPolicy: {
              MaximumRetryAttempts: TRIGGER_RETRY.retryAttempts,
              MaximumEventAgeInSeconds: TRIGGER_RETRY.maxEventAge.toSeconds(),
            },
          }),
        ],
      });
    });

    it("when deployed, then the definition is the ASL file verbatim and its substitutions are exactly the file's ${…}, each the ARN of its function", () => {
      const text = readFileSync(join(PROJECT_ROOT, playbook.definitionFile), 'utf8');
      const properties = template.toJSON().Resources[logicalId(machine().stateMachine)].Properties;
      expect(properties.DefinitionString).toBe(text);
      expect(new Set(Object.keys(properties.DefinitionSubstitutions))).toEqual(new Set(substitutionKeysIn(text)));
      for (const [key, functionId] of substitutionsOf(playbook)) {
        expect(properties.DefinitionSubstitutions[key], key).toEqual(getAttArn(stack.functions[functionId]));
      }
    });

    it('when it runs, then it is a Standard workflow that logs ALL events without execution data, traces, and is bounded by the ASL TimeoutSeconds', () => {
      const properties = template.toJSON().Resources[logicalId(machine().stateMachine)].Properties;
      expect(properties.StateMachineType).toBe('STANDARD');
      expect(properties.LoggingConfiguration).toMatchObject({ Level: 'ALL', IncludeExecutionData: false });
      expect(properties.LoggingConfiguration.Destinations).toHaveLength(1);
      expect(properties.TracingConfiguration).toEqual({ Enabled: true });
      expect(JSON.parse(properties.DefinitionString).TimeoutSeconds).toBeGreaterThan(0);
    });

    it('when it calls Lambda, then its role may invoke exactly the unqualified ARNs of its functions (what the ASL calls), no version or alias', () => {
      const role = (template.toJSON().Resources[logicalId(machine().stateMachine)].Properties.RoleArn as { 'Fn::GetAtt': [string] })['Fn::GetAtt'][0];
      const invoke = statementsOfRole(template, role).filter((s) => actionsOf([s]).some((a) => a.startsWith('lambda:')));
      expect(actionsOf(invoke)).toEqual(['lambda:InvokeFunction']);
      const resources = invoke.flatMap((s) => asArray(s.Resource));
      const expected = playbook.functions.map((f) => getAttArn(stack.functions[f]));
      expect(resources).toHaveLength(expected.length);
      expect(resources).toEqual(expect.arrayContaining(expected));
    });

    it('when an execution fails or times out, or an event is dead-lettered, then an alarm notifies the alarm topic', () => {
      const topic = { Ref: logicalId(stack.node.findChild('Alarms').node.findChild('Topic')) };
      const stateMachineArn = { Ref: logicalId(machine().stateMachine) };
      for (const metricName of ['ExecutionsFailed', 'ExecutionsTimedOut']) {
        template.hasResourceProperties('AWS::CloudWatch::Alarm', {
          Namespace: 'AWS/States',
          MetricName: metricName,
          Dimensions: [{ Name: 'StateMachineArn', Value: stateMachineArn }],
          AlarmActions: [topic],
        });
      }
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        Namespace: 'AWS/SQS',
        MetricName: 'ApproximateNumberOfMessagesVisible',
        Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [logicalId(trigger().deadLetterQueue.queue), 'QueueName'] } }],
        AlarmActions: [topic],
      });
    });
  });

  it('given the dead-letter queues, then each is encrypted and refuses requests without TLS', () => {
    const queues = resourcesOf('AWS::SQS::Queue');
    expect(queues).toHaveLength(PLAYBOOKS.length);
    for (const [, queue] of queues) expect(queue.Properties.SqsManagedSseEnabled).toBe(true);
    for (const [queueId] of queues) {
      template.hasResourceProperties('AWS::SQS::QueuePolicy', {
        Queues: [{ Ref: queueId }],
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
          ]),
        },
      });
    }
  });
});

describe('the table', () => {
  it('given TABLE_SCHEMA, then the table has its keys, is on demand, has PITR, server-side encryption and TTL on expiresAt', () => {
    template.resourceCountIs('AWS::DynamoDB::Table', 1);
    template.hasResourceProperties('AWS::DynamoDB::Table', {
      KeySchema: [
        { AttributeName: TABLE_SCHEMA.partitionKey, KeyType: 'HASH' },
        { AttributeName: TABLE_SCHEMA.sortKey, KeyType: 'RANGE' },
      ],
      BillingMode: 'PAY_PER_REQUEST',
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      SSESpecification: { SSEEnabled: true },
      TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
    });
  });

  it('given the dev stage (retainData false), then deleting the stack deletes the table', () => {
    expect(STAGES.dev.retainData).toBe(false);
    template.hasResource('AWS::DynamoDB::Table', { DeletionPolicy: 'Delete' });
  });
});

describe('the functions', () => {
  it('given the catalog, then there is one Lambda per FUNCTIONS entry, plus the ingest function', () => {
    template.resourceCountIs('AWS::Lambda::Function', functionIds.length + 1);
  });

  it('given any function, then it runs Node.js 22 or later on arm64, 256–512 MB, at most 30 s, with active tracing and its own log group', () => {
    const functions = resourcesOf('AWS::Lambda::Function');
    for (const [id, fn] of functions) {
      const p = fn.Properties;
      expect(Number(/^nodejs(\d+)\.x$/.exec(p.Runtime)?.[1]), id).toBeGreaterThanOrEqual(22);
      expect(p.Architectures, id).toEqual(['arm64']);
      expect(p.MemorySize, id).toBeGreaterThanOrEqual(256);
      expect(p.MemorySize, id).toBeLessThanOrEqual(512);
      expect(p.Timeout, id).toBeLessThanOrEqual(30);
      expect(p.TracingConfig, id).toEqual({ Mode: 'Active' });
      expect(p.LoggingConfig.LogGroup, id).toEqual({ Ref: expect.any(String) });
      expect(p.Handler, id).toBe('index.handler');
    }
    for (const [, group] of resourcesOf('AWS::Logs::LogGroup')) expect(group.Properties.RetentionInDays).toBe(STAGES.dev.logRetentionDays);
  });

  it.each(functionIds)('given %s, then its environment is exactly the handler contract, with the stage settings', (functionId) => {
    const variables = template.toJSON().Resources[logicalId(stack.functions[functionId])].Properties.Environment.Variables;
    expect(Object.keys(variables).sort()).toEqual(Object.keys(PlaybookFunctionEnvironment.shape).sort());
    expect(variables.TABLE_NAME).toEqual({ Ref: logicalId(stack.node.findChild('Data').node.findChild('Table')) });
    expect(JSON.parse(variables.SETTINGS)).toEqual(resolveSettings(STAGES.dev.settings));
    expect(variables.STAGE).toBe('dev');
  });

  it.each(functionIds)("given %s, then its role may do exactly the catalog's tableActions on this table, and nothing beyond logs and traces", (functionId) => {
    const statements = statementsOfRole(template, roleOf(functionId));
    const table = getAttArn(stack.node.findChild('Data').node.findChild('Table'));
    const onTable = statements.filter((s) => JSON.stringify(s.Resource).includes(JSON.stringify(table)));
    const dynamo = statements.filter((s) => actionsOf([s]).some((a) => a.startsWith('dynamodb:')));
    // The same statements: every DynamoDB action is on the table alone, and nothing else is on the table.
    expect(dynamo).toEqual(onTable);
    for (const statement of dynamo) {
      expect(statement.Effect).toBe('Allow');
      expect(asArray(statement.Resource)).toEqual([table]);
      expect(statement.Condition).toBeUndefined();
    }
    expect(actionsOf(dynamo).sort()).toEqual([...FUNCTIONS[functionId].tableActions].sort());
    expect(FUNCTIONS[functionId].tableActions).toEqual(['dynamodb:GetItem', 'dynamodb:PutItem']); // today's catalog, literally
    const others = actionsOf(statements).filter((a) => !a.startsWith('dynamodb:'));
    expect(new Set(others)).toEqual(new Set(['logs:CreateLogStream', 'logs:PutLogEvents', 'xray:PutTraceSegments', 'xray:PutTelemetryRecords']));
    expect(template.toJSON().Resources[roleOf(functionId)].Properties.ManagedPolicyArns).toBeUndefined();
  });

  describe('the bundles', () => {
    const bundles = () =>
      resourcesOf('AWS::Lambda::Function').map(([id, fn]) => [id, join(dev.assembly.directory, String(fn.Metadata['aws:asset:path']), 'index.mjs')] as const);

    it('given every function, then its ESM bundle exists and is under the 300 KB budget', () => {
      for (const [id, file] of bundles()) {
        expect(existsSync(file), id).toBe(true);
        expect(statSync(file).size, id).toBeLessThan(BUNDLE_BUDGET_BYTES);
      }
    });

    it('given every bundle, when Node loads it as ESM, then it exports a handler (no CommonJS `require` left behind)', async () => {
      const saved = { ...process.env };
      Object.assign(process.env, { EVENT_BUS_NAME: 'bus', WEBHOOK_SECRET_ARN: 'secret', POWERTOOLS_SERVICE_NAME: 't', POWERTOOLS_METRICS_NAMESPACE: 't' });
      try {
        for (const [id, file] of bundles()) {
          const module = (await import(file)) as { handler?: unknown };
          expect(typeof module.handler, id).toBe('function');
        }
      } finally {
        process.env = saved;
      }
    });

    it('given the playbook bundles, then the public-holiday table is compiled in as an object, not left undefined', () => {
      for (const functionId of functionIds) {
        const fn = template.toJSON().Resources[logicalId(stack.functions[functionId])];
        const code = readFileSync(join(dev.assembly.directory, fn.Metadata['aws:asset:path'], 'index.mjs'), 'utf8');
        // Booleans, not the code: a failure must not print a 280 KB bundle.
        expect(/\{FR:\["\d{4}-\d{2}-\d{2}"/.test(code), functionId).toBe(true);
      }
    });

    it('given every function, then it is bundled with __PUBLIC_HOLIDAY_YEARS__ = { fromYear, toYear }, the window of the table beside it, anchored on this year', () => {
      const bundled = stack.node.findAll().filter((construct): construct is BundledFunction => construct instanceof BundledFunction);
      expect(bundled).toHaveLength(functionIds.length + 1);
      const year = new Date().getUTCFullYear();
      expect(stack.holidayYears).toEqual({ fromYear: year - 1, toYear: year + 4 });
      for (const fn of bundled) {
        const define = fn.bundling.define ?? {};
        expect(Object.keys(define).sort(), fn.node.path).toEqual(['__PUBLIC_HOLIDAYS__', '__PUBLIC_HOLIDAY_YEARS__']);
        expect(JSON.parse(define.__PUBLIC_HOLIDAY_YEARS__!), fn.node.path).toEqual(stack.holidayYears);
        // The table keeps its shape: { COUNTRY: dates }, every date inside the window.
        const table = JSON.parse(define.__PUBLIC_HOLIDAYS__!) as Record<string, string[]>;
        expect(Object.keys(table), fn.node.path).toEqual(resolveSettings(STAGES.dev.settings).calendar.countries);
        const years = Object.values(table).flat().map((date) => Number(date.slice(0, 4)));
        expect(Math.min(...years), fn.node.path).toBe(stack.holidayYears.fromYear);
        expect(Math.max(...years), fn.node.path).toBe(stack.holidayYears.toYear);
      }
    });

    it('given every bundle, then neither holiday constant is left unresolved: wherever the code reads one, esbuild replaced it', () => {
      // The names also appear in error messages, so the text cannot be searched: the bundle is compiled
      // again with each name defined as a marker global (a global, not a string, so that even a bare
      // `typeof` is not folded away), which shows up only where an identifier was left.
      const marker = 'UNRESOLVED_HOLIDAY_CONSTANT';
      const define = { __PUBLIC_HOLIDAYS__: `globalThis.${marker}`, __PUBLIC_HOLIDAY_YEARS__: `globalThis.${marker}` };
      for (const [id, file] of bundles()) {
        const { code } = transformSync(readFileSync(file, 'utf8'), { define, format: 'esm', logLevel: 'silent' });
        expect(code.includes(marker), id).toBe(false);
      }
    });
  });
});

describe('the holiday window in a bundle', () => {
  // No function reads __PUBLIC_HOLIDAY_YEARS__ yet, and esbuild leaves no trace of a define nothing
  // reads: a probe that reads it is bundled through BundledFunction, as CDK bundles the functions.
  it('given code that reads __PUBLIC_HOLIDAY_YEARS__, when bundled as every function is, then the bundle contains the window as an object', async () => {
    const outdir = mkdtempSync(join(tmpdir(), 'cdk-probe-'));
    try {
      const app = new App({ outdir, context: { 'aws:cdk:enable-asset-metadata': true } });
      const probeStack = new Stack(app, 'Probe');
      const years = holidayYears(2026);
      new BundledFunction(probeStack, 'Probe', {
        entry: 'test/lib/fixtures/holiday-years-probe.ts',
        description: 'probe',
        environment: {},
        memorySize: 256,
        timeout: Duration.seconds(3),
        holidays: { table: buildHolidayTable(['FR'], years.fromYear, years.toYear), years },
        logRetention: RetentionDays.ONE_DAY,
        removalPolicy: RemovalPolicy.DESTROY,
      });
      const assembly = app.synth();
      const [fn] = Object.values(Template.fromStack(probeStack).findResources('AWS::Lambda::Function'));
      const file = join(assembly.directory, String(fn!.Metadata['aws:asset:path']), 'index.mjs');
      const code = readFileSync(file, 'utf8');
      expect(code).toContain('{fromYear:2025,toYear:2030}');
      const { handler } = (await import(file)) as { handler: () => Promise<{ years: unknown; table: Record<string, string[]> }> };
      const compiled = await handler();
      expect(compiled.years).toEqual({ fromYear: 2025, toYear: 2030 });
      expect(compiled.table.FR).toContain('2030-07-14');
    } finally {
      rmSync(outdir, { recursive: true, force: true });
    }
  });

  it('given a holidayYear, then the stack anchors the window on it: the table and __PUBLIC_HOLIDAY_YEARS__ cover the year before to four years ahead', () => {
    const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
    const anchored = new CsPlaybooksStack(app, 'Anchored', { stage: stageConfig('dev'), holidayYear: 2026 });
    expect(anchored.holidayYears).toEqual({ fromYear: 2025, toYear: 2030 });
    for (const fn of anchored.node.findAll().filter((construct): construct is BundledFunction => construct instanceof BundledFunction)) {
      expect(JSON.parse(fn.bundling.define!.__PUBLIC_HOLIDAY_YEARS__!)).toEqual({ fromYear: 2025, toYear: 2030 });
      const fr = (JSON.parse(fn.bundling.define!.__PUBLIC_HOLIDAYS__!) as Record<string, string[]>).FR!;
      expect([fr[0], fr.at(-1)]).toEqual(['2025-01-01', '2030-12-25']);
    }
  });
});

describe('cdkEventPattern: the general EventBridge pattern, as a CDK rule renders it', () => {
  // Catalog-like, with a detail filter and every other field; one the sandbox bus evaluates too.
  const pattern = {
    source: ['cs-playbooks'],
    'detail-type': ['NpsResponseReceived'],
    detail: {
      score: [{ numeric: ['>=', 0, '<=', 6] }],
      comment: [{ exists: true }],
      account: { plan: [{ 'anything-but': ['free', 'trial'] }], region: [{ prefix: 'eu-' }] },
      channel: ['email', null],
      $or: [{ language: ['fr'] }, { country: [{ 'equals-ignore-case': 'be' }] }],
    },
    account: ['123456789012'],
    region: [{ prefix: 'eu-' }],
    resources: [{ wildcard: 'arn:aws:*:survey/*' }],
    time: [{ prefix: '2026-' }],
    id: [{ 'anything-but': { prefix: 'test-' } }],
    version: ['0'],
  };

  const rendered = (eventPattern: EventBridgePattern) => {
    const scratch = new Stack();
    new events.Rule(scratch, 'Rule', { eventPattern: cdkEventPattern(eventPattern) });
    const [rule] = Object.values(Template.fromStack(scratch).findResources('AWS::Events::Rule'));
    return rule!.Properties.EventPattern as unknown;
  };

  it('given a pattern with a detail filter and every top-level field, when a rule uses it, then the template has it unchanged', () => {
    assertSupportedPattern(pattern);
    expect(rendered(pattern)).toEqual(pattern);
  });

  it('given a top-level $or, then it passes through unchanged too', () => {
    const either = { source: ['cs-playbooks'], $or: [{ 'detail-type': ['AccountUpdated'] }, { detail: { plan: ['enterprise'] } }] };
    assertSupportedPattern(either);
    expect(rendered(either)).toEqual(either);
  });

  it.each(PLAYBOOKS.map((playbook) => [playbook.id, playbook] as const))("given the %s catalog pattern, then it renders unchanged", (_, playbook) => {
    expect(rendered(triggerPattern(playbook))).toEqual(triggerPattern(playbook));
  });

  it("given a field EventBridge events do not have (CDK's detailType, a typo), then it throws naming it", () => {
    expect(() => cdkEventPattern({ source: ['cs-playbooks'], detailType: ['AccountUpdated'] } as EventBridgePattern)).toThrow(/"detailType"/);
  });

  it('given the CDK form, then it is a copy: merging another pattern into the rule leaves the caller\'s pattern as it was', () => {
    const original = structuredClone(pattern);
    const scratch = new Stack();
    const rule = new events.Rule(scratch, 'Rule', { eventPattern: cdkEventPattern(pattern) });
    rule.addEventPattern({ detail: { account: { plan: ['enterprise'] } } });
    expect(pattern).toEqual(original);
  });
});

describe('the webhook endpoint', () => {
  const ingest = () => template.toJSON().Resources[logicalId(stack.node.findChild('Webhook').node.findChild('Ingest').node.findChild('Function'))];

  it('given the HTTP API, then POST /webhooks/events reaches the ingest function, throttled at the stage rate and access-logged', () => {
    template.hasResourceProperties('AWS::ApiGatewayV2::Route', { RouteKey: 'POST /webhooks/events' });
    template.hasResourceProperties('AWS::ApiGatewayV2::Integration', { IntegrationType: 'AWS_PROXY', PayloadFormatVersion: '2.0' });
    template.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      StageName: '$default',
      DefaultRouteSettings: { ThrottlingRateLimit: STAGES.dev.webhookRateLimit, ThrottlingBurstLimit: STAGES.dev.webhookRateLimit * 2 },
      AccessLogSettings: { DestinationArn: Match.anyValue(), Format: Match.stringLikeRegexp('requestId') },
    });
  });

  it('given the ingest function, then it may put events on the custom bus only and read the signing secret only', () => {
    const role = ingest().Properties.Role['Fn::GetAtt'][0] as string;
    const statements = statementsOfRole(template, role);
    const bus = getAttArn(stack.node.findChild('Events').node.findChild('Bus'));
    const secret = { Ref: logicalId(stack.node.findChild('Webhook').node.findChild('SigningSecrets')) };
    const byAction = (action: string) => statements.filter((s) => asArray(s.Action).includes(action));
    expect(byAction('events:PutEvents').flatMap((s) => asArray(s.Resource))).toEqual([bus]);
    expect(byAction('secretsmanager:GetSecretValue').flatMap((s) => asArray(s.Resource))).toEqual([secret]);
    expect(new Set(actionsOf(statements))).toEqual(
      new Set(['events:PutEvents', 'secretsmanager:GetSecretValue', 'logs:CreateLogStream', 'logs:PutLogEvents', 'xray:PutTraceSegments', 'xray:PutTelemetryRecords']),
    );
    expect(Object.keys(ingest().Properties.Environment.Variables).sort()).toEqual(
      ['EVENT_BUS_NAME', 'POWERTOOLS_METRICS_NAMESPACE', 'POWERTOOLS_SERVICE_NAME', 'WEBHOOK_SECRET_ARN'],
    );
  });

  it('given every other role, then none may put events on any bus', () => {
    const ingestRole = ingest().Properties.Role['Fn::GetAtt'][0] as string;
    for (const [id] of resourcesOf('AWS::IAM::Role').filter(([id]) => id !== ingestRole)) {
      expect(actionsOf(statementsOfRole(template, id)), id).not.toContain('events:PutEvents');
    }
  });
});

describe('the operations surface', () => {
  it('given the custom bus, then every domain event is archived for the stage archive retention (7 days in dev)', () => {
    template.resourceCountIs('AWS::Events::Archive', 1);
    template.hasResourceProperties('AWS::Events::Archive', {
      EventPattern: { source: ['cs-playbooks'] },
      RetentionDays: 7,
    });
    expect(STAGES.dev.archiveRetentionDays).toBe(7);
  });

  it.each(Object.keys(STAGES) as StageName[])(
    'given the %s stage, then the archive (whole events, customer data) keeps them no longer than the logs, and at least a day',
    (stage) => {
      const { archiveRetentionDays, logRetentionDays } = STAGES[stage];
      expect(archiveRetentionDays).toBeGreaterThanOrEqual(1);
      expect(archiveRetentionDays).toBeLessThanOrEqual(logRetentionDays);
    },
  );

  it('given the stages, then the archive retentions are 7, 14 and 30 days, shorter than the logs wherever the logs keep more than a week', () => {
    expect(Object.fromEntries(Object.entries(STAGES).map(([name, stage]) => [name, stage.archiveRetentionDays]))).toEqual({ dev: 7, staging: 14, prod: 30 });
    expect(STAGES.staging.archiveRetentionDays).toBeLessThan(STAGES.staging.logRetentionDays);
    expect(STAGES.prod.archiveRetentionDays).toBeLessThan(STAGES.prod.logRetentionDays);
  });

  it('given the alarm topic, then it is KMS-encrypted and refuses publishing without TLS', () => {
    template.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: Match.anyValue() });
    template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]),
      },
    });
  });

  it("given the alarm topic's key, then CloudWatch may use it only for this account's alarms in this region (confused deputy)", () => {
    const key = template.toJSON().Resources[logicalId(stack.node.findChild('Alarms').node.findChild('Key'))];
    const statements = key.Properties.KeyPolicy.Statement as { Principal?: { Service?: unknown }; Action: string | string[]; Condition?: unknown }[];
    const cloudwatch = statements.filter((statement) => JSON.stringify(statement.Principal?.Service ?? null).includes('cloudwatch.amazonaws.com'));
    expect(cloudwatch).toHaveLength(1);
    expect(cloudwatch[0]).toMatchObject({ Effect: 'Allow', Resource: '*' });
    expect(asArray(cloudwatch[0]!.Action).sort()).toEqual(['kms:Decrypt', 'kms:GenerateDataKey*']);
    expect(cloudwatch[0]!.Condition).toEqual({
      StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } },
      ArnLike: {
        'aws:SourceArn': { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':cloudwatch:', { Ref: 'AWS::Region' }, ':', { Ref: 'AWS::AccountId' }, ':alarm:*']] },
      },
    });
  });

  it('given the stack, then it outputs the webhook URL, the bus name, the table name and the alarm topic ARN', () => {
    for (const output of ['WebhookUrl', 'EventBusName', 'TableName', 'AlarmTopicArn']) template.hasOutput(output, {});
  });
});

describe('a stage that retains data', () => {
  it('given prod (retainData true), when synthesized, then the table and the logs survive a stack deletion and the table is protected', () => {
    const prod = synthesize('prod', { bundle: false });
    try {
      prod.template.hasResource('AWS::DynamoDB::Table', {
        DeletionPolicy: 'Retain',
        UpdateReplacePolicy: 'Retain',
        Properties: Match.objectLike({ DeletionProtectionEnabled: true }),
      });
      for (const [, group] of Object.entries(prod.template.findResources('AWS::Logs::LogGroup'))) {
        expect(group.DeletionPolicy).toBe('Retain');
        expect(group.Properties.RetentionInDays).toBe(STAGES.prod.logRetentionDays);
      }
      // The logs are kept a year; the events, with their customer data, a month.
      prod.template.hasResourceProperties('AWS::Events::Archive', { RetentionDays: 30 });
    } finally {
      prod.dispose();
    }
  });
});
