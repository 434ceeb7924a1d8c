import { App, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveSettings } from '../../functions/contracts/settings.ts';
import { PlaybookFunctionEnvironment } from '../../functions/runtime/environment.ts';
import { unpackHolidayTable } from '../../functions/runtime/holidays.ts';
import { buildHolidayTable, holidayYears } from '../../lib/calendar/public-holidays.ts';
import { DOMAINS, domainGrants, type DomainEntry } from '../../lib/catalog.ts';
import { BundledFunction } from '../../lib/constructs/bundled-function.ts';
import { CsPlaybooksStack, functionSettings } from '../../lib/cs-playbooks-stack.ts';
import { stageConfig } from '../../lib/stages.ts';
import { domainIds, resourcesOf, stack, synthesizeDevStage, template } from './dev-stage.ts';
import { logicalId } from './synth.ts';

// The Lambda functions: their runtime and environment, and the holiday window their bundling compiles in
// (the bundles themselves: bundles/functions.test.ts).
synthesizeDevStage();

describe('the functions', () => {
  it('given the catalog, then there is one Lambda per DOMAINS entry (18: the refund alone in its own, the dispatch drain in its own, the usage recorder’s and the health scorer’s each in its own), plus the ingest, the approval endpoint and the redrive functions', () => {
    expect(domainIds).toHaveLength(18);
    template.resourceCountIs('AWS::Lambda::Function', domainIds.length + 3);
  });

  it('given any function, then it runs Node.js 22 or later on arm64, 256–512 MB, at most 30 s, with active tracing (pass-through for a high-volume one, Powertools Tracer off) and its own log group', () => {
    const functions = resourcesOf('AWS::Lambda::Function');
    for (const [id, fn] of functions) {
      const p = fn.Properties;
      expect(Number(/^nodejs(\d+)\.x$/.exec(p.Runtime)?.[1]), id).toBeGreaterThanOrEqual(22);
      expect(p.Architectures, id).toEqual(['arm64']);
      expect(p.MemorySize, id).toBeGreaterThanOrEqual(256);
      expect(p.MemorySize, id).toBeLessThanOrEqual(512);
      expect(p.Timeout, id).toBeLessThanOrEqual(30);
      const highVolume = domainIds.some((domain) => (DOMAINS[domain] as DomainEntry).highVolume && logicalId(stack.functions[domain]) === id);
      expect(p.TracingConfig, id).toEqual({ Mode: highVolume ? 'PassThrough' : 'Active' });
      if (highVolume) expect(p.Environment.Variables.POWERTOOLS_TRACE_ENABLED, id).toBe('false');
      expect(p.LoggingConfig.LogGroup, id).toEqual({ Ref: expect.any(String) });
      expect(p.Handler, id).toBe('index.handler');
    }
    for (const [, group] of resourcesOf('AWS::Logs::LogGroup')) expect(group.Properties.RetentionInDays).toBe(stageConfig('dev').logRetentionDays);
  });

  it.each(domainIds)('given the %s function, then its environment is exactly the handler contract, with the stage settings, and its service is the domain', (domain) => {
    const variables = template.toJSON().Resources[logicalId(stack.functions[domain])].Properties.Environment.Variables;
    // The dev stage configures no vendor: no vendor secret (stack-vendors.test.ts covers a stage with vendors).
    const contract = Object.keys(PlaybookFunctionEnvironment.shape).filter((name) => name !== 'VENDOR_SECRET_ID');
    // Besides the contract, the runtime's option every function starts with (source-mapped stack traces).
    const tracingOff = (DOMAINS[domain] as DomainEntry).highVolume ? ['POWERTOOLS_TRACE_ENABLED'] : [];
    // A domain that puts the events it derives on the bus gets the bus's name (functions/runtime/event-bus.ts).
    const bus = domainGrants(domain).publishes.length > 0 ? ['EVENT_BUS_NAME'] : [];
    expect(Object.keys(variables).sort()).toEqual([...contract, 'NODE_OPTIONS', ...tracingOff, ...bus].sort());
    if (bus.length > 0) expect(variables.EVENT_BUS_NAME).toEqual({ Ref: logicalId(stack.node.findChild('Events').node.findChild('Bus')) });
    expect(variables.TABLE_NAME).toEqual({ Ref: logicalId(stack.node.findChild('Data').node.findChild('Table')) });
    // All the stage's settings but the people directory, which no function reads (functionSettings says why).
    const { people: _people, ...settings } = resolveSettings(stageConfig('dev').settings);
    expect(JSON.parse(variables.SETTINGS)).toEqual(settings);
    expect(variables.STAGE).toBe('dev');
    expect(variables.POWERTOOLS_SERVICE_NAME).toBe(domain);
  });

  it('given a stage whose settings name its people, then the functions get every setting but the directory (names stay out of their configuration, and the 4 KB of variables)', () => {
    const settings = resolveSettings({ people: [{ id: 'csm-camille', name: 'Camille Martin', timezone: 'Europe/Paris', language: 'fr', role: 'csm' }] });
    const { people: _people, ...rest } = settings;
    expect(functionSettings(settings)).toEqual(rest);
    expect(JSON.stringify(functionSettings(settings))).not.toContain('Camille');
  });

  describe('the bundling', () => {
    it('given every function, then it is bundled with __PUBLIC_HOLIDAY_YEARS__ = { fromYear, toYear }, the window of the table beside it, anchored on this year', () => {
      const bundled = stack.node.findAll().filter((construct): construct is BundledFunction => construct instanceof BundledFunction);
      expect(bundled).toHaveLength(domainIds.length + 3);
      const year = new Date().getUTCFullYear();
      expect(stack.holidayYears).toEqual({ fromYear: year - 1, toYear: year + 4 });
      for (const fn of bundled) {
        const define = fn.bundling.define ?? {};
        expect(Object.keys(define).sort(), fn.node.path).toEqual(['__PUBLIC_HOLIDAYS__', '__PUBLIC_HOLIDAY_YEARS__']);
        expect(JSON.parse(define.__PUBLIC_HOLIDAY_YEARS__!), fn.node.path).toEqual(stack.holidayYears);
        // Packed, the table unpacks to its shape: { COUNTRY: dates }, every date inside the window.
        const table = unpackHolidayTable(JSON.parse(define.__PUBLIC_HOLIDAYS__!)) as Record<string, string[]>;
        expect(Object.keys(table), fn.node.path).toEqual(resolveSettings(stageConfig('dev').settings).calendar.countries);
        const years = Object.values(table).flat().map((date) => Number(date.slice(0, 4)));
        expect(Math.min(...years), fn.node.path).toBe(stack.holidayYears.fromYear);
        expect(Math.max(...years), fn.node.path).toBe(stack.holidayYears.toYear);
      }
    });
  });
});

