import { DETAIL_TYPES, DetailType } from '../contracts/events.ts';
import { z } from '../contracts/zod.ts';
import { VENDORS } from './vendors/index.ts';

/**
 * Who may say what. A signature proves who sent a request, not that it may say everything: each
 * webhook path, and on `POST /webhooks/events` each sender, has the detail-types it may publish, and a
 * signed request carrying any other is refused (403) whole, nothing of it on the bus.
 *
 * - The vendors' paths (`/webhooks/typeform`, `hubspot`, `zendesk`, `slack`, `segment`) have one sender each, the
 *   vendor, which may publish what its translation makes (`WebhookVendor.produces`) unless the stage
 *   narrows it (`webhooks.<vendor>`).
 * - `/webhooks/events` is shared by several senders (the product, billing, an NPS tool, the import),
 *   each with a secret of its own and its own list (`webhooks.events.<sender>`); the signature says
 *   which sender it is. Unconfigured, two senders: `product` (the product's facts) and `import` (the
 *   accounts `playbooks import` loads).
 * - Approval decisions and alert acknowledgements come from Slack's buttons or the signed approval
 *   endpoint (`POST /approvals/<id>`) only: never from `/webhooks/events`, whatever a stage says.
 * - A flood (`AccountFlooded`) is said by the ingest itself: no sender's, on any path.
 *
 * The stage file's `webhooks` is checked at synth (lib/stages.ts) and by the sandbox alike; the ingest
 * gets the result in WEBHOOK_SENDERS (./environment.ts).
 */

/** The path several senders share; every other path is one vendor's. */
export const EVENTS_PATH = 'events';

/** What your own product reports: usage, red alerts (a competitor meeting), contracts, billing, cancellations. */
export const PRODUCT_FACTS = [
  DetailType.ProductUsageRecorded,
  DetailType.CompetitorMeetingDetected,
  DetailType.ContractSigned,
  DetailType.BillingStarted,
  DetailType.CancellationRequested,
] as const satisfies readonly DetailType[];

/** The sender whose secret is the one `/webhooks/events` always had (stack output `WebhookSecretArn`). */
export const PRODUCT_SENDER = 'product';
/** The sender `playbooks import` signs with: complete accounts, nothing else. Its secret is ops', never a vendor's. */
export const IMPORT_SENDER = 'import';

/** `/webhooks/events` of a stage that configures no sender: the product's facts, and the import's accounts. */
export const DEFAULT_EVENT_SENDERS: Readonly<Record<string, readonly DetailType[]>> = {
  [PRODUCT_SENDER]: PRODUCT_FACTS,
  [IMPORT_SENDER]: [DetailType.AccountUpdated],
};

/** Decided by a person, through Slack's buttons or `POST /approvals/<id>`: never published through `/webhooks/events`. */
export const NEVER_FROM_EVENTS = [DetailType.ApprovalDecided, DetailType.AlertAcknowledged] as const satisfies readonly DetailType[];

/**
 * Said by the product's own parts, never accepted from any sender, on any path: the ingest's flood guard
 * (functions/core/flood), the usage recorder (functions/usage) and the health scorer (functions/health), which
 * derive them from what senders said.
 */
export const NEVER_FROM_SENDERS = [DetailType.AccountFlooded, DetailType.AccountActive, DetailType.ContactReturned, DetailType.FeatureFirstUsed, DetailType.HealthDegraded, DetailType.ThresholdReached] as const satisfies readonly DetailType[];

/** Who says each of NEVER_FROM_SENDERS instead, and how to see it said, as a refusal and the CLI say it. */
export const SAID_BY: Readonly<Record<(typeof NEVER_FROM_SENDERS)[number], { who: string; see: string }>> = {
  AccountFlooded: {
    who: 'the ingest itself (its flood guard)',
    see: 'send more of an account\'s answers or requests within an hour than floodGuard.eventsPerAccountPerHour to see it (README: "The flood guard")',
  },
  ...Object.fromEntries(
    (['AccountActive', 'ContactReturned', 'FeatureFirstUsed'] as const).map((type) => [
      type,
      { who: 'the usage recorder itself (from ProductUsageRecorded)', see: 'send ProductUsageRecorded events (segment-track --vendor segment, or the ProductUsageRecorded sample) to see it (README: "Product usage")' },
    ]),
  ) as Record<'AccountActive' | 'ContactReturned' | 'FeatureFirstUsed', { who: string; see: string }>,
  HealthDegraded: {
    who: 'the health scorer itself (from the events that feed the health score, and nightly)',
    see: 'send what lowers a healthy account\'s score (a detractor NpsResponseReceived, a CsmPulseRecorded of 1) to see it (README: "Health score")',
  },
  ThresholdReached: {
    who: 'the health scorer itself (from the account\'s touchpoints, contacts, renewal date and usage, at each event and nightly)',
    see: 'let an account go 42 days without a TouchpointLogged in a simulation to see it (README: "Threshold alerts")',
  },
};

