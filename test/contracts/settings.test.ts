import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS, resolveSettings } from '../../functions/contracts/index.ts';

/** The error `resolve` throws; fails the test when the settings are accepted. */
function errorOf(resolve: () => unknown): Error {
  try {
    resolve();
  } catch (error) {
    expect(error).toBeInstanceOf(Error);
    return error as Error;
  }
  throw new Error('expected the settings to be refused, but they were accepted');
}

describe('resolveSettings: the defaults of docs/playbooks.md', () => {
  const settings = resolveSettings();

  it('given no overrides, then business hours are 09:00–18:00', () => {
    expect(settings.businessHours).toEqual({ start: '09:00', end: '18:00' });
  });

  it('given no overrides, then NPS answers are banded with the standard preset', () => {
    expect(settings.nps.preset).toBe('standard');
  });

  it('given no overrides, then the detractor cool-down is 2 business days and the CSM makes the call', () => {
    expect(settings.nps.detractorCoolDown).toBe(2);
    expect(settings.nps.detractorCaller).toBe('csm');
  });

  it('given no overrides, then the action plan is reviewed after 30 days', () => {
    expect(settings.nps.actionPlanReviewDays).toBe(30);
  });

  it('given no overrides, then a detractor escalates to the team lead from an ARR of 20 000', () => {
    expect(settings.nps.escalationArr).toBe(20_000);
  });

  it('given no overrides, then review requests are sent automatically', () => {
    expect(settings.nps.reviewRequestMode).toBe('auto');
  });

  it('given no overrides, then the no-contact check fires after 91 days and reminds 7 days later, by automatic e-mail', () => {
    expect(settings.noContact).toEqual({ noContactDays: 91, noContactReminderDays: 7, noContactEmailMode: 'auto' });
  });

  it('given no overrides, then a dissatisfied client gets a first reply within 24 h, assignees acknowledge within 2 business days, and a suspension in the first 3 months of billing cancels the sale', () => {
    expect(settings.clientFeedback).toEqual({ firstReplyHours: 24, acknowledgementDays: 2, saleCancellationMonths: 3 });
  });

  it('given no overrides, then pre-churn is a cancellation within 14 days and a save attempt times out after 5 business days', () => {
    expect(settings.preChurn).toEqual({ windowDays: 14, saveTimeoutDays: 5 });
  });

  it('given a save timeout beyond 30 business days, then it is refused: the wait runs inside one execution', () => {
    expect(resolveSettings({ preChurn: { saveTimeoutDays: 30 } }).preChurn.saveTimeoutDays).toBe(30);
    expect(errorOf(() => resolveSettings({ preChurn: { saveTimeoutDays: 31 } })).message).toMatch(/preChurn\.saveTimeoutDays/);
  });

  it('given no overrides, then the red-alert call is planned 7 days before the competitor meeting, at 09:00', () => {
    expect(settings.competitorMeeting).toEqual({ callLeadDays: 7, callTime: '09:00', detractorLookbackDays: 90, churnRiskLookbackDays: 60 });
  });

  it('given no overrides, then unacknowledged alerts are reminded at 17:00', () => {
    expect(settings.alerts.reminderTime).toBe('17:00');
  });

  it('given no overrides, then the calendar knows the public holidays of France', () => {
    expect(settings.calendar.countries).toContain('FR');
  });
});

describe('resolveSettings: overrides are deep-merged, then validated', () => {
  it('given { nps: { preset: alerte-fidelisation } }, then the preset changes and every other nps key keeps its default', () => {
    const settings = resolveSettings({ nps: { preset: 'alerte-fidelisation' } });
    expect(settings.nps).toEqual({ ...DEFAULT_SETTINGS.nps, preset: 'alerte-fidelisation' });
  });

  it('given an nps override, then the other groups keep their defaults', () => {
    const settings = resolveSettings({ nps: { preset: 'alerte-fidelisation' } });
    expect(settings.noContact).toEqual(DEFAULT_SETTINGS.noContact);
    expect(settings.businessHours).toEqual(DEFAULT_SETTINGS.businessHours);
  });

  it('given an override of the business-hours end only, then the start stays 09:00', () => {
    expect(resolveSettings({ businessHours: { end: '17:30' } }).businessHours).toEqual({ start: '09:00', end: '17:30' });
  });

  it('given an override of the calendar countries, then the list replaces the default list (arrays are not merged)', () => {
    expect(resolveSettings({ calendar: { countries: ['BE'] } }).calendar.countries).toEqual(['BE']);
  });

  it('given an override, then the defaults themselves are left untouched', () => {
    resolveSettings({ nps: { preset: 'alerte-fidelisation', escalationArr: 5 } });
    expect(DEFAULT_SETTINGS.nps.preset).toBe('standard');
    expect(DEFAULT_SETTINGS.nps.escalationArr).toBe(20_000);
  });

  it('given a misspelt key in a group (noContact.noContactDay), then the settings are refused naming it', () => {
    const error = errorOf(() => resolveSettings({ noContact: { noContactDay: 30 } }));
    expect(error.message).toContain('noContactDay');
  });

  it('given a misspelt group (npss), then the settings are refused naming it', () => {
    const error = errorOf(() => resolveSettings({ npss: { preset: 'standard' } }));
    expect(error.message).toContain('npss');
  });

  it('given an unknown preset, then the settings are refused naming nps.preset', () => {
    const error = errorOf(() => resolveSettings({ nps: { preset: 'lenient' } }));
    expect(error.message).toContain('nps.preset');
  });

  it('given a negative cool-down, then the settings are refused naming nps.detractorCoolDown', () => {
    const error = errorOf(() => resolveSettings({ nps: { detractorCoolDown: -1 } }));
    expect(error.message).toContain('nps.detractorCoolDown');
  });

  it('given business hours that are not HH:mm, then the settings are refused naming businessHours.start', () => {
    const error = errorOf(() => resolveSettings({ businessHours: { start: '9h' } }));
    expect(error.message).toContain('businessHours.start');
  });

  it('given a number where a mode is expected, then the settings are refused naming noContact.noContactEmailMode', () => {
    const error = errorOf(() => resolveSettings({ noContact: { noContactEmailMode: 1 } }));
    expect(error.message).toContain('noContact.noContactEmailMode');
  });

  // Known gap: the schema checks each time's format but not their order, so these settings pass synthesis
  // and only fail at the first Lambda cold start, in createBusinessCalendar (see the report).
  it('given business hours that end before they start, then the settings are refused naming businessHours', () => {
    const error = errorOf(() => resolveSettings({ businessHours: { start: '18:00', end: '09:00' } }));
    expect(error.message).toContain('businessHours');
  });

  it('given business hours that end when they start, then the settings are refused naming businessHours', () => {
    const error = errorOf(() => resolveSettings({ businessHours: { start: '09:00', end: '09:00' } }));
    expect(error.message).toContain('businessHours');
  });
});

