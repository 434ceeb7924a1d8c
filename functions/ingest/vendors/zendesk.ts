import { parseDomainEventMessage, type DomainEventMessage } from '../../contracts/index.ts';
import { describeIssues, z } from '../../contracts/zod.ts';
import { hmac, verifyTimestamped } from '../signatures.ts';
import { WebhookRejected, type InboundRequest, type Translation, type WebhookVendor } from '../vendor.ts';

/**
 * `POST /webhooks/zendesk`: the helpdesk where the clients' e-mails land (client-feedback's first
 * reply within 24 hours, docs/playbooks.md; the contract's `ClientFeedbackReceived` and `ClientReplySent`).
 *
 * Signature (https://developer.zendesk.com/documentation/webhooks/verifying/): every request carries
 * `X-Zendesk-Webhook-Signature` = base64(HMAC-SHA256(signing secret, `X-Zendesk-Webhook-Signature-Timestamp`
 * + raw body)), the secret's own bytes as the key, no separator. The timestamp is ISO 8601
 * (`2021-03-25T05:09:27Z`, https://developer.zendesk.com/documentation/webhooks/anatomy-of-a-webhook-request/);
 * Zendesk documents it as what the signature covers so a receiver can refuse replays, and we refuse
 * one more than five minutes from our clock (either side).
 *
 * Which webhook: a webhook **connected to two triggers**, each with the JSON body of
 * `samples/zendesk-client-email.template.json` / `samples/zendesk-agent-reply.template.json` (Zendesk's
 * documented placeholders, https://support.zendesk.com/hc/en-us/articles/4408886858138). Zendesk's
 * event-subscription webhooks (`zen:event-type:ticket.comment_added`,
 * https://developer.zendesk.com/api-reference/webhooks/event-types/ticket-events/) have a fixed
 * schema whose ticket carries Zendesk's own numeric `organization_id` and `requester_id`, not the
 * organization's and the requester's external ids, which is where a CS team keeps the CRM's account and
 * contact ids: mapping them would need a Zendesk API call (a token, a lookup, a failure mode) in the
 * ingest. A trigger's body puts `{{ticket.organization.external_id}}` and
 * `{{ticket.requester.external_id}}` in the request itself, and its conditions do the filtering
 * Zendesk does best (ticket created by an end user; public comment by an agent).
 *
 * The key a reply names (client-feedback's wait, functions/core/feedback/first-reply.ts): the ticket,
 * `zendesk-ticket-<id>`. The client's e-mail opens a ticket; the first public agent comment on it is
 * the first reply, whoever writes it. Only the e-mail that opens the ticket starts client-feedback (the
 * client-email trigger fires on "Ticket is Created"): a second message from the client on the same
 * ticket is the same conversation, already owned by the CSM, and Zendesk's own next-reply SLA watches
 * it; a new first-reply task and a second meeting for it would be noise. A new ticket is a new feedback.
 *
 * The delivery id is the comment's id: Zendesk's retries of an invocation, and a re-sent invocation,
 * carry the same comment, so a redelivery publishes nothing new (`eventId` `zendesk:comment-<id>`).
 * The comment's text is the client's words: it goes on the bus (the contract's `text`), never in a
 * log line or an error message (errors name fields and ids only).
 */

/** The trigger body's shape: every placeholder renders as a string (empty when Zendesk has no value). */
const digits = (placeholder: string) => z.string().check(z.regex(/^\d+$/, `must be a Zendesk id: is it empty? The trigger's JSON body must carry ${placeholder}`));

const TriggerBody = z.object({
  /** Which trigger sent it: the body template of each trigger sets it. */
  event: z.enum(['client-email', 'agent-reply']),
  ticket: z.object({
    id: digits('{{ticket.id}}'),
    /** `{{ticket.tags}}`: the ticket's tags, separated by spaces. */
    tags: z.string(),
    /** `{{ticket.updated_at_with_timestamp}}`: when the comment was added (the update that added it). */
    updated_at: z.string().check(z.refine((value) => isInstant(value), 'must be an ISO 8601 time: the trigger\'s JSON body must carry {{ticket.updated_at_with_timestamp}}')),
    /** The CRM's account id, kept as the organization's external id. Empty: not a client account. */
    organization_external_id: z.string(),
    requester_id: digits('{{ticket.requester.id}}'),
    /** The CRM's contact id, kept as the user's external id; may be empty (a sender the CRM lacks). */
    requester_external_id: z.string(),
  }),
  comment: z.object({
    id: digits('{{ticket.latest_comment.id}}'),
    is_public: z.enum(['true', 'false']),
    value: z.string(),
  }),
});
type TriggerBody = z.infer<typeof TriggerBody>;