/** Why a sender may not publish one of NEVER_FROM_SENDERS. */
export function saidBy(type: (typeof NEVER_FROM_SENDERS)[number]): string {
  return `${type} is said by ${SAID_BY[type].who}, never by a sender`;
}

/** Where each of NEVER_FROM_EVENTS comes from instead, as a refusal says it. */
const WHERE_FROM: Readonly<Record<(typeof NEVER_FROM_EVENTS)[number], string>> = {
  ApprovalDecided: "a CSM's decision: Slack's Approve/Reject buttons (POST /webhooks/slack) or the signed approval endpoint (POST /approvals/<id>)",
  AlertAcknowledged: "Slack's ✅ Handled button (POST /webhooks/slack)",
};

/** A path's senders (the vendor alone, or the senders of `/webhooks/events`) and the detail-types each may publish. */
export type PathSenders = Readonly<Record<string, readonly DetailType[]>>;
/** Every path's senders, by vendor id: what the ingest enforces. */
export type WebhookSenders = Readonly<Record<string, PathSenders>>;

/**
 * A sender's name: lower case letters and digits, words joined by `-`, each word starting with a letter
 * (`nps-tool`): it names its secret and stack output in PascalCase (`NpsTool`), where each capital marks
 * a word, so two names never name the same secret.
 */
const SENDER_NAME = /^[a-z][a-z0-9]*(-[a-z][a-z0-9]*)*$/;
const MAX_SENDERS = 10;

/** `nps-tool` → `NpsTool`: in the secret's construct id and the stack output `<Sender>SenderWebhookSecretArn`. */
export function pascalName(name: string): string {
  return name
    .split('-')
    .map((word) => word[0]!.toUpperCase() + word.slice(1))
    .join('');
}

/**
 * The stack output naming a sender's secret: `WebhookSecretArn` for the product (the one
 * `/webhooks/events` always had), `<Sender>SenderWebhookSecretArn` for the other senders of
 * `/webhooks/events` (`ImportSenderWebhookSecretArn`), `<Vendor>WebhookSecretArn` for a vendor's path.
 */
export function secretOutputName(vendorId: string, sender: string): string {
  if (vendorId !== EVENTS_PATH) return `${pascalName(vendorId)}WebhookSecretArn`;
  return sender === PRODUCT_SENDER ? 'WebhookSecretArn' : `${pascalName(sender)}SenderWebhookSecretArn`;
}

/** `nps-tool` → `STANDARD_WEBHOOK_SECRETS_NPS_TOOL`: where the sandbox reads a sender's secrets (`STANDARD_WEBHOOK_SECRETS` for product). */
export function senderSecretsVariable(sender: string): string {
  return sender === PRODUCT_SENDER ? 'STANDARD_WEBHOOK_SECRETS' : `STANDARD_WEBHOOK_SECRETS_${sender.toUpperCase().replaceAll('-', '_')}`;
}

const TypeList = z.array(z.enum(DETAIL_TYPES as [DetailType, ...DetailType[]]));

export interface WebhooksConfig {
  /** `/webhooks/events`: sender name → the detail-types it may publish. Replaces the defaults whole. */
  readonly events?: Readonly<Record<string, readonly DetailType[]>>;
  readonly typeform?: readonly DetailType[];
  readonly hubspot?: readonly DetailType[];
  readonly zendesk?: readonly DetailType[];
  readonly segment?: readonly DetailType[];
  readonly slack?: readonly DetailType[];
}

