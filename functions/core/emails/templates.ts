/**
 * The e-mails the playbooks send, in French and English: a pure function from a template id, a
 * language and the template's variables to a subject and a plain-text body. No clock, no I/O.
 *
 * - `no-contact-proposal` (no-contact, seeds 002 §11 and 004): proposes an exchange to the champion.
 *   It names no date and promises nothing: the contact chooses the moment.
 * - `review-request` (nps-response, promoter, seed 002 §13): asks for a G2 / Capterra review.
 * - `first-reply` (client-feedback, seed 000 step 5): thanks, apologises and asks when to talk,
 *   never a resolution date. The CSM sends it (it rides on the `first-reply` task).
 * - `usage-check-in` (usage-check, high-touch account drop, seed 002 §6): asks the champion how things
 *   go with the product and offers a moment to talk.
 * - `champion-nudge` (usage-check, low-touch champion drop, seed 002 §7): a light word to a key contact
 *   who stopped using the product while their team goes on.
 * - `welcome-back` (welcome-back, seed 002 §8): welcomes a returning contact and invites them to a
 *   short refresher session.
 * - `feature-guide` (feature-guide, seed 002 §9): the guide of the feature a contact just used for the
 *   first time, or the getting-started guide at their first use of the product.
 * - `at-risk` (at-risk, seed 004): the champion of a low-touch account whose health fell hears from their
 *   CSM, who asks how things go and offers a moment to talk. It never says "score" nor "risk".
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

export interface UsageCheckInVariables {
  contactName: string;
  accountName: string;
  csmName: string;
}

export interface GreetingVariables {
  contactName: string;
  csmName: string;
}

export interface FeatureGuideVariables {
  contactName: string;
  csmName: string;
  /** The feature's name as the product calls it; none: the product's getting-started guide. */
  featureName?: string;
  guideUrl: string;
}

/** A template and its variables: the compiler checks that each template gets the variables it needs. */
export type EmailMessage =
  | { template: 'no-contact-proposal'; variables: NoContactProposalVariables }
  | { template: 'review-request'; variables: ReviewRequestVariables }
  | { template: 'first-reply'; variables: FirstReplyVariables }
  | { template: 'usage-check-in'; variables: UsageCheckInVariables }
  | { template: 'champion-nudge'; variables: GreetingVariables }
  | { template: 'welcome-back'; variables: GreetingVariables }
  | { template: 'feature-guide'; variables: FeatureGuideVariables }
  | { template: 'at-risk'; variables: UsageCheckInVariables };

export type EmailTemplateId = EmailMessage['template'];

