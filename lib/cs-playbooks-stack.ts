import { CfnOutput, Duration, RemovalPolicy, Stack, Tags, type StackProps } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import type { Construct } from 'constructs';
import { resolveSettings, type Settings } from '../functions/contracts/settings.ts';
import { buildHolidayTable, holidayYears, type HolidayYears } from './calendar/public-holidays.ts';
import { DOMAIN_IDS, domainGrants, domainOf, PLAYBOOKS, pascalCase, RECORDERS, stateMachineName, type ActionId, type DomainId, type PlaybookEntry } from './catalog.ts';
import { ApprovalEndpoint } from './constructs/approval-endpoint.ts';
import { AlarmTopic } from './constructs/alarm-topic.ts';
import { ExecutionWatch } from './constructs/execution-watch.ts';
import { OpsAccess } from './constructs/ops-access.ts';
import { retentionDays, type BundledHolidays } from './constructs/bundled-function.ts';
import { DispatchDrain } from './constructs/dispatch-drain.ts';
import { PlaybookEventBus } from './constructs/playbook-event-bus.ts';
import { PlaybookLambda } from './constructs/playbook-lambda.ts';
import { PlaybookStateMachine } from './constructs/playbook-state-machine.ts';
import { PlaybookTable } from './constructs/playbook-table.ts';
import { EventRecorder } from './constructs/event-recorder.ts';
import { PlaybookSchedule } from './constructs/playbook-schedule.ts';
import { PlaybookTrigger } from './constructs/playbook-trigger.ts';
import { WebhookEndpoint } from './constructs/webhook-endpoint.ts';
import { INGEST_SERVICE } from '../functions/ingest/answer-metrics.ts';
import { REDRIVE_SERVICE } from '../functions/executions/metrics.ts';
import { EVENTS_PATH, secretOutputName, webhookSenders } from '../functions/ingest/senders.ts';
import { VENDORS } from '../functions/ingest/vendors/index.ts';
import { alarmOnFunctions, alarmOnHolidayTable, alarmOnPlaybook, alarmOnWebhooks } from './stage-alarms.ts';
import { stackName } from './stack-name.ts';
import type { StageConfig, StageName } from './stages.ts';

export interface CsPlaybooksStackProps extends StackProps {
  readonly stage: StageConfig & { readonly name: StageName };
  /** The year the holiday window is anchored on (`holidayYears`); defaults to the current UTC year. */
  readonly holidayYear?: number;
  /** What it deploys: the catalog's playbooks, unless a test synthesizes others (an ASL fixture). */
  readonly playbooks?: readonly PlaybookEntry[];
}

/** The action the playbooks' approval Tasks call (`lambda:invoke.waitForTaskToken`). */
const REQUEST_APPROVAL: ActionId = 'request-approval';

export { stackName };

/**
 * The settings every function reads, as its `SETTINGS` variable: all of them but the people directory,
 * which no function reads yet, which grows with the team (Lambda allows 4 KB of variables per function:
 * about twenty people would stop a deploy) and which names people in every function's configuration.
 */
export function functionSettings({ people: _people, ...settings }: Settings): Omit<Settings, 'people'> {
  return settings;
}

/** Metrics namespace of the functions: per stage, so that two stages in one account never mix. */
export const metricsNamespace = (stage: StageName) => `CsPlaybooks/${stage}`;

/**
 * Everything one environment runs, built from the catalog: a function per DOMAINS entry (routing its
 * actions), and per PLAYBOOKS entry a state machine, the rule that starts it and its alarms. Nothing
 * here is specific to one playbook; adding one to the catalog adds its resources.
 */
export class CsPlaybooksStack extends Stack {
  /** The domains' functions, by domain. */
  readonly functions: Readonly<Record<DomainId, IFunction>>;
  readonly stateMachines: Readonly<Record<string, PlaybookStateMachine>>;
  readonly triggers: Readonly<Record<string, PlaybookTrigger>>;
  /** The schedules of the playbooks the stage's clock starts (lib/catalog.ts `schedule`). */
  readonly schedules: Readonly<Record<string, PlaybookSchedule>>;
  readonly approvals: ApprovalEndpoint;
  /** The years the compiled holiday table covers (`__PUBLIC_HOLIDAY_YEARS__` in every bundle). */
  readonly holidayYears: HolidayYears;

