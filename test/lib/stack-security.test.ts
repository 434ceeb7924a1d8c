import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { TABLE_SCHEMA } from '../../functions/adapters/table.ts';
import { DELIVERIES_PARTITION } from '../../functions/ingest/deliveries.ts';
import { pascalName } from '../../functions/ingest/senders.ts';
import { VENDOR_IDS } from '../../functions/ingest/vendors/index.ts';
import type { IConstruct } from 'constructs';
import { partitionPattern, type ItemType } from '../../functions/adapters/table.ts';
import { ACTIONS, actionsOf as actionsOfDomain, DOMAINS, domainOf, PLAYBOOKS, RECORDERS, type ActionId, type DomainEntry } from '../../lib/catalog.ts';
import { domainGrants, ENDPOINT_TABLE_ACCESS } from '../../lib/functions.ts';
import { leadingKeysCondition, typesOf, WRITE_OPERATIONS, type TableAccess, type TableOperation, type TableStatement } from '../../lib/table-grants.ts';
import type { WebhookEndpoint } from '../../lib/constructs/webhook-endpoint.ts';
import { stageConfig, stageNames } from '../../lib/stages.ts';
import { actionsOf, domainIds, resourcesOf, roleOf, stack, synthesizeDevStage, template } from './dev-stage.ts';
import { asArray, getAttArn, logicalId, statementsOfRole, synthesize, type PolicyStatementJson } from './synth.ts';

// What the stack protects and who may touch it: the table and how long data is kept, what each role
// may do, the webhook's exposure, and the encrypted alarm topic.
synthesizeDevStage();

/** A statement as the template has it, from its derived form. */
const asJson = ({ actions, leadingKeys }: TableStatement) => ({ Action: [...actions], Condition: leadingKeysCondition(leadingKeys) });
/** Statements on the table as comparable grants: their actions, and the partitions their condition allows. */
const grantsOf = (statements: readonly { Action: string | string[]; Condition?: unknown }[]) =>
  statements
    .map(({ Action, Condition }) => ({
      actions: asArray(Action).sort(),
      leadingKeys: Object.values((Condition ?? {}) as Record<string, Record<string, string | string[]>>).flatMap((keys) => asArray(keys['dynamodb:LeadingKeys'] ?? [])).sort(),
    }))
    .sort((a, b) => a.actions.join().localeCompare(b.actions.join()));

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
    expect(stageConfig('dev').retainData).toBe(false);
    template.hasResource('AWS::DynamoDB::Table', { DeletionPolicy: 'Delete' });
  });
});

