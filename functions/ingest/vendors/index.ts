import type { WebhookVendor } from '../vendor.ts';
import { standardWebhooks } from './standard-webhooks.ts';
import { zendesk } from './zendesk.ts';

/** Every vendor the ingest accepts, by path segment (`POST /webhooks/<id>`). */
export const VENDORS: Readonly<Record<string, WebhookVendor>> = Object.fromEntries([standardWebhooks, zendesk].map((vendor) => [vendor.id, vendor]));

export const VENDOR_IDS = Object.keys(VENDORS);
