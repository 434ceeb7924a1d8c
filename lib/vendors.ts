import type { PortName } from '../functions/adapters/ports.ts';
import { z } from '../functions/contracts/zod.ts';
import { accountProperties, MAPPED_FIELDS, type MappedField } from '../functions/ingest/vendors/hubspot-accounts.ts';

/**
 * The vendors a stage mirrors its ledger to. None configured: every port records to the ledger's
 * outbox ("an environment without a CRM or Slack configured still works": ledger and report only).
 *
 * Tokens never appear here: they live in the Secrets Manager secret `secretName` (a JSON object with
 * `SLACK_BOT_TOKEN` and/or `HUBSPOT_ACCESS_TOKEN`), which ops create and rotate at the vendor, so the
 * stack references it rather than creating it. Everything else is plain configuration.
 */
export interface VendorConfig {
  readonly secretName?: string;
  /**
   * The alert channel, and the finance channel refund requests go to (seed 001: finance-support). Both
   * required: a stage that mirrors to Slack must not leave refunds in the ledger's outbox unnoticed.
   */
  readonly slack?: { readonly alertChannel: string; readonly financeChannel: string };
  readonly hubspot?: {
    readonly riskPipeline: string;
    readonly riskStages: { readonly open: string; readonly saved: string; readonly lost: string };
    readonly idProperty?: string;
    readonly companyIdProperty?: string;
    /**
     * Which company property feeds each field of the account record, where it is not the default
     * (functions/ingest/vendors/hubspot-accounts.ts: HubSpot's own `name`, `country`, `timezone`,
     * `hubspot_owner_id` → csmId, `closedate` → signedAt; `cs_<field in snake case>` for the others;
     * csmName: the owner's name). The webhook and `playbooks import --from hubspot` both read it.
     */
    readonly accountProperties?: Readonly<Partial<Record<MappedField, string>>>;
    /** The contact property holding a contact's role (default `hs_buying_role`, HubSpot's "Buying role"); read by the backfill. */
    readonly contactRoleProperty?: string;
  };
  readonly ses?: { readonly fromAddress: string; readonly configurationSet?: string };
  /**
   * Segment's Webhooks destination (functions/ingest/vendors/segment.ts): where a call names its account
   * when its `context.groupId` does not (the trait, then the property, of that name).
   */
  readonly segment?: { readonly accountTrait?: string };
}

const name = () => z.string().check(z.minLength(1));

/**
 * A stage file's `vendors` (stages/<stage>.json), checked when the stage is loaded: the shape of
 * VendorConfig, strict (a misspelt key is an error), and a secret whenever a vendor needs a token.
 * Which property feeds which field is checked further at synth (accountProperties: property names, one
 * field per property).
 */
export const VendorConfigSchema = z
  .strictObject({
    secretName: z.optional(name()),
    slack: z.optional(z.strictObject({ alertChannel: name(), financeChannel: name() })),
    hubspot: z.optional(
      z.strictObject({
        riskPipeline: name(),
        riskStages: z.strictObject({ open: name(), saved: name(), lost: name() }),
        idProperty: z.optional(name()),
        companyIdProperty: z.optional(name()),
        accountProperties: z.optional(z.partial(z.strictObject(Object.fromEntries(MAPPED_FIELDS.map((field) => [field, name()])) as Record<MappedField, ReturnType<typeof name>>))),
        contactRoleProperty: z.optional(name()),
      }),
    ),
    ses: z.optional(z.strictObject({ fromAddress: z.email(), configurationSet: z.optional(name()) })),
    segment: z.optional(z.strictObject({ accountTrait: z.optional(name()) })),
  })
  .check(
    z.refine((vendors) => vendors.secretName !== undefined || (!vendors.slack && !vendors.hubspot), {
      message: 'required when Slack or HubSpot is configured (their tokens live in that secret)',
      path: ['secretName'],
    }),
  );

