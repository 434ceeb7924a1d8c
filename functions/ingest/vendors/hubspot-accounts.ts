// The core only: the package's main entry registers all its locales, 718 KB in the ingest's bundle.
import * as countries from 'i18n-iso-countries/index.js';
import english from 'i18n-iso-countries/langs/en.json' with { type: 'json' };
import french from 'i18n-iso-countries/langs/fr.json' with { type: 'json' };
import { AccountRecord, ContactRole, type Contact } from '../../contracts/account.ts';
import { COUNTRY_CODE, LOCAL_DATE } from '../../contracts/formats.ts';
import { z } from '../../contracts/zod.ts';
import { createBusinessCalendar, formatLocalIso } from '../../core/calendar/business-time.ts';

/**
 * A HubSpot company as an account record: which company property feeds each field (the stage's
 * `vendors.hubspot.accountProperties` over the defaults below), and how HubSpot's values read as the
 * contract's. One mapping for the webhook (a company's property change updates the field that property
 * feeds: ./hubspot.ts) and for the backfill (`playbooks import --from hubspot`), so both say the same.
 *
 * HubSpot's default company properties where one means the field (`name`, `country`, `timezone`,
 * `hubspot_owner_id` "Company owner", `closedate` "Close date", the day the company became a
 * customer), else a custom property named `cs_<field in snake case>` (`cs_mrr`, `cs_renewal_at`).
 * `csmName` is read from no property by default: it is the name of the HubSpot owner `csmId` names.
 * `id` is the company id (or the stage's `companyIdProperty`); `contacts` are the company's associated
 * contacts; `npsSurveysSuppressed` is the playbooks' own flag, never the CRM's.
 */

countries.registerLocale(english);
countries.registerLocale(french);

/** The record's fields no company property feeds. */
const UNMAPPED = ['id', 'contacts', 'npsSurveysSuppressed'] as const;
/** Every other field of the record: each is fed by one company property. */
export type MappedField = Exclude<keyof AccountRecord, (typeof UNMAPPED)[number]>;
export const MAPPED_FIELDS = Object.keys(AccountRecord.shape).filter((field) => !(UNMAPPED as readonly string[]).includes(field)) as MappedField[];

/** Field → the company property feeding it. `csmName` absent: the owner's name. */
export type AccountProperties = Readonly<Partial<Record<MappedField, string>>>;

/** Where HubSpot has a property of its own for the field. */
const HUBSPOT_PROPERTIES: AccountProperties = { name: 'name', country: 'country', timezone: 'timezone', csmId: 'hubspot_owner_id', signedAt: 'closedate' };
/** Fields that take an owner's name when no property is mapped to them. */
const OWNER_NAMED: readonly MappedField[] = ['csmName'];

/** The defaults: HubSpot's property, else `cs_<snake_case>` (`csmName`: none, the owner's name). */
export const DEFAULT_ACCOUNT_PROPERTIES: AccountProperties = Object.fromEntries(
  MAPPED_FIELDS.filter((field) => !OWNER_NAMED.includes(field)).map((field) => [field, HUBSPOT_PROPERTIES[field] ?? `cs_${snakeCase(field)}`]),
);

/** HubSpot's "Buying role" contact property (multiple checkboxes): the contact's role by default. */
export const DEFAULT_CONTACT_ROLE_PROPERTY = 'hs_buying_role';

/** A HubSpot property name as HubSpot makes them (internal names: lower case, digits, underscores). */
const PROPERTY_NAME = /^[a-z][a-z0-9_]{0,99}$/;

/**
 * The stage's mapping: the defaults with `overrides` (field → property) applied. Throws, naming the
 * field, for a field the record has no mappable slot for, a property name HubSpot could not have, or
 * a property feeding two fields (a change of it could not say which one it updates).
 */
export function accountProperties(overrides: Readonly<Record<string, unknown>> = {}): AccountProperties {
  const mapping: Partial<Record<MappedField, string>> = { ...DEFAULT_ACCOUNT_PROPERTIES };
  for (const [field, property] of Object.entries(overrides)) {
    if (!(MAPPED_FIELDS as readonly string[]).includes(field)) {
      throw new Error(`vendors.hubspot.accountProperties.${field}: not a field a company property can feed; the fields are ${MAPPED_FIELDS.join(', ')}`);
    }
    if (typeof property !== 'string' || !PROPERTY_NAME.test(property)) {
      throw new Error(`vendors.hubspot.accountProperties.${field}: expected a HubSpot property's internal name (lower case, digits, _), e.g. cs_${snakeCase(field)}`);
    }
    mapping[field as MappedField] = property;
  }
  const fieldsByProperty = new Map<string, string[]>();
  for (const [field, property] of Object.entries(mapping)) fieldsByProperty.set(property, [...(fieldsByProperty.get(property) ?? []), field]);
  for (const [property, fields] of fieldsByProperty) {
    if (fields.length > 1) throw new Error(`vendors.hubspot.accountProperties: ${property} feeds ${fields.join(' and ')}; map each field to its own property`);
  }
  return mapping;
}

