/**
 * Which implementation each outbound port gets, from the function's environment: the real adapter
 * when its vendor is configured, the outbox otherwise. "An environment without a CRM or Slack
 * configured still works": its effects stay in the ledger and the report.
 *
 * A vendor counts as configured when its credential is present (`SLACK_BOT_TOKEN`,
 * `HUBSPOT_ACCESS_TOKEN`, `SES_FROM_ADDRESS`); the rest of its settings are then required (the finance
 * channel too, for the function that posts there), and a
 * missing one is an error at cold start rather than a silent fall-back to the outbox. On AWS the
 * tokens come from Secrets Manager: read the secret (a JSON object with these keys) and pass
 * `{ ...process.env, ...secret }`.
 *
 * One builder per port (`alertChannelFromEnvironment`, `crmFromEnvironment`,
 * `mailerFromEnvironment`, `financeChannelFromEnvironment`) so that a Lambda loads only the vendor it
 * calls (the SES client is imported by the mailer's function alone);
 * `adaptersFromEnvironment` builds all of them around one outbox, for the sandbox.
 */
import { ContractError, parseContract } from '../contracts/index.ts';
import { z } from '../contracts/zod.ts';
import type { Tracer } from '@aws-lambda-powertools/tracer';
import { sesClient, SesMailer } from './email/ses-mailer.ts';
import { HubSpotCrm } from './hubspot/hubspot-crm.ts';
import { OutboxAlertChannel, OutboxCrm, OutboxFinanceChannel, OutboxMailer, type OutboxStore } from './outbox/outbox.ts';
import type { AlertChannel, CrmSync, FinanceChannel, Mailer, OutboundPorts } from './ports.ts';
import { SlackAlertChannel } from './slack/slack-alert-channel.ts';
import { SlackFinanceChannel } from './slack/slack-finance-channel.ts';
import type { Fetch } from './vendor-http.ts';

const optionalString = () => z.optional(z.string());

/** Every variable the outbound adapters read. Unknown variables are ignored (it is a process environment). */
export const OutboundEnvironment = z.object({
  SLACK_BOT_TOKEN: optionalString(),
  SLACK_ALERT_CHANNEL: optionalString(),
  SLACK_FINANCE_CHANNEL: optionalString(),
  SLACK_API_URL: optionalString(),
  HUBSPOT_ACCESS_TOKEN: optionalString(),
  HUBSPOT_API_URL: optionalString(),
  HUBSPOT_ID_PROPERTY: optionalString(),
  HUBSPOT_COMPANY_ID_PROPERTY: optionalString(),
  HUBSPOT_RISK_PIPELINE: optionalString(),
  HUBSPOT_RISK_STAGE_OPEN: optionalString(),
  HUBSPOT_RISK_STAGE_SAVED: optionalString(),
  HUBSPOT_RISK_STAGE_LOST: optionalString(),
  HUBSPOT_PLAN_EXPIRES_PROPERTY: optionalString(),
  HUBSPOT_NPS_SUPPRESSION_PROPERTY: optionalString(),
  SES_FROM_ADDRESS: optionalString(),
  SES_REGION: optionalString(),
  SES_CONFIGURATION_SET: optionalString(),
  SES_ENDPOINT: optionalString(),
  AWS_REGION: optionalString(),
  AWS_ACCESS_KEY_ID: optionalString(),
  AWS_SECRET_ACCESS_KEY: optionalString(),
  AWS_SESSION_TOKEN: optionalString(),
});
export type OutboundEnvironment = z.infer<typeof OutboundEnvironment>;

export interface OutboundAdapters extends OutboundPorts {
  /** Where the outbox adapters record; read it for the report's `emails` and `notifications`. */
  outbox: OutboxStore;
  /** Which implementation each port got: safe to log at cold start (no secrets). */
  modes: { alerts: 'slack' | 'outbox'; crm: 'hubspot' | 'outbox'; mailer: 'ses' | 'outbox'; finance: 'slack' | 'outbox' };
}

export interface OutboundDeps {
  /** The clock of the runtime (never `new Date()` in a function). */
  now(): Date;
  /**
   * Where outbox adapters record. Required on purpose: an in-memory outbox on Lambda would make
   * e-mails and alerts "succeed" and vanish with the instance; a deployed function must pass a
   * durable (ledger-backed) store, the sandbox and tests may pass `new InMemoryOutbox()`.
   */
  outbox: OutboxStore;
  fetch?: Fetch | undefined;
  timeoutMs?: number | undefined;
  /** On Lambda, the function's tracer: the AWS SDK clients built here (SES) are traced as the others. */
  tracer?: Pick<Tracer, 'captureAWSv3Client'> | undefined;
}

