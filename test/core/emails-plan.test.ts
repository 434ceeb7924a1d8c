import { describe, expect, it } from 'vitest';
import { resolveSettings } from '../../functions/contracts/index.ts';
import { modeOf, planEmail, preparedOutput, recipientOf, reviewRequestAllowed, reviewRequestCutoff, signatureOf } from '../../functions/core/emails/plan.ts';

// The e-mails a playbook sends by itself (docs/playbooks.md: nps-response's review request, no-contact's proposal).

const contacts = [
  { id: 'ct-user', email: 'sam.user@example.com', name: 'Sam User', role: 'user' as const },
  { id: 'ct-sponsor', email: 'dana.sponsor@example.com', name: 'Dana Sponsor', role: 'sponsor' as const },
];
const account = { name: 'Salon Exemple', contacts, csmName: 'Camille Martin' };
const reviews = resolveSettings({ nps: { reviewUrl: 'https://reviews.example.com/cs' } });
const NOW = new Date('2027-03-31T10:00:00Z');

describe('the review request’s frequency cap: once per contact per 12 months (seed 002 §13)', () => {
  it('given no request on file, then one is allowed', () => {
    expect(reviewRequestAllowed(undefined, NOW, 12)).toBe(true);
  });

  it('given a request 11 months ago, then none; given one 12 months ago to the day, then one', () => {
    expect(reviewRequestAllowed('2026-04-30T10:00:00.000Z', NOW, 12)).toBe(false);
    expect(reviewRequestAllowed('2026-03-31T10:00:00.000Z', NOW, 12)).toBe(true);
    expect(reviewRequestAllowed('2026-03-31T10:00:01.000Z', NOW, 12)).toBe(false);
  });

  it('given the 31st and a shorter month back, then the cutoff is that month’s last day', () => {
    expect(reviewRequestCutoff(NOW, 1)).toBe('2027-02-28T10:00:00.000Z');
    expect(reviewRequestCutoff(new Date('2028-03-31T10:00:00Z'), 1)).toBe('2028-02-29T10:00:00.000Z');
    expect(reviewRequestCutoff(NOW, 12)).toBe('2026-03-31T10:00:00.000Z');
  });
});

describe('who an e-mail is for', () => {
  it('given a review request, then the respondent; given a respondent not on file, then nobody', () => {
    expect(recipientOf('review-request', account, 'ct-user')?.id).toBe('ct-user');
    expect(recipientOf('review-request', account, 'ct-gone')).toBeUndefined();
  });

  it('given a no-contact proposal and no champion on file, then the sponsor', () => {
    expect(recipientOf('no-contact-proposal', account)?.id).toBe('ct-sponsor');
  });
});

describe('how an e-mail goes out', () => {
  it('given the defaults, then both e-mails go out automatically; each has its own setting for approval mode', () => {
    const defaults = resolveSettings();
    expect([modeOf('review-request', defaults), modeOf('no-contact-proposal', defaults)]).toEqual(['auto', 'auto']);
    const approval = resolveSettings({ nps: { reviewRequestMode: 'approval' } });
    expect([modeOf('review-request', approval), modeOf('no-contact-proposal', approval)]).toEqual(['approval', 'auto']);
  });

  it('given a CSM name on the account, then they sign; otherwise the team signature', () => {
    expect(signatureOf(account, reviews)).toBe('Camille Martin');
    expect(signatureOf({}, reviews)).toBe('Customer Success');
  });

  it('given a promoter and a review page, then send a review-request naming the site and the page, signed by the CSM', () => {
    expect(planEmail({ template: 'review-request', account, contactId: 'ct-user', settings: reviews, now: NOW })).toEqual({
      action: 'send',
      recipient: contacts[0],
      message: { template: 'review-request', variables: { contactName: 'Sam User', csmName: 'Camille Martin', reviewSite: 'G2', reviewUrl: 'https://reviews.example.com/cs' } },
    });
  });

  it('given no review page configured, then skip: not-configured', () => {
    expect(planEmail({ template: 'review-request', account, contactId: 'ct-user', settings: resolveSettings(), now: NOW })).toEqual({ action: 'skip', why: 'not-configured' });
  });

  it('given a request to that contact 3 months ago, then skip: frequency-cap', () => {
    expect(planEmail({ template: 'review-request', account, contactId: 'ct-user', settings: reviews, lastRequestedAt: '2026-12-31T10:00:00.000Z', now: NOW })).toEqual({
      action: 'skip',
      why: 'frequency-cap',
    });
  });

  it('given approval mode for the no-contact proposal, then ask for approval, with the account’s name in the message', () => {
    const settings = resolveSettings({ noContact: { noContactEmailMode: 'approval' } });
    expect(planEmail({ template: 'no-contact-proposal', account, settings, now: NOW })).toMatchObject({
      action: 'ask-approval',
      message: { template: 'no-contact-proposal', variables: { contactName: 'Dana Sponsor', accountName: 'Salon Exemple', csmName: 'Camille Martin' } },
    });
  });

  it('given nobody to write to, then skip: no-recipient', () => {
    expect(planEmail({ template: 'no-contact-proposal', account: { ...account, contacts: [contacts[0]!] }, settings: reviews, now: NOW })).toEqual({ action: 'skip', why: 'no-recipient' });
  });
});

