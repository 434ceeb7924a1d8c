import { AccountPatch } from './account.ts';
import { APPROVAL_ID, ApprovalDecisionRequest } from './approvals.ts';
import { isoInstant, z } from './zod.ts';
import { THRESHOLD_ALERTS } from './thresholds.ts';

/** `source` of every domain event on the bus. */
export const EVENT_SOURCE = 'cs-playbooks' as const;

/** The detail-types of the event contract, defined once: CDK rules, handlers, sandbox and tests import these. */
export const DetailType = {
  AccountUpdated: 'AccountUpdated',
  NpsResponseReceived: 'NpsResponseReceived',
  CompetitorMeetingDetected: 'CompetitorMeetingDetected',
  ChurnRiskCreated: 'ChurnRiskCreated',
  TouchpointLogged: 'TouchpointLogged',
  ProductUsageRecorded: 'ProductUsageRecorded',
  ClientFeedbackReceived: 'ClientFeedbackReceived',
  ClientReplySent: 'ClientReplySent',
  ContractSigned: 'ContractSigned',
  BillingStarted: 'BillingStarted',
  CancellationRequested: 'CancellationRequested',
  SaveAttemptConcluded: 'SaveAttemptConcluded',
  UpsellRequested: 'UpsellRequested',
  HardwareOrderRequested: 'HardwareOrderRequested',
  TaskCompleted: 'TaskCompleted',
  AlertAcknowledged: 'AlertAcknowledged',
  ApprovalDecided: 'ApprovalDecided',
  AccountFlooded: 'AccountFlooded',
  AccountActive: 'AccountActive',
  ContactReturned: 'ContactReturned',
  FeatureFirstUsed: 'FeatureFirstUsed',
  CsmPulseRecorded: 'CsmPulseRecorded',
  SupportTicketUpdated: 'SupportTicketUpdated',
  HealthDegraded: 'HealthDegraded',
  ThresholdReached: 'ThresholdReached',
  AlertSnoozed: 'AlertSnoozed',
  RenewalRecorded: 'RenewalRecorded',
} as const;
export type DetailType = (typeof DetailType)[keyof typeof DetailType];

const id = () => z.string().check(z.minLength(1), z.maxLength(256));
const localDay = () => z.string().check(z.regex(/^\d{4}-\d{2}-\d{2}$/, 'expected a local date, YYYY-MM-DD'));

/** Why `removeAllContacts` is refused anywhere but beside `contacts: []`: the door's and account-sync's words. */
export const REMOVE_ALL_CONTACTS_ALONE = 'goes with contacts: [] only (it confirms that the empty list removes every contact)';

/** Seed 000's topics of a client's dissatisfaction, each with who is Responsible for it (core/feedback/client-risk.ts). */
export const FeedbackTopic = z.enum(['strategy', 'roadmap', 'promise', 'commitment', 'add-ons', 'quote-calibration', 'onboarding-speed', 'onboarding-quality']);
export type FeedbackTopic = z.infer<typeof FeedbackTopic>;

/** Every detail carries the vendor's delivery id (or a UUID) and the account it is about. */
const envelope = { eventId: id(), accountId: id() };

const detail = <T extends z.core.$ZodLooseShape>(shape: T) => z.object({ ...envelope, ...shape });

const request = detail({ at: isoInstant(), details: z.string().check(z.maxLength(4000)) });

