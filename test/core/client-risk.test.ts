import { describe, expect, it } from 'vitest';
import { createBusinessCalendar } from '../../functions/core/calendar/business-time.ts';
import { acknowledgementDeadline, clientRiskContext, responsibleRoles } from '../../functions/core/feedback/client-risk.ts';
import { buildHolidayTable } from '../../lib/calendar/public-holidays.ts';

// Seed 000: meeting feedback becomes a client risk owned by the CSM, each topic acknowledged by who is Responsible.

describe('who is Responsible for a client risk (RACI)', () => {
  it('given strategy or roadmap, then the strategist', () => {
    expect(responsibleRoles(['roadmap'])).toEqual(['strategist']);
    expect(responsibleRoles(['strategy', 'roadmap'])).toEqual(['strategist']);
  });

  it('given a promise, a commitment, add-ons sold or the quote’s calibration, then sales', () => {
    for (const topic of ['promise', 'commitment', 'add-ons', 'quote-calibration'] as const) expect(responsibleRoles([topic])).toEqual(['sales']);
  });

  it('given the speed or quality of onboarding, then the expert', () => {
    expect(responsibleRoles(['onboarding-speed', 'onboarding-quality'])).toEqual(['expert']);
  });

  it('given topics for all three, then each once, strategist, sales, expert', () => {
    expect(responsibleRoles(['onboarding-quality', 'promise', 'roadmap', 'add-ons'])).toEqual(['strategist', 'sales', 'expert']);
  });

  it('given no topic, then nobody besides the CSM', () => {
    expect(responsibleRoles([])).toEqual([]);
  });
});

describe('the context a client risk carries', () => {
  it('given notes, quotes, a recording, an analysis and an action plan, then each under its heading', () => {
    const context = clientRiskContext({
      topics: ['promise'],
      text: 'Expected the SMS module in the base plan.',
      quotes: ['On nous avait dit que c’était inclus.'],
      recordingUrl: 'https://recordings.example.com/m/42',
      analysis: 'The quote listed SMS as an add-on; the demo showed it.',
      actionPlan: 'Offer 3 months of SMS; fix the demo script.',
    });

    expect(context.split('\n')).toEqual([
      'Topics: promise',
      'Notes: Expected the SMS module in the base plan.',
      'Client quotes: “On nous avait dit que c’était inclus.”',
      'Recording: https://recordings.example.com/m/42',
      'CSM analysis: The quote listed SMS as an add-on; the demo showed it.',
      'Action plan: Offer 3 months of SMS; fix the demo script.',
    ]);
  });

  it('given no analysis and no action plan, then they are named as missing', () => {
    expect(clientRiskContext({ text: 'Notes' })).toContain('CSM analysis: (missing: complete it in the CRM)');
    expect(clientRiskContext({ text: 'Notes' })).toContain('Action plan: (missing: complete it in the CRM)');
  });
});

describe('when an unacknowledged client risk goes to the team lead', () => {
  const calendar = createBusinessCalendar(buildHolidayTable(['FR'], 2026, 2027), { start: '09:00', end: '18:00' });
  const paris = { timezone: 'Europe/Paris', country: 'FR' };

  it('given a risk opened on Tuesday 15:00, then Thursday 15:00 (2 business days, same local time)', () => {
    expect(acknowledgementDeadline(new Date('2026-11-17T15:00:00+01:00'), paris, 2, calendar)).toBe('2026-11-19T15:00:00+01:00');
  });

  it('given a risk opened on Friday, then Tuesday: the weekend does not count', () => {
    expect(acknowledgementDeadline(new Date('2026-11-20T10:30:00+01:00'), paris, 2, calendar)).toBe('2026-11-24T10:30:00+01:00');
  });

  it('given a risk opened on Monday 9 November, then Thursday the 12th: 11 November is a public holiday', () => {
    expect(acknowledgementDeadline(new Date('2026-11-09T11:00:00+01:00'), paris, 2, calendar)).toBe('2026-11-12T11:00:00+01:00');
  });
});
