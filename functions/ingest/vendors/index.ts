import type { WebhookVendor } from '../vendor.ts';
import { slack } from './slack.ts';
import { standardWebhooks } from './standard-webhooks.ts';

/** Every vendor the ingest accepts, by path segment (`POST /webhooks/<id>`). */
export const VENDORS: Readonly<Record<string, WebhookVendor>> = Object.fromEntries([standardWebhooks, slack].map((vendor) => [vendor.id, vendor]));

export const VENDOR_IDS = Object.keys(VENDORS);
