import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveSettings } from '../../functions/contracts/index.ts';
import { stageConfig, stageNames } from '../../lib/stages.ts';
import { stageSettings } from '../../sandbox/commands/options.ts';

// The stages are files (stages/<stage>.json), checked when a stage is loaded: by `cdk synth -c env=…`
// (bin/app.ts) and by `playbooks … --stage` alike.

/** What each shipped stage held as TypeScript (lib/stages.ts's STAGES) when it moved to its file: the templates are built from these. */
const SHIPPED = {
  dev: {
    name: 'dev',
    settings: {},
    retainData: false,
    logRetentionDays: 7,
    archiveRetentionDays: 7,
    webhookRateLimit: 20,
    // Who may send what to /webhooks/events: the sandbox's senders too (README, "Who may send what").
    webhooks: {
      events: {
        product: ['ProductUsageRecorded', 'CompetitorMeetingDetected', 'ContractSigned', 'BillingStarted', 'CancellationRequested', 'UpsellRequested', 'HardwareOrderRequested'],
        import: ['AccountUpdated'],
        'nps-tool': ['NpsResponseReceived'],
        crm: ['ChurnRiskCreated', 'TouchpointLogged', 'TaskCompleted', 'SaveAttemptConcluded', 'CsmPulseRecorded', 'AlertSnoozed', 'RenewalRecorded'],
        helpdesk: ['ClientFeedbackReceived', 'ClientReplySent', 'SupportTicketUpdated'],
      },
    },
  },
  prod: { name: 'prod', settings: {}, retainData: true, logRetentionDays: 365, archiveRetentionDays: 30, webhookRateLimit: 200 },
  staging: { name: 'staging', settings: {}, retainData: true, logRetentionDays: 30, archiveRetentionDays: 14, webhookRateLimit: 50 },
};

const PROD = { settings: {}, retainData: true, logRetentionDays: 365, archiveRetentionDays: 30, webhookRateLimit: 200 };

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'cs-playbooks-stages-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A stage file `name`.json in the test's own stages folder; JSON unless given as text. */
function stageFile(name: string, content: unknown): string {
  writeFileSync(join(dir, `${name}.json`), typeof content === 'string' ? content : JSON.stringify(content));
  return join(dir, `${name}.json`);
}

