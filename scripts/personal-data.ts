/**
 * `npm run personal-data`: where customers' personal data travels once it is in, measured. Runs every
 * example scenario (examples/*.scenario.json) and every event sample (functions/contracts/samples/, on
 * the demo accounts) through the sandbox, with the functions logging at DEBUG, and looks for each
 * personal value the inputs seed (contacts' names, e-mail addresses and phones; an NPS comment, a client
 * e-mail's text, quotes, analysis and action plan; a request's details; a CRM risk's reason) in:
 *
 * - every execution's history, as the Step Functions console shows it to anyone with access (states
 *   entered with their input, exited with their output, failures with their cause);
 * - every log line (CloudWatch Logs on AWS).
 *
 * - every line the sandbox's terminal prints (`npm start`'s activity log).
 *
 * Execution state carries ids only (personal fields are sealed in the ledger: functions/adapters/sealed.ts):
 * this measures it, per playbook, and exits 1 when it finds any. test/sandbox/personal-data.test.ts
 * holds the suite to 0.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { activityLine } from '../sandbox/commands/activity-log.ts';
import { PROJECT_ROOT } from '../lib/project-root.ts';
import type { EventLog } from '../sandbox/runtime/executions.ts';
import { parseScenario } from '../sandbox/simulate/scenario.ts';
import { simulate } from '../sandbox/simulate/simulate.ts';

/** The fields of an event's detail that hold a person's words or a client's own text. */
const TEXT_FIELDS = ['comment', 'text', 'quotes', 'analysis', 'actionPlan', 'details', 'reason'];
/** A contact's fields that identify a person. */
const CONTACT_FIELDS = ['name', 'email', 'phone'];
/** Shorter values match by accident (a first name inside a word): not worth a finding. */
const MIN_LENGTH = 6;

interface Seeded {
  value: string;
  /** Where it comes from: `contact.email`, `detail.comment`… */
  kind: string;
}

export interface Finding {
  playbook: string;
  executions: Set<string>;
  events: number;
  withPersonalData: number;
  kinds: Map<string, number>;
}

function strings(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(strings);
  if (typeof value === 'object' && value !== null) return Object.values(value).flatMap(strings);
  return [];
}

/** The personal values a scenario seeds: its accounts' contacts, and its events' text fields (an AccountUpdated's contacts too). */
function seededBy(raw: { accounts?: unknown[]; events?: { detail?: Record<string, unknown> }[] }): Seeded[] {
  const seeded: Seeded[] = [];
  const contacts = (holder: unknown) => {
    for (const contact of ((holder as { contacts?: unknown[] } | undefined)?.contacts ?? []) as Record<string, unknown>[]) {
      for (const field of CONTACT_FIELDS) for (const value of strings(contact[field])) seeded.push({ value, kind: `contact.${field}` });
    }
  };
  // The CSM's name (HubSpot's owner) too: a person's name, sealed like the contacts'.
  const csmName = (holder: unknown) => {
    for (const value of strings((holder as { csmName?: unknown } | undefined)?.csmName)) seeded.push({ value, kind: 'account.csmName' });
  };
  for (const account of raw.accounts ?? []) contacts(account), csmName(account);
  for (const { detail = {} } of raw.events ?? []) {
    contacts(detail);
    csmName(detail);
    for (const field of TEXT_FIELDS) for (const value of strings(detail[field])) seeded.push({ value, kind: `detail.${field}` });
  }
  const unique = new Map(seeded.filter(({ value }) => value.trim().length >= MIN_LENGTH).map((entry) => [entry.value, entry]));
  return [...unique.values()];
}

/** Every example scenario, and the samples as one scenario on the demo accounts, each at its own time. */
function scenarios(): { name: string; raw: Record<string, unknown> }[] {
  const examples = readdirSync(join(PROJECT_ROOT, 'examples'))
    .filter((file) => file.endsWith('.scenario.json'))
    .map((file) => ({ name: file, raw: JSON.parse(readFileSync(join(PROJECT_ROOT, 'examples', file), 'utf8')) as Record<string, unknown> }));
  const samplesDir = join(PROJECT_ROOT, 'functions/contracts/samples');
  const samples = readdirSync(samplesDir)
    .filter((file) => file.endsWith('.json'))
    .map((file) => JSON.parse(readFileSync(join(samplesDir, file), 'utf8')) as { type: string; timestamp: string; data: Record<string, unknown> });
  const events = samples.map((sample) => ({ at: sample.timestamp, type: sample.type, detail: sample.data })).sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
  const start = Date.parse(events[0]!.at) - 3_600_000;
  const accounts = JSON.parse(readFileSync(join(PROJECT_ROOT, 'examples/accounts.json'), 'utf8')) as unknown[];
  return [...examples, { name: 'every event sample', raw: { start: new Date(start).toISOString(), until: new Date(start + 30 * 86_400_000).toISOString(), accounts, events } }];
}

