import { describe, expect, it } from 'vitest';
import { EMAIL_TEMPLATE_IDS, EmailTemplateError, renderEmail, type EmailLanguage, type EmailMessage } from '../../functions/core/emails/templates.ts';

// The fr/en templates the Mailer sends (functions/core/emails/templates.ts): pure, no clock.

const messages: Record<EmailMessage['template'], EmailMessage> = {
  'no-contact-proposal': {
    template: 'no-contact-proposal',
    variables: { contactName: 'Camille', accountName: 'Salon Exemple', csmName: 'Alex Martin' },
  },
  'review-request': {
    template: 'review-request',
    variables: { contactName: 'Camille', csmName: 'Alex Martin', reviewSite: 'G2', reviewUrl: 'https://reviews.example.com/cs' },
  },
  'first-reply': { template: 'first-reply', variables: { contactName: 'Camille', csmName: 'Alex Martin' } },
  'usage-check-in': { template: 'usage-check-in', variables: { contactName: 'Camille', accountName: 'Salon Exemple', csmName: 'Alex Martin' } },
  'champion-nudge': { template: 'champion-nudge', variables: { contactName: 'Camille', csmName: 'Alex Martin' } },
  'welcome-back': { template: 'welcome-back', variables: { contactName: 'Camille', csmName: 'Alex Martin' } },
  'feature-guide': { template: 'feature-guide', variables: { contactName: 'Camille', csmName: 'Alex Martin', featureName: 'Agenda', guideUrl: 'https://help.example.com/agenda' } },
  'at-risk': { template: 'at-risk', variables: { contactName: 'Camille', accountName: 'Salon Exemple', csmName: 'Alex Martin' } },
};
const LANGUAGES: EmailLanguage[] = ['fr', 'en'];

describe('e-mail templates', () => {
  it.each(EMAIL_TEMPLATE_IDS.flatMap((id) => LANGUAGES.map((language) => [id, language] as const)))(
    'given the %s template in %s, when it is rendered, then it greets the contact, is signed by the CSM and has a subject',
    (id, language) => {
      const { subject, text } = renderEmail(messages[id], language);

      expect(subject.length).toBeGreaterThan(0);
      expect(text.split('\n')[0]).toBe(`${language === 'fr' ? 'Bonjour' : 'Hello'} Camille,`);
      expect(text.endsWith('\nAlex Martin')).toBe(true);
    },
  );

  it.each(EMAIL_TEMPLATE_IDS.flatMap((id) => LANGUAGES.map((language) => [id, language] as const)))(
    'given the %s template in %s, then it names no date, no deadline and makes no promise (seed 000: never a resolution date)',
    (id, language) => {
      const { subject, text } = renderEmail(messages[id], language);
      // The template's own wording: the variables (a site named G2, a link) are the caller's.
      const wording = Object.values(messages[id].variables).reduce((rest: string, value: string) => rest.replaceAll(value, ''), `${subject}\n${text}`);

      expect(wording).not.toMatch(/\d/);
      const days = /lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche|monday|tuesday|wednesday|thursday|friday|saturday|sunday/i;
      const months = /janvier|février|mars|avril|juin|juillet|août|septembre|octobre|novembre|décembre|january|february|march|april|june|july|august|september|october|november|december/i;
      const promises = /promet|promis|garanti|d’ici|sous \w+ jours|résolu|corrigé|promise|guarantee|by tomorrow|within|will be (fixed|resolved)|resolved/i;
      expect(wording).not.toMatch(days);
      expect(wording).not.toMatch(months);
      expect(wording).not.toMatch(promises);
    },
  );

  it.each(LANGUAGES)('given the no-contact proposal in %s, when it is rendered, then it names no date and promises nothing: the contact picks the moment', (language) => {
    const { subject, text } = renderEmail(messages['no-contact-proposal'], language);

    expect(`${subject}\n${text}`).not.toMatch(/\d/);
    expect(`${subject}\n${text}`).not.toMatch(/promet|promis|garanti|promise|guarantee|demain|tomorrow|lundi|monday|semaine|week/i);
    expect(text).toMatch(language === 'fr' ? /quand vous êtes disponible/ : /when you are available/);
  });

  it.each(LANGUAGES)('given the first reply in %s, when it is rendered, then it thanks, apologises and asks when to talk, with no resolution date', (language) => {
    const { text } = renderEmail(messages['first-reply'], language);

    expect(text).toMatch(language === 'fr' ? /Merci.*désolé.*quand seriez-vous disponible/s : /Thank you.*sorry.*when would you be available/s);
    expect(text).not.toMatch(/\d/);
  });

  it('given the review request, when it is rendered, then it carries the review link', () => {
    expect(renderEmail(messages['review-request'], 'en').text).toContain('\nhttps://reviews.example.com/cs\n');
  });

  it('given an empty variable, when a template is rendered, then it is refused rather than sent with a blank', () => {
    expect(() => renderEmail({ template: 'first-reply', variables: { contactName: ' ', csmName: 'Alex Martin' } }, 'fr')).toThrow(EmailTemplateError);
  });

  it('given a variable spanning lines, when a template is rendered, then it is refused', () => {
    expect(() => renderEmail({ template: 'first-reply', variables: { contactName: 'Camille\nBcc: x', csmName: 'Alex' } }, 'en')).toThrow(/single line/);
  });
});
