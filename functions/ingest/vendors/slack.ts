import { ButtonAction, DetailSchemas, DetailType, type DomainEventMessage } from '../../contracts/index.ts';
import { THRESHOLD_ALERTS } from '../../contracts/thresholds.ts';
import { addCalendarDays } from '../../core/calendar/business-time.ts';
import { describeIssues, z } from '../../contracts/zod.ts';
import { hmac, verifyTimestamped } from '../signatures.ts';
import { WebhookRejected, type InboundRequest, type Translation, type WebhookVendor } from '../vendor.ts';

/**
 * `POST /webhooks/slack`: the cs-playbooks Slack app's Request URL, for both its interactivity (the
 * buttons on its messages) and its Events API subscription.
 *
 * Signature (https://docs.slack.dev/authentication/verifying-requests-from-slack/):
 * `X-Slack-Signature: v0=<hex HMAC-SHA256(signing secret, "v0:" + X-Slack-Request-Timestamp + ":" + raw body)>`,
 * the timestamp in Unix seconds, refused outside five minutes (replays).
 *
 * Bodies:
 * - interactivity, `application/x-www-form-urlencoded` with one field, `payload`, the JSON of the
 *   interaction (https://docs.slack.dev/interactivity/handling-user-interaction/). Of its types only
 *   `block_actions` (https://docs.slack.dev/reference/interaction-payloads/block_actions-payload/)
 *   concerns a playbook, and of its actions only the buttons cs-playbooks puts on its messages
 *   (functions/contracts/buttons.ts), each with our `action_id` and a JSON `value`:
 *   - `acknowledge_alert` `{ accountId, alertId }` (the ✅ on an alert post) → `AlertAcknowledged`;
 *   - `snooze_alert` `{ accountId, alertId, alertType, days }` (the 💤 on a threshold alert's post) →
 *     `AlertSnoozed` until `days` after the click's UTC date, its reason "snoozed from the alert channel";
 *   - `approve_email` / `reject_email` `{ accountId, approvalId }` → `ApprovalDecided`, `approve` /
 *     `cancel` (the vocabulary of `POST /approvals/<id>`, functions/contracts/approvals.ts).
 *   The event id is `slack:<action_ts>` (the click, to the microsecond), else `slack:<trigger_id>`.
 * - Events API, `application/json` (https://docs.slack.dev/apis/events-api/): `url_verification`
 *   (https://docs.slack.dev/reference/events/url_verification/) is answered 200 `{ challenge }` at once;
 *   `event_callback` deliveries are ignored, with a reason: a `reaction_added` ✅
 *   (https://docs.slack.dev/reference/events/reaction_added/) names the message (channel, ts), not the
 *   alert it is about, so the button is what acknowledges an alert. A redelivery keeps its `event_id`.
 *
 * Slack wants HTTP 200 for an accepted request, within three seconds.
 * Contract followed: the domain events, `eventId` and `accountId` on every detail.
 */

const VERSION = 'v0';

export const slack: WebhookVendor = {
  id: 'slack',
  name: 'Slack',
  contentTypes: ['application/x-www-form-urlencoded', 'application/json'],
  produces: [DetailType.AlertAcknowledged, DetailType.AlertSnoozed, DetailType.ApprovalDecided],
  acceptedStatus: 200,
  verify(request, secrets, now) {
    return verifyTimestamped(
      {
        signatureHeader: 'X-Slack-Signature',
        timestampHeader: 'X-Slack-Request-Timestamp',
        timestampMs: (value) => (/^\d{1,12}$/.test(value) ? Number(value) * 1000 : undefined),
        timestampFormat: 'a Unix time in seconds',
        sign: (secret, timestamp) => signatureOf(secret, timestamp, request.rawBody),
      },
      request.headers,
      secrets,
      now,
    );
  },
  translate(request, { now }) {
    return mediaType(request) === 'application/json' ? eventsApi(parseJson(request.rawBody.toString('utf8'), 'body')) : interactivity(formPayload(request), now);
  },
};

/** `v0=` then the hex HMAC-SHA256 of `v0:<timestamp>:<body>`: what Slack sends in X-Slack-Signature. */
export function signatureOf(secret: string, timestamp: string, rawBody: Buffer | string): string {
  return `${VERSION}=${hmac('sha256', secret, [`${VERSION}:${timestamp}:`, rawBody], 'hex')}`;
}

