import { ContractError, describeIssues, formatPath, parseDomainEventMessage } from '../../contracts/index.ts';
import { isoInstant, z } from '../../contracts/zod.ts';
import { olderThanDeliveryMemory } from '../delivery-memory.ts';
import { hmac, sameSignature, verifiedByAny } from '../signatures.ts';
import { WebhookRejected, type InboundRequest, type Translation, type TranslationContext, type Verification, type WebhookVendor } from '../vendor.ts';

/**
 * `POST /webhooks/typeform`: the answers to the CS team's NPS survey, built in Typeform.
 *
 * Signature (https://www.typeform.com/developers/webhooks/secure-your-webhooks/): the webhook's
 * `secret` is the key of an HMAC-SHA256 of the raw body; the header `Typeform-Signature` carries
 * `sha256=` then the digest in base64. Typeform signs no timestamp, so there is no window to check:
 * a captured request replays with a valid signature. What makes a replay harmless is its `event_id`
 * (kept across Typeform's retries): the pipeline publishes a delivery once per `typeform#<event_id>`,
 * and the domain event's `eventId` (`typeform:<event_id>`) is deduplicated again where the answer is
 * recorded (record-nps-response), after the delivery memory has expired.
 *
 * Payload (https://www.typeform.com/developers/webhooks/example-payload/): `{ event_id, event_type,
 * form_response: { form_id, token, submitted_at, landed_at, hidden, definition: { fields }, answers } }`,
 * sent as application/json. Only `event_type` `form_response` (a submitted survey) concerns a playbook.
 *
 * Contract: one `NpsResponseReceived` per submitted answer —
 * - `accountId`, `contactId`: the hidden fields `account_id` and `contact_id`, which the CS team puts
 *   in the survey link (`…/to/<form>#account_id=…&contact_id=…`);
 * - `score`: the `number` answer to the form's NPS question: its `nps` field, else the opinion scale
 *   whose ref is `nps`, else an opinion scale whose definition says 0–10 (`steps` 11, `start_at_one`
 *   false, https://www.typeform.com/developers/create/reference/create-form/). A form without one
 *   (Typeform's own example is a survey about the weather: its opinion scale runs 1–5) is not an NPS
 *   survey: acknowledged and ignored;
 * - `comment`: the first `long_text` or `short_text` answer, if any;
 * - `respondedAt`: `submitted_at` (Typeform sends UTC with `Z`, which is an offset);
 * - `eventId`: `typeform:<event_id>`, and `event_id` is the delivery id.
 * A submitted form without a score (the respondent skipped the question) is ignored with the reason.
 *
 * Replays: an answer submitted longer ago than the ingest remembers deliveries (../delivery-memory.ts,
 * 3 days and 1 hour) is refused with 409, since its delivery's record may have expired and a replay
 * could then start its playbook again.
 */

export const SIGNATURE_HEADER = 'typeform-signature';
const SIGNATURE_PREFIX = 'sha256=';

/** The only event Typeform sends that a playbook reads: a submitted response (not `form_response_partial`). */
const FORM_RESPONSE = 'form_response';
/** The ref a team gives the opinion scale that is its NPS question (Typeform: the question's "ref" in its settings). */
const NPS_REF = 'nps';
/** Field types whose `text` answer is the comment, the first one answered. */
const COMMENT_FIELD_TYPES = ['long_text', 'short_text'];
/** NpsResponseReceived's `comment` limit: a longer one is cut there rather than refused. */
const COMMENT_MAX_LENGTH = 10_000;

const nonEmpty = () => z.string().check(z.minLength(1));

/** Where every Typeform event starts: its id and type, whatever the type. */
const Envelope = z.object({
  event_id: nonEmpty().check(z.maxLength(200)),
  event_type: nonEmpty(),
  form_response: z.unknown(),
});

/** Each field the respondent saw, in the form's order; `properties` says an opinion scale's range. */
const FieldDefinition = z.looseObject({
  id: nonEmpty(),
  type: nonEmpty(),
  ref: z.optional(z.string()),
  properties: z.optional(
    z.looseObject({
      steps: z.optional(z.int()),
      start_at_one: z.optional(z.boolean()),
    }),
  ),
});

/** One answer: `type` says which member holds the value (`number`, `text`, `email`, `choice`…). */
const Answer = z.looseObject({
  type: nonEmpty(),
  field: z.looseObject({ id: nonEmpty(), type: nonEmpty(), ref: z.optional(z.string()) }),
  number: z.optional(z.number()),
  text: z.optional(z.string()),
});

