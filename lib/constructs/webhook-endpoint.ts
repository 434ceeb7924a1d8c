import { Duration, Stack, type RemovalPolicy } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import type { IEventBus } from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import type { z } from '../../functions/contracts/zod.ts';
// Type only: the handler module validates its environment when loaded, which must not happen at synth.
import type { IngestEnvironment } from '../../functions/ingest/environment.ts';
import { EVENTS_PATH, pascalName, PRODUCT_SENDER, type WebhookSenders } from '../../functions/ingest/senders.ts';
import { VENDORS } from '../../functions/ingest/vendors/index.ts';
import { ENDPOINT_TABLE_ACCESS } from '../functions.ts';
import { acknowledge } from '../nag.ts';
import { leadingKeysCondition, tableStatements } from '../table-grants.ts';
import { ingestVendorEnvironment, type VendorConfig } from '../vendors.ts';
import { BundledFunction, type BundledHolidays } from './bundled-function.ts';

export const WEBHOOK_PATH = '/webhooks/events';
/** `POST /webhooks/<vendor>`, one route per vendor: an unknown vendor is API Gateway's 404 and never reaches the function. */
export const webhookPath = (vendor: string) => `/webhooks/${vendor}`;
export const INGEST_ENTRY = 'functions/ingest/handler.ts';

export interface WebhookEndpointProps {
  readonly bus: IEventBus;
  /** The ledger's table: the ingest remembers deliveries in its own partition of it, and may touch nothing else. */
  readonly table: ITable;
  /** Steady requests per second before 429; bursts up to twice that. */
  readonly rateLimit: number;
  readonly environment: Omit<z.input<typeof IngestEnvironment>, 'EVENT_BUS_NAME' | 'TABLE_NAME' | 'WEBHOOK_SENDERS' | 'EVENTS_PER_ACCOUNT_PER_HOUR'>;
  /** The stage's `floodGuard.eventsPerAccountPerHour`: past it, the ingest holds an account's guarded events (functions/core/flood). */
  readonly eventsPerAccountPerHour: number;
  /** Who may post to each path and what each sender may publish (functions/ingest/senders.ts, the stage's `webhooks`): a secret per sender. */
  readonly senders: WebhookSenders;
  /** The stage's vendors: with HubSpot, the ingest reads the objects its webhooks name, with the token of `vendorSecret`. */
  readonly vendors?: VendorConfig | undefined;
  readonly vendorSecret?: secretsmanager.ISecret | undefined;
  readonly holidays: BundledHolidays;
  readonly logRetention: logs.RetentionDays;
  readonly removalPolicy: RemovalPolicy;
}

/**
 * `POST /webhooks/<vendor>`: an HTTP API in front of the ingest function, which verifies each
 * vendor's signature on the raw body, turns the request into domain events, puts them on the bus once
 * per delivery, and only then answers 2xx.
 *
 * Each sender's signing secrets live in a Secrets Manager secret of their own (one per vendor path,
 * one per sender of `/webhooks/events`), as a comma-separated list, newest first (two during a
 * rotation: the new one first, the old one until the vendor moved): `whsec_<base64 key>` values for
 * Standard Webhooks, the vendor's signing secret for the others. The generated initial value is a
 * random 32-character alphanumeric string, so the function never runs without a secret (and nothing
 * verifies until ops put the vendor's value there: README.md, "Vendor webhooks"). The function gets
 * each sender's secret ARN and the detail-types it may publish (WEBHOOK_SENDERS), and may read those
 * secrets only.
 */
export class WebhookEndpoint extends Construct {
  readonly api: apigwv2.HttpApi;
  readonly stage: apigwv2.HttpStage;
  /** Who may post what: the senders it was given. */
  readonly senders: WebhookSenders;
  /** Every sender's secret: by vendor id, then sender (the vendor's own id on a vendor's path). */
  readonly secrets: Readonly<Record<string, Readonly<Record<string, secretsmanager.Secret>>>>;
  readonly ingest: BundledFunction;
  readonly url: string;

