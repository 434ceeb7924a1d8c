import { COUNTRY_CODE } from './formats.ts';
import { isoInstant, z } from './zod.ts';

export const ContactRole = z.enum(['champion', 'sponsor', 'decision-maker', 'user']);

export const Contact = z.object({
  id: z.string().check(z.minLength(1)),
  email: z.email(),
  name: z.string().check(z.minLength(1)),
  role: ContactRole,
});

/** The account record of the contract: what the CRM sync maintains and every playbook reads. */
export const AccountRecord = z.object({
  id: z.string().check(z.minLength(1)),
  name: z.string().check(z.minLength(1)),
  country: z.string().check(z.regex(COUNTRY_CODE, 'expected an ISO 3166-1 alpha-2 code, e.g. FR')),
  timezone: z.string().check(
    z.refine((zone) => isKnownTimeZone(zone), 'expected an IANA time zone, e.g. Europe/Paris'),
  ),
  language: z.enum(['fr', 'en']),
  csmId: z.string().check(z.minLength(1)),
  /** How the CSM signs the playbooks' e-mails to the account's contacts (else `emails.signature`). */
  csmName: z.optional(z.string().check(z.minLength(1), z.maxLength(100))),
  teamLeadId: z.optional(z.string()),
  salesId: z.optional(z.string()),
  onboardingId: z.optional(z.string()),
  /** Responsible (RACI, seed 000) for strategy and roadmap matters. */
  strategistId: z.optional(z.string()),
  /** Responsible for onboarding speed and quality. */
  expertId: z.optional(z.string()),
  segment: z.optional(z.string()),
  mrr: z.number().check(z.gte(0)),
  arr: z.optional(z.number().check(z.gte(0))),
  signedAt: z.optional(isoInstant()),
  /** The quote the client signed (`ContractSigned`'s `quoteId`), added after v1. */
  quoteId: z.optional(z.string().check(z.minLength(1), z.maxLength(256))),
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