function refusal(name: string): string {
  try {
    stageConfig(name, dir);
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error(`stage ${name} was accepted`);
}

describe('given the shipped stage files', () => {
  it('then the stages are dev, prod and staging, one file each in stages/', () => {
    expect(stageNames()).toEqual(['dev', 'prod', 'staging']);
  });

  it.each(Object.entries(SHIPPED))('when %s is loaded, then it validates and holds what its template was built from', (name, expected) => {
    expect(stageConfig(name)).toEqual(expected);
  });

  it.each(Object.keys(SHIPPED))('when the %s settings are resolved, then they are the defaults (no override shipped)', (name) => {
    expect(resolveSettings(stageConfig(name).settings)).toEqual(resolveSettings({}));
  });
});

describe('given a stage file with a bad field', () => {
  it('when loaded, then one line names the file and each bad field by its path', () => {
    const { webhookRateLimit, ...rest } = PROD;
    const file = stageFile('typo', { ...rest, retainData: 'yes', logRetentionDays: 14, webhookRateLimt: webhookRateLimit });

    const message = refusal('typo');

    expect(message).not.toContain('\n');
    expect(message).toBe(
      `${file} is invalid: retainData: Invalid input: expected boolean, received string; logRetentionDays: Invalid option: expected one of 7|30|90|365; ` +
        'webhookRateLimit: Invalid input: expected number, received undefined; Unrecognized key: "webhookRateLimt"',
    );
  });

  it('when a settings override is out of range, misspelt or breaks a rule between fields, then each is named under settings', () => {
    const file = stageFile('settings', { ...PROD, settings: { nps: { detractorCoolDown: 99, escalationAr: 1 }, businessHours: { start: '19:00' } } });

    expect(refusal('settings')).toBe(
      `${file} is invalid: settings.businessHours.end: expected the business day to end after it starts; ` +
        'settings.nps.detractorCoolDown: Too big: expected number to be <=30; settings.nps: Unrecognized key: "escalationAr"',
    );
  });

  it('when its vendors configure Slack without the secret holding the token, then vendors.secretName is named', () => {
    const file = stageFile('slack', { ...PROD, vendors: { slack: { alertChannel: 'C0123ALERTS', financeChannel: 'C0456FINANCE' } } });

    expect(refusal('slack')).toBe(`${file} is invalid: vendors.secretName: required when Slack or HubSpot is configured (their tokens live in that secret)`);
  });

  it('when its HubSpot mapping names a field no company property can feed, then the mapping is named', () => {
    const hubspot = { riskPipeline: 'retention', riskStages: { open: 'o', saved: 's', lost: 'l' }, accountProperties: { segment: 'customer_tier', shoeSize: 'x' } };
    const file = stageFile('mapping', { ...PROD, vendors: { secretName: 'cs-playbooks/prod/vendors', hubspot } });

    expect(refusal('mapping')).toBe(`${file} is invalid: vendors.hubspot.accountProperties: Unrecognized key: "shoeSize"`);
  });

  it('when its archive keeps events longer than the logs, then archiveRetentionDays is named', () => {
    const file = stageFile('archive', { ...PROD, logRetentionDays: 30, archiveRetentionDays: 60 });

    expect(refusal('archive')).toBe(`${file} is invalid: archiveRetentionDays: expected at most logRetentionDays: the archive keeps whole events, never longer than the logs`);
  });

  it('when it is not JSON, then the file is named', () => {
    const file = stageFile('broken', '{ "retainData": true, }');

    expect(refusal('broken')).toMatch(new RegExp(`^${file.replaceAll('.', '\\.')} is not JSON: `));
  });
});

describe('given a new stage file', () => {
  it('when eu-prod.json is added, then eu-prod is a stage, with its vendors and settings', () => {
    const vendors = { secretName: 'cs-playbooks/eu-prod/vendors', ses: { fromAddress: 'success@example.eu' } };
    stageFile('eu-prod', { ...PROD, settings: { calendar: { countries: ['FR', 'DE'] } }, vendors });

    expect(stageNames(dir)).toContain('eu-prod');
    expect(stageConfig('eu-prod', dir)).toEqual({ name: 'eu-prod', ...PROD, settings: { calendar: { countries: ['FR', 'DE'] } }, vendors });
  });

  it('when its name cannot name a stack, then it is refused, saying how stages are named', () => {
    const file = stageFile('EU_prod', PROD);

    expect(refusal('EU_prod')).toBe(`${file}: a stage is named in lower case letters, digits and -, 40 at most, starting with a letter (it names the stack CsPlaybooks-<stage>)`);
  });

  it('when it has no settings, then it overrides none', () => {
    const { settings: _settings, ...rest } = PROD;
    stageFile('plain', rest);

    expect(stageConfig('plain', dir).settings).toEqual({});
  });
});

describe('given a stage that has no file', () => {
  it('when asked for, then the error lists the stage files', () => {
    expect(() => stageConfig('qa')).toThrow(/^Unknown stage "qa": the stages are the files dev\.json, prod\.json, staging\.json in stages\/$/);
  });

  it('when no stage is given, then the error lists the stage files and how to name one', () => {
    expect(() => stageConfig(undefined)).toThrow('No stage given: the stages are the files dev.json, prod.json, staging.json in stages/ (cdk: -c env=<stage>; playbooks: --stage <stage>)');
  });
});

describe('given the sandbox (playbooks simulate or start --stage) loading a stage', () => {
  it('when its file overrides settings, then the sandbox runs with the defaults merged with them, as the stack does', async () => {
    stageFile('rehearsal', { ...PROD, settings: { nps: { detractorCoolDown: 5 }, businessHours: { start: '08:00' } } });

    const settings = await stageSettings('rehearsal', dir);

    expect(settings).toEqual(resolveSettings(stageConfig('rehearsal', dir).settings));
    expect(settings.nps).toMatchObject({ detractorCoolDown: 5, escalationArr: 20_000 });
    expect(settings.businessHours).toEqual({ start: '08:00', end: '18:00' });
  });

  it('when its file has a bad field, then the sandbox refuses it with the line cdk synth gives', async () => {
    stageFile('bad-sandbox', { ...PROD, settings: { nps: { detractorCoolDown: 99 } } });

    await expect(stageSettings('bad-sandbox', dir)).rejects.toThrow(refusal('bad-sandbox'));
  });

  it('when the stage has no file, then a usage error names the closest stage and lists the files', async () => {
    await expect(stageSettings('prdo')).rejects.toMatchObject({
      exitCode: 2,
      message: 'unknown stage "prdo" (did you mean "prod"?): the stages are the files dev.json, prod.json, staging.json in stages/',
    });
  });
});