/** The tag that makes a client's e-mail a suspension request (added by the agent, a macro or a trigger). */
export const SUSPENSION_TAG = 'suspension-request';

/** The key both the feedback (`messageId`) and its replies (`inReplyTo`) carry: the ticket. */
export const ticketKey = (ticketId: string) => `zendesk-ticket-${ticketId}`;

/** `ClientFeedbackReceived.text`'s limit: a longer e-mail is cut, not refused (refusing would lose it). */
const MAX_TEXT = 100_000;

export const zendesk: WebhookVendor = {
  id: 'zendesk',
  name: 'Zendesk',
  contentTypes: ['application/json'],
  produces: ['ClientFeedbackReceived', 'ClientReplySent'],
  verify(request, secrets, now) {
    return verifyTimestamped(
      {
        signatureHeader: 'X-Zendesk-Webhook-Signature',
        timestampHeader: 'X-Zendesk-Webhook-Signature-Timestamp',
        timestampMs: (value) => (isInstant(value) ? Date.parse(value) : undefined),
        timestampFormat: 'an ISO 8601 time',
        sign: (secret, timestamp) => hmac('sha256', secret, [timestamp, request.rawBody], 'base64'),
      },
      request.headers,
      secrets,
      now,
    );
  },
  translate(request) {
    return translateBody(readBody(request));
  },
};

function readBody(request: InboundRequest): TriggerBody {
  const parsed = TriggerBody.safeParse(JSON.parse(request.rawBody.toString('utf8')));
  if (!parsed.success) {
    throw new WebhookRejected('Zendesk request is not the cs-playbooks trigger body (functions/ingest/vendors/samples/zendesk.md)', describeIssues(parsed.error));
  }
  return parsed.data;
}

/** What one trigger invocation means for the playbooks. */
export function translateBody(body: TriggerBody): Translation {
  const { ticket, comment } = body;
  const deliveryId = `comment-${comment.id}`;
  const about = `comment ${comment.id} on ticket ${ticket.id}`;
  if (comment.is_public !== 'true') return { deliveryId, events: [], ignored: [`${about} is an internal note: neither the client's message nor a reply to it`] };
  const accountId = ticket.organization_external_id.trim();
  if (!accountId) {
    return { deliveryId, events: [], ignored: [`${about}: the ticket's organization has no external id, so it is no account the playbooks know (set it to the CRM account id)`] };
  }
  const eventId = `zendesk:${deliveryId}`;
  const at = new Date(ticket.updated_at).toISOString();
  const event = body.event === 'client-email' ? clientEmail(body, { eventId, accountId, at }) : agentReply(body, { eventId, accountId, at });
  return { deliveryId, events: [event] };
}

/** The client's e-mail opened the ticket: client-feedback starts, its first reply due in 24 hours. */
function clientEmail({ ticket, comment }: TriggerBody, { eventId, accountId, at }: { eventId: string; accountId: string; at: string }): DomainEventMessage {
  const tags = ticket.tags.split(/\s+/);
  return parseDomainEventMessage({
    type: 'ClientFeedbackReceived',
    timestamp: at,
    data: {
      eventId,
      accountId,
      // A sender the CRM does not know yet still gets their first reply: the task says to add them.
      contactId: ticket.requester_external_id.trim() || `zendesk-user-${ticket.requester_id}`,
      channel: 'email',
      kind: tags.includes(SUSPENSION_TAG) ? 'suspension-request' : 'dissatisfaction',
      messageId: ticketKey(ticket.id),
      text: comment.value.slice(0, MAX_TEXT),
      receivedAt: at,
    },
  });
}

/** An agent's public comment on the ticket: the first one is the first reply to the client's e-mail. */
function agentReply({ ticket }: TriggerBody, { eventId, accountId, at }: { eventId: string; accountId: string; at: string }): DomainEventMessage {
  return parseDomainEventMessage({ type: 'ClientReplySent', timestamp: at, data: { eventId, accountId, inReplyTo: ticketKey(ticket.id), at } });
}

/** ISO 8601 with a zone, as Zendesk renders its times (`2021-03-25T05:09:27Z`, `2013-12-12T05:35Z`). */
function isInstant(value: string): boolean {
  return /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/.test(value) && Number.isFinite(Date.parse(value));
}