describe('the holiday window in a bundle', () => {
  // No function reads __PUBLIC_HOLIDAY_YEARS__ yet, and esbuild leaves no trace of a define nothing
  // reads: a probe that reads it is bundled through BundledFunction, as CDK bundles the functions.
  it('given code that reads __PUBLIC_HOLIDAY_YEARS__, when bundled as every function is, then the bundle contains the window as an object', async () => {
    const outdir = mkdtempSync(join(tmpdir(), 'cdk-probe-'));
    try {
      const app = new App({ outdir, context: { 'aws:cdk:enable-asset-metadata': true } });
      const probeStack = new Stack(app, 'Probe');
      const years = holidayYears(2026);
      new BundledFunction(probeStack, 'Probe', {
        entry: 'test/lib/fixtures/holiday-years-probe.ts',
        description: 'probe',
        environment: {},
        memorySize: 256,
        timeout: Duration.seconds(3),
        holidays: { table: buildHolidayTable(['FR'], years.fromYear, years.toYear), years },
        logRetention: RetentionDays.ONE_DAY,
        removalPolicy: RemovalPolicy.DESTROY,
      });
      const assembly = app.synth();
      const [fn] = Object.values(Template.fromStack(probeStack).findResources('AWS::Lambda::Function'));
      const file = join(assembly.directory, String(fn!.Metadata['aws:asset:path']), 'index.mjs');
      const code = readFileSync(file, 'utf8');
      expect(code).toContain('{fromYear:2025,toYear:2030}');
      const { handler } = (await import(file)) as { handler: () => Promise<{ years: unknown; table: unknown }> };
      const compiled = await handler();
      expect(compiled.years).toEqual({ fromYear: 2025, toYear: 2030 });
      expect((unpackHolidayTable(compiled.table) as Record<string, string[]>).FR).toContain('2030-07-14');
    } finally {
      rmSync(outdir, { recursive: true, force: true });
    }
  });

  it('given a holidayYear, then the stack anchors the window on it: the table and __PUBLIC_HOLIDAY_YEARS__ cover the year before to four years ahead', () => {
    const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
    const anchored = new CsPlaybooksStack(app, 'Anchored', { stage: stageConfig('dev'), holidayYear: 2026 });
    expect(anchored.holidayYears).toEqual({ fromYear: 2025, toYear: 2030 });
    for (const fn of anchored.node.findAll().filter((construct): construct is BundledFunction => construct instanceof BundledFunction)) {
      expect(JSON.parse(fn.bundling.define!.__PUBLIC_HOLIDAY_YEARS__!)).toEqual({ fromYear: 2025, toYear: 2030 });
      const fr = (unpackHolidayTable(JSON.parse(fn.bundling.define!.__PUBLIC_HOLIDAYS__!)) as Record<string, string[]>).FR!;
      expect([fr[0], fr.at(-1)]).toEqual(['2025-01-01', '2030-12-25']);
    }
  });
});
