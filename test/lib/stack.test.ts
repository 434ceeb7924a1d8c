import { Match, type Template } from 'aws-cdk-lib/assertions';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TABLE_SCHEMA } from '../../functions/adapters/table.ts';
import { resolveSettings } from '../../functions/contracts/settings.ts';
import { PlaybookFunctionEnvironment } from '../../functions/runtime/environment.ts';
import { FUNCTIONS, PLAYBOOKS, substitutionKey, triggerPattern, type FunctionId } from '../../lib/catalog.ts';
import { BUNDLE_BUDGET_BYTES } from '../../lib/constructs/bundled-function.ts';
import { TRIGGER_RETRY } from '../../lib/constructs/playbook-trigger.ts';
import type { CsPlaybooksStack } from '../../lib/cs-playbooks-stack.ts';
import { PROJECT_ROOT } from '../../lib/project-root.ts';
import { STAGES } from '../../lib/stages.ts';
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
      const tokens = new Set([...text.matchAll(/\$\{([^}]+)\}/g)].map((match) => match[1]));
      expect(new Set(Object.keys(properties.DefinitionSubstitutions))).toEqual(tokens);
      for (const functionId of playbook.functions) {
        expect(properties.DefinitionSubstitutions[substitutionKey(functionId)]).toEqual(getAttArn(stack.functions[functionId]));
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

    it('when it calls Lambda, then its role may invoke exactly its functions (and their versions), nothing else', () => {
      const role = (template.toJSON().Resources[logicalId(machine().stateMachine)].Properties.RoleArn as { 'Fn::GetAtt': [string] })['Fn::GetAtt'][0];
      const invoke = statementsOfRole(template, role).filter((s) => actionsOf([s]).some((a) => a.startsWith('lambda:')));
      expect(actionsOf(invoke)).toEqual(['lambda:InvokeFunction']);
      const resources = invoke.flatMap((s) => asArray(s.Resource));
      const expected = playbook.functions.flatMap((f) => {
        const arn = getAttArn(stack.functions[f]);
        return [arn, { 'Fn::Join': ['', [arn, ':*']] }];
      });
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

  it.each(functionIds)("given %s, then its role grants the catalog's table access on this table, and nothing beyond logs and traces", (functionId) => {
    const statements = statementsOfRole(template, roleOf(functionId));
    const table = getAttArn(stack.node.findChild('Data').node.findChild('Table'));
    const dynamo = statements.filter((s) => actionsOf([s]).some((a) => a.startsWith('dynamodb:')));
    for (const statement of dynamo) expect(asArray(statement.Resource)).toEqual([table]);
    const actions = actionsOf(dynamo);
    expect(actions).toContain('dynamodb:GetItem');
    const writes = ['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:BatchWriteItem'];
    if (FUNCTIONS[functionId].tableAccess === 'readWrite') expect(actions).toEqual(expect.arrayContaining(writes));
    else for (const write of writes) expect(actions).not.toContain(write);
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
  it('given the custom bus, then every domain event is archived for the stage retention', () => {
    template.hasResourceProperties('AWS::Events::Archive', {
      EventPattern: { source: ['cs-playbooks'] },
      RetentionDays: STAGES.dev.logRetentionDays,
    });
  });

  it('given the alarm topic, then it is KMS-encrypted and refuses publishing without TLS', () => {
    template.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: Match.anyValue() });
    template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]),
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
    } finally {
      prod.dispose();
    }
  });
});