describe('the functions', () => {
  const playbookDomains = domainIds.filter((id) => !(DOMAINS[id] as DomainEntry).drainsDispatches);
  it.each(playbookDomains)("given the %s domain, then its role may do on this table exactly the union of its actions' tableActions, and nothing beyond logs and traces", (domain) => {
    const actions = actionsOfDomain(domain);
    const statements = statementsOfRole(template, roleOf(domain));
    const table = getAttArn(stack.node.findChild('Data').node.findChild('Table'));
    const onTable = statements.filter((s) => JSON.stringify(s.Resource).includes(JSON.stringify(table)));
    const dynamo = statements.filter((s) => actionsOf([s]).some((a) => a.startsWith('dynamodb:')));
    // The same statements: every DynamoDB action is on the table alone, and nothing else is on the table.
    expect(dynamo).toEqual(onTable);
    for (const statement of dynamo) {
      expect(statement.Effect).toBe('Allow');
      expect(asArray(statement.Resource)).toEqual([table]);
    }
    // Exactly the statements derived from its actions' table access: each operation on the partitions of
    // the item types they name (and the layout marker the runtime reads), nothing more.
    expect(grantsOf(dynamo)).toEqual(grantsOf(domainGrants(domain).tableStatements.map(asJson)));
    const needed = new Set([...actions.flatMap((action) => ACTIONS[action].tableActions), 'dynamodb:GetItem']);
    expect(new Set(actionsOf(dynamo))).toEqual(needed);
    // Single-item reads, conditional puts and queries within an account (the ledger's operations): never Scan or batches.
    expect(['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:Query']).toEqual(expect.arrayContaining([...needed]));
    // Beyond logs and traces, only its actions' own Step Functions callbacks, each on the playbooks that
    // call that action (or those that call the action whose waits it resumes: apply-approval-decision,
    // request-approval's).
    const callers = (action: ActionId) =>
      PLAYBOOKS.filter((p) => (p.actions as readonly string[]).includes(action)).map((p) => JSON.stringify({ Ref: logicalId(stack.stateMachines[p.id]!.stateMachine) }));
    const grants = (pairs: [string, string][]) => new Set(pairs.map(([action, machine]) => `${action} on ${machine}`));
    const expected = actions.flatMap((action) => (ACTIONS[action].taskCallbacks ?? []).flatMap((callback) => callers((ACTIONS[action].resumesCallersOf ?? action) as ActionId).map((machine) => [callback, machine] as [string, string])));
    const callbacks = statements.filter((s) => actionsOf([s]).some((a) => a.startsWith('states:')));
    const granted = callbacks.flatMap((s) => actionsOf([s]).flatMap((callback) => asArray(s.Resource).map((machine) => [callback, JSON.stringify(machine)] as [string, string])));
    expect(grants(granted)).toEqual(grants(expected));
    const others = actionsOf(statements).filter((a) => !a.startsWith('dynamodb:') && !a.startsWith('states:'));
    // A recorder's function (invoked by its rule, asynchronously) sends what fails through Lambda's retries to the recorder's queue.
    const recorded = RECORDERS.some((recorder) => domainOf(recorder.action) === domain) ? ['sqs:SendMessage', 'sqs:GetQueueAttributes', 'sqs:GetQueueUrl'] : [];
    // A domain whose actions publish the events they derive may put events on the stage's bus, and only on it.
    const publishes = domainGrants(domain).publishes.length > 0 ? ['events:PutEvents'] : [];
    expect(new Set(others)).toEqual(new Set(['logs:CreateLogStream', 'logs:PutLogEvents', 'xray:PutTraceSegments', 'xray:PutTelemetryRecords', ...recorded, ...publishes]));
    const bus = JSON.stringify(getAttArn(stack.node.findChild('Events').node.findChild('Bus')));
    for (const statement of statements.filter((s) => actionsOf([s]).includes('events:PutEvents'))) expect(asArray(statement.Resource).map((r) => JSON.stringify(r))).toEqual([bus]);
    expect(template.toJSON().Resources[roleOf(domain)].Properties.ManagedPolicyArns).toBeUndefined();
  });

  it('given the catalog, then every action is in one domain, and a domain of several actions is granted no more than they need together', () => {
    expect(domainIds.flatMap((domain) => actionsOfDomain(domain)).sort()).toEqual(Object.keys(ACTIONS).sort());
    // The approvals' role: request-approval resumes its own callers, apply-approval-decision request-approval's.
    const approvals = statementsOfRole(template, roleOf('approvals'));
    expect(new Set(actionsOf(approvals).filter((a) => a.startsWith('dynamodb:')))).toEqual(new Set(['dynamodb:GetItem', 'dynamodb:PutItem']));
    expect(new Set(actionsOf(approvals).filter((a) => a.startsWith('states:')))).toEqual(new Set(['states:SendTaskSuccess', 'states:SendTaskFailure']));
  });

  it('given the refund request, then its function and its role are its own: no other action runs with them', () => {
    expect(actionsOfDomain('refund')).toEqual(['request-refund']);
    const otherRoles = domainIds.filter((domain) => domain !== 'refund').map(roleOf);
    expect(otherRoles).not.toContain(roleOf('refund'));
  });
});

