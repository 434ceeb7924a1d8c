import { resolve } from 'node:path';
import { vi } from 'vitest';
import type { Settings } from '../../../functions/contracts/settings.ts';
import { packHolidayTable, type PackedHolidayTable } from '../../../functions/runtime/holidays.ts';
import { buildHolidayTable, holidayYears } from '../../../lib/calendar/public-holidays.ts';
import { TABLE_SCHEMA } from '../../../functions/adapters/table.ts';
import { DOMAINS, domainGrants, domainOf, type ActionId, type DomainEntry, type DomainId } from '../../../lib/functions.ts';
import { vendorEnvironment, type VendorConfig } from '../../../lib/vendors.ts';
import type { GrantedDynamoDB } from './granted-dynamodb.ts';
import { lambdaContext } from './lambda-context.ts';

/**
 * The playbook actions as Lambda runs them: each through its domain's entry (`functions/<domain>/handler.ts`,
 * what esbuild bundles), loaded in a module graph of its own as a cold start loads its bundle, invoked as
 * a Task invokes it (`{ action, input }`), with the environment the stack gives the domain's function
 * (lib/cs-playbooks-stack.ts: the playbook function contract, and lib/vendors.ts's variables for the
 * ports its actions call) and with its role's table grant enforced on DynamoDB (./granted-dynamodb.ts).
 * The holiday table is compiled in as esbuild's `define` does.
 */
export interface LambdaStage {
  /** The stage name, as in STAGE and the metrics namespace. */
  name: string;
  tableName: string;
  dynamodb: GrantedDynamoDB;
  settings: Settings;
  vendors?: VendorConfig;
  /** What the Lambda service gives every function here: region, credentials, local endpoints. */
  platform: Record<string, string>;
}

export type PlaybookLambda = (event: unknown) => Promise<unknown>;
type HolidayGlobal = { __PUBLIC_HOLIDAYS__?: PackedHolidayTable; __PUBLIC_HOLIDAY_YEARS__?: { fromYear: number; toYear: number } };

const ROOT = resolve(import.meta.dirname, '../../..');

/** The variables the stack sets on `domain`'s function in `stage`. */
export function stackEnvironment(domain: DomainId, stage: LambdaStage): Record<string, string> {
  return {
    TABLE_NAME: stage.tableName,
    SETTINGS: JSON.stringify(stage.settings),
    STAGE: stage.name,
    POWERTOOLS_SERVICE_NAME: domain,
    POWERTOOLS_METRICS_NAMESPACE: `CsPlaybooks/${stage.name}`,
    ...vendorEnvironment(stage.vendors, domainGrants(domain).ports),
  };
}

/** Builds the stage's Lambdas; `close` removes what they left in the process (variables, compiled-in globals). */
export function lambdaStage(stage: LambdaStage) {
  const stubbed = new Set<string>();
  // The window a stage deployed in 2026 compiles (the tests' instants are in 2026 and 2027), whatever
  // the day the suite runs: a test's holidays never depend on the date.
  const years = holidayYears(2026);
  (globalThis as HolidayGlobal).__PUBLIC_HOLIDAYS__ = packHolidayTable(buildHolidayTable(stage.settings.calendar.countries, years.fromYear, years.toYear));
  (globalThis as HolidayGlobal).__PUBLIC_HOLIDAY_YEARS__ = years;

  /** Exactly this domain's function's environment: a variable another function had is not left behind. */
  function enter(domain: DomainId) {
    const env = { ...stage.platform, ...stackEnvironment(domain, stage) };
    for (const name of stubbed) if (!(name in env)) vi.stubEnv(name, undefined);
    for (const [name, value] of Object.entries(env)) {
      vi.stubEnv(name, value);
      stubbed.add(name);
    }
    const { drainsDispatches } = DOMAINS[domain] as DomainEntry;
    stage.dynamodb.actAs(`cs-playbooks-${stage.name}-${domain}`, {
      statements: domainGrants(domain).tableStatements,
      // The dispatch drain's Query of the dispatch index (lib/constructs/dispatch-drain.ts).
      indexes: drainsDispatches ? [TABLE_SCHEMA.dispatchIndex.name] : [],
    });
  }

  return {
    /**
     * A cold start of `action`'s domain function: its entry imported afresh, so clients and configuration
     * come from its environment. The returned call takes the action's input, as the Task's request carries it.
     */
    async coldStart(action: ActionId): Promise<PlaybookLambda> {
      const domain = domainOf(action);
      enter(domain);
      vi.resetModules();
      const { handler } = (await import(resolve(ROOT, DOMAINS[domain].entry))) as { handler: (event: unknown, context: unknown) => Promise<unknown> };
      return async (input) => {
        enter(domain);
        return handler({ action, input }, lambdaContext(`cs-playbooks-${stage.name}-${domain}`));
      };
    },
    close() {
      vi.unstubAllEnvs();
      delete (globalThis as HolidayGlobal).__PUBLIC_HOLIDAYS__;
      delete (globalThis as HolidayGlobal).__PUBLIC_HOLIDAY_YEARS__;
    },
  };
}

/**
 * What the Lambdas write (Powertools' logs and EMF metrics, one JSON object per line; warnings and
 * errors go to standard error), captured between `start` and `stop` instead of printed.
 */
export function captureOutput() {
  let lines: string[] = [];
  let spies: { mockRestore(): void }[] = [];
  const record = ((chunk: string | Uint8Array) => {
    lines.push(...String(chunk).split('\n').filter((line) => line.trim().length > 0));
    return true;
  }) as typeof process.stdout.write;
  return {
    start() {
      lines = [];
      spies = [vi.spyOn(process.stdout, 'write').mockImplementation(record), vi.spyOn(process.stderr, 'write').mockImplementation(record)];
    },
    stop() {
      for (const spy of spies) spy.mockRestore();
      spies = [];
    },
    get text() {
      return lines.join('\n');
    },
    /** The JSON lines (Powertools' structured logs and EMF documents). */
    get records(): Record<string, unknown>[] {
      return lines.flatMap((line) => {
        try {
          const value: unknown = JSON.parse(line);
          return value && typeof value === 'object' ? [value as Record<string, unknown>] : [];
        } catch {
          return [];
        }
      });
    },
  };
}