function mediaType(request: InboundRequest): string {
  return (request.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
}

// ---- Interactivity -------------------------------------------------------------------------------

/** A button carries no words of its own: the reason a snooze from the channel gives. */
const SNOOZED_FROM_SLACK = 'snoozed from the alert channel';

const nonEmpty = () => z.string().check(z.minLength(1));

/** The part of a `block_actions` payload read here (Slack sends much more: team, channel, message…). */
const BlockActions = z.object({
  type: z.literal('block_actions'),
  user: z.object({ id: nonEmpty() }),
  trigger_id: z.optional(nonEmpty()),
  actions: z.array(
    z.object({
      action_id: nonEmpty(),
      value: z.optional(z.string()),
      /** Unix seconds with microseconds, `"1548426417.840180"`. */
      action_ts: z.optional(z.string().check(z.regex(/^\d{1,12}(\.\d{1,6})?$/, 'expected Unix seconds, e.g. "1548426417.840180"'))),
    }),
  ),
});
type BlockAction = z.infer<typeof BlockActions>['actions'][number];

const AlertButton = z.object({ accountId: nonEmpty(), alertId: nonEmpty() });
const ApprovalButton = z.object({ accountId: nonEmpty(), approvalId: nonEmpty() });
const SnoozeButton = z.object({ accountId: nonEmpty(), alertId: nonEmpty(), alertType: z.enum(THRESHOLD_ALERTS), days: z.string().check(z.regex(/^[1-9]\d{0,2}$/, 'expected a number of days, 1 to 999')) });

/** `payload=<url-encoded JSON>`: the interaction, parsed. */
function formPayload(request: InboundRequest): unknown {
  const payload = new URLSearchParams(request.rawBody.toString('utf8')).get('payload');
  if (payload === null) throw new WebhookRejected('Slack interactivity sends a form with a payload field; it is missing', ['payload: missing']);
  return parseJson(payload, 'payload');
}

function interactivity(payload: unknown, now: Date): Translation {
  const kind = z.object({ type: nonEmpty() }).safeParse(payload);
  if (!kind.success) throw rejected('Slack interaction', kind.error, ['payload']);
  if (kind.data.type !== 'block_actions') {
    // Nothing is published, so the id only has to be the interaction's own where Slack gives one.
    const trigger = (payload as { trigger_id?: unknown }).trigger_id;
    return { deliveryId: `slack:${typeof trigger === 'string' && trigger ? trigger : kind.data.type}`, events: [], ignored: [`payload.type ${kind.data.type}: only block_actions (button clicks) concern a playbook`] };
  }
  const parsed = BlockActions.safeParse(payload);
  if (!parsed.success) throw rejected('Slack block_actions payload', parsed.error, ['payload']);
  const { user, trigger_id: triggerId, actions } = parsed.data;

  const events: DomainEventMessage[] = [];
  const ignored: string[] = [];
  actions.forEach((action, index) => {
    const path = `payload.actions[${index}]`;
    const eventId = clickId(action, triggerId, path);
    const at = action.action_ts ? instantOf(action.action_ts) : now.toISOString();
    switch (action.action_id) {
      case ButtonAction.acknowledgeAlert: {
        const { accountId, alertId } = buttonValue(action, AlertButton, path);
        events.push(message(DetailType.AlertAcknowledged, at, { eventId, accountId, alertId, by: user.id, at }, path));
        break;
      }
      case ButtonAction.snoozeAlert: {
        const { accountId, alertId, alertType, days } = buttonValue(action, SnoozeButton, path);
        const until = addCalendarDays(at.slice(0, 10), Number(days));
        events.push(message(DetailType.AlertSnoozed, at, { eventId, accountId, alertType, until, alertId, reason: SNOOZED_FROM_SLACK, by: user.id, at }, path));
        break;
      }
      case ButtonAction.approveEmail:
      case ButtonAction.rejectEmail: {
        const { accountId, approvalId } = buttonValue(action, ApprovalButton, path);
        const decision = action.action_id === ButtonAction.approveEmail ? 'approve' : 'cancel';
        events.push(message(DetailType.ApprovalDecided, at, { eventId, accountId, approvalId, decision, decidedBy: user.id, at }, path));
        break;
      }
      default:
        ignored.push(`${path}.action_id ${JSON.stringify(action.action_id)}: not a cs-playbooks button`);
    }
  });
  const deliveryId = events[0]?.data.eventId ?? clickId(actions[0], triggerId, 'payload.actions.0');
  return { deliveryId, events, ...(ignored.length > 0 ? { ignored } : {}) };
}

/** The click's id: its `action_ts`, unique to the microsecond, else the interaction's `trigger_id`. */
function clickId(action: BlockAction | undefined, triggerId: string | undefined, path: string): string {
  const id = action?.action_ts ?? triggerId;
  if (!id) throw new WebhookRejected('Slack block_actions payload has neither an action_ts nor a trigger_id', [`${path}.action_ts: missing`, 'payload.trigger_id: missing']);
  return `slack:${id}`;
}

/** `"1548426417.840180"` (Unix seconds) as an ISO instant, to the millisecond. */
function instantOf(actionTs: string): string {
  return new Date(Math.floor(Number(actionTs) * 1000)).toISOString();
}

/** A button's `value`: the JSON cs-playbooks put there when it posted the message. */
function buttonValue<S extends z.ZodMiniType>(action: BlockAction, schema: S, path: string): z.infer<S> {
  if (action.value === undefined) throw new WebhookRejected(`The ${action.action_id} button carries no value`, [`${path}.value: missing`]);
  const parsed = schema.safeParse(parseJson(action.value, `${path}.value`));
  if (!parsed.success) throw rejected(`The ${action.action_id} button's value`, parsed.error, [`${path}.value`]);
  return parsed.data;
}

// ---- Events API ----------------------------------------------------------------------------------

const EventsApiBody = z.object({ type: nonEmpty() });
const UrlVerification = z.object({ type: z.literal('url_verification'), challenge: nonEmpty() });
const EventCallback = z.object({
  type: z.literal('event_callback'),
  event_id: nonEmpty(),
  event: z.object({ type: nonEmpty(), reaction: z.optional(z.string()) }),
});

function eventsApi(body: unknown): Translation {
  const kind = EventsApiBody.safeParse(body);
  if (!kind.success) throw rejected('Slack Events API request', kind.error);
  switch (kind.data.type) {
    case 'url_verification': {
      const handshake = UrlVerification.safeParse(body);
      if (!handshake.success) throw rejected('Slack url_verification', handshake.error);
      return { reply: { statusCode: 200, body: { challenge: handshake.data.challenge } } };
    }
    case 'event_callback': {
      const callback = EventCallback.safeParse(body);
      if (!callback.success) throw rejected('Slack event_callback', callback.error);
      const { event_id: eventId, event } = callback.data;
      const reason =
        event.type === 'reaction_added' && event.reaction === 'white_check_mark'
          ? 'event.reaction_added white_check_mark: the reaction names a message (channel, ts), not its alert; the ✅ button acknowledges an alert'
          : `event.type ${event.type}: no playbook reads it`;
      return { deliveryId: `slack:${eventId}`, events: [], ignored: [reason] };
    }
    default:
      return { deliveryId: `slack:${kind.data.type}`, events: [], ignored: [`type ${kind.data.type}: no playbook reads it`] };
  }
}

// ---- Shared --------------------------------------------------------------------------------------

/** JSON.parse whose error names the field and never quotes the text (it may hold a customer's words). */
function parseJson(text: string, field: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new WebhookRejected(`${field} is not valid JSON`, [`${field}: not valid JSON`]);
  }
}

/** A domain event, its detail validated: a bad mapping is a 400 naming the field, never a bad event on the bus. */
function message<T extends 'AlertAcknowledged' | 'AlertSnoozed' | 'ApprovalDecided'>(type: T, timestamp: string, data: unknown, path: string): DomainEventMessage {
  const detail = DetailSchemas[type].safeParse(data);
  if (!detail.success) throw rejected(`${type} from ${path}`, detail.error, [`${path}.value`]);
  return { type, timestamp, data: detail.data } as DomainEventMessage;
}

function rejected(what: string, error: z.core.$ZodError, prefix: readonly string[] = []): WebhookRejected {
  const details = describeIssues(error, prefix);
  return new WebhookRejected(`${what} is invalid: ${details.join('; ')}`, details);
}
