import { isKnownTimeZone } from './account.ts';
import { CLOCK_TIME, COUNTRY_CODE } from './formats.ts';
import { z } from './zod.ts';

const clockTime = () => z.string().check(z.regex(CLOCK_TIME, 'expected HH:mm'));
const days = () => z.int().check(z.gte(0), z.lte(366));
const mode = () => z.enum(['auto', 'approval']);

/**
 * The detractor waits run inside one nps-response execution, whose TimeoutSeconds
 * (statemachines/nps-response.asl.json) covers these bounds with margin; a Standard execution lasts
 * a year at most, so they cannot be a year long.
 */
export const MAX_DETRACTOR_COOL_DOWN_DAYS = 30;
export const MAX_ACTION_PLAN_REVIEW_DAYS = 180;
/** An approval parks its playbook's execution: a month of business days at most, well inside any playbook's TimeoutSeconds. */
export const MAX_APPROVAL_WINDOW_DAYS = 20;
/**
 * The pre-churn save is waited for inside one execution (statemachines/pre-churn.asl.json), followed by
 * the late waits (core/pre-churn/waits.ts): six weeks of business days at most keep all of it well
 * inside that playbook's TimeoutSeconds.
 */
export const MAX_SAVE_TIMEOUT_DAYS = 30;

/** What a person of the directory does in the team: the owner roles of docs/playbooks.md, and support. */
export const PersonRole = z.enum(['csm', 'team-lead', 'sales', 'onboarding', 'strategist', 'expert', 'support']);
export type PersonRole = z.infer<typeof PersonRole>;

/**
 * One person of the people directory, kept in step with the CRM's owners: `id` is the id
 * the account record names (`csmId`, `teamLeadId`…). Names are for what people read (the report, the
 * digest, direct messages), never for logs or execution state.
 */
export const Person = z.strictObject({
  id: z.string().check(z.minLength(1), z.maxLength(100)),
  name: z.string().check(z.minLength(1), z.maxLength(100)),
  slackId: z.optional(z.string().check(z.regex(/^[UW][A-Z0-9]{2,}$/, 'expected a Slack member id, e.g. U024BE7LH'))),
  email: z.optional(z.email()),
  timezone: z.string().check(z.refine((zone) => isKnownTimeZone(zone), 'expected an IANA time zone, e.g. Europe/Paris')),
  language: z.enum(['fr', 'en']),
  role: PersonRole,
});
export type Person = z.infer<typeof Person>;

/** A health profile's weight of each measure (functions/core/health/score.ts), in points out of 100. */
const weight = () => z.int().check(z.gte(0), z.lte(100));
const HealthWeights = z.strictObject({ usage: weight(), engagement: weight(), nps: weight(), pulse: weight(), support: weight() });

/**
 * The health profiles: each segment's weights (a profile lists its segments; `default` scores every
 * other account). Weights sum to 100, and a segment belongs to one profile: refused otherwise, naming
 * the profile, at synth, at `npm start`, and in a scenario.
 */
const HealthProfiles = z.record(z.string().check(z.minLength(1)), z.strictObject({ segments: z.optional(z.array(z.string().check(z.minLength(1)))), weights: HealthWeights })).check(
  z.superRefine((profiles, context) => {
    if (!Object.hasOwn(profiles, 'default')) context.addIssue({ code: 'custom', input: profiles, path: [], message: 'a "default" profile scores the accounts of every other segment: keep one' });
    const owner = new Map<string, string>();
    for (const [name, { segments = [], weights }] of Object.entries(profiles)) {
      const sum = Object.values(weights).reduce((total, points) => total + points, 0);
      if (sum !== 100) {
        const parts = Object.entries(weights).map(([measure, points]) => `${measure} ${points}`).join(', ');
        context.addIssue({ code: 'custom', input: weights, path: [name, 'weights'], message: `the profile "${name}" weighs ${sum}, not 100 (${parts})` });
      }
      for (const segment of segments) {
        const first = owner.get(segment);
        if (first !== undefined) context.addIssue({ code: 'custom', input: segment, path: [name, 'segments'], message: `the segment "${segment}" is already in the profile "${first}": keep it in one` });
        else owner.set(segment, name);
      }
    }
  }),
);

/** The directory: one entry per id (a second one would make "who is csm-camille?" ambiguous). */
const People = z.array(Person).check(
  z.superRefine((people, context) => {
    const first = new Map<string, number>();
    people.forEach((person, index) => {
      const earlier = first.get(person.id);
      if (earlier === undefined) first.set(person.id, index);
      else context.addIssue({ code: 'custom', input: person.id, path: [index, 'id'], message: `"${person.id}" is already people.${earlier}: keep one entry per person (merge the two)` });
    });
  }),
);