/**
 * A stage file's `webhooks` (stages/<stage>.json), strict: a path that is no vendor's, a sender name
 * that cannot name a secret, a type that is not in the contract, a type a vendor's translation never
 * makes, or an approval or an acknowledgement granted on `/webhooks/events` is an error naming its place.
 */
export const WebhooksConfigSchema = z
  .strictObject({
    events: z.optional(z.record(z.string(), TypeList)),
    typeform: z.optional(TypeList),
    hubspot: z.optional(TypeList),
    zendesk: z.optional(TypeList),
    segment: z.optional(TypeList),
    slack: z.optional(TypeList),
  })
  .check(
    z.superRefine((config, context) => {
      for (const problem of webhooksConfigProblems(config)) context.addIssue({ code: 'custom', path: problem.path, message: problem.message, input: config });
    }),
  );

/** What is wrong with a `webhooks` whose shape is right: each problem at its place in the stage file. */
export function webhooksConfigProblems(config: WebhooksConfig): { path: PropertyKey[]; message: string }[] {
  const problems: { path: PropertyKey[]; message: string }[] = [];
  const senders = Object.entries(config.events ?? {});
  if (senders.length > MAX_SENDERS) problems.push({ path: [EVENTS_PATH], message: `at most ${MAX_SENDERS} senders (each is a secret and a stack output)` });
  for (const [sender, types] of senders) {
    if (!SENDER_NAME.test(sender) || sender.length > 40) {
      problems.push({ path: [EVENTS_PATH, sender], message: 'a sender is named in lower case letters and digits, words joined by - and starting with a letter (e.g. nps-tool), 40 characters at most: it names its secret' });
      continue;
    }
    types.forEach((type, index) => {
      if (isNeverFromEvents(type)) problems.push({ path: [EVENTS_PATH, sender, index], message: `${type} never comes through /webhooks/events: it is ${WHERE_FROM[type]}` });
      if (isNeverFromSenders(type)) problems.push({ path: [EVENTS_PATH, sender, index], message: saidBy(type) });
    });
  }
  const bytes = sendersVariableBytes(webhookSenders(config));
  if (bytes > MAX_SENDERS_VARIABLE_BYTES) {
    problems.push({ path: [], message: `its senders and their types would take ${bytes} bytes of the ingest's environment, where ${MAX_SENDERS_VARIABLE_BYTES} fit beside the rest (Lambda takes 4 KB): fewer senders, or fewer types each` });
  }
  for (const vendorId of ['typeform', 'hubspot', 'zendesk', 'slack', 'segment'] as const) {
    const produces = VENDORS[vendorId]!.produces;
    (config[vendorId] ?? []).forEach((type, index) => {
      if (!produces.includes(type)) problems.push({ path: [vendorId, index], message: `${VENDORS[vendorId]!.name} never sends ${type}: its webhooks make ${produces.join(', ')}` });
    });
  }
  return problems;
}

/**
 * Every path's senders for a stage's `webhooks` (already checked): a vendor's list as the stage gives
 * it, else all it makes; `/webhooks/events`' senders as the stage names them (replacing the
 * defaults), else DEFAULT_EVENT_SENDERS. Types once each, in the contract's order.
 */
export function webhookSenders(config: WebhooksConfig = {}): WebhookSenders {
  const inContractOrder = (types: readonly DetailType[]) => DETAIL_TYPES.filter((type) => types.includes(type));
  return Object.fromEntries(
    Object.values(VENDORS).map((vendor) => {
      if (vendor.id === EVENTS_PATH) {
        const senders = config.events ?? DEFAULT_EVENT_SENDERS;
        return [vendor.id, Object.fromEntries(Object.entries(senders).map(([sender, types]) => [sender, inContractOrder(types)]))];
      }
      const configured = config[vendor.id as Exclude<keyof WebhooksConfig, 'events'>];
      return [vendor.id, { [vendor.id]: inContractOrder(configured ?? vendor.produces) }];
    }),
  );
}

/** A secret's ARN at its longest: a long region, the account, a generated name and Secrets Manager's suffix. */
const LONGEST_SECRET_ARN = `arn:aws-us-gov:secretsmanager:ap-southeast-5:123456789012:secret:${'x'.repeat(64)}-AbCdEf`;
/**
 * What WEBHOOK_SENDERS may take of the ingest's environment: Lambda takes 4 KB of variables in all,
 * and the others (the bus, the table, HubSpot's settings, Powertools') need about 1 KB.
 */
