// How long `playbooks simulate` of an empty scenario takes to start and end, in wall time and CPU
// time (user + system, every thread), as ratios to a baseline measured in the same run: `node -e ""`,
// the floor any Node command pays. Caches warm (the CLI bundle, validated definitions, holiday
// table): a first run after a source change rebuilds what changed, once. Never an assertion in a test.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const RUNS = 7;
const CPU_MARK = 'cs-playbooks-bench-cpu ';
/** Preloaded into each measured process: on exit, its CPU time (all threads) on stderr. */
const REPORT_CPU = `data:text/javascript,process.on('exit', () => { const u = process.cpuUsage(); process.stderr.write('${CPU_MARK}' + (u.user + u.system) / 1000 + '\\n'); });`;

interface Sample {
  wallMs: number;
  cpuMs: number;
}

function run(args: string[]): Promise<Sample> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, ['--import', REPORT_CPU, ...args], { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('exit', (code) => {
      const wallMs = performance.now() - started;
      const cpu = stderr.split('\n').find((line) => line.startsWith(CPU_MARK));
      if (code !== 0 || !cpu) return reject(new Error(`node ${args.join(' ')} exited ${code}: ${stderr}`));
      resolve({ wallMs, cpuMs: Number(cpu.slice(CPU_MARK.length)) });
    });
  });
}

async function medians(args: string[]): Promise<Sample> {
  await run(args); // warms the caches and the file system
  const samples: Sample[] = [];
  for (let i = 0; i < RUNS; i++) samples.push(await run(args));
  const median = (values: number[]) => values.sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
  return { wallMs: median(samples.map((s) => s.wallMs)), cpuMs: median(samples.map((s) => s.cpuMs)) };
}

export async function benchStartUp(): Promise<void> {
  const dir = mkdtempSync(path.join(tmpdir(), 'cs-playbooks-bench-'));
  try {
    const scenario = path.join(dir, 'empty.scenario.json');
    writeFileSync(scenario, JSON.stringify({ start: '2026-11-09T08:00:00+01:00', accounts: [], events: [] }));
    const baseline = await medians(['-e', '']);
    const simulate = await medians(['sandbox/playbooks.mjs', 'simulate', scenario]);
    const row = (name: string, s: Sample) =>
      `${name.padEnd(44)}${s.wallMs.toFixed(0).padStart(8)}${(s.wallMs / baseline.wallMs).toFixed(1).padStart(9)}${s.cpuMs.toFixed(0).padStart(9)}${(s.cpuMs / baseline.cpuMs).toFixed(1).padStart(9)}`;
    console.log(`${`start-up (median of ${RUNS}, warm caches)`.padEnd(44)}${'wall ms'.padStart(8)}${'× base'.padStart(9)}${'cpu ms'.padStart(9)}${'× base'.padStart(9)}`);
    console.log(row('baseline: node -e ""', baseline));
    console.log(row('playbooks simulate <empty scenario>', simulate));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