describe('the table: who may write which item types', () => {
  const table = () => getAttArn(stack.node.findChild('Data').node.findChild('Table'));
  const roleOfFunction = (fn: IConstruct) => (template.toJSON().Resources[logicalId(fn)].Properties.Role as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0];
  /** Every role the catalog gives table access, and that access: the domains' (their actions' and the runtime's), the API's two functions', the executions function's. */
  const catalogRoles = () =>
    new Map<string, { name: string; access: TableAccess }>([
      ...domainIds.map((domain) => [roleOf(domain), { name: domain, access: domainGrants(domain).table }] as const),
      [roleOfFunction(stack.node.findChild('Webhook').node.findChild('Ingest').node.findChild('Function')), { name: 'ingest', access: ENDPOINT_TABLE_ACCESS.ingest }],
      [roleOfFunction(stack.approvals.decide.function), { name: 'decide-approval', access: ENDPOINT_TABLE_ACCESS['decide-approval'] }],
      [roleOfFunction(stack.node.findChild('Redrive').node.findChild('Function').node.findChild('Function')), { name: 'executions', access: ENDPOINT_TABLE_ACCESS.executions }],
    ]);
  /** Whatever may change an item: every DynamoDB action but the reads (a wildcard counts as a write). */
  const READS = new Set(['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:Query', 'dynamodb:Scan', 'dynamodb:ConditionCheckItem', 'dynamodb:DescribeTable', 'dynamodb:DescribeStream', 'dynamodb:GetRecords', 'dynamodb:GetShardIterator', 'dynamodb:ListStreams']);
  const writesOf = (statement: PolicyStatementJson) => actionsOf([statement]).filter((action) => (action.startsWith('dynamodb:') || action === '*') && !READS.has(action));

  it("given every role of the stack, then each statement that may write the table is on the table alone, with a LeadingKeys condition naming only the partitions of the item types the catalog says that role writes with that action, and roles the catalog gives no table access write nothing", () => {
    const roles = catalogRoles();
    let checked = 0;
    for (const [role] of resourcesOf('AWS::IAM::Role')) {
      const owner = roles.get(role);
      for (const statement of statementsOfRole(template, role)) {
        const writes = writesOf(statement);
        if (writes.length === 0) continue;
        expect(owner, `${role} may ${writes.join(', ')}, but the catalog gives it no table access`).toBeDefined();
        expect(statement.Effect).toBe('Allow');
        expect(asArray(statement.Resource), owner!.name).toEqual([table()]);
        // One condition, on the partition key, and nothing that would widen it.
        const condition = statement.Condition as Record<string, Record<string, string[]>>;
        const [operator, ...others] = Object.keys(condition ?? {});
        expect(others, owner!.name).toEqual([]);
        expect(['ForAllValues:StringLike', 'ForAllValues:StringEquals'], owner!.name).toContain(operator);
        expect(Object.keys(condition[operator!]!), owner!.name).toEqual(['dynamodb:LeadingKeys']);
        const leadingKeys = asArray(condition[operator!]!['dynamodb:LeadingKeys']!);
        for (const write of writes) {
          const operation = write.replace('dynamodb:', '') as TableOperation;
          expect(WRITE_OPERATIONS, `${owner!.name}: ${write}`).toContain(operation);
          const owned = (owner!.access[operation] ?? []).map(partitionPattern);
          expect(owned, `${owner!.name}: ${write} on ${leadingKeys.join(', ')}`).toEqual(expect.arrayContaining(leadingKeys));
          checked++;
        }
      }
    }
    // Every domain and endpoint that writes was seen.
    expect(checked).toBeGreaterThanOrEqual([...roles.values()].filter(({ access }) => typesOf(access, WRITE_OPERATIONS).length > 0).length);
  });

  it('given the internet-facing approval endpoint, then it may read and put approvals and nothing else of the table; the ingest only its deliveries, sealed values and the flood guard’s counters and held events', () => {
    const roles = [...catalogRoles().entries()];
    const statementsOf = (name: string) => statementsOfRole(template, roles.find(([, owner]) => owner.name === name)![0]).filter((s) => actionsOf([s]).some((a) => a.startsWith('dynamodb:')));
    expect(grantsOf(statementsOf('decide-approval'))).toEqual([{ actions: ['dynamodb:GetItem', 'dynamodb:PutItem'], leadingKeys: ['APPROVAL#*'] }]);
    expect(grantsOf(statementsOf('ingest'))).toEqual([
      { actions: ['dynamodb:DeleteItem', 'dynamodb:GetItem'], leadingKeys: [DELIVERIES_PARTITION] },
      { actions: ['dynamodb:PutItem'], leadingKeys: ['HELD#*', 'SEALED#*', DELIVERIES_PARTITION] },
      { actions: ['dynamodb:UpdateItem'], leadingKeys: ['FLOOD#*', DELIVERIES_PARTITION] },
    ]);
  });

  it('given the catalog, then each item type is written by the domains that own it, and the account record by the accounts and nps domains only', () => {
    const writers = (type: ItemType) => [...catalogRoles().values()].filter(({ access }) => typesOf(access, WRITE_OPERATIONS).includes(type)).map(({ name }) => name);
    expect(writers('ACCOUNT')).toEqual(['accounts', 'nps']);
    expect(writers('APPROVAL')).toEqual(['approvals', 'decide-approval']);
    expect(writers('REFUND')).toEqual(['refund']);
    expect(writers('OPEN_ALERTS')).toEqual(['alerts']);
    // Only the alert leaving the open list is ever deleted.
    expect([...catalogRoles().values()].filter(({ access }) => (access.DeleteItem ?? []).length > 0).map(({ name, access }) => [name, access.DeleteItem])).toEqual([
      ['alerts', ['OPEN_ALERTS']],
      ['ingest', ['WEBHOOK_DELIVERY']],
    ]);
  });
});

