import type { WebhookVendor } from '../vendor.ts';
import { hubspot } from './hubspot.ts';
import { segment } from './segment.ts';
import { slack } from './slack.ts';
import { standardWebhooks } from './standard-webhooks.ts';
import { typeform } from './typeform.ts';
import { zendesk } from './zendesk.ts';

/** Every vendor the ingest accepts, by path segment (`POST /webhooks/<id>`). */
export const VENDORS: Readonly<Record<string, WebhookVendor>> = Object.fromEntries([standardWebhooks, typeform, hubspot, zendesk, slack, segment].map((vendor) => [vendor.id, vendor]));

export const VENDOR_IDS = Object.keys(VENDORS);
