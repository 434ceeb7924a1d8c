import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TestProject } from 'vitest/node';
import type { BundledDevStageRun, SynthesisOutcome } from './shipped-dev-stage.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    bundledDevStage: BundledDevStageRun;
  }
}

/** What esbuild last said: enough to explain a failure without flooding the report. */
const STDERR_KEPT = 4_000;

/**
 * The global setup of vitest.config.ts's `bundles` project (it runs only when a file of that project
 * does): the dev stage synthesized with every Lambda bundled, once per run, in a process of its own
 * (./synthesize-dev-stage.ts) started now, so that its esbuild runs beside the other test files instead
 * of after them. The files that read the bundles wait for it (shipped-dev-stage.ts); the project runs
 * last. The directory is the run's own, removed at the end: no bundle outlives the code it was built from.
 */
export default function setup(project: TestProject): () => Promise<void> {
  const directory = mkdtempSync(join(tmpdir(), 'cs-playbooks-bundles-'));
  const run: BundledDevStageRun = { assembly: join(directory, 'cdk.out'), outcome: join(directory, 'outcome.json') };
  let synthesis = start(project.config.root, run);
  project.provide('bundledDevStage', run);
  // Watch mode: a rerun reads bundles of the code as it is now.
  project.onTestsRerun(async () => {
    await stop(synthesis);
    synthesis = start(project.config.root, run);
  });
  return async () => {
    await stop(synthesis);
    rmSync(directory, { recursive: true, force: true });
  };
}

function start(root: string, run: BundledDevStageRun): ChildProcess {
  rmSync(run.assembly, { recursive: true, force: true });
  rmSync(run.outcome, { force: true });
  mkdirSync(run.assembly);
  const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(new URL('synthesize-dev-stage.ts', import.meta.url)), run.assembly], {
    cwd: root,
    // No CloudFormation validation (as `cdk synth --no-validation`): see ../dev-stage.ts.
    env: { ...process.env, CDK_VALIDATION: 'false' },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr = (stderr + chunk).slice(-STDERR_KEPT)));
  // Written by this process, whatever way the synthesis ends (even killed): a waiting file never waits forever.
  child.on('close', (code, signal) => {
    const outcome: SynthesisOutcome = code === 0 ? { ok: true } : { ok: false, detail: `${signal ? `killed by ${signal}` : `exit code ${code}`}: ${stderr.trim()}` };
    const temp = `${run.outcome}.tmp`;
    writeFileSync(temp, JSON.stringify(outcome));
    renameSync(temp, run.outcome);
  });
  return child;
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const closed = once(child, 'close');
  child.kill();
  await closed;
}
