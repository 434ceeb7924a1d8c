import { describe, expect, it } from 'vitest';
import { announcements, type UseAnnounced } from '../../functions/core/usage/announcements.ts';

const use = (overrides: Partial<UseAnnounced> = {}): UseAnnounced => ({
  accountId: 'acc-paris',
  contactId: 'ct-ines',
  day: '2026-11-16',
  news: { firstUse: false, firstUseOfDay: false, newFeatures: [] },
  accountActive: false,
  guides: { featureGuides: { 'online-booking': 'https://help.example.com/booking' } },
  timestamp: '2026-11-16T10:00:00+01:00',
  ...overrides,
});
const told = (overrides: Partial<UseAnnounced>) => announcements(use(overrides)).map(({ type, data }) => `${type} ${data.eventId}`);

describe('what a use tells the playbooks', () => {
  it('given a use that changes nothing (a repeat, a day already counted), then nothing: the count is no news', () => {
    expect(told({})).toEqual([]);
  });

  it('given the account used with no usage check live, then AccountActive, once a day by its id', () => {
    expect(told({ accountActive: true, news: { firstUse: false, firstUseOfDay: true, newFeatures: [] } })).toEqual(['AccountActive active-acc-paris-2026-11-16']);
  });

  it('given a contact back after 41 idle days, then ContactReturned for that day', () => {
    const events = announcements(use({ news: { firstUse: false, firstUseOfDay: true, newFeatures: [], returnedAfterDays: 41 } }));
    expect(events).toMatchObject([{ type: 'ContactReturned', data: { eventId: 'returned-acc-paris-ct-ines-2026-11-16', contactId: 'ct-ines', idleDays: 41 } }]);
  });

  it('given first uses of features, then FeatureFirstUsed only for those with a guide, and for the product only with a getting-started guide', () => {
    const news = { firstUse: true, firstUseOfDay: true, newFeatures: ['online-booking', 'reports'] };
    expect(told({ news })).toEqual(['FeatureFirstUsed first-use-acc-paris-ct-ines-online-booking']);
    expect(told({ news, guides: { featureGuides: {}, productGuide: 'https://help.example.com/start' } })).toEqual(['FeatureFirstUsed first-use-acc-paris-ct-ines']);
  });

  it('given a use no contact is named for, then only the account can be told active', () => {
    expect(told({ contactId: undefined, accountActive: true, news: { firstUse: true, firstUseOfDay: true, newFeatures: ['online-booking'], returnedAfterDays: 40 } })).toEqual(['AccountActive active-acc-paris-2026-11-16']);
  });
});