const FormResponse = z.looseObject({
  form_id: nonEmpty(),
  token: nonEmpty(),
  submitted_at: isoInstant(),
  landed_at: z.optional(isoInstant()),
  hidden: z.optional(z.record(z.string(), z.unknown())),
  definition: z.looseObject({ fields: z.array(FieldDefinition) }),
  /** Typeform leaves out what was not answered; a response may carry no answer at all. */
  answers: z.optional(z.array(Answer)),
});

const hiddenField = (name: string) =>
  z
    .string({ error: (issue) => (issue.input === undefined ? `missing: the survey link must carry the hidden field ${name}` : 'expected a string') })
    .check(z.minLength(1, `empty: the survey link must give the hidden field ${name} a value`), z.maxLength(256));

/** The hidden fields the CS team puts in the survey link: who answered, for which account. */
const HiddenFields = z.looseObject({ account_id: hiddenField('account_id'), contact_id: hiddenField('contact_id') });

type FieldDefinition = z.infer<typeof FieldDefinition>;
type Answer = z.infer<typeof Answer>;

export const typeform: WebhookVendor = {
  id: 'typeform',
  name: 'Typeform',
  contentTypes: ['application/json'],
  produces: ['NpsResponseReceived'],
  verify: verifyTypeformSignature,
  translate: translateTypeformEvent,
};

/** `Typeform-Signature: sha256=<base64 HMAC-SHA256(secret, raw body)>`, each active secret tried. */
export function verifyTypeformSignature(request: InboundRequest, secrets: readonly string[]): Verification {
  const received = request.headers[SIGNATURE_HEADER];
  if (typeof received !== 'string' || received === '') {
    return { verified: false, error: 'Missing Typeform-Signature header: give the Typeform webhook a secret so that it signs its requests' };
  }
  if (!received.startsWith(SIGNATURE_PREFIX)) return { verified: false, error: 'Typeform-Signature is not of the form sha256=<base64 digest>' };
  return verifiedByAny(secrets, (secret) => sameSignature(typeformSignature(secret, request.rawBody), received));
}

/** The header value Typeform sends for `body` signed with `secret`. */
export function typeformSignature(secret: string, body: Buffer | string): string {
  return SIGNATURE_PREFIX + hmac('sha256', secret, body, 'base64');
}

export function translateTypeformEvent(request: InboundRequest, { now }: TranslationContext): Translation {
  const envelope = parse(Envelope, JSON.parse(request.rawBody.toString('utf8')), []);
  const deliveryId = envelope.event_id;
  if (envelope.event_type !== FORM_RESPONSE) {
    return { deliveryId, events: [], ignored: [`event_type ${JSON.stringify(envelope.event_type.slice(0, 64))}: only ${FORM_RESPONSE} (a submitted survey) concerns a playbook`] };
  }
  const response = parse(FormResponse, envelope.form_response, ['form_response']);
  const hidden = parse(HiddenFields, response.hidden ?? {}, ['form_response', 'hidden']);
  const answers = response.answers ?? [];

  const scoreField = firstScoreField(response.definition.fields);
  if (!scoreField) {
    return { deliveryId, events: [], ignored: [`form ${response.form_id} has no NPS question (an nps field, an opinion scale with ref "${NPS_REF}", or one declared 0–10): not an NPS survey`] };
  }
  const score = scoreOf(scoreField, answers);
  if (score === undefined) {
    return { deliveryId, events: [], ignored: [`response ${response.token} has no answer to the score field ${scoreField.field.id}: nothing to score`] };
  }
  // No signed timestamp, so no window: an answer older than the delivery memory might be a replay whose record expired.
  const tooOld = olderThanDeliveryMemory(new Date(response.submitted_at), now);
  if (tooOld) throw new WebhookRejected(`This Typeform answer cannot be accepted any more: ${tooOld}`, [`form_response.submitted_at: ${tooOld}`], 409);
  const comment = commentOf(answers);
  const event = parseDomainEventMessage({
    type: 'NpsResponseReceived',
    timestamp: response.submitted_at,
    data: {
      eventId: `typeform:${deliveryId}`,
      accountId: hidden.account_id,
      contactId: hidden.contact_id,
      score,
      ...(comment.text !== undefined ? { comment: comment.text } : {}),
      respondedAt: response.submitted_at,
    },
  });
  return { deliveryId, events: [event], ...(comment.truncated ? { ignored: [`comment cut to ${COMMENT_MAX_LENGTH} characters`] } : {}) };
}