  constructor(scope: Construct, id: string, { stage, holidayYear, playbooks = PLAYBOOKS, ...stackProps }: CsPlaybooksStackProps) {
    // Written without indentation: CloudFormation takes a template of 1 MB at most, and the indented
    // prod template (about 900 KB, most of it the state machines' definitions) passed CDK's 80% warning
    // once every alarm had its description and metrics; compact, it was about 830 KB with a function
    // per step, 700 KB with one per domain, 900 KB with the usage playbooks, and 706 KB once the
    // definitions were inlined without indentation too (lib/flow.ts). test/lib/stack-limits.test.ts
    // holds it under the limit.
    super(scope, id, { description: `Customer Success retention playbooks (${stage.name})`, suppressTemplateIndentation: true, ...stackProps });
    Tags.of(this).add('application', 'cs-playbooks');
    Tags.of(this).add('stage', stage.name);

    const settings = resolveSettings(stage.settings);
    // Holidays are data compiled into the bundles, for the window `holidayYears` anchors on the
    // synth-time year (so a synthesis after 1 January changes the bundles: that is a redeploy, not drift).
    this.holidayYears = holidayYears(holidayYear ?? new Date().getUTCFullYear());
    const holidays: BundledHolidays = {
      table: buildHolidayTable(settings.calendar.countries, this.holidayYears.fromYear, this.holidayYears.toYear),
      years: this.holidayYears,
    };
    const logRetention = retentionDays(stage.logRetentionDays);
    const removalPolicy = stage.retainData ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY;

    // The archive keeps whole events (customer data): as long as a replay after an incident needs,
    // never longer than the logs (lib/stages.ts says why).
    if (stage.archiveRetentionDays > stage.logRetentionDays) {
      throw new Error(`${stage.name}: archiveRetentionDays (${stage.archiveRetentionDays}) exceeds logRetentionDays (${stage.logRetentionDays})`);
    }
    const { bus, archive } = new PlaybookEventBus(this, 'Events', { archiveRetention: Duration.days(stage.archiveRetentionDays) });
    const { table } = new PlaybookTable(this, 'Data', { retainData: stage.retainData });
    const alarms = new AlarmTopic(this, 'Alarms', { removalPolicy });
    alarmOnHolidayTable(this, alarms, metricsNamespace(stage.name), this.holidayYears);

    // Created and rotated by ops at the vendors (README, "Connecting the CRM, Slack and SES"): referenced, not owned.
    const vendorSecret = stage.vendors?.secretName ? secretsmanager.Secret.fromSecretNameV2(this, 'VendorSecret', stage.vendors.secretName) : undefined;
    const functions = {} as Record<DomainId, IFunction>;
    const lambdas = {} as Record<DomainId, PlaybookLambda>;
    for (const domain of DOMAIN_IDS) {
      // `<Domain>Domain`: `Approvals` is the approval endpoint's id.
      lambdas[domain] = new PlaybookLambda(this, `${pascalCase(domain)}Domain`, {
        domain,
        table,
        environment: {
          TABLE_NAME: table.tableName,
          SETTINGS: JSON.stringify(functionSettings(settings)),
          STAGE: stage.name,
          POWERTOOLS_SERVICE_NAME: domain,
          POWERTOOLS_METRICS_NAMESPACE: metricsNamespace(stage.name),
          // The bus, for a domain whose actions put the events they derive on it (the usage recorder).
          ...(domainGrants(domain).publishes.length > 0 ? { EVENT_BUS_NAME: bus.eventBusName } : {}),
        },
        holidays,
        logRetention,
        removalPolicy,
        vendors: stage.vendors,
        vendorSecret,
      });
      functions[domain] = lambdas[domain].function;
      if (domainGrants(domain).publishes.length > 0) bus.grantPutEventsTo(lambdas[domain].function);
    }
    this.functions = functions;
    new DispatchDrain(this, 'Dispatches', { drain: functions.dispatch, table, alarms, namespace: metricsNamespace(stage.name) });

    const stateMachines: Record<string, PlaybookStateMachine> = {};
    const triggers: Record<string, PlaybookTrigger> = {};
    const schedules: Record<string, PlaybookSchedule> = {};
    for (const playbook of playbooks) {
      const id = pascalCase(playbook.id);
      const machine = new PlaybookStateMachine(this, `${id}Playbook`, {
        playbook,
        functions,
        logGroupPrefix: stackName(stage.name),
        logRetention,
        removalPolicy,
        // Only a playbook that starts itself needs to know its ARN: the others keep generated names.
        ...('startsItself' in playbook && playbook.startsItself ? { stateMachineName: stateMachineName(stage.name, playbook) } : {}),
      });
      // Started by events (a rule on the bus), or by the stage's clock (a schedule).
      const schedule = 'schedule' in playbook ? playbook.schedule : undefined;
      const starter = schedule
        ? new PlaybookSchedule(this, `${id}Schedule`, { playbook: { ...playbook, schedule }, stateMachine: machine.stateMachine })
        : new PlaybookTrigger(this, `${id}Trigger`, { bus, playbook, stateMachine: machine.stateMachine });
      alarmOnPlaybook(alarms, playbook.id, machine, starter, metricsNamespace(stage.name));
      stateMachines[playbook.id] = machine;
      if (starter instanceof PlaybookTrigger) triggers[playbook.id] = starter;
      else schedules[playbook.id] = starter;
    }
    this.stateMachines = stateMachines;
    this.triggers = triggers;
    this.schedules = schedules;
    // The facts recorded straight from the bus (the product's usage): a rule per recorder, its action's function as target.
    for (const recorder of RECORDERS) {
      new EventRecorder(this, pascalCase(recorder.id), { bus, recorder, fn: functions[domainOf(recorder.action)], alarms });
    }
    // The construct id stays `Redrive`, what it was named when it only redrove: a new one would replace its function and rules.
    const { redrive } = new ExecutionWatch(this, 'Redrive', {
      stateMachines: Object.fromEntries(Object.entries(stateMachines).map(([playbook, machine]) => [playbook, machine.stateMachine])),
      table,
      alarms,
      environment: { POWERTOOLS_SERVICE_NAME: REDRIVE_SERVICE, POWERTOOLS_METRICS_NAMESPACE: metricsNamespace(stage.name) },
      holidays,
      logRetention,
      removalPolicy,
    });

    // An action that resumes executions itself may do so on the state machines that call it (or, for
    // one that resumes another action's waits, on that action's callers), and no other: its domain's
    // role gets each such grant of its actions. A policy of its own, not the role's default policy:
    // the function waits for its default policy, the state machines reference the function, and this
    // policy the state machines.
    const callersOf = (action: ActionId) => playbooks.filter((p) => (p.actions as readonly ActionId[]).includes(action)).map((p) => stateMachines[p.id]!.stateMachine);
    for (const domain of DOMAIN_IDS) {
      const statements = domainGrants(domain)
        .taskCallbacks.map(({ actions, callersOf: action }) => ({ actions, callers: callersOf(action) }))
        .filter(({ callers }) => callers.length > 0)
        .map(({ actions, callers }) => new iam.PolicyStatement({ actions: [...actions], resources: callers.map((machine) => machine.stateMachineArn) }));
      if (statements.length === 0) continue;
      new iam.Policy(lambdas[domain], 'TaskCallbacks', { roles: [lambdas[domain].bundled.role], statements });
    }

    const webhook = new WebhookEndpoint(this, 'Webhook', {
      bus,
      table,
      rateLimit: stage.webhookRateLimit,
      environment: { POWERTOOLS_SERVICE_NAME: INGEST_SERVICE, POWERTOOLS_METRICS_NAMESPACE: metricsNamespace(stage.name) },
      eventsPerAccountPerHour: settings.floodGuard.eventsPerAccountPerHour,
      holidays,
      logRetention,
      removalPolicy,
      vendors: stage.vendors,
      vendorSecret,
      senders: webhookSenders(stage.webhooks),
    });

    this.approvals = new ApprovalEndpoint(this, 'Approvals', {
      api: webhook.api,
      stageUrl: webhook.stage.url,
      table,
      stateMachines: callersOf(REQUEST_APPROVAL),
      environment: { POWERTOOLS_SERVICE_NAME: 'decide-approval', POWERTOOLS_METRICS_NAMESPACE: metricsNamespace(stage.name) },
      holidays,
      logRetention,
      removalPolicy,
    });

    alarmOnWebhooks(alarms, webhook, metricsNamespace(stage.name));
    alarmOnFunctions(this, alarms, { ...functions, ingest: webhook.ingest.function, 'decide-approval': this.approvals.decide.function, redrive: redrive.function });

    new CfnOutput(this, 'WebhookUrl', { value: webhook.url, description: 'POST signed webhooks here' });
    new CfnOutput(this, 'ApprovalUrl', { value: this.approvals.url, description: 'POST signed approval decisions to <this>/<approvalId>' });
    new CfnOutput(this, 'ApprovalSecretArn', { value: this.approvals.secret.secretArn, description: 'Put the approval signing secrets here' });
    for (const [vendor, ofPath] of Object.entries(webhook.secrets)) {
      for (const [sender, secret] of Object.entries(ofPath)) {
        const types = webhook.senders[vendor]![sender]!.join(', ') || 'nothing';
        const who = vendor === EVENTS_PATH ? `the sender "${sender}" of ${VENDORS[vendor]!.name} (whsec_…; it may publish ${types})` : `${VENDORS[vendor]!.name}'s webhook signing secret (it may publish ${types})`;
        new CfnOutput(this, secretOutputName(vendor, sender), { value: secret.secretArn, description: `Put ${who} here: POST <api>/webhooks/${vendor}` });
      }
    }
    new CfnOutput(this, 'EventBusName', { value: bus.eventBusName });
    new CfnOutput(this, 'TableName', { value: table.tableName });

    // What the ops CLI reaches the stage by (sandbox/ops/target.ts), and the policies it needs.
    const ops = new OpsAccess(this, 'Ops', { stateMachines: Object.values(stateMachines).map((machine) => machine.stateMachine), table, archive });
    new CfnOutput(this, 'EventBusArn', { value: bus.eventBusArn });
    new CfnOutput(this, 'EventArchiveArn', { value: archive.archiveArn });
    for (const [playbook, machine] of Object.entries(stateMachines)) {
      new CfnOutput(this, `${pascalCase(playbook)}StateMachineArn`, { value: machine.stateMachine.stateMachineArn, description: `The state machine of ${playbook}` });
    }
    for (const [playbook, trigger] of Object.entries(triggers)) {
      new CfnOutput(this, `${pascalCase(playbook)}TriggerRuleArn`, { value: trigger.rule.ruleArn, description: `The rule that starts ${playbook}: a replay names it` });
    }
    new CfnOutput(this, 'OpsReadOnlyPolicyArn', { value: ops.readOnly.managedPolicyArn, description: 'Attach to on-call: npx playbooks executions / history' });
    new CfnOutput(this, 'OpsRecoveryPolicyArn', { value: ops.recovery.managedPolicyArn, description: 'Attach to on-call: npx playbooks redrive / replay' });
    new CfnOutput(this, 'AlarmTopicArn', { value: alarms.topic.topicArn, description: 'Subscribe the on-call address' });
  }

  /** The function that runs `action`: its domain's. */
  functionOf(action: ActionId): IFunction {
    return this.functions[domainOf(action)];
  }
}

