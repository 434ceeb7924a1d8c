import { Duration, type RemovalPolicy } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as logs from 'aws-cdk-lib/aws-logs';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import type { IStateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
// Type only: the handler module validates its environment when loaded, which must not happen at synth.
import type { DecideApprovalEnvironment } from '../../functions/decide-approval/environment.ts';
import type { z } from '../../functions/contracts/zod.ts';
import { ENDPOINT_TABLE_ACCESS } from '../functions.ts';
import { acknowledge } from '../nag.ts';
import { leadingKeysCondition, tableStatements } from '../table-grants.ts';
import { BundledFunction, type BundledHolidays } from './bundled-function.ts';

export const APPROVAL_ROUTE = '/approvals/{approvalId}';
export const DECIDE_APPROVAL_ENTRY = 'functions/decide-approval/handler.ts';

export interface ApprovalEndpointProps {
  /** The stage's HTTP API (the webhook endpoint's): one API, one throttle, one access log. */
  readonly api: apigwv2.HttpApi;
  readonly stageUrl: string;
  readonly table: ITable;
  /** The state machines of the playbooks that ask for approvals: the only tasks a decision may complete. */
  readonly stateMachines: readonly IStateMachine[];
  readonly environment: Omit<z.input<typeof DecideApprovalEnvironment>, 'TABLE_NAME' | 'APPROVAL_SECRET_ARN'>;
  readonly holidays: BundledHolidays;
  readonly logRetention: logs.RetentionDays;
  readonly removalPolicy: RemovalPolicy;
}

/**
 * `POST /approvals/{approvalId}`: where the CSM (the sandbox's `playbooks approve`, later a Slack
 * button) approves, edits or cancels an e-mail a playbook put up for approval. Its own Lambda (the
 * ingest function's role may not touch the table or Step Functions), and its own signing secret: the
 * webhook secrets are shared with vendors, and an NPS tool must not be able to approve e-mails.
 */
export class ApprovalEndpoint extends Construct {
  readonly secret: secretsmanager.Secret;
  readonly decide: BundledFunction;
  readonly url: string;

  constructor(scope: Construct, id: string, props: ApprovalEndpointProps) {
    super(scope, id);
    this.secret = new secretsmanager.Secret(this, 'SigningSecrets', {
      description: 'Approval signing secrets: comma-separated whsec_<base64> values, newest first',
      generateSecretString: { passwordLength: 32, excludePunctuation: true, includeSpace: false },
      removalPolicy: props.removalPolicy,
    });
    acknowledge(
      this.secret,
      'AwsSolutions-SMG4',
      'A signing secret shared with the tools that sign CSM decisions (the CLI, a Slack app): a new one must be given to each of them first, so rotation is a manual, documented procedure (README.md, "Approval mode"); the function accepts the old and new secrets during the switch.',
    );

    this.decide = new BundledFunction(this, 'Decide', {
      entry: DECIDE_APPROVAL_ENTRY,
      description: 'decide-approval: verify a signed CSM decision, record it once, resume the waiting playbook',
      environment: {
        ...props.environment,
        TABLE_NAME: props.table.tableName,
        APPROVAL_SECRET_ARN: this.secret.secretArn,
      } satisfies z.input<typeof DecideApprovalEnvironment>,
      // A person waits for the answer: more memory, more CPU, a shorter cold start.
      memorySize: 512,
      timeout: Duration.seconds(10),
      holidays: props.holidays,
      logRetention: props.logRetention,
      removalPolicy: props.removalPolicy,
    });
    const role = this.decide.role;
    // Exactly what the function calls: the approval's read and conditional put, its signing secret
    // (no DescribeSecret, which `grantRead` would add), and the two callbacks on the playbooks that
    // wait for approvals (not SendTaskHeartbeat, which `grantTaskResponse` would add).
    // On the approvals' partitions of the table only (dynamodb:LeadingKeys): the internet-facing function
    // can neither read nor write the accounts' items; `grant` would add its dispatch index (`/index/*`).
    for (const { actions, leadingKeys } of tableStatements(ENDPOINT_TABLE_ACCESS['decide-approval'])) {
      role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: [...actions], resources: [props.table.tableArn], conditions: leadingKeysCondition(leadingKeys) }));
    }
    role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['secretsmanager:GetSecretValue'], resources: [this.secret.secretArn] }));
    if (props.stateMachines.length > 0) {
      role.addToPrincipalPolicy(
        new iam.PolicyStatement({
          actions: ['states:SendTaskSuccess', 'states:SendTaskFailure'],
          resources: props.stateMachines.map((machine) => machine.stateMachineArn),
        }),
      );
    }

    const routes = props.api.addRoutes({
      path: APPROVAL_ROUTE,
      methods: [apigwv2.HttpMethod.POST],
      integration: new HttpLambdaIntegration('Decide', this.decide.function),
    });
    for (const route of routes) {
      acknowledge(
        route,
        'AwsSolutions-APIG4',
        'CSM decisions come from tools that hold a shared signing secret (the CLI, a Slack app), not AWS or Cognito identities: every request is authenticated by its Standard Webhooks HMAC-SHA256 signature over the raw body, verified in the function before anything is read or changed (401 otherwise).',
      );
    }
    this.url = `${props.stageUrl}approvals/`;
  }
}
