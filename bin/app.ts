#!/usr/bin/env node
import { App } from 'aws-cdk-lib';
import { buildStack } from '../lib/app.ts';
import { addNagChecks } from '../lib/nag.ts';
import { stageConfig, type StageName } from '../lib/stages.ts';

// `npx cdk synth -c env=<stage>`: one stack per stage file (stages/<stage>.json, checked as it is
// loaded), checked by cdk-nag on every synth.
const app = new App();
buildStack(app, stageFromContext(app));
addNagChecks(app);

function stageFromContext(scope: App): StageName {
  try {
    return stageConfig(scope.node.tryGetContext('env')).name;
  } catch (error) {
    // The message lists the stages, or names the file and its bad fields; a stack trace would only hide it.
    console.error((error as Error).message);
    process.exit(1);
  }
}
