import { describe, expect, it } from 'vitest';
import { AccountRecord } from '../../functions/contracts/index.ts';
import {
  accountProperties,
  contactRole,
  countryCode,
  DEFAULT_ACCOUNT_PROPERTIES,
  fieldOf,
  fullName,
  isOwnerNamed,
  MAPPED_FIELDS,
  readCompanyValue,
} from '../../functions/ingest/vendors/hubspot-accounts.ts';
import { ingestVendorEnvironment } from '../../lib/vendors.ts';

// How a HubSpot company becomes an account record (functions/ingest/vendors/hubspot-accounts.ts): the
// property mapping, and HubSpot's values read as the contract's. The webhook and the backfill share it.

const HUBSPOT = { riskPipeline: 'retention', riskStages: { open: 'o', saved: 's', lost: 'l' } };

describe('the property mapping', () => {
  it('given no mapping, then every field of the record but id, contacts and the playbooks’ own flag has a property: HubSpot’s own where it has one, else cs_<field>', () => {
    const fields = Object.keys(AccountRecord.shape).filter((field) => !['id', 'contacts', 'npsSurveysSuppressed'].includes(field));
    expect([...MAPPED_FIELDS].sort()).toEqual(fields.sort());
    expect(DEFAULT_ACCOUNT_PROPERTIES).toMatchObject({
      name: 'name',
      country: 'country',
      timezone: 'timezone',
      csmId: 'hubspot_owner_id',
      signedAt: 'closedate',
      language: 'cs_language',
      mrr: 'cs_mrr',
      renewalAt: 'cs_renewal_at',
      lastStoreOrderAt: 'cs_last_store_order_at',
      teamLeadId: 'cs_team_lead_id',
    });
  });

  it('given no property for csmName, then it is the name of the owner csmId names; mapped, it is that property', () => {
    expect(DEFAULT_ACCOUNT_PROPERTIES.csmName).toBeUndefined();
    expect(isOwnerNamed(DEFAULT_ACCOUNT_PROPERTIES, 'csmName')).toBe(true);
    expect(isOwnerNamed(accountProperties({ csmName: 'cs_signature' }), 'csmName')).toBe(false);
  });

  it('given a stage that maps mrr to its own property, then that property feeds mrr and cs_mrr feeds nothing', () => {
    const mapping = accountProperties({ mrr: 'monthly_revenue' });
    expect(fieldOf(mapping, 'monthly_revenue')).toBe('mrr');
    expect(fieldOf(mapping, 'cs_mrr')).toBeUndefined();
    expect(fieldOf(mapping, 'name')).toBe('name');
  });

  it.each([
    [{ churnDate: 'x' }, /accountProperties\.churnDate: not a field a company property can feed/],
    [{ contacts: 'x' }, /accountProperties\.contacts: not a field/],
    [{ mrr: 'Monthly Revenue' }, /accountProperties\.mrr: expected a HubSpot property's internal name/],
    [{ arr: 'cs_mrr' }, /cs_mrr feeds mrr and arr; map each field to its own property/],
  ])('given the mapping %j, when the stage is synthesized, then it is refused naming the field', (overrides, message) => {
    expect(() => ingestVendorEnvironment({ secretName: 's', hubspot: { ...HUBSPOT, accountProperties: overrides as never } })).toThrow(message);
  });

  it('given a stage mapping, then the ingest gets it as HUBSPOT_ACCOUNT_PROPERTIES; without one, nothing', () => {
    expect(ingestVendorEnvironment({ secretName: 's', hubspot: { ...HUBSPOT, accountProperties: { segment: 'tier' } } }).HUBSPOT_ACCOUNT_PROPERTIES).toBe('{"segment":"tier"}');
    expect(ingestVendorEnvironment({ secretName: 's', hubspot: HUBSPOT })).not.toHaveProperty('HUBSPOT_ACCOUNT_PROPERTIES');
  });
});

describe('HubSpot values read as the record’s', () => {
  it.each([
    ['FR', 'FR'],
    ['fr', 'FR'],
    ['FRA', 'FR'],
    ['France', 'FR'],
    ['united kingdom', 'GB'],
    ['United States', 'US'],
    ['Allemagne', 'DE'],
    ['Belgique', 'BE'],
  ])('given the country %j, then %s', (text, code) => {
    expect(countryCode(text)).toBe(code);
  });

  it('given a country that is no country, then a problem naming what is expected, never the value', () => {
    expect(readCompanyValue('country', 'Atlantis')).toEqual({ problem: 'not a country: an ISO 3166 code (FR, FRA) or its English or French name (France)' });
    expect(readCompanyValue('country', 'XX')).toEqual({ problem: expect.stringMatching(/^not a country/) });
  });

  it('given a time zone as IANA names it, in another case, or as HubSpot’s enumeration spells it, then the IANA zone', () => {
    expect(readCompanyValue('timezone', 'Europe/Paris')).toEqual({ value: 'Europe/Paris' });
    expect(readCompanyValue('timezone', 'europe/paris')).toEqual({ value: 'Europe/Paris' });
    expect(readCompanyValue('timezone', 'america_slash_new_york')).toEqual({ value: 'America/New_York' });
    expect(readCompanyValue('timezone', 'CET+1')).toEqual({ problem: 'not an IANA time zone, e.g. Europe/Paris' });
  });

  it.each([
    ['fr', 'fr'],
    ['fr-FR', 'fr'],
    ['en_US', 'en'],
    ['English', 'en'],
    ['Français', 'fr'],
  ])('given the language %j, then %s', (text, language) => {
    expect(readCompanyValue('language', text)).toEqual({ value: language });
  });

  it('given a language the playbooks have no templates in, then a problem', () => {
    expect(readCompanyValue('language', 'de')).toEqual({ problem: expect.stringMatching(/^neither French nor English/) });
  });

  it('given an amount as HubSpot’s number properties hold it, then a number; a formatted one is a problem', () => {
    expect(readCompanyValue('mrr', '1900')).toEqual({ value: 1900 });
    expect(readCompanyValue('arr', '22800.5')).toEqual({ value: 22800.5 });
    expect(readCompanyValue('mrr', '1 900 €')).toEqual({ problem: 'not an amount: digits, and a dot before decimals' });
    expect(readCompanyValue('mrr', '-5')).toEqual({ problem: 'not an amount: digits, and a dot before decimals' });
  });

  it('given a date property (no time of day) of an account in New York, then the start of that day there, not midnight UTC (the day before there)', () => {
    expect(readCompanyValue('renewalAt', '2027-03-01', 'America/New_York')).toEqual({ value: '2027-03-01T00:00:00-05:00' });
    expect(readCompanyValue('renewalAt', '2027-07-01', 'Europe/Paris')).toEqual({ value: '2027-07-01T00:00:00+02:00' });
  });

  it('given a date and no time zone to place it in, then a problem', () => {
    expect(readCompanyValue('signedAt', '2019-03-14')).toEqual({ problem: 'a date without a time of day, and the account has no time zone to place it in' });
  });

  it('given a datetime as the API answers it (ISO) or as a webhook sends it (milliseconds), then that instant', () => {
    expect(readCompanyValue('signedAt', '2019-03-14T10:15:00.000Z')).toEqual({ value: '2019-03-14T10:15:00.000Z' });
    expect(readCompanyValue('signedAt', '1552558500000')).toEqual({ value: '2019-03-14T10:15:00.000Z' });
  });

  it('given a datetime without its offset, then a problem: this machine’s zone must not decide', () => {
    expect(readCompanyValue('signedAt', '2019-03-14T10:15:00')).toEqual({ problem: expect.stringMatching(/^not a date/) });
  });

  it('given an empty or null value (HubSpot’s unset), then no value at all', () => {
    expect(readCompanyValue('name', '  ')).toBeUndefined();
    expect(readCompanyValue('mrr', null)).toBeUndefined();
  });
});

describe('a contact’s role and a person’s name', () => {
  it.each([
    ['CHAMPION', 'champion'],
    ['EXECUTIVE_SPONSOR', 'sponsor'],
    ['DECISION_MAKER', 'decision-maker'],
    ['BUDGET_HOLDER', 'decision-maker'],
    ['END_USER', 'user'],
    ['INFLUENCER', 'user'],
    ['', 'user'],
    ['END_USER;CHAMPION', 'champion'],
    ['DECISION_MAKER;EXECUTIVE_SPONSOR', 'sponsor'],
    ['decision-maker', 'decision-maker'],
  ])('given HubSpot’s buying roles %j, then the contact is a %s', (roles, role) => {
    expect(contactRole(roles)).toBe(role);
  });

  it('given a first and a last name, either missing, then the name HubSpot shows; neither, none', () => {
    expect(fullName('Camille', 'Roussel')).toBe('Camille Roussel');
    expect(fullName(null, 'Roussel')).toBe('Roussel');
    expect(fullName(' ', null)).toBeUndefined();
  });
});
