/**
 * The e-mails the playbooks send, in French and English: a pure function from a template id, a
 * language and the template's variables to a subject and a plain-text body. No clock, no I/O.
 *
 * - `no-contact-proposal` (no-contact, seeds 002 §11 and 004): proposes an exchange to the champion.
 *   It names no date and promises nothing: the contact chooses the moment.
 * - `review-request` (nps-response, promoter, seed 002 §13): asks for a G2 / Capterra review.
 * - `first-reply` (client-feedback, seed 000 step 5): thanks, apologises and asks when to talk,
 *   never a resolution date. The CSM sends it (it rides on the `first-reply` task).
 *
 * Variables are the only personal data in a message; they are rendered, never logged.
 */

export type EmailLanguage = 'fr' | 'en';

export interface NoContactProposalVariables {
  /** How the contact is greeted, e.g. their first name. */
  contactName: string;
  accountName: string;
  csmName: string;
}

export interface ReviewRequestVariables {
  contactName: string;
  csmName: string;
  /** `G2`, `Capterra`… */
  reviewSite: string;
  reviewUrl: string;
}

export interface FirstReplyVariables {
  contactName: string;
  csmName: string;
}

/** A template and its variables: the compiler checks that each template gets the variables it needs. */
export type EmailMessage =
  | { template: 'no-contact-proposal'; variables: NoContactProposalVariables }
  | { template: 'review-request'; variables: ReviewRequestVariables }
  | { template: 'first-reply'; variables: FirstReplyVariables };

export type EmailTemplateId = EmailMessage['template'];

export const EMAIL_TEMPLATE_IDS: readonly EmailTemplateId[] = ['no-contact-proposal', 'review-request', 'first-reply'];

export interface RenderedEmail {
  subject: string;
  text: string;
}

type Variables<T extends EmailTemplateId> = Extract<EmailMessage, { template: T }>['variables'];
type Template<T extends EmailTemplateId> = Record<EmailLanguage, (v: Variables<T>) => RenderedEmail>;

const TEMPLATES: { [T in EmailTemplateId]: Template<T> } = {
  'no-contact-proposal': {
    fr: (v) => ({
      subject: 'Prenons un moment pour échanger ?',
      text: [
        `Bonjour ${v.contactName},`,
        '',
        `Cela fait quelque temps que nous n’avons pas échangé, et j’aimerais prendre de vos nouvelles : comment les choses se passent-elles chez ${v.accountName} ? Y a-t-il des sujets sur lesquels je peux vous aider ?`,
        '',
        'Je vous propose un court échange, au moment qui vous convient : dites-moi simplement quand vous êtes disponible, ou répondez directement à ce message.',
        '',
        'Bien cordialement,',
        v.csmName,
      ].join('\n'),
    }),
    en: (v) => ({
      subject: 'Shall we catch up?',
      text: [
        `Hello ${v.contactName},`,
        '',
        `It has been a while since we last spoke, and I would like to hear how things are going at ${v.accountName}. Is there anything I can help you with?`,
        '',
        'I suggest a short conversation, whenever suits you: just tell me when you are available, or simply reply to this message.',
        '',
        'Kind regards,',
        v.csmName,
      ].join('\n'),
    }),
  },
  'review-request': {
    fr: (v) => ({
      subject: 'Votre avis compte pour nous',
      text: [
        `Bonjour ${v.contactName},`,
        '',
        'Merci pour votre retour très positif, il fait plaisir à toute l’équipe !',
        '',
        `Si vous avez quelques minutes, partager votre expérience sur ${v.reviewSite} aiderait d’autres professionnels à nous découvrir :`,
        v.reviewUrl,
        '',
        'Merci d’avance,',
        v.csmName,
      ].join('\n'),
    }),
    en: (v) => ({
      subject: 'Your opinion matters to us',
      text: [
        `Hello ${v.contactName},`,
        '',
        'Thank you for your very positive feedback, the whole team appreciates it!',
        '',
        `If you have a few minutes, sharing your experience on ${v.reviewSite} would help other professionals discover us:`,
        v.reviewUrl,
        '',
        'Thank you in advance,',
        v.csmName,
      ].join('\n'),
    }),
  },
  'first-reply': {
    fr: (v) => ({
      subject: 'Merci pour votre message',
      text: [
        `Bonjour ${v.contactName},`,
        '',
        'Merci d’avoir pris le temps de nous écrire. Je suis sincèrement désolé·e pour les difficultés que vous rencontrez.',
        '',
        'Je souhaite bien comprendre la situation avec vous : quand seriez-vous disponible pour en parler ?',
        '',
        'Bien cordialement,',
        v.csmName,
      ].join('\n'),
    }),
    en: (v) => ({
      subject: 'Thank you for your message',
      text: [
        `Hello ${v.contactName},`,
        '',
        'Thank you for taking the time to write to us. I am sincerely sorry for the trouble you are experiencing.',
        '',
        'I would like to understand the situation fully with you: when would you be available to talk?',
        '',
        'Kind regards,',
        v.csmName,
      ].join('\n'),
    }),
  },
};

export class EmailTemplateError extends Error {
  override readonly name = 'EmailTemplateError';
}

/** Subject and text of a template in a language. Every variable must be a non-empty single line. */
export function renderEmail(message: EmailMessage, language: EmailLanguage): RenderedEmail {
  for (const [name, value] of Object.entries(message.variables) as [string, unknown][]) {
    if (typeof value !== 'string' || value.trim().length === 0) {
      throw new EmailTemplateError(`${message.template}: variable ${name} is missing or empty`);
    }
    if (/[\r\n]/.test(value)) throw new EmailTemplateError(`${message.template}: variable ${name} must be a single line`);
  }
  const template = TEMPLATES[message.template] as Template<EmailTemplateId>;
  const render = template[language] as (v: EmailMessage['variables']) => RenderedEmail;
  return render(message.variables);
}
