#!/usr/bin/env node
// The `playbooks` command: the TypeScript CLI (sandbox/cli.ts) with no build step for the user. It runs
// from a bundle cached by ./cli-bundle.mjs (rebuilt when a source changes), which starts in about half
// the CPU time of loading each module through tsx; through tsx if the bundle cannot be built.
import { cliBundle } from './cli-bundle.mjs';

// The sandbox runs on the developer's Node (20 or later) while the deployed Lambdas run
// nodejs24.x: the AWS SDK's notice about Node 20 concerns the laptop, not the product.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const debug = process.env.LOG_LEVEL?.toUpperCase() === 'DEBUG';
let bundle;
try {
  bundle = await cliBundle();
} catch (error) {
  // A source that does not compile fails the same way under tsx, which says where.
  if (debug) console.error('playbooks: running through tsx, the CLI bundle could not be built:', error);
}
if (bundle) {
  // Stack traces (shown with LOG_LEVEL=DEBUG) then name the TypeScript sources, not the bundle.
  if (debug) process.setSourceMapsEnabled(true);
  await import(bundle);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import('./cli.ts');
}