type RawEnvironment = Readonly<Record<string, string | undefined>>;

/**
 * All three ports, sharing one outbox: what the sandbox uses. A Lambda that calls one vendor
 * imports that port's builder below instead, so its bundle carries only that vendor's adapter.
 */
export function adaptersFromEnvironment(raw: RawEnvironment, deps: OutboundDeps): OutboundAdapters {
  const outbox = deps.outbox;
  const shared = { ...deps, outbox };
  const problems: string[] = [];
  const alerts = collect(() => alertChannelFromEnvironment(raw, shared), problems);
  const crm = collect(() => crmFromEnvironment(raw, shared), problems);
  const mailer = collect(() => mailerFromEnvironment(raw, shared), problems);
  // A rehearsal against Slack names the channels it posts to: without a finance channel, refund
  // requests stay in the outbox (a deployed stage always names it: lib/vendors.ts requires it).
  const finance = collect(() => financeChannelFromEnvironment(raw.SLACK_FINANCE_CHANNEL ? raw : { ...raw, SLACK_BOT_TOKEN: undefined }, shared), problems);
  if (!alerts || !crm || !mailer || !finance) throw new ContractError(WHAT, [...new Set(problems)]);
  return {
    alerts: alerts.port,
    crm: crm.port,
    mailer: mailer.port,
    finance: finance.port,
    outbox,
    modes: { alerts: alerts.mode, crm: crm.mode, mailer: mailer.mode, finance: finance.mode },
  };
}

export interface Built<P, M extends string> {
  port: P;
  mode: M | 'outbox';
  /** Where the outbox adapter records when `mode` is `outbox`. */
  outbox: OutboxStore;
}

/** Slack when `SLACK_BOT_TOKEN` is set (then `SLACK_ALERT_CHANNEL` is required), the outbox otherwise. */
export function alertChannelFromEnvironment(raw: RawEnvironment, deps: OutboundDeps): Built<AlertChannel, 'slack'> {
  const { env, needed, outbox, finish } = prepare(raw, deps);
  if (env.SLACK_BOT_TOKEN === undefined) return { port: new OutboxAlertChannel({ store: outbox, now: deps.now }), mode: 'outbox', outbox };
  const port = new SlackAlertChannel({
    ...vendorDeps(deps),
    botToken: env.SLACK_BOT_TOKEN,
    alertChannel: needed('SLACK_ALERT_CHANNEL', 'SLACK_BOT_TOKEN'),
    apiUrl: env.SLACK_API_URL,
  });
  return finish({ port, mode: 'slack', outbox });
}

/** Slack when `SLACK_BOT_TOKEN` is set (then `SLACK_FINANCE_CHANNEL` is required), the outbox otherwise. */
export function financeChannelFromEnvironment(raw: RawEnvironment, deps: OutboundDeps): Built<FinanceChannel, 'slack'> {
  const { env, needed, outbox, finish } = prepare(raw, deps);
  if (env.SLACK_BOT_TOKEN === undefined) return { port: new OutboxFinanceChannel({ store: outbox, now: deps.now }), mode: 'outbox', outbox };
  const port = new SlackFinanceChannel({
    ...vendorDeps(deps),
    botToken: env.SLACK_BOT_TOKEN,
    financeChannel: needed('SLACK_FINANCE_CHANNEL', 'SLACK_BOT_TOKEN'),
    apiUrl: env.SLACK_API_URL,
  });
  return finish({ port, mode: 'slack', outbox });
}

