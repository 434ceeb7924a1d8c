import { Duration, type RemovalPolicy } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type { IEventBus } from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import type { z } from '../../functions/contracts/zod.ts';
// Type only: the handler module validates its environment when loaded, which must not happen at synth.
import type { IngestEnvironment } from '../../functions/ingest/environment.ts';
import { acknowledge } from '../nag.ts';
import { BundledFunction, type BundledHolidays } from './bundled-function.ts';

export const WEBHOOK_PATH = '/webhooks/events';
export const INGEST_ENTRY = 'functions/ingest/handler.ts';

export interface WebhookEndpointProps {
  readonly bus: IEventBus;
  /** Steady requests per second before 429; bursts up to twice that. */
  readonly rateLimit: number;
  readonly environment: Omit<z.input<typeof IngestEnvironment>, 'EVENT_BUS_NAME' | 'WEBHOOK_SECRET_ARN'>;
  readonly holidays: BundledHolidays;
  readonly logRetention: logs.RetentionDays;
  readonly removalPolicy: RemovalPolicy;
}

/**
 * `POST /webhooks/events`: an HTTP API in front of the ingest function, which verifies the Standard
 * Webhooks signature, validates the event and puts it on the bus.
 *
 * The signing secrets live in one Secrets Manager secret, as a comma-separated list of
 * `whsec_<base64 key>` values (two during a rotation: the new one first, the old one until every
 * sender moved). The generated initial value is a random 32-character alphanumeric string, itself a
 * valid key (base64 of 24 bytes), so the function never runs without a secret; replace it with the
 * vendors' `whsec_…` values (README.md, "Deploying an environment").
 */
export class WebhookEndpoint extends Construct {
  readonly api: apigwv2.HttpApi;
  readonly stage: apigwv2.HttpStage;
  readonly secret: secretsmanager.Secret;
  readonly ingest: BundledFunction;
  readonly url: string;

  constructor(scope: Construct, id: string, props: WebhookEndpointProps) {
    super(scope, id);
    this.secret = new secretsmanager.Secret(this, 'SigningSecrets', {
      description: 'Webhook signing secrets: comma-separated whsec_<base64> values, newest first',
      generateSecretString: { passwordLength: 32, excludePunctuation: true, includeSpace: false },
      removalPolicy: props.removalPolicy,
    });
    acknowledge(
      this.secret,
      'AwsSolutions-SMG4',
      'A signing secret shared with third-party webhook senders: a new one must be registered with each sender first, so rotation is a manual, documented procedure (README.md, "Deploying an environment"); the function accepts the old and new secrets during the switch.',
    );

    this.ingest = new BundledFunction(this, 'Ingest', {
      entry: INGEST_ENTRY,
      description: 'ingest: verify a signed webhook and put its domain event on the bus',
      environment: {
        ...props.environment,
        EVENT_BUS_NAME: props.bus.eventBusName,
        WEBHOOK_SECRET_ARN: this.secret.secretArn,
      } satisfies z.input<typeof IngestEnvironment>,
      // The sender waits for the answer: more memory, more CPU, a shorter cold start.
      memorySize: 512,
      timeout: Duration.seconds(10),
      holidays: props.holidays,
      logRetention: props.logRetention,
      removalPolicy: props.removalPolicy,
    });
    // Exactly what the handler calls: PutEvents on this bus, GetSecretValue on this secret (no
    // DescribeSecret, which `grantRead` would add).
    props.bus.grantPutEventsTo(this.ingest.function);
    this.ingest.role.addToPrincipalPolicy(
      new iam.PolicyStatement({ actions: ['secretsmanager:GetSecretValue'], resources: [this.secret.secretArn] }),
    );

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
    const routes = this.api.addRoutes({
      path: WEBHOOK_PATH,
      methods: [apigwv2.HttpMethod.POST],
      integration: new HttpLambdaIntegration('Ingest', this.ingest.function),
    });
    for (const route of routes) {
      acknowledge(
        route,
        'AwsSolutions-APIG4',
        'Webhook senders (third-party SaaS) can neither sign requests with SigV4 nor hold Cognito or JWT tokens: every request is authenticated by its Standard Webhooks HMAC-SHA256 signature over the raw body, verified in the ingest function before anything is accepted (401 otherwise).',
      );
    }
    // The `$default` stage's URL is the API root, ending with a slash.
    this.url = `${this.stage.url}${WEBHOOK_PATH.slice(1)}`;
  }
}
