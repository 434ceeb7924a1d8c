import { Duration, Stack, type RemovalPolicy } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import type { z } from '../../functions/contracts/zod.ts';
import type { PlaybookFunctionEnvironment } from '../../functions/runtime/environment.ts';
import { DOMAINS, domainGrants, type DomainEntry, type DomainId } from '../catalog.ts';
import { leadingKeysCondition } from '../table-grants.ts';
import { needsSecret, sesSendResources, vendorEnvironment, type VendorConfig } from '../vendors.ts';
import { BundledFunction, type BundledHolidays } from './bundled-function.ts';

export interface PlaybookLambdaProps {
  readonly domain: DomainId;
  readonly table: ITable;
  /** Typed from the handler's zod contract, which validates the same variables at cold start. */
  readonly environment: z.input<typeof PlaybookFunctionEnvironment>;
  readonly holidays: BundledHolidays;
  readonly logRetention: RetentionDays;
  readonly removalPolicy: RemovalPolicy;
  /** The stage's vendors: a domain whose actions call a port gets that vendor's settings, and its secret when it needs a token. */
  readonly vendors?: VendorConfig | undefined;
  readonly vendorSecret?: ISecret | undefined;
}

/**
 * A domain of the catalog (DOMAINS entry) as one Lambda routing its actions: its role gets the union of
 * its actions' needs (`domainGrants`), on the table exactly their operations on their item types, nothing else. Task
 * callbacks are granted by the stack, which knows the state machines.
 */
export class PlaybookLambda extends Construct {
  readonly bundled: BundledFunction;

  constructor(scope: Construct, id: string, props: PlaybookLambdaProps) {
    super(scope, id);
    const { entry, description } = DOMAINS[props.domain];
    const highVolume = (DOMAINS[props.domain] as DomainEntry).highVolume === true;
    const { tableStatements, ports } = domainGrants(props.domain);
    const readsSecret = needsSecret(props.vendors, ports);
    if (readsSecret && !props.vendorSecret) throw new Error(`${props.domain}: the stage configures a vendor, but no vendor secret was given`);
    this.bundled = new BundledFunction(this, 'Lambda', {
      entry,
      description: `${props.domain}: ${description}`,
      environment: { ...props.environment, ...vendorEnvironment(props.vendors, ports) },
      // Single-item DynamoDB calls: memory buys a faster cold start, not throughput.
      memorySize: 256,
      // Well under the Task states' retry budget; a DynamoDB call taking seconds is an outage.
      timeout: Duration.seconds(10),
      holidays: props.holidays,
      logRetention: props.logRetention,
      removalPolicy: props.removalPolicy,
      passThroughTracing: highVolume,
    });
    // Exactly the catalog's operations, each on the partitions of the item types its actions need
    // (dynamodb:LeadingKeys): a role writes only the types it owns. On the table ARN only: `grant` would
    // add the dispatch index (`/index/*`), which only the dispatch drain reads (DispatchDrain grants it).
    // The table has no customer managed key: no KMS statement.
    for (const { actions, leadingKeys } of tableStatements) {
      this.bundled.role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: [...actions], resources: [props.table.tableArn], conditions: leadingKeysCondition(leadingKeys) }));
    }
    // GetSecretValue on the vendor secret only (`grantRead` would add DescribeSecret). Referenced by
    // name, its ARN ends with the six random characters Secrets Manager appends.
    if (readsSecret && props.vendorSecret) {
      this.bundled.role.addToPrincipalPolicy(
        new iam.PolicyStatement({ actions: ['secretsmanager:GetSecretValue'], resources: [`${props.vendorSecret.secretArn}-??????`] }),
      );
    }
    // SES authenticates with the function's own role: SendEmail from the stage's sender only, on its
    // identity (the address or its domain, whichever ops verified) and its configuration set.
    if (ports.includes('mailer') && props.vendors?.ses) {
      const ses = props.vendors.ses;
      const { region, account } = Stack.of(this);
      this.bundled.role.addToPrincipalPolicy(
        new iam.PolicyStatement({
          actions: ['ses:SendEmail'],
          resources: sesSendResources(ses, { region, account }),
          conditions: { StringEquals: { 'ses:FromAddress': ses.fromAddress } },
        }),
      );
    }
  }

  get function() {
    return this.bundled.function;
  }
}
