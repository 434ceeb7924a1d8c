import { COUNTRY_CODE } from './formats.ts';
import { isoInstant, z } from './zod.ts';

export const ContactRole = z.enum(['champion', 'sponsor', 'decision-maker', 'user']);

/**
 * Text of the record (a name, a person's id, a segment): never empty or blank. An empty string is no
 * value: an update leaves a field out to keep the value held; the record has no "unknown" to clear it to.
 */
const text = () => z.string().check(z.regex(/\S/, 'empty or blank, which is no value: leave the field out to keep the one held'));

/**
 * The largest MRR an update may set, in euros a month: a billion, which no account pays (the largest
 * software contracts are a few hundred million a year). Far within what DynamoDB stores (38
 * significant digits, magnitudes to 10^125: `1e200` is refused by DynamoDB as a whole write) and within
 * what a JavaScript number holds to the cent (2^53 cents is 90 trillion euros).
 */
export const MAX_MRR = 1_000_000_000;
/** The largest ARR: twelve of the largest MRR. */
export const MAX_ARR = 12 * MAX_MRR;

/**
 * An amount in euros: a finite number (JSON has no other), from 0 to `max`, and no fraction of a cent
 * (`1e-200` is no amount, and below DynamoDB's smallest number).
 */
const amount = (max: number) =>
  z.number().check(
    z.gte(0),
    z.lte(max),
    z.refine((value) => !(value > 0 && value < 0.01), 'less than a cent: not an amount'),
  );

export const Contact = z.object({
  id: text(),
  email: z.email(),
  name: text(),
  role: ContactRole,
});

/** The account record of the contract: what the CRM sync maintains and every playbook reads. */
export const AccountRecord = z.object({
  id: text(),
  name: text(),
  country: z.string().check(z.regex(COUNTRY_CODE, 'expected an ISO 3166-1 alpha-2 code, e.g. FR')),
  timezone: z.string().check(
    z.refine((zone) => isKnownTimeZone(zone), 'expected an IANA time zone, e.g. Europe/Paris'),
  ),
  language: z.enum(['fr', 'en']),
  csmId: text(),
  /** How the CSM signs the playbooks' e-mails to the account's contacts (else `emails.signature`). */
  csmName: z.optional(text().check(z.maxLength(100))),
  teamLeadId: z.optional(text()),
  salesId: z.optional(text()),
  onboardingId: z.optional(text()),
  /** Responsible (RACI, seed 000) for strategy and roadmap matters. */
  strategistId: z.optional(text()),
  /** Responsible for onboarding speed and quality. */
  expertId: z.optional(text()),
  segment: z.optional(text()),
  mrr: amount(MAX_MRR),
  arr: z.optional(amount(MAX_ARR)),
  signedAt: z.optional(isoInstant()),
  /** The quote the client signed (`ContractSigned`'s `quoteId`), added after v1. */
  quoteId: z.optional(text().check(z.maxLength(256))),
  welcomeCallAt: z.optional(isoInstant()),
  billingStartedAt: z.optional(isoInstant()),
  renewalAt: z.optional(isoInstant()),
  lastStoreOrderAt: z.optional(isoInstant()),
  contacts: z.array(Contact),
  /**
   * True while a detractor's action plan is open: the NPS tool must not survey the account (seed 003
   * step 6). Set by nps-response when a detractor's plan starts; lifted when the churn risk closes.
   */
  npsSurveysSuppressed: z.optional(z.boolean()),
});

export type AccountRecord = z.infer<typeof AccountRecord>;
export type Contact = z.infer<typeof Contact>;

/** `AccountUpdated` carries a partial record: the CRM sends what changed. */
export const AccountPatch = z.partial(z.omit(AccountRecord, { id: true }));
export type AccountPatch = z.infer<typeof AccountPatch>;

/**
 * The record as the ledger may hold it: written before text had to be non-blank and amounts bounded
 * (issue 13), an account may carry an empty `teamLeadId` or an MRR over `MAX_MRR`. It is read as it is
 * (an empty owner id falls back to the CSM, as an absent one), so that it keeps working; whatever sets
 * such a field again follows `AccountRecord`. Only the ledger's reads and the merge of a stored record
 * use it: every write of a field is checked against `AccountRecord` first.
 */
const storedText = () => z.string();
const StoredContact = z.object({ ...Contact.shape, id: z.string().check(z.minLength(1)), name: z.string().check(z.minLength(1)) });
export const StoredAccountRecord = z.object({
  ...AccountRecord.shape,
  id: z.string().check(z.minLength(1)),
  name: z.string().check(z.minLength(1)),
  csmId: z.string().check(z.minLength(1)),
  csmName: z.optional(z.string().check(z.minLength(1), z.maxLength(100))),
  teamLeadId: z.optional(storedText()),
  salesId: z.optional(storedText()),
  onboardingId: z.optional(storedText()),
  strategistId: z.optional(storedText()),
  expertId: z.optional(storedText()),
  segment: z.optional(storedText()),
  mrr: z.number().check(z.gte(0)),
  arr: z.optional(z.number().check(z.gte(0))),
  quoteId: z.optional(z.string().check(z.minLength(1), z.maxLength(256))),
  contacts: z.array(StoredContact),
});
/** Any field of a stored record, as `StoredAccountRecord` reads it: what a pending account's fields are checked against. */
export const StoredAccountFields = z.partial(z.omit(StoredAccountRecord, { id: true }));

/** Zones already checked: building an Intl.DateTimeFormat costs more than the rest of an account's parse. */
const knownTimeZones = new Map<string, boolean>();

/** Whether `zone` is an IANA time zone this runtime knows (the account's and the people directory's `timezone`). */
export function isKnownTimeZone(zone: string): boolean {
  let known = knownTimeZones.get(zone);
  if (known === undefined) {
    try {
      new Intl.DateTimeFormat('en', { timeZone: zone });
      known = true;
    } catch {
      known = false;
    }
    // Bounded: a flood of invalid zones must not grow a warm Lambda's memory.
    if (knownTimeZones.size < 1000) knownTimeZones.set(zone, known);
  }
  return known;
}