describe('the dispatch drain', () => {
  it("given the dispatch drain, then its role does its action's tableActions on the table, Query on the dispatch index alone, reads the table's stream, and writes only to the stream's dead-letter queue", () => {
    const statements = statementsOfRole(template, roleOf('dispatch'));
    const tableArn = getAttArn(stack.node.findChild('Data').node.findChild('Table'));
    const onTable = statements.filter((s) => JSON.stringify(asArray(s.Resource)) === JSON.stringify([tableArn]));
    expect(actionsOf(onTable).sort()).toEqual([...ACTIONS['deliver-dispatches'].tableActions].sort());
    expect(grantsOf(onTable)).toEqual(grantsOf(domainGrants('dispatch').tableStatements.map(asJson)));
    const onIndex = statements.filter((s) => JSON.stringify(s.Resource).includes('/index/'));
    expect(actionsOf(onIndex)).toEqual(['dynamodb:Query']);
    expect(JSON.stringify(onIndex[0]!.Resource)).toContain(`/index/${TABLE_SCHEMA.dispatchIndex.name}`);
    const onStream = statements.filter((s) => JSON.stringify(s.Resource).includes('StreamArn'));
    expect(actionsOf(onStream).every((a) => ['dynamodb:DescribeStream', 'dynamodb:GetRecords', 'dynamodb:GetShardIterator', 'dynamodb:ListStreams'].includes(a))).toBe(true);
    const sqs = statements.filter((s) => actionsOf([s]).some((a) => a.startsWith('sqs:')));
    expect(actionsOf(sqs).sort()).toEqual(['sqs:GetQueueAttributes', 'sqs:GetQueueUrl', 'sqs:SendMessage']);
    const others = actionsOf(statements).filter((a) => !a.startsWith('dynamodb:') && !a.startsWith('sqs:'));
    expect(new Set(others)).toEqual(new Set(['logs:CreateLogStream', 'logs:PutLogEvents', 'xray:PutTraceSegments', 'xray:PutTelemetryRecords']));
  });

  it('given the table, then its stream is keys only, and the drain is triggered by dispatch inserts alone, and swept every minute', () => {
    template.hasResourceProperties('AWS::DynamoDB::Table', { StreamSpecification: { StreamViewType: 'KEYS_ONLY' } });
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      FilterCriteria: { Filters: [{ Pattern: JSON.stringify({ eventName: ['INSERT'], dynamodb: { Keys: { sk: { S: [{ prefix: 'DISPATCH#' }] } } } }) }] },
      BisectBatchOnFunctionError: true,
      DestinationConfig: { OnFailure: { Destination: Match.anyValue() } },
    });
    template.hasResourceProperties('AWS::Events::Rule', { ScheduleExpression: 'rate(1 minute)' });
  });
});