describe('resolveSettings: the people directory', () => {
  const camille = { id: 'csm-camille', name: 'Camille Martin', slackId: 'U0CSM0001', email: 'camille.martin@example.com', timezone: 'Europe/Paris', language: 'fr', role: 'csm' };

  it('given no overrides, then the directory is empty (people are reached by id)', () => {
    expect(resolveSettings().people).toEqual([]);
  });

  it('given a directory, then each person is kept as given, Slack id and e-mail optional', () => {
    const jordan = { id: 'lead-jordan', name: 'Jordan Lefèvre', timezone: 'Europe/Paris', language: 'fr', role: 'team-lead' };
    expect(resolveSettings({ people: [camille, jordan] }).people).toEqual([camille, jordan]);
  });

  it('given a person listed twice, then the settings are refused naming the second entry and the first', () => {
    expect(errorOf(() => resolveSettings({ people: [camille, { ...camille, name: 'Camille M.' }] })).message).toMatch(/people\.1\.id: "csm-camille" is already people\.0/);
  });

  it('given a city instead of an IANA time zone, then the settings are refused naming people.0.timezone', () => {
    expect(errorOf(() => resolveSettings({ people: [{ ...camille, timezone: 'Paris' }] })).message).toContain('people.0.timezone: expected an IANA time zone');
  });

  it('given an unknown role, a Slack handle instead of a member id, or a misspelt key, then each is refused naming its place', () => {
    expect(errorOf(() => resolveSettings({ people: [{ ...camille, role: 'boss' }] })).message).toContain('people.0.role');
    expect(errorOf(() => resolveSettings({ people: [{ ...camille, slackId: '@camille' }] })).message).toContain('people.0.slackId: expected a Slack member id');
    expect(errorOf(() => resolveSettings({ people: [{ ...camille, mail: 'c@example.com' }] })).message).toMatch(/people\.0: .*"mail"/);
  });
});

describe('the health profiles (docs/playbooks.md, health)', () => {
  it('given the defaults, then one default profile whose weights sum to 100: usage 35, engagement 25, NPS 15, pulse 15, support 10', () => {
    expect(resolveSettings().health.profiles).toEqual({ default: { weights: { usage: 35, engagement: 25, nps: 15, pulse: 15, support: 10 } } });
  });

  it('given a profile whose weights do not sum to 100, then the settings are refused, naming the profile and its weights', () => {
    const enterprise = { segments: ['enterprise'], weights: { usage: 35, engagement: 25, nps: 15, pulse: 15, support: 5 } };
    expect(() => resolveSettings({ health: { profiles: { enterprise } } })).toThrow(
      'Invalid settings: health.profiles.enterprise.weights: the profile "enterprise" weighs 95, not 100 (usage 35, engagement 25, nps 15, pulse 15, support 5)',
    );
  });

  it('given a segment in two profiles, or no default profile, then refused', () => {
    const weights = { usage: 40, engagement: 20, nps: 20, pulse: 10, support: 10 };
    expect(() => resolveSettings({ health: { profiles: { a: { segments: ['smb'], weights }, b: { segments: ['smb'], weights } } } })).toThrow('the segment "smb" is already in the profile "a"');
    // The defaults always hold one: a base without it is refused.
    const base = resolveSettings();
    expect(() => resolveSettings({ health: { profiles: { a: { weights } } } }, { ...base, health: { ...base.health, profiles: {} } })).toThrow('a "default" profile scores the accounts of every other segment');
  });
});