export const MAX_SENDERS_VARIABLE_BYTES = 2_800;

/** The size WEBHOOK_SENDERS will have for `senders` (./environment.ts), its ARNs at their longest. */
export function sendersVariableBytes(senders: WebhookSenders): number {
  const variable = Object.fromEntries(
    Object.entries(senders).map(([vendor, ofPath]) => [vendor, Object.fromEntries(Object.entries(ofPath).map(([sender, types]) => [sender, { secretArn: LONGEST_SECRET_ARN, types }]))]),
  );
  return Buffer.byteLength(JSON.stringify(variable), 'utf8');
}

function isNeverFromEvents(type: string): type is (typeof NEVER_FROM_EVENTS)[number] {
  return (NEVER_FROM_EVENTS as readonly string[]).includes(type);
}

function isNeverFromSenders(type: string): type is (typeof NEVER_FROM_SENDERS)[number] {
  return (NEVER_FROM_SENDERS as readonly string[]).includes(type);
}

/**
 * Whether a request on `vendorId`'s path, signed by the senders `signedBy` (a secret several senders
 * share makes its holder each of them), may publish an event of `type`: one of them lists it, and it
 * is no approval or acknowledgement on `/webhooks/events`, whatever the lists say.
 */
export function mayPublish(vendorId: string, signedBy: readonly (readonly string[])[], type: string): boolean {
  if ((vendorId === EVENTS_PATH && isNeverFromEvents(type)) || isNeverFromSenders(type)) return false;
  return signedBy.some((types) => types.includes(type));
}

/**
 * Why a signed request may not publish `types` (undefined when it may): the types refused, the
 * senders that signed, and what they may publish instead. Names and types only, never the body.
 */
export function forbiddenPublication(vendorId: string, senders: PathSenders, signedBy: readonly string[], types: readonly string[]): string | undefined {
  const lists = signedBy.map((sender) => senders[sender] ?? []);
  const refused = [...new Set(types.filter((type) => !mayPublish(vendorId, lists, type)))];
  if (refused.length === 0) return undefined;
  const who = vendorId === EVENTS_PATH ? `The sender${signedBy.length > 1 ? 's' : ''} ${signedBy.map((name) => JSON.stringify(name)).join(' and ')} of /webhooks/events` : VENDORS[vendorId]?.name ?? vendorId;
  const never = refused.filter((type) => vendorId === EVENTS_PATH && isNeverFromEvents(type));
  const ingests = refused.filter(isNeverFromSenders);
  const others = refused.filter((type) => !never.includes(type) && !isNeverFromSenders(type));
  const allowed = [...new Set(lists.flat())];
  const they = signedBy.length > 1 ? 'they' : 'it';
  const where = vendorId === EVENTS_PATH ? signedBy.map((sender) => `webhooks.events.${sender}`).join(', ') : `webhooks.${vendorId}`;
  const reasons = [
    ...never.map((type) => `${type} never comes through /webhooks/events: it is ${WHERE_FROM[type as keyof typeof WHERE_FROM]}`),
    ...ingests.map((type) => saidBy(type)),
    ...(others.length > 0 ? [`${they} may publish ${allowed.length > 0 ? allowed.join(', ') : 'nothing'} (the stage's ${where})`] : []),
  ];
  return `${who} may not publish ${refused.join(', ')}: ${reasons.join('; ')}. Nothing of this delivery was accepted`;
}

/**
 * The key a delivery is remembered by (./deliveries.ts): `<vendor>#<delivery id>` on a vendor's path;
 * on `/webhooks/events`, whose ids each sender picks, `events#<sender>#<webhook-id>`, so that one
 * sender's ids never collide with another's (nor can a sender, by reusing another's id, have its
 * delivery answered "already accepted" and dropped). `signedBy` in the path's order: the first names it.
 */
export function deliveryKey(vendorId: string, signedBy: readonly string[], deliveryId: string): string {
  return vendorId === EVENTS_PATH ? `${vendorId}#${signedBy[0]}#${deliveryId}` : `${vendorId}#${deliveryId}`;
}