  constructor(scope: Construct, id: string, props: WebhookEndpointProps) {
    super(scope, id);
    this.senders = props.senders;
    const secrets: Record<string, Record<string, secretsmanager.Secret>> = {};
    for (const vendor of Object.values(VENDORS)) {
      secrets[vendor.id] = {};
      for (const sender of Object.keys(props.senders[vendor.id] ?? {})) {
        const of = vendor.id === EVENTS_PATH ? `the sender ${JSON.stringify(sender)} of ${vendor.name}` : vendor.name;
        const secret = new secretsmanager.Secret(this, secretId(vendor.id, sender), {
          description: `${of} webhook signing secrets: comma-separated, newest first`,
          generateSecretString: { passwordLength: 32, excludePunctuation: true, includeSpace: false },
          removalPolicy: props.removalPolicy,
        });
        acknowledge(
          secret,
          'AwsSolutions-SMG4',
          `A signing secret shared with ${of}, which issues or must be given it: a new one is registered at the sender first, so rotation is a manual, documented procedure (README.md, "Vendor webhooks"); the function accepts the old and new secrets during the switch.`,
        );
        secrets[vendor.id]![sender] = secret;
      }
    }
    this.secrets = secrets;
    const allSecrets = Object.values(secrets).flatMap((ofPath) => Object.values(ofPath));
    const sendersVariable = Object.fromEntries(
      Object.entries(secrets).map(([vendor, ofPath]) => [vendor, Object.fromEntries(Object.entries(ofPath).map(([sender, secret]) => [sender, { secretArn: secret.secretArn, types: props.senders[vendor]![sender]! }]))]),
    );

    const readsHubSpot = Boolean(props.vendors?.hubspot);
    if (readsHubSpot && !props.vendorSecret) throw new Error('ingest: the stage configures HubSpot, but no vendor secret was given');
    this.ingest = new BundledFunction(this, 'Ingest', {
      entry: INGEST_ENTRY,
      description: 'ingest: verify a signed webhook and put its domain event on the bus',
      environment: {
        ...props.environment,
        ...ingestVendorEnvironment(props.vendors),
        EVENT_BUS_NAME: props.bus.eventBusName,
        TABLE_NAME: props.table.tableName,
        WEBHOOK_SENDERS: Stack.of(this).toJsonString(sendersVariable),
        EVENTS_PER_ACCOUNT_PER_HOUR: String(props.eventsPerAccountPerHour),
      } satisfies z.input<typeof IngestEnvironment>,
      // The sender waits for the answer: more memory, more CPU, a shorter cold start.
      memorySize: 512,
      timeout: Duration.seconds(10),
      holidays: props.holidays,
      logRetention: props.logRetention,
      removalPolicy: props.removalPolicy,
    });
    // Exactly what the handler calls: PutEvents on this bus, GetSecretValue on the senders' secrets (no
    // DescribeSecret, which `grantRead` would add), and the table's partitions below (dynamodb:LeadingKeys).
    props.bus.grantPutEventsTo(this.ingest.function);
    this.ingest.role.addToPrincipalPolicy(
      new iam.PolicyStatement({ actions: ['secretsmanager:GetSecretValue'], resources: allSecrets.map((secret) => secret.secretArn) }),
    );
    // With HubSpot: GetSecretValue on the stage's vendor secret too (its token reads the objects HubSpot's
    // webhooks name). Referenced by name, its ARN ends with the six characters Secrets Manager appends.
    if (readsHubSpot && props.vendorSecret) {
      this.ingest.role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['secretsmanager:GetSecretValue'], resources: [`${props.vendorSecret.secretArn}-??????`] }));
    }
    // On the table: Powertools idempotency's four item operations on the deliveries' partition, and
    // PutItem on the sealed values' partitions (the events' personal fields go to the ledger, the bus
    // carries their ids: functions/adapters/sealed.ts); nothing else of the ledger (lib/functions.ts).
    for (const { actions, leadingKeys } of tableStatements(ENDPOINT_TABLE_ACCESS.ingest)) {
      this.ingest.role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: [...actions], resources: [props.table.tableArn], conditions: leadingKeysCondition(leadingKeys) }));
    }

    this.api = new apigwv2.HttpApi(this, 'Api', {
      description: 'Signed webhooks from the CS tools (NPS, CRM, product, helpdesk)',
      createDefaultStage: false,
    });
    const accessLogs = new logs.LogGroup(this, 'AccessLogs', {
      retention: props.logRetention,
      removalPolicy: props.removalPolicy,
    });
    this.stage = this.api.addStage('DefaultStage', {
      stageName: '$default',
      autoDeploy: true,
      throttle: { rateLimit: props.rateLimit, burstLimit: props.rateLimit * 2 },
      accessLogSettings: {
        destination: new apigwv2.LogGroupLogDestination(accessLogs),
        // Structured, and without bodies or headers: those carry customer data and signatures.
        format: AccessLogFormat.custom(
          JSON.stringify({
            requestId: '$context.requestId',
            requestTime: '$context.requestTime',
            sourceIp: '$context.identity.sourceIp',
            userAgent: '$context.identity.userAgent',
            routeKey: '$context.routeKey',
            status: '$context.status',
            protocol: '$context.protocol',
            responseLength: '$context.responseLength',
            responseLatency: '$context.responseLatency',
            integrationStatus: '$context.integration.status',
            integrationLatency: '$context.integration.latency',
            integrationError: '$context.integration.error',
            error: '$context.error.message',
          }),
        ),
      },
    });
    const integration = new HttpLambdaIntegration('Ingest', this.ingest.function);
    const routes = Object.keys(VENDORS).flatMap((vendor) => this.api.addRoutes({ path: webhookPath(vendor), methods: [apigwv2.HttpMethod.POST], integration }));
    for (const route of routes) {
      acknowledge(
        route,
        'AwsSolutions-APIG4',
        'Webhook senders (third-party SaaS) can neither sign requests with SigV4 nor hold Cognito or JWT tokens: every request is authenticated by its vendor\'s HMAC signature over the raw body (Standard Webhooks, Typeform, HubSpot v3, Slack v0, Zendesk), with a timestamp window where the scheme signs one, verified in the ingest function before anything is accepted (401 otherwise).',
      );
    }
    // The `$default` stage's URL is the API root, ending with a slash.
    this.url = `${this.stage.url}${WEBHOOK_PATH.slice(1)}`;
  }
}

/**
 * A sender's secret's construct id. The product's and each vendor's keep the ids they always had, so
 * an upgrade keeps their values; another sender of `/webhooks/events` gets `<Sender>SenderSigningSecrets`.
 */
function secretId(vendorId: string, sender: string): string {
  if (vendorId !== EVENTS_PATH) return `${pascalName(vendorId)}SigningSecrets`;
  return sender === PRODUCT_SENDER ? 'SigningSecrets' : `${pascalName(sender)}SenderSigningSecrets`;
}
