import { describe, expect, it } from 'vitest';
import { accountActive, contactNews, type ContactUse } from '../../functions/core/usage/announcements.ts';

const use = (overrides: Partial<ContactUse> = {}): ContactUse => ({
  accountId: 'acc-paris',
  contactId: 'ct-ines',
  day: '2026-11-16',
  news: { firstUse: false, firstUseOfDay: false, newFeatures: [] },
  guides: { featureGuides: { 'online-booking': 'https://help.example.com/booking' } },
  timestamp: '2026-11-16T10:00:00+01:00',
  ...overrides,
});
const told = (overrides: Partial<ContactUse>) => contactNews(use(overrides)).map(({ type, data }) => `${type} ${data.eventId}`);

describe('what a use tells the playbooks', () => {
  it('given a use that changes nothing (a repeat, a day already counted), then nothing: the count is no news', () => {
    expect(told({})).toEqual([]);
  });

  it('given a contact back after 41 idle days, then ContactReturned for that day', () => {
    expect(contactNews(use({ news: { firstUse: false, firstUseOfDay: true, newFeatures: [], returnedAfterDays: 41 } }))).toMatchObject([
      { type: 'ContactReturned', data: { eventId: 'returned-acc-paris-ct-ines-2026-11-16', contactId: 'ct-ines', idleDays: 41 } },
    ]);
  });

  it('given first uses of features, then FeatureFirstUsed only for those with a guide, and for the product only with a getting-started guide', () => {
    const news = { firstUse: true, firstUseOfDay: true, newFeatures: ['online-booking', 'reports'] };
    expect(told({ news })).toEqual(['FeatureFirstUsed first-use-acc-paris-ct-ines-online-booking']);
    expect(told({ news, guides: { featureGuides: {}, productGuide: 'https://help.example.com/start' } })).toEqual(['FeatureFirstUsed first-use-acc-paris-ct-ines']);
  });

  it('given a use no contact is named for, then no contact news', () => {
    expect(told({ contactId: undefined, news: { firstUse: true, firstUseOfDay: true, newFeatures: ['online-booking'], returnedAfterDays: 40 } })).toEqual([]);
  });

  it('given the account active with no check, then one AccountActive a day, by its id', () => {
    expect(accountActive({ accountId: 'acc-paris', day: '2026-11-16', timestamp: '2026-11-16T10:00:00+01:00' }).data).toEqual({ eventId: 'active-acc-paris-2026-11-16', accountId: 'acc-paris', day: '2026-11-16' });
  });
});