/**
 * The form's NPS question: its `nps` field (Typeform's Net Promoter Score® question, 0–10 by
 * construction); else the opinion scale the team marked with the ref `nps`; else an opinion scale
 * whose definition says 0–10. An opinion scale of another or an unknown range is not a score (a 1–5
 * "how important is…" must never read as a detractor), unless marked `nps`, in which case a range
 * other than 0–10 is the team's mistake: refused (400), naming the field.
 */
function firstScoreField(fields: readonly FieldDefinition[]): { field: FieldDefinition; index: number } | undefined {
  const indexOf = (test: (field: FieldDefinition) => boolean) => fields.findIndex(test);
  const scales = (field: FieldDefinition) => field.type === 'opinion_scale';
  let index = indexOf((field) => field.type === 'nps');
  if (index < 0) index = indexOf((field) => scales(field) && field.ref === NPS_REF);
  if (index < 0) index = indexOf((field) => scales(field) && scaleRange(field) === '0–10');
  if (index < 0) return undefined;
  const field = fields[index]!;
  const range = scaleRange(field);
  if (range !== '0–10' && !(field.ref === NPS_REF && range.startsWith('of an unknown range'))) {
    throw new WebhookRejected(`The score field ${field.id} is not a 0–10 scale, so its answer is not an NPS score`, [
      `form_response.definition.fields[${index}]: ${field.type} ${field.id} (ref ${NPS_REF}) is ${range}; an NPS needs 0–10 (properties.steps 11, properties.start_at_one false)`,
    ]);
  }
  return { field, index };
}

/**
 * The range a score field's definition declares, as `<low>–<high>`. Typeform's NPS question is 0–10
 * by construction; an opinion scale has `steps` (5 to 11) numbered from 0, or from 1 with
 * `start_at_one`, and without both its range is unknown.
 */
function scaleRange(field: FieldDefinition): string {
  const nps = field.type === 'nps';
  const steps = field.properties?.steps ?? (nps ? 11 : undefined);
  const startAtOne = field.properties?.start_at_one ?? (nps ? false : undefined);
  if (steps === undefined || startAtOne === undefined) return 'of an unknown range (its definition gives no properties.steps and properties.start_at_one)';
  const low = startAtOne ? 1 : 0;
  return `${low}–${low + steps - 1}`;
}

/** The `number` answer to the score field, or undefined when the respondent did not answer it. */
function scoreOf({ field }: { field: FieldDefinition }, answers: readonly Answer[]): number | undefined {
  const index = answers.findIndex((answer) => answer.field.id === field.id);
  if (index < 0) return undefined;
  const answer = answers[index]!;
  if (answer.type !== 'number' || answer.number === undefined) {
    throw new WebhookRejected('The answer to the score field is not a number', [`form_response.answers[${index}].type: the answer to ${field.id} is not of type number`]);
  }
  if (!Number.isInteger(answer.number) || answer.number < 0 || answer.number > 10) {
    throw new WebhookRejected('The score is not an integer from 0 to 10', [`form_response.answers[${index}].number: expected an integer from 0 to 10`]);
  }
  return answer.number;
}

/** The first long_text or short_text answer, trimmed; cut at the contract's limit rather than refused. */
function commentOf(answers: readonly Answer[]): { text?: string; truncated?: boolean } {
  const answer = answers.find((candidate) => COMMENT_FIELD_TYPES.includes(candidate.field.type) && candidate.type === 'text' && candidate.text !== undefined);
  const text = answer?.text?.trim();
  if (!text) return {};
  return text.length > COMMENT_MAX_LENGTH ? { text: text.slice(0, COMMENT_MAX_LENGTH), truncated: true } : { text };
}

/** Parse or refuse naming every bad field by its JSON path in Typeform's body. */
function parse<S extends z.ZodMiniType>(schema: S, value: unknown, path: readonly PropertyKey[]): z.infer<S> {
  const result = schema.safeParse(value);
  if (!result.success) throw new ContractError(path.length > 0 ? `Typeform ${formatPath(path)}` : 'Typeform event', describeIssues(result.error, path));
  return result.data;
}