/** HubSpot when `HUBSPOT_ACCESS_TOKEN` is set (then the retention pipeline and its stages are required), the outbox otherwise. */
export function crmFromEnvironment(raw: RawEnvironment, deps: OutboundDeps): Built<CrmSync, 'hubspot'> {
  const { env, needed, outbox, finish } = prepare(raw, deps);
  if (env.HUBSPOT_ACCESS_TOKEN === undefined) return { port: new OutboxCrm({ store: outbox, now: deps.now }), mode: 'outbox', outbox };
  const because = 'HUBSPOT_ACCESS_TOKEN';
  const port = new HubSpotCrm({
    ...vendorDeps(deps),
    accessToken: env.HUBSPOT_ACCESS_TOKEN,
    apiUrl: env.HUBSPOT_API_URL,
    idProperty: env.HUBSPOT_ID_PROPERTY,
    companyIdProperty: env.HUBSPOT_COMPANY_ID_PROPERTY,
    riskPipeline: needed('HUBSPOT_RISK_PIPELINE', because),
    riskStages: {
      open: needed('HUBSPOT_RISK_STAGE_OPEN', because),
      saved: needed('HUBSPOT_RISK_STAGE_SAVED', because),
      lost: needed('HUBSPOT_RISK_STAGE_LOST', because),
    },
    companyProperties: {
      ...(env.HUBSPOT_PLAN_EXPIRES_PROPERTY ? { planExpiresOn: env.HUBSPOT_PLAN_EXPIRES_PROPERTY } : {}),
      ...(env.HUBSPOT_NPS_SUPPRESSION_PROPERTY ? { npsSurveySuppressed: env.HUBSPOT_NPS_SUPPRESSION_PROPERTY } : {}),
    },
  });
  return finish({ port, mode: 'hubspot', outbox });
}

/**
 * SES when `SES_FROM_ADDRESS` is set (then a region is required: `SES_REGION`, else the function's
 * `AWS_REGION`), the outbox otherwise. Credentials: the keys the environment names (a rehearsal's
 * `AWS_ACCESS_KEY_ID` and `AWS_SECRET_ACCESS_KEY`, Lambda's role), else the SDK's default chain.
 */
export function mailerFromEnvironment(raw: RawEnvironment, deps: OutboundDeps): Built<Mailer, 'ses'> {
  const { env, outbox } = prepare(raw, deps);
  if (env.SES_FROM_ADDRESS === undefined) return { port: new OutboxMailer({ store: outbox, now: deps.now }), mode: 'outbox', outbox };
  const region = env.SES_REGION ?? env.AWS_REGION;
  if (region === undefined) throw new ContractError(WHAT, ['SES_REGION: required (or AWS_REGION) when SES_FROM_ADDRESS is set']);
  const { AWS_ACCESS_KEY_ID: accessKeyId, AWS_SECRET_ACCESS_KEY: secretAccessKey, AWS_SESSION_TOKEN: sessionToken } = env;
  const credentials = accessKeyId && secretAccessKey ? { accessKeyId, secretAccessKey, ...(sessionToken ? { sessionToken } : {}) } : undefined;
  const client = sesClient({ region, endpoint: env.SES_ENDPOINT, credentials, timeoutMs: deps.timeoutMs });
  const port = new SesMailer({ client: deps.tracer ? deps.tracer.captureAWSv3Client(client) : client, fromAddress: env.SES_FROM_ADDRESS, configurationSet: env.SES_CONFIGURATION_SET });
  return { port, mode: 'ses', outbox };
}

const WHAT = 'outbound adapters environment';

function prepare(raw: RawEnvironment, deps: OutboundDeps) {
  const env = present(parseContract(OutboundEnvironment, raw, WHAT));
  const problems: string[] = [];
  const needed = (name: keyof OutboundEnvironment, because: string): string => {
    const value = env[name];
    if (value === undefined) problems.push(`${name}: required when ${because} is set`);
    return value ?? '';
  };
  const finish = <B>(built: B): B => {
    if (problems.length > 0) throw new ContractError(WHAT, problems);
    return built;
  };
  return { env, needed, problems, finish, outbox: deps.outbox };
}

function vendorDeps(deps: OutboundDeps) {
  return { now: deps.now, fetch: deps.fetch, timeoutMs: deps.timeoutMs };
}

function collect<B>(build: () => B, problems: string[]): B | undefined {
  try {
    return build();
  } catch (thrown) {
    if (!(thrown instanceof ContractError)) throw thrown;
    problems.push(...thrown.problems);
    return undefined;
  }
}

/** Empty or blank values count as absent: an unset secret field must not look like a configured vendor. */
function present(env: OutboundEnvironment): OutboundEnvironment {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(env)) {
    if (typeof value === 'string' && value.trim().length > 0) out[name] = value.trim();
  }
  return out as OutboundEnvironment;
}