describe('what the playbook’s state carries of a prepared e-mail: ids and decisions only', () => {
  const draft = {
    id: 'eml-00000000000000000001',
    accountId: 'acc-1',
    template: 'no-contact-proposal' as const,
    contactId: 'ct-sponsor',
    language: 'fr' as const,
    action: 'ask-approval' as const,
    unlessTouchpointSince: '2027-03-31T10:00:00Z',
    to: 'dana.sponsor@example.com',
    subject: 'Prenons un moment pour échanger ?',
    text: 'Bonjour Dana Sponsor, …',
  };

  it('given a draft, then its id, its decision, its template, contact and language, and since when a touchpoint ends it; never the address, subject or text', () => {
    const output = preparedOutput(draft);
    expect(output).toEqual({ emailId: draft.id, action: 'ask-approval', template: 'no-contact-proposal', contactId: 'ct-sponsor', language: 'fr', unlessTouchpointSince: '2027-03-31T10:00:00Z' });
    for (const value of [draft.to, draft.subject, draft.text]) expect(JSON.stringify(output)).not.toContain(value);
  });

  it('given an e-mail recorded without a decision (queued before drafts were), then send', () => {
    const { action: _action, unlessTouchpointSince: _since, ...queued } = draft;
    expect(preparedOutput(queued)).toEqual({ emailId: draft.id, action: 'send', template: 'no-contact-proposal', contactId: 'ct-sponsor', language: 'fr' });
  });
});

describe('the usage e-mails (docs/playbooks.md, product usage)', () => {
  it('given a high-touch drop, then the check-in goes to the champion (else the sponsor), in its own mode; a nudge and a guide go out on their own', () => {
    expect(recipientOf('usage-check-in', account)?.id).toBe('ct-sponsor');
    const approval = resolveSettings({ usage: { checkInEmailMode: 'approval', welcomeBackEmailMode: 'approval' } });
    expect(['usage-check-in', 'welcome-back', 'champion-nudge', 'feature-guide'].map((template) => modeOf(template as never, approval))).toEqual(['approval', 'approval', 'auto', 'auto']);
  });

  it('given a feature without a guide, then no feature-guide; given one, then its link, to the contact who used it', () => {
    const guides = resolveSettings({ usage: { featureGuides: { 'online-booking': 'https://help.example.com/booking' } } });
    expect(planEmail({ template: 'feature-guide', account, contactId: 'ct-user', feature: 'reports', settings: guides, now: NOW })).toEqual({ action: 'skip', why: 'no-guide' });
    expect(planEmail({ template: 'feature-guide', account, contactId: 'ct-user', feature: 'online-booking', settings: guides, now: NOW })).toMatchObject({
      action: 'send',
      recipient: { id: 'ct-user' },
      message: { variables: { featureName: 'online-booking', guideUrl: 'https://help.example.com/booking' } },
    });
  });

  it('given a welcome-back sent 89 days ago, then none; 90 days ago, then one', () => {
    const settings = resolveSettings();
    const ago = (days: number) => new Date(NOW.getTime() - days * 86_400_000).toISOString();
    expect(planEmail({ template: 'welcome-back', account, contactId: 'ct-user', settings, lastRequestedAt: ago(89), now: NOW })).toEqual({ action: 'skip', why: 'frequency-cap' });
    expect(planEmail({ template: 'welcome-back', account, contactId: 'ct-user', settings, lastRequestedAt: ago(90), now: NOW })).toMatchObject({ action: 'send' });
  });
});