function record(findings: Map<string, Finding>, playbook: string, execution: string, text: string, seeded: readonly Seeded[]): Seeded[] {
  const finding = findings.get(playbook) ?? { playbook, executions: new Set(), events: 0, withPersonalData: 0, kinds: new Map() };
  findings.set(playbook, finding);
  finding.events += 1;
  const found = seeded.filter(({ value }) => text.includes(value) || text.includes(JSON.stringify(value).slice(1, -1)));
  if (found.length === 0) return found;
  finding.withPersonalData += 1;
  finding.executions.add(execution);
  for (const { kind } of found) finding.kinds.set(kind, (finding.kinds.get(kind) ?? 0) + 1);
  return found;
}

/** What an entry of the history shows: the input, the output, the error's cause. */
function shown(event: EventLog): string {
  return JSON.stringify(event);
}

/** Where the personal values seeded were found: per playbook, and in the log lines. */
export interface PersonalDataMeasure {
  rows: Finding[];
  /** Executions per playbook, all of them. */
  executions: Map<string, Set<string>>;
  logs: { lines: number; withPersonalData: number; kinds: Map<string, number> };
  /** A few of the places found (playbook/execution: kinds), for a failing test to show. */
  examples: string[];
  /** How many personal values each scenario seeded. */
  seeded: Map<string, number>;
}

export async function measurePersonalData(): Promise<PersonalDataMeasure> {
  const findings = new Map<string, Finding>();
  const logs = { lines: 0, withPersonalData: 0, kinds: new Map<string, number>() };
  const executions = new Map<string, Set<string>>();
  const examples: string[] = [];
  const seededCounts = new Map<string, number>();
  for (const { name, raw } of scenarios()) {
    const seeded = seededBy(raw as never);
    seededCounts.set(name, seeded.length);
    const lines: string[] = [];
    const streams = [process.stdout, process.stderr] as const;
    const writes = streams.map((stream) => stream.write.bind(stream));
    // The functions' log lines (Powertools writes JSON lines to stdout, and warnings and errors to stderr), kept instead of printed.
    for (const stream of streams) stream.write = ((chunk: string | Uint8Array) => (lines.push(String(chunk)), true)) as typeof stream.write;
    try {
      await simulate(parseScenario(raw), {
        logLevel: 'DEBUG',
        // The sandbox's own terminal: one line per event and per execution that ends.
        onActivity: (activity) => void lines.push(activityLine(activity, 'UTC')),
        onHistoryEvent: ({ name: execution, playbook }, event) => {
          const all = executions.get(playbook) ?? new Set();
          executions.set(playbook, all.add(`${name}/${execution}`));
          const found = record(findings, playbook, `${name}/${execution}`, shown(event), seeded);
          if (found.length > 0 && examples.length < 10) examples.push(`${name}/${execution} (${playbook}) ${event.type}: ${found.map(({ kind }) => kind).join(', ')}`);
        },
      });
    } finally {
      streams.forEach((stream, i) => (stream.write = writes[i]!));
    }
    for (const line of lines.flatMap((chunk) => chunk.split('\n')).filter((line) => line.trim())) {
      logs.lines += 1;
      const found = seeded.filter(({ value }) => line.includes(value));
      if (found.length > 0) logs.withPersonalData += 1;
      if (found.length > 0 && examples.length < 10) examples.push(`${name} log line: ${found.map(({ kind }) => kind).join(', ')}`);
      for (const { kind } of found) logs.kinds.set(kind, (logs.kinds.get(kind) ?? 0) + 1);
    }
  }
  const rows = [...findings.values()].sort((a, b) => b.withPersonalData - a.withPersonalData || a.playbook.localeCompare(b.playbook));
  return { rows, executions, logs, examples, seeded: seededCounts };
}

async function main(): Promise<void> {
  const { rows, executions, logs, seeded } = await measurePersonalData();
  for (const [name, count] of seeded) console.error(`${name}: ${count} personal values seeded`);
  const total = rows.reduce((sum, row) => ({ events: sum.events + row.events, withPersonalData: sum.withPersonalData + row.withPersonalData }), { events: 0, withPersonalData: 0 });
  const kinds = (map: Map<string, number>) => [...map].sort((a, b) => b[1] - a[1]).map(([kind, count]) => `${kind} ${count}`).join(', ') || '—';
  console.log('| playbook | executions with personal data | history events with personal data | what |');
  console.log('| --- | ---: | ---: | --- |');
  for (const row of rows) {
    console.log(`| ${row.playbook} | ${row.executions.size} of ${executions.get(row.playbook)?.size ?? 0} | ${row.withPersonalData} of ${row.events} | ${kinds(row.kinds)} |`);
  }
  const affected = rows.reduce((sum, row) => sum + row.executions.size, 0);
  const all = [...executions.values()].reduce((sum, set) => sum + set.size, 0);
  console.log(`\nexecutions: ${affected} of ${all} carry personal data; history events: ${total.withPersonalData} of ${total.events}; log lines: ${logs.withPersonalData} of ${logs.lines} (${kinds(logs.kinds)})`);
  if (total.withPersonalData > 0 || logs.withPersonalData > 0) process.exitCode = 1;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await main();