export const EMAIL_TEMPLATE_IDS: readonly EmailTemplateId[] = ['no-contact-proposal', 'review-request', 'first-reply', 'usage-check-in', 'champion-nudge', 'welcome-back', 'feature-guide', 'at-risk'];

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
  'usage-check-in': {
    fr: (v) => ({
      subject: `Comment se passe l’utilisation chez ${v.accountName} ?`,
      text: [
        `Bonjour ${v.contactName},`,
        '',
        `J’ai l’impression que l’outil sert un peu moins ces derniers temps chez ${v.accountName}, et je voulais simplement prendre de vos nouvelles : y a-t-il quelque chose qui vous freine, ou un besoin qui a changé ?`,
        '',
        'Si vous le souhaitez, faisons un point rapide ensemble : répondez à ce message avec le moment qui vous arrange.',
        '',
        'Bien cordialement,',
        v.csmName,
      ].join('\n'),
    }),
    en: (v) => ({
      subject: `How is the product working out at ${v.accountName}?`,
      text: [
        `Hello ${v.contactName},`,
        '',
        `It looks like the product has been used a little less lately at ${v.accountName}, and I simply wanted to check in: is anything getting in the way, or has a need changed?`,
        '',
        'If you like, let us have a quick chat: reply to this message with a moment that suits you.',
        '',
        'Kind regards,',
        v.csmName,
      ].join('\n'),
    }),
  },
  'champion-nudge': {
    fr: (v) => ({
      subject: 'Un petit coucou',
      text: [
        `Bonjour ${v.contactName},`,
        '',
        'Nous ne vous avons pas vu dans l’outil depuis quelque temps, alors que votre équipe continue de l’utiliser. Tout va bien de votre côté ?',
        '',
        'Si quelque chose vous manque ou vous gêne, répondez simplement à ce message : je serai ravi·e de vous aider.',
        '',
        'Bien cordialement,',
        v.csmName,
      ].join('\n'),
    }),
    en: (v) => ({
      subject: 'Just checking in',
      text: [
        `Hello ${v.contactName},`,
        '',
        'We have not seen you in the product for a while, though your team keeps using it. Is everything fine on your side?',
        '',
        'If something is missing or in your way, just reply to this message: I will be glad to help.',
        '',
        'Kind regards,',
        v.csmName,
      ].join('\n'),
    }),
  },
  'welcome-back': {
    fr: (v) => ({
      subject: 'Ravis de vous revoir !',
      text: [
        `Bonjour ${v.contactName},`,
        '',
        'Content de vous revoir dans l’outil ! Beaucoup de choses ont pu évoluer depuis votre dernière visite.',
        '',
        'Je vous propose une courte session de prise en main pour repartir du bon pied : répondez à ce message et nous trouverons un moment qui vous convient.',
        '',
        'Bien cordialement,',
        v.csmName,
      ].join('\n'),
    }),
    en: (v) => ({
      subject: 'Good to see you again!',
      text: [
        `Hello ${v.contactName},`,
        '',
        'Good to see you back in the product! Quite a few things may have changed since your last visit.',
        '',
        'I suggest a short refresher session to get you going again: reply to this message and we will find a moment that suits you.',
        '',
        'Kind regards,',
        v.csmName,
      ].join('\n'),
    }),
  },
  'feature-guide': {
    fr: (v) => ({
      subject: v.featureName === undefined ? 'Bien démarrer' : `Bien démarrer avec ${v.featureName}`,
      text: [
        `Bonjour ${v.contactName},`,
        '',
        v.featureName === undefined
          ? 'Bienvenue ! Voici le guide pour bien démarrer et tirer le meilleur de l’outil :'
          : `Vous venez d’utiliser ${v.featureName} pour la première fois. Voici le guide pour en tirer le meilleur :`,
        v.guideUrl,
        '',
        'Une question ? Répondez simplement à ce message.',
        '',
        'Bien cordialement,',
        v.csmName,
      ].join('\n'),
    }),
    en: (v) => ({
      subject: v.featureName === undefined ? 'Getting started' : `Getting started with ${v.featureName}`,
      text: [
        `Hello ${v.contactName},`,
        '',
        v.featureName === undefined
          ? 'Welcome! Here is the guide to get started and make the most of the product:'
          : `You have just used ${v.featureName} for the first time. Here is the guide to make the most of it:`,
        v.guideUrl,
        '',
        'Any question? Just reply to this message.',
        '',
        'Kind regards,',
        v.csmName,
      ].join('\n'),
    }),
  },  'at-risk': {
    fr: (v) => ({
      subject: `Faisons le point, ${v.contactName}`,
      text: [
        `Bonjour ${v.contactName},`,
        '',
        `Je voulais prendre de vos nouvelles et m’assurer que tout se passe bien chez ${v.accountName}. Si quelque chose vous freine ou si vos besoins ont évolué, j’aimerais le savoir.`,
        '',
        'Auriez-vous un moment pour en parler cette semaine ? Répondez simplement à ce message avec le créneau qui vous arrange.',
        '',
        'Bien cordialement,',
        v.csmName,
      ].join('\n'),
    }),
    en: (v) => ({
      subject: `Checking in, ${v.contactName}`,
      text: [
        `Hello ${v.contactName},`,
        '',
        `I wanted to check in and make sure everything is going well at ${v.accountName}. If anything is getting in the way, or your needs have changed, I would like to hear about it.`,
        '',
        'Would you have a moment to talk this week? Just reply to this message with a time that suits you.',
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