describe('the webhook endpoint', () => {
  const ingest = () => template.toJSON().Resources[logicalId(stack.node.findChild('Webhook').node.findChild('Ingest').node.findChild('Function'))];

  it('given the HTTP API, then POST /webhooks/<vendor> reaches the ingest function for each vendor, and no other path does; throttled at the stage rate and access-logged', () => {
    const routes = Object.values(template.findResources('AWS::ApiGatewayV2::Route')).map((route) => route.Properties.RouteKey as string);
    expect(routes.filter((key) => key.startsWith('POST /webhooks/')).sort()).toEqual(VENDOR_IDS.map((vendor) => `POST /webhooks/${vendor}`).sort());
    template.hasResourceProperties('AWS::ApiGatewayV2::Integration', { IntegrationType: 'AWS_PROXY', PayloadFormatVersion: '2.0' });
    template.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      StageName: '$default',
      DefaultRouteSettings: { ThrottlingRateLimit: stageConfig('dev').webhookRateLimit, ThrottlingBurstLimit: stageConfig('dev').webhookRateLimit * 2 },
      AccessLogSettings: { DestinationArn: Match.anyValue(), Format: Match.stringLikeRegexp('requestId') },
    });
  });

  it('given the ingest function, then it may put events on the custom bus, read its senders’ signing secrets (one per vendor path, one per sender of /webhooks/events), and touch only the deliveries’ partition of the table, sealed values and the flood guard’s items', () => {
    const role = ingest().Properties.Role['Fn::GetAtt'][0] as string;
    const statements = statementsOfRole(template, role);
    const bus = getAttArn(stack.node.findChild('Events').node.findChild('Bus'));
    const webhook = stack.node.findChild('Webhook') as WebhookEndpoint;
    const byAction = (action: string) => statements.filter((s) => asArray(s.Action).includes(action));
    expect(byAction('events:PutEvents').flatMap((s) => asArray(s.Resource))).toEqual([bus]);
    const byRef = (refs: unknown[]) => refs.map((ref) => JSON.stringify(ref)).sort();
    const senderSecrets = Object.values(webhook.secrets).flatMap((ofPath) => Object.values(ofPath));
    // The dev stage's five senders of /webhooks/events (stages/dev.json) and the four vendors: nine secrets, each its own.
    expect(senderSecrets).toHaveLength(Object.keys(stageConfig('dev').webhooks!.events!).length + VENDOR_IDS.length - 1);
    expect(new Set(senderSecrets.map((secret) => logicalId(secret))).size).toBe(senderSecrets.length);
    expect(byRef(byAction('secretsmanager:GetSecretValue').flatMap((s) => asArray(s.Resource)))).toEqual(byRef(senderSecrets.map((secret) => ({ Ref: logicalId(secret) }))));
    // Powertools idempotency's item operations, on WEBHOOK_DELIVERY items only, and PutItem of the sealed
    // personal fields (functions/adapters/sealed.ts): the rest of the ledger stays out of reach.
    const onTable = statements.filter((s) => actionsOf([s]).some((a) => a.startsWith('dynamodb:')));
    const tableArn = getAttArn(stack.node.findChild('Data').node.findChild('Table'));
    expect(onTable).toEqual([
      {
        Effect: 'Allow',
        Action: ['dynamodb:DeleteItem', 'dynamodb:GetItem'],
        Resource: tableArn,
        Condition: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': [DELIVERIES_PARTITION] } },
      },
      { Effect: 'Allow', Action: 'dynamodb:PutItem', Resource: tableArn, Condition: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['HELD#*', 'SEALED#*', DELIVERIES_PARTITION] } } },
      { Effect: 'Allow', Action: 'dynamodb:UpdateItem', Resource: tableArn, Condition: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['FLOOD#*', DELIVERIES_PARTITION] } } },
    ]);
    expect(new Set(actionsOf(statements))).toEqual(
      new Set(['events:PutEvents', 'secretsmanager:GetSecretValue', 'dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'logs:CreateLogStream', 'logs:PutLogEvents', 'xray:PutTraceSegments', 'xray:PutTelemetryRecords']),
    );
    const variables = ingest().Properties.Environment.Variables as Record<string, unknown>;
    // No HubSpot on this stage: no vendor secret to read, no HubSpot setting (test/lib/stack-vendors.test.ts has a stage with them).
    expect('vendors' in stageConfig('dev')).toBe(false);
    expect(Object.keys(variables).sort()).toEqual(['EVENTS_PER_ACCOUNT_PER_HOUR', 'EVENT_BUS_NAME', 'NODE_OPTIONS', 'POWERTOOLS_METRICS_NAMESPACE', 'POWERTOOLS_SERVICE_NAME', 'TABLE_NAME', 'WEBHOOK_SENDERS']);
    // The stage's flood guard (functions/core/flood), from its settings.
    expect(variables.EVENTS_PER_ACCOUNT_PER_HOUR).toBe('30');
    // A JSON object of path → sender → its secret's ARN (resolved by CloudFormation) and the types it may publish.
    for (const secret of senderSecrets) expect(JSON.stringify(variables.WEBHOOK_SENDERS)).toContain(logicalId(secret));
    expect(JSON.stringify(variables.WEBHOOK_SENDERS)).toContain(JSON.stringify('"nps-tool":{"secretArn":"').slice(1, -1));
  });

  it('given every other role but the domains that publish what they derive (the usage recorder, the health scorer), then none may put events on any bus', () => {
    const ingestRole = ingest().Properties.Role['Fn::GetAtt'][0] as string;
    const publishers = domainIds.filter((domain) => domainGrants(domain).publishes.length > 0).map((domain) => roleOf(domain));
    expect(publishers).toEqual([roleOf('usage'), roleOf('health')]);
    for (const [id] of resourcesOf('AWS::IAM::Role').filter(([id]) => id !== ingestRole && !publishers.includes(id))) {
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
    expect(stageConfig('dev').archiveRetentionDays).toBe(7);
  });

  it.each(stageNames())(
    'given the %s stage, then the archive (whole events, customer data) keeps them no longer than the logs, and at least a day',
    (stage) => {
      const { archiveRetentionDays, logRetentionDays } = stageConfig(stage);
      expect(archiveRetentionDays).toBeGreaterThanOrEqual(1);
      expect(archiveRetentionDays).toBeLessThanOrEqual(logRetentionDays);
    },
  );

  it('given the stages, then the archive retentions are 7, 14 and 30 days, shorter than the logs wherever the logs keep more than a week', () => {
    const stages = Object.fromEntries(stageNames().map((name) => [name, stageConfig(name)]));
    expect(Object.fromEntries(Object.entries(stages).map(([name, stage]) => [name, stage.archiveRetentionDays]))).toEqual({ dev: 7, staging: 14, prod: 30 });
    expect(stages.staging!.archiveRetentionDays).toBeLessThan(stages.staging!.logRetentionDays);
    expect(stages.prod!.archiveRetentionDays).toBeLessThan(stages.prod!.logRetentionDays);
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

  it('given the vendors and the senders of /webhooks/events, then it outputs where each one’s signing secret goes', () => {
    const webhook = stack.node.findChild('Webhook') as WebhookEndpoint;
    // The product keeps the secret and the output /webhooks/events always had.
    template.hasOutput('WebhookSecretArn', { Value: { Ref: logicalId(webhook.secrets.events!.product!) } });
    expect(logicalId(webhook.secrets.events!.product!)).toMatch(/^WebhookSigningSecrets/);
    for (const sender of ['import', 'nps-tool', 'crm', 'helpdesk']) {
      template.hasOutput(`${pascalName(sender)}SenderWebhookSecretArn`, { Value: { Ref: logicalId(webhook.secrets.events![sender]!) } });
    }
    for (const vendor of VENDOR_IDS.filter((id) => id !== 'events')) {
      template.hasOutput(`${vendor[0]!.toUpperCase()}${vendor.slice(1)}WebhookSecretArn`, { Value: { Ref: logicalId(webhook.secrets[vendor]![vendor]!) } });
    }
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
        expect(group.Properties.RetentionInDays).toBe(stageConfig('prod').logRetentionDays);
      }
      // The logs are kept a year; the events, with their customer data, a month.
      prod.template.hasResourceProperties('AWS::Events::Archive', { RetentionDays: 30 });
    } finally {
      prod.dispose();
    }
  });
});