/** The mapping a stage's `HUBSPOT_ACCOUNT_PROPERTIES` (JSON overrides, lib/vendors.ts) describes; the defaults when unset. */
export function accountPropertiesFromSetting(setting: string | undefined): AccountProperties {
  if (!setting) return DEFAULT_ACCOUNT_PROPERTIES;
  const cached = parsedSettings.get(setting);
  if (cached) return cached;
  const overrides = JSON.parse(setting) as unknown;
  if (!overrides || typeof overrides !== 'object' || Array.isArray(overrides)) throw new Error('HUBSPOT_ACCOUNT_PROPERTIES must be a JSON object: account field → HubSpot property');
  const mapping = accountProperties(overrides as Record<string, unknown>);
  parsedSettings.set(setting, mapping);
  return mapping;
}
const parsedSettings = new Map<string, AccountProperties>();

/** The field a company property feeds, if any. */
export function fieldOf(mapping: AccountProperties, property: string): MappedField | undefined {
  return MAPPED_FIELDS.find((field) => mapping[field] === property);
}

/** Whether `field` is the owner's name when no property feeds it. */
export const isOwnerNamed = (mapping: AccountProperties, field: MappedField): boolean => OWNER_NAMED.includes(field) && mapping[field] === undefined;

/** What a value must look like, per field. */
type Kind = 'text' | 'country' | 'timezone' | 'language' | 'amount' | 'instant';
const KINDS: Partial<Record<MappedField, Kind>> = {
  country: 'country',
  timezone: 'timezone',
  language: 'language',
  mrr: 'amount',
  arr: 'amount',
  signedAt: 'instant',
  welcomeCallAt: 'instant',
  billingStartedAt: 'instant',
  renewalAt: 'instant',
  lastStoreOrderAt: 'instant',
};

/** Whether a field holds a time: a HubSpot date (no time of day) needs the account's time zone to become one. */
export const isInstantField = (field: MappedField): boolean => KINDS[field] === 'instant';

export type FieldValue = { value: string | number } | { problem: string };

/**
 * A HubSpot property value (the CRM API's text, or a webhook's `propertyValue`) as the field's value.
 * Empty means unset (HubSpot answers `null` or `""`): `undefined`. `timezone` is the account's, for a
 * date without a time (HubSpot's date properties): the start of that day there. Problems name what the
 * value should be, never the value (it may be a customer's data).
 */
export function readCompanyValue(field: MappedField, raw: unknown, timezone?: string): FieldValue | undefined {
  const text = typeof raw === 'string' || typeof raw === 'number' ? String(raw).trim() : '';
  if (text === '') return undefined;
  switch (KINDS[field] ?? 'text') {
    case 'country':
      return orProblem(countryCode(text), 'not a country: an ISO 3166 code (FR, FRA) or its English or French name (France)');
    case 'timezone':
      return orProblem(timeZone(text), 'not an IANA time zone, e.g. Europe/Paris');
    case 'language':
      return orProblem(language(text), 'neither French nor English: fr, en, French, English, Français, Anglais');
    case 'amount':
      return /^\d+(\.\d+)?$/.test(text) ? { value: Number(text) } : { problem: 'not an amount: digits, and a dot before decimals' };
    case 'instant':
      return instant(text, timezone);
    default:
      return { value: text };
  }
}

function orProblem(value: string | undefined, problem: string): FieldValue {
  return value === undefined ? { problem } : { value };
}

/** ISO alpha-2 from an alpha-2 or alpha-3 code or an English or French country name (HubSpot's `country` is free text). */
export function countryCode(text: string): string | undefined {
  const upper = text.toUpperCase();
  if (COUNTRY_CODE.test(upper)) return countries.isValid(upper) ? upper : undefined;
  if (/^[A-Z]{3}$/.test(upper)) return countries.alpha3ToAlpha2(upper);
  return countries.getSimpleAlpha2Code(text, 'en') ?? countries.getSimpleAlpha2Code(text, 'fr');
}