export const DetailSchemas = {
  AccountUpdated: z
    .object({
      ...envelope,
      ...AccountPatch.shape,
      /**
       * When the CRM changed the record, to the millisecond: orders two updates of the same second. The
       * ingest refuses one more than a few minutes ahead of its clock (core/accounts/update-time.ts).
       */
      updatedAt: z.optional(isoInstant()),
      /**
       * Added after v1: `true` with `contacts: []` says that the account has no contacts any more. An
       * empty list alone is refused for an account that has some: a CRM sending `[]` by mistake (a
       * failed association read, a sync without contacts) must not erase them.
       */
      removeAllContacts: z.optional(z.literal(true)),
      /**
       * Added after v1: fields the sender read from the CRM and could not send, each with why (never the
       * value): HubSpot's company property holding a formatted amount, a date that is none. account-sync
       * keeps what the account had and tells the CSM which CRM field to correct, as for a field it refuses itself.
       */
      crmRefused: z.optional(
        z.array(z.object({ field: z.enum(Object.keys(AccountPatch.shape) as [keyof typeof AccountPatch.shape, ...(keyof typeof AccountPatch.shape)[]]), problem: z.string().check(z.minLength(1), z.maxLength(500)) })).check(z.minLength(1), z.maxLength(30)),
      ),
    })
    .check(
      z.superRefine((detail, context) => {
        if (detail.removeAllContacts && (detail.contacts === undefined || detail.contacts.length > 0)) {
          context.addIssue({ code: 'custom', path: ['removeAllContacts'], message: REMOVE_ALL_CONTACTS_ALONE, input: detail.removeAllContacts });
        }
      }),
    ),
  NpsResponseReceived: detail({
    contactId: id(),
    score: z.int().check(z.gte(0), z.lte(10)),
    comment: z.optional(z.string().check(z.maxLength(10_000))),
    respondedAt: isoInstant(),
  }),
  CompetitorMeetingDetected: detail({
    competitor: id(),
    meetingAt: isoInstant(),
    shop: z.optional(z.string()),
    detectedAt: isoInstant(),
    /**
     * Added after v1, optional so earlier senders stay valid: absent means `scheduled`. The vendor sends
     * the same meeting (account + competitor + shop) again when it moves or is cancelled.
     */
    status: z.optional(z.enum(['scheduled', 'cancelled'])),
  }),
  ChurnRiskCreated: detail({
    kind: z.enum(['churn-risk', 'downsell-risk']),
    reason: z.optional(z.string().check(z.maxLength(4000))),
    createdAt: isoInstant(),
  }),
  TouchpointLogged: detail({
    contactId: z.optional(id()),
    channel: z.enum(['call', 'meeting', 'email', 'qbr']),
    at: isoInstant(),
  }),
  /**
   * One use of the product (`at`, and the `feature` used), or, added after v1, a contact's roll-up of a
   * day (`day`, the account's local date, `uses` that day, the `features` used): one or the other.
   */
  ProductUsageRecorded: detail({
    contactId: z.optional(id()),
    at: z.optional(isoInstant()),
    feature: z.optional(z.string().check(z.minLength(1), z.maxLength(100))),
    day: z.optional(localDay()),
    uses: z.optional(z.int().check(z.gte(1), z.lte(1_000_000))),
    features: z.optional(z.array(z.string().check(z.minLength(1), z.maxLength(100))).check(z.maxLength(50))),
  }).check(
    z.superRefine((detail, context) => {
      if ((detail.at === undefined) === (detail.day === undefined)) {
        context.addIssue({ code: 'custom', path: [detail.at === undefined ? 'at' : 'day'], message: 'a use has "at", a day\'s roll-up "day": one of them', input: detail.day });
      }
    }),
  ),
  ClientFeedbackReceived: detail({
    contactId: id(),
    channel: z.enum(['email', 'meeting']),
    kind: z.enum(['dissatisfaction', 'suspension-request']),
    messageId: z.optional(id()),
    /** The e-mail's text, or the meeting's notes. */
    text: z.optional(z.string().check(z.maxLength(100_000))),
    recordingUrl: z.optional(z.url()),
    receivedAt: isoInstant(),
    // Meeting feedback (seed 000), added after v1, optional so earlier senders stay valid:
    /** What the dissatisfaction is about: routes the client risk to who is Responsible (RACI). */
    topics: z.optional(z.array(FeedbackTopic)),
    /** The client's own words. */
    quotes: z.optional(z.array(z.string().check(z.minLength(1), z.maxLength(2_000))).check(z.maxLength(20))),
    /** The CSM's analysis, and the simple action plan agreed. */
    analysis: z.optional(z.string().check(z.maxLength(10_000))),
    actionPlan: z.optional(z.string().check(z.maxLength(10_000))),
  }),
  ClientReplySent: detail({ inReplyTo: id(), at: isoInstant() }),
  ContractSigned: detail({ quoteId: id(), signedAt: isoInstant(), welcomeCallAt: z.optional(isoInstant()) }),
  BillingStarted: detail({ at: isoInstant() }),
  CancellationRequested: detail({
    requestedAt: isoInstant(),
    channel: z.string().check(z.minLength(1)),
    proofUrl: z.optional(z.url()),
  }),
  SaveAttemptConcluded: detail({
    outcome: z.enum(['saved', 'lost']),
    proofUrl: z.optional(z.url()),
    at: isoInstant(),
  }),
  UpsellRequested: request,
  HardwareOrderRequested: request,
  TaskCompleted: detail({ taskId: id(), at: isoInstant() }),
  /** Someone marked an alert handled (✅) outside the playbooks, e.g. its Slack button; `by` is who (a Slack user id). */
  AlertAcknowledged: detail({ alertId: id(), by: id(), at: isoInstant() }),
  /**
   * A CSM decided a parked e-mail outside `POST /approvals/<id>`, e.g. with its Slack buttons: the
   * same vocabulary as that request's `decision`, without edits (a button carries none).
   */
  ApprovalDecided: detail({
    approvalId: z.string().check(z.regex(APPROVAL_ID, 'expected an approval id, apr- then 20 hex digits')),
    decision: ApprovalDecisionRequest.shape.decision,
    decidedBy: ApprovalDecisionRequest.shape.decidedBy,
    at: isoInstant(),
  }),
  /**
   * Added after v1, published by the ingest itself (never accepted from a sender): an account sent more
   * than `limit` of the events that make work for people within the clock hour from `windowStart`;
   * the ones past the limit are held in the ledger until someone releases them (functions/core/flood).
   */
  AccountFlooded: detail({
    windowStart: isoInstant(),
    limit: z.int().check(z.gte(1)),
    /** The detail-type of the first event held. */
    heldType: z.string().check(z.minLength(1)),
    at: isoInstant(),
  }),
  /**
   * Added after v1, published by the usage recorder (never accepted from a sender), as are the next two:
   * the account used the product on `day` (its local date) and no usage check was live for it (its first
   * use, its return after the check ended on an idle account, or after the check stopped): the usage-check
   * playbook claims the check. At most one a day per account, whatever the volume of uses.
   */
  AccountActive: detail({ day: localDay() }),
  /** A contact used the product on `day` after `idleDays` days without (at least `usage.welcomeBackAfterDays`). */
  ContactReturned: detail({ contactId: id(), day: localDay(), idleDays: z.int().check(z.gte(1)) }),
  /**
   * A contact's first use of a feature that has a guide (`usage.featureGuides`), or, without `feature`,
   * their first use of the product (`usage.productGuide`).
   */
  FeatureFirstUsed: detail({ contactId: id(), day: localDay(), feature: z.optional(z.string().check(z.minLength(1), z.maxLength(100))) }),
  /**
   * Added after v1: the CSM's own reading of the account (1 very bad, 5 very good) and up to 3 reasons, a
   * health measure until `health.pulseValidDays` after `at`. The reasons are the CSM's words: sealed on
   * the bus (contracts/sealed.ts) like every other text a person writes.
   */
  CsmPulseRecorded: detail({
    csmId: id(),
    pulse: z.int().check(z.gte(1), z.lte(5)),
    reasons: z.optional(z.array(z.string().check(z.minLength(1), z.maxLength(100))).check(z.maxLength(3))),
    at: isoInstant(),
  }),
  /** Added after v1: a helpdesk ticket of the account opened, waiting on the client (pending) or solved: the support measure counts the open ones. */
  SupportTicketUpdated: detail({ ticketId: id(), status: z.enum(['open', 'pending', 'solved']), at: isoInstant() }),
  /**
   * Added after v1, published by the health scorer (never accepted from a sender): the account's score
   * fell a band (`band-drop`), or `health.dropPoints` within 7 days (`points-drop`); once per band entered.
   * `measure` is the one that dragged the score down most. Numbers and names of measures only.
   */
  HealthDegraded: detail({
    cause: z.enum(['band-drop', 'points-drop']),
    score: z.int().check(z.gte(0), z.lte(100)),
    band: z.enum(['red', 'yellow', 'green']),
    /** The score it fell from: the previous one (band-drop), or the highest of the 7 days before (points-drop). */
    fromScore: z.int().check(z.gte(0), z.lte(100)),
    fromBand: z.enum(['red', 'yellow', 'green']),
    measure: z.enum(['usage', 'engagement', 'nps', 'pulse', 'support']),
    /** What that measure read, in figures ("this week at 0 % of the 4 weeks before"): the alert says it as the score saw it. */
    reading: z.string().check(z.maxLength(200)),
    scoredAt: isoInstant(),
  }),
  /**
   * Added after v1, published by the health scorer (never accepted from a sender): the account crossed
   * one of the threshold alerts' lines (docs/playbooks.md, health) on `since` (its local date), on entry
   * only and not while snoozed. `reading` says it in figures and dates ("No exchange for 42 days").
   */
  ThresholdReached: detail({
    alertType: z.enum(THRESHOLD_ALERTS),
    reading: z.string().check(z.maxLength(200)),
    since: localDay(),
    at: isoInstant(),
  }),
  /**
   * Added after v1: someone silenced an account's threshold alert until `until` (its local date,
   * exclusive: quiet before it, raised again on it if still reached), from the alert's Slack button or
   * from a CS tool through `/webhooks/events`. `reason` is a person's words: sealed on the bus. `alertId`,
   * when the snooze comes from the alert's post, is that alert (acknowledged by it).
   */
  AlertSnoozed: detail({
    alertType: z.enum(THRESHOLD_ALERTS),
    until: localDay(),
    reason: z.optional(z.string().check(z.minLength(1), z.maxLength(500))),
    alertId: z.optional(id()),
    by: id(),
    at: isoInstant(),
  }),
  /**
   * Added after v1: the CRM recorded how an account's renewal went. `renewalAt` names the renewal it
   * records (the CRM may have moved the account to its next renewal date already, so it is never
   * guessed); the next renewal date comes as an AccountUpdated, as ever.
   */
  RenewalRecorded: detail({
    outcome: z.enum(['renewed', 'churned', 'downsold']),
    renewalAt: isoInstant(),
    at: isoInstant(),
  }),
} as const satisfies Record<DetailType, z.ZodMiniType>;

export type DetailOf<T extends DetailType> = z.infer<(typeof DetailSchemas)[T]>;
export type NpsResponseReceived = DetailOf<'NpsResponseReceived'>;

export const DETAIL_TYPES = Object.values(DetailType);

export function isDetailType(value: unknown): value is DetailType {
  return typeof value === 'string' && (DETAIL_TYPES as readonly string[]).includes(value);
}

/** A domain event as EventBridge delivers it to a rule target (and as a state machine receives it). */
export interface BusEvent<T extends DetailType = DetailType> {
  version: '0';
  id: string;
  'detail-type': T;
  source: typeof EVENT_SOURCE;
  account: string;
  time: string;
  region: string;
  resources: string[];
  detail: DetailOf<T>;
}