/** The variables functions/adapters/from-environment.ts reads for the ports a function calls. */
export function vendorEnvironment(vendors: VendorConfig | undefined, ports: readonly PortName[]): Record<string, string> {
  const env: Record<string, string> = {};
  if (!vendors) return env;
  const set = (name: string, value: string | undefined) => {
    if (value !== undefined) env[name] = value;
  };
  if (ports.includes('alerts') && vendors.slack) set('SLACK_ALERT_CHANNEL', vendors.slack.alertChannel);
  // Only on the function that posts refund requests (the finance port): no other one may know the channel.
  if (ports.includes('finance') && vendors.slack) set('SLACK_FINANCE_CHANNEL', vendors.slack.financeChannel);
  if (ports.includes('crm') && vendors.hubspot) {
    set('HUBSPOT_RISK_PIPELINE', vendors.hubspot.riskPipeline);
    set('HUBSPOT_RISK_STAGE_OPEN', vendors.hubspot.riskStages.open);
    set('HUBSPOT_RISK_STAGE_SAVED', vendors.hubspot.riskStages.saved);
    set('HUBSPOT_RISK_STAGE_LOST', vendors.hubspot.riskStages.lost);
    set('HUBSPOT_ID_PROPERTY', vendors.hubspot.idProperty);
    set('HUBSPOT_COMPANY_ID_PROPERTY', vendors.hubspot.companyIdProperty);
  }
  if (ports.includes('mailer') && vendors.ses) {
    set('SES_FROM_ADDRESS', vendors.ses.fromAddress);
    set('SES_CONFIGURATION_SET', vendors.ses.configurationSet);
  }
  if (needsSecret(vendors, ports)) set('VENDOR_SECRET_ID', vendors.secretName);
  return env;
}

/**
 * The ingest function's HubSpot settings (functions/ingest/environment.ts): HubSpot's webhooks name
 * objects only, so the ingest reads them with the token of the stage's vendor secret. Nothing when
 * the stage does not configure HubSpot.
 */
export function ingestVendorEnvironment(vendors: VendorConfig | undefined): Record<string, string> {
  // Segment's account trait is a plain setting: no token, no secret.
  const segment: Record<string, string> = vendors?.segment?.accountTrait ? { SEGMENT_ACCOUNT_TRAIT: vendors.segment.accountTrait } : {};
  if (!vendors?.hubspot) return segment;
  if (!vendors.secretName) throw new Error('vendors.secretName is required when HubSpot is configured (its token lives in that secret)');
  const env: Record<string, string> = { VENDOR_SECRET_ID: vendors.secretName, HUBSPOT_RISK_PIPELINE: vendors.hubspot.riskPipeline };
  if (vendors.hubspot.idProperty !== undefined) env.HUBSPOT_ID_PROPERTY = vendors.hubspot.idProperty;
  if (vendors.hubspot.companyIdProperty !== undefined) env.HUBSPOT_COMPANY_ID_PROPERTY = vendors.hubspot.companyIdProperty;
  if (vendors.hubspot.accountProperties !== undefined) {
    // Checked at synth (an unknown field, two fields on one property), not by the first webhook.
    accountProperties(vendors.hubspot.accountProperties);
    env.HUBSPOT_ACCOUNT_PROPERTIES = JSON.stringify(vendors.hubspot.accountProperties);
  }
  return { ...env, ...segment };
}

/** Slack (alert and finance channels) and HubSpot authenticate with a token from the secret; SES with the function's own role. */
export function needsSecret(vendors: VendorConfig | undefined, ports: readonly PortName[]): boolean {
  if (!vendors) return false;
  const tokenVendors = ((ports.includes('alerts') || ports.includes('finance')) && vendors.slack) || (ports.includes('crm') && vendors.hubspot);
  if (tokenVendors && !vendors.secretName) throw new Error('vendors.secretName is required when Slack or HubSpot is configured (their tokens live in that secret)');
  return Boolean(tokenVendors);
}

/**
 * What SES v2 SendEmail checks the caller's permission on: the sending identity (the From address, or
 * its domain when ops verified the domain; both listed, as either may be the verified one) and, when
 * the stage uses one, the configuration set.
 */
export function sesSendResources(ses: NonNullable<VendorConfig['ses']>, where: { region: string; account: string }): string[] {
  const arn = (resource: string) => `arn:aws:ses:${where.region}:${where.account}:${resource}`;
  const domain = ses.fromAddress.slice(ses.fromAddress.lastIndexOf('@') + 1);
  return [
    arn(`identity/${ses.fromAddress}`),
    arn(`identity/${domain}`),
    ...(ses.configurationSet ? [arn(`configuration-set/${ses.configurationSet}`)] : []),
  ];
}