/**
 * Per-environment settings, grouped by playbook, keys as docs/playbooks.md names them (invariant 6:
 * settings, not code). Strict objects: a misspelt key is an error, not a silently ignored default.
 */
export const Settings = z.strictObject({
  businessHours: z.strictObject({ start: clockTime(), end: clockTime() }).check(
    // Zero-padded HH:mm compare as strings; a malformed time already has its own error.
    z.refine((hours) => !CLOCK_TIME.test(hours.start) || !CLOCK_TIME.test(hours.end) || hours.start < hours.end, {
      message: 'expected the business day to end after it starts',
      path: ['end'],
    }),
  ),
  /** Countries whose public holidays the business calendar knows (ISO alpha-2). */
  calendar: z.strictObject({ countries: z.array(z.string().check(z.regex(COUNTRY_CODE, 'expected an ISO 3166-1 alpha-2 code, e.g. FR'))) }),
  nps: z.strictObject({
    preset: z.enum(['standard', 'alerte-fidelisation']),
    detractorCoolDown: z.int().check(z.gte(0), z.lte(MAX_DETRACTOR_COOL_DOWN_DAYS)),
    detractorCaller: z.enum(['csm', 'support']),
    actionPlanReviewDays: z.int().check(z.gte(0), z.lte(MAX_ACTION_PLAN_REVIEW_DAYS)),
    escalationArr: z.number().check(z.gte(0)),
    reviewRequestMode: mode(),
    /** The review site a promoter is asked to review the product on (seed 002 §13: G2, Capterra). */
    reviewSite: z.string().check(z.minLength(1), z.maxLength(60)),
    /** The product's page on that site. Until it is set, no review request is sent (the run says so). */
    reviewUrl: z.optional(z.url({ protocol: /^https$/ })),
    /** At most one review request per contact in this many months. */
    reviewRequestIntervalMonths: z.int().check(z.gte(1), z.lte(60)),
  }),
  competitorMeeting: z.strictObject({
    callLeadDays: days(),
    callTime: clockTime(),
    /** Coupled signals (seed 001): a detractor answer or a churn risk this recent makes a red alert a churn risk. */
    detractorLookbackDays: days(),
    churnRiskLookbackDays: days(),
  }),
  churnRisk: z.strictObject({}),
  noContact: z.strictObject({
    noContactDays: days(),
    noContactReminderDays: days(),
    noContactEmailMode: mode(),
  }),
  clientFeedback: z.strictObject({
    firstReplyHours: z.int().check(z.gte(1), z.lte(168)),
    acknowledgementDays: days(),
    /** Seed 000: a suspension asked within this many months of the first invoice cancels the sale. */
    saleCancellationMonths: z.int().check(z.gte(0), z.lte(24)),
  }),
  preChurn: z.strictObject({ windowDays: days(), saveTimeoutDays: z.int().check(z.gte(0), z.lte(MAX_SAVE_TIMEOUT_DAYS)) }),
  /**
   * The alert channel: the 17:00 reminder, and the threshold alerts' lines (functions/core/health/
   * thresholds.ts), each in days: no exchange with the account, the decision-maker not contacted, no
   * QBR, the renewal this close. The champion's is `usage.championIdleDays`.
   */
  alerts: z.strictObject({
    reminderTime: clockTime(),
    noExchangeDays: z.int().check(z.gte(1), z.lte(366)),
    decisionMakerDays: z.int().check(z.gte(1), z.lte(366)),
    noQbrDays: z.int().check(z.gte(1), z.lte(366)),
    renewalWithinDays: z.int().check(z.gte(1), z.lte(366)),
  }),
  /**
   * How the playbooks' e-mails are signed: by the account's CSM when the account record names them
   * (`csmName`), else by this team signature.
   */
  emails: z.strictObject({ signature: z.string().check(z.minLength(1), z.maxLength(100)) }),
  /**
   * Approval mode (`reviewRequestMode`, `noContactEmailMode`: `approval`): how many business days the
   * CSM has to approve, edit or cancel a proposed e-mail; it expires at the end of business hours
   * (account's time zone) that many business days after the request. Then the playbook's expiry path runs.
   */
  approvals: z.strictObject({ approvalWindowDays: z.int().check(z.gte(0), z.lte(MAX_APPROVAL_WINDOW_DAYS)) }),
  /**
   * The flood guard (functions/core/flood): past this many of an account's events that make work for
   * people (answers, risks, requests…) within a clock hour, the ingest holds the rest and raises one alert.
   */
  floodGuard: z.strictObject({ eventsPerAccountPerHour: z.int().check(z.gte(1), z.lte(10_000)) }),
  /**
   * Product usage (functions/core/usage): an account idle `accountIdleDays`, or whose week falls under
   * `dropRatio` of the 4 weeks before, is a drop; a contact back after `welcomeBackAfterDays` idle days returns.
   */
  usage: z.strictObject({
    accountIdleDays: z.int().check(z.gte(1), z.lte(365)),
    dropRatio: z.number().check(z.gte(0.05), z.lte(0.95)),
    welcomeBackAfterDays: z.int().check(z.gte(1), z.lte(365)),
    /** The segments whose accounts are high-touch (the CSM calls); every other account is low-touch (e-mails). Read by every playbook that splits the two. */
    highTouchSegments: z.array(z.string().check(z.minLength(1))),
    /** High-touch drop: business days after the check-in e-mail before the CSM is asked whether a meeting is booked. */
    checkInDays: z.int().check(z.gte(1), z.lte(MAX_APPROVAL_WINDOW_DAYS)),
    checkInEmailMode: mode(),
    /** The champion (and, with `watchDecisionMaker`, the decision-maker) not seen for this many days while others use the product. */
    championIdleDays: z.int().check(z.gte(1), z.lte(365)),
    watchDecisionMaker: z.boolean(),
    /** At most one champion alert or nudge per contact within this many days. */
    contactAlertCooldownDays: z.int().check(z.gte(1), z.lte(365)),
    welcomeBackEmailMode: mode(),
    /** At most one welcome-back per contact within this many days. */
    welcomeBackCooldownDays: z.int().check(z.gte(1), z.lte(365)),
    /** A contact's first use of one of these features (the product's name for it → the guide's URL) sends them its guide, once. */
    featureGuides: z.record(z.string().check(z.minLength(1), z.maxLength(100)), z.url()),
    /** A contact's first use of the product sends them this getting-started guide, once (none: no e-mail). */
    productGuide: z.optional(z.url()),
  }),
  /**
   * The health score (functions/core/health): each profile's weights, the bands (red at or below `red`,
   * yellow at or below `yellow`), the points lost within 7 days that make a degradation, how long a
   * CSM's pulse counts, and the weight the measures with data must carry for a score at all.
   */
  health: z.strictObject({
    profiles: HealthProfiles,
    bands: z.strictObject({ red: z.int().check(z.gte(0), z.lte(100)), yellow: z.int().check(z.gte(0), z.lte(100)) }).check(
      z.refine((bands) => bands.red < bands.yellow, { message: 'red must be below yellow (red at or below it, yellow up to yellow, green above)' }),
    ),
    dropPoints: z.int().check(z.gte(1), z.lte(100)),
    pulseValidDays: days(),
    /** The weight (of 100) the measures with data must carry for a score: below it, no score (too little is known). */
    minimumWeight: z.int().check(z.gte(1), z.lte(100)),
    /** A champion gets the at-risk e-mail at most once in this many days; a further degradation meanwhile is the CSM's task. */
    atRiskEmailCooldownDays: days(),
  }),
  /**
   * Renewal anticipation (functions/core/renewal), anchored on the notice date (`renewalAt` less
   * `noticeDays`): the branch `startDays` before it (at risk, strategic by segment or by ARR, standard),
   * a reminder at each of `reminderDays` before it, while the renewal is not recorded.
   */
  renewal: z
    .strictObject({
      noticeDays: z.int().check(z.gte(0), z.lte(366)),
      startDays: z.int().check(z.gte(1), z.lte(366)),
      reminderDays: z.array(z.int().check(z.gte(1), z.lte(366))).check(z.maxLength(6)),
      strategicSegments: z.array(z.string().check(z.minLength(1))),
      strategicArr: z.number().check(z.gte(0)),
    })
    .check(
      z.refine((renewal) => renewal.reminderDays.every((days) => days < renewal.startDays), { message: 'each of reminderDays must be fewer days before the notice date than startDays (a reminder comes after the branch)', path: ['reminderDays'] }),
      z.refine((renewal) => new Set(renewal.reminderDays).size === renewal.reminderDays.length, { message: 'reminderDays lists a day twice', path: ['reminderDays'] }),
    ),
  /**
   * The Monday note (functions/core/digest): at `time` on Monday in each CSM's and team lead's own time
   * zone (the people directory), by Slack direct message and/or e-mail. An account is ghosting after
   * `ghostDays` without use and without an exchange.
   */
  digest: z.strictObject({
    time: clockTime(),
    channels: z.array(z.enum(['slack', 'email'])).check(
      z.minLength(1, 'name at least one of slack, email (to send no digest, list nobody in people)'),
      z.refine((channels) => new Set(channels).size === channels.length, 'lists a channel twice'),
    ),
    ghostDays: z.int().check(z.gte(1), z.lte(366)),
  }),
  /**
   * The people directory: who the ids of the account records are (name, Slack member id, e-mail, time
   * zone, language, role). Empty by default: a person missing from it is still reached, by id.
   */
  people: People,
});
export type Settings = z.infer<typeof Settings>;

