import { ArnFormat, Stack, type RemovalPolicy } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { domainsOf, selfSubstitutionOf, substitutionKeysIn, substitutionsOf, type DomainId, type PlaybookEntry } from '../catalog.ts';
import { playbookDefinition } from '../flow.ts';
import { acknowledge } from '../nag.ts';

export interface PlaybookStateMachineProps {
  readonly playbook: PlaybookEntry;
  /** Every domain's function; the playbook gets the ARNs of, and may invoke, those of its actions' domains only. */
  readonly functions: Readonly<Record<DomainId, IFunction>>;
  readonly logGroupPrefix: string;
  readonly logRetention: logs.RetentionDays;
  readonly removalPolicy: RemovalPolicy;
  /**
   * A fixed name (`stateMachineName` of the catalog), required by a playbook that starts itself: its own
   * ARN is then built from the name, with no reference to the resource it is part of.
   */
  readonly stateMachineName?: string;
}

/**
 * A playbook as a Standard workflow: its flow file built with its failure policies (../flow.ts, the
 * definition the sandbox runs) with every `${<Domain>FunctionArn}` filled by a substitution, so no
 * name or ARN lives in the ASL.
 *
 * The file is inlined (`DefinitionBody.fromString`) rather than `DefinitionBody.fromFile`, which in
 * aws-cdk-lib 2 uploads the file as an S3 asset (`DefinitionS3Location`): the definition would then be
 * invisible to template assertions, cdk-nag and `cdk diff`. The ASL's own `TimeoutSeconds` bounds
 * every execution, so the construct's `timeout` is not set (it applies to CDK-built chains only).
 */
export class PlaybookStateMachine extends Construct {
  readonly stateMachine: sfn.StateMachine;
  readonly logGroup: logs.LogGroup;

  constructor(scope: Construct, id: string, props: PlaybookStateMachineProps) {
    super(scope, id);
    const { playbook } = props;
    const definition = playbookDefinition(playbook);
    const substitutions = substitutionsOf(playbook);
    const self = selfSubstitutionOf(playbook);
    if (self && !props.stateMachineName) throw new Error(`${playbook.id} starts itself: give its state machine a fixed name`);
    // Its own ARN, from the fixed name: `Ref` or `GetAtt` of the state machine inside its own definition
    // would be a CloudFormation circular dependency.
    const ownArn =
      props.stateMachineName &&
      Stack.of(this).formatArn({ service: 'states', resource: 'stateMachine', resourceName: props.stateMachineName, arnFormat: ArnFormat.COLON_RESOURCE_NAME });
    // A `${…}` no substitution fills would reach Step Functions as literal text (an invalid Resource, or
    // worse a wrong parameter): refused at synth. `npm run validate-asl` reports the converse (a listed
    // function no state calls) and the rest.
    const unfilled = substitutionKeysIn(definition).filter((key) => !substitutions.has(key) && key !== self);
    if (unfilled.length > 0) {
      throw new Error(`${playbook.definitionFile}: no domain of ${playbook.id}'s actions fills ${unfilled.map((key) => `\${${key}}`).join(', ')}`);
    }

    // `/aws/vendedlogs/` spares the account-wide CloudWatch Logs resource policy, limited to 5 KB,
    // one entry per state machine log group.
    this.logGroup = new logs.LogGroup(this, 'Logs', {
      logGroupName: `/aws/vendedlogs/states/${props.logGroupPrefix}-${playbook.id}`,
      retention: props.logRetention,
      removalPolicy: props.removalPolicy,
    });
    this.stateMachine = new sfn.StateMachine(this, 'StateMachine', {
      ...(props.stateMachineName ? { stateMachineName: props.stateMachineName } : {}),
      comment: playbook.description,
      stateMachineType: sfn.StateMachineType.STANDARD,
      definitionBody: sfn.DefinitionBody.fromString(definition),
      definitionSubstitutions: {
        ...Object.fromEntries([...substitutions].map(([key, domain]) => [key, props.functions[domain].functionArn])),
        ...(self && ownArn ? { [self]: ownArn } : {}),
      },
      // ALL events, for the execution history an operator reads, but not their data: inputs and
      // outputs carry NPS comments, contacts' names and e-mail addresses, and logs outlive the data
      // (PITR, TTL). The data stays in the execution history, kept 90 days and guarded by IAM.
      logs: { destination: this.logGroup, level: sfn.LogLevel.ALL, includeExecutionData: false },
      tracingEnabled: true,
    });
    // The ASL's Task states call the unqualified ARNs substituted above, so exactly those are granted:
    // grantInvoke would add `<arn>:*` (every version and alias), which no state calls.
    const invoked = domainsOf(playbook).map((domain) => props.functions[domain].functionArn);
    if (invoked.length > 0) {
      this.stateMachine.addToRolePolicy(new iam.PolicyStatement({ actions: ['lambda:InvokeFunction'], resources: invoked }));
    }

    // The hand-over (`arn:aws:states:::states:startExecution`, request-response): StartExecution on exactly
    // this state machine. Not `.sync`, so no DescribeExecution, StopExecution or EventBridge rule grants.
    if (self && ownArn) {
      this.stateMachine.addToRolePolicy(new iam.PolicyStatement({ actions: ['states:StartExecution'], resources: [ownArn] }));
    }

    const policy = this.stateMachine.role.node.findChild('DefaultPolicy');
    acknowledge(
      policy,
      'AwsSolutions-IAM5[Resource::*]',
      'Step Functions log delivery (logs:CreateLogDelivery, logs:PutResourcePolicy, …) and X-Ray (xray:PutTraceSegments, …) support no resource-level permissions (Step Functions developer guide, "IAM policies for logging to CloudWatch Logs").',
    );
  }
}