/** An IANA zone as is, in any case, or as HubSpot's time-zone enumerations spell it (`europe_slash_paris`). */
function timeZone(text: string): string | undefined {
  const candidate = text.replace(/_slash_/gi, '/');
  const known = supportedZones().get(candidate.toLowerCase());
  if (known) return known;
  try {
    // Zones Intl accepts beyond its canonical list (aliases: Europe/Kiev).
    return new Intl.DateTimeFormat('en', { timeZone: candidate }).resolvedOptions().timeZone === candidate ? candidate : undefined;
  } catch {
    return undefined;
  }
}

let zones: Map<string, string> | undefined;
function supportedZones(): Map<string, string> {
  zones ??= new Map(Intl.supportedValuesOf('timeZone').map((zone) => [zone.toLowerCase(), zone]));
  return zones;
}

const LANGUAGE_NAMES: Readonly<Record<string, 'fr' | 'en'>> = { french: 'fr', français: 'fr', francais: 'fr', english: 'en', anglais: 'en' };

/** `fr` or `en` from a language tag (`fr`, `fr-FR`, `en_US`) or its name in English or French. */
function language(text: string): 'fr' | 'en' | undefined {
  const lower = text.toLowerCase();
  const tag = /^([a-z]{2})(?:[-_][a-z0-9]+)*$/.exec(lower)?.[1];
  if (tag === 'fr' || tag === 'en') return tag;
  return LANGUAGE_NAMES[lower];
}

// Only the local-time conversion is used: it needs no holidays and no business hours of a stage.
const clock = createBusinessCalendar({}, { start: '00:00', end: '23:59' });

const ISO_WITH_OFFSET = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/i;

/** HubSpot datetimes (ISO, or epoch milliseconds in webhooks), and dates (`2027-03-01`: the start of that day in the account's zone). */
function instant(text: string, timezone: string | undefined): FieldValue {
  if (LOCAL_DATE.test(text)) {
    if (!timezone) return { problem: 'a date without a time of day, and the account has no time zone to place it in' };
    try {
      return { value: formatLocalIso(clock.atLocalTime(text, '00:00', timezone), timezone) };
    } catch {
      return { problem: 'not a date: YYYY-MM-DD' };
    }
  }
  // An ISO time must carry its offset: without one, Date.parse would read it in this machine's zone.
  const time = /^\d{1,15}$/.test(text) ? Number(text) : ISO_WITH_OFFSET.test(text) ? Date.parse(text) : Number.NaN;
  return Number.isFinite(time) ? { value: new Date(time).toISOString() } : { problem: 'not a date (YYYY-MM-DD) or a date and time (ISO 8601, or milliseconds)' };
}

/** An owner as HubSpot's owners API (`/crm/v3/owners`) answers it; a name it does not have is `null` or absent. */
export const HubSpotOwner = z.object({ id: z.string(), email: z.unknown(), firstName: z.unknown(), lastName: z.unknown() });

/** A person's name from HubSpot's first and last names (an owner's, a contact's; either may be empty), within the record's 100 characters. */
export function fullName(firstName: unknown, lastName: unknown): string | undefined {
  const name = [firstName, lastName].map((part) => (typeof part === 'string' ? part.trim() : '')).filter(Boolean).join(' ');
  return name ? name.slice(0, 100) : undefined;
}

/** HubSpot's buying roles (`hs_buying_role`, several allowed, `;`-separated) in the record's terms; our own names too. */
const ROLE_NAMES: Readonly<Record<string, Contact['role']>> = {
  champion: 'champion',
  executive_sponsor: 'sponsor',
  sponsor: 'sponsor',
  decision_maker: 'decision-maker',
  'decision-maker': 'decision-maker',
  budget_holder: 'decision-maker',
  end_user: 'user',
  user: 'user',
};

/**
 * A contact's one role from its role property: the strongest of those it holds (champion, sponsor,
 * decision-maker, user, the record's order); none, or only others (influencer, blocker…), is `user`.
 */
export function contactRole(raw: unknown): Contact['role'] {
  const held = new Set(
    String(raw ?? '')
      .split(';')
      .map((role) => ROLE_NAMES[role.trim().toLowerCase()])
      .filter((role) => role !== undefined),
  );
  return ContactRole.options.find((role) => held.has(role)) ?? 'user';
}

function snakeCase(field: string): string {
  return field.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`);
}