/** The defaults of docs/playbooks.md. */
export const DEFAULT_SETTINGS: Settings = {
  businessHours: { start: '09:00', end: '18:00' },
  calendar: { countries: ['FR', 'BE', 'CH', 'LU', 'DE', 'ES', 'IT', 'NL', 'PT', 'IE', 'GB', 'US', 'CA'] },
  nps: {
    preset: 'standard',
    detractorCoolDown: 2,
    detractorCaller: 'csm',
    actionPlanReviewDays: 30,
    escalationArr: 20_000,
    reviewRequestMode: 'auto',
    reviewSite: 'G2',
    reviewRequestIntervalMonths: 12,
  },
  competitorMeeting: { callLeadDays: 7, callTime: '09:00', detractorLookbackDays: 90, churnRiskLookbackDays: 60 },
  churnRisk: {},
  noContact: { noContactDays: 91, noContactReminderDays: 7, noContactEmailMode: 'auto' },
  clientFeedback: { firstReplyHours: 24, acknowledgementDays: 2, saleCancellationMonths: 3 },
  preChurn: { windowDays: 14, saveTimeoutDays: 5 },
  alerts: { reminderTime: '17:00', noExchangeDays: 42, decisionMakerDays: 90, noQbrDays: 90, renewalWithinDays: 90 },
  emails: { signature: 'Customer Success' },
  approvals: { approvalWindowDays: 5 },
  floodGuard: { eventsPerAccountPerHour: 30 },
  usage: {
    accountIdleDays: 30,
    dropRatio: 0.75,
    welcomeBackAfterDays: 30,
    highTouchSegments: [],
    checkInDays: 5,
    checkInEmailMode: 'auto',
    championIdleDays: 15,
    watchDecisionMaker: false,
    contactAlertCooldownDays: 30,
    welcomeBackEmailMode: 'auto',
    welcomeBackCooldownDays: 90,
    featureGuides: {},
  },
  health: {
    profiles: { default: { weights: { usage: 35, engagement: 25, nps: 15, pulse: 15, support: 10 } } },
    bands: { red: 50, yellow: 75 },
    dropPoints: 15,
    pulseValidDays: 90,
    minimumWeight: 50,
    atRiskEmailCooldownDays: 30,
  },
  renewal: { noticeDays: 0, startDays: 120, reminderDays: [90, 60, 30], strategicSegments: [], strategicArr: 50_000 },
  digest: { time: '08:00', channels: ['slack'], ghostDays: 30 },
  people: [],
};

export type DeepPartial<T> = { [K in keyof T]?: T[K] extends readonly unknown[] ? T[K] : T[K] extends object ? DeepPartial<T[K]> : T[K] };

/** Defaults, deep-merged with an environment's or a scenario's overrides, then validated. */
export function resolveSettings(overrides: unknown = {}, base: Settings = DEFAULT_SETTINGS): Settings {
  const merged = deepMerge(base, overrides);
  const result = Settings.safeParse(merged);
  if (!result.success) {
    const problems = result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    throw new Error(`Invalid settings: ${problems.join('; ')}`);
  }
  return result.data;
}

/**
 * The settings `overrides` describe, not yet validated: `base` deep-merged with them (an object merges
 * key by key; an array or a value replaces). What a stage file's `settings` is checked with
 * (lib/stages.ts), so that its errors name the overriding field.
 */
export function mergeSettings(overrides: unknown, base: Settings = DEFAULT_SETTINGS): unknown {
  return deepMerge(base, overrides);
}

function deepMerge(base: unknown, overrides: unknown): unknown {
  if (!isPlainObject(base) || !isPlainObject(overrides)) return overrides === undefined ? base : overrides;
  const merged: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(overrides)) merged[key] = deepMerge(base[key], value);
  return merged;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
