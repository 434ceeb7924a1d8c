#!/usr/bin/env node
// The `playbooks` command: runs the TypeScript CLI through tsx, so there is no build step.
import { register } from 'tsx/esm/api';

// The sandbox runs on the developer's Node (20 or later) while the deployed Lambdas run
// nodejs24.x: the AWS SDK's notice about Node 20 concerns the laptop, not the product.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

register();
await import('./cli.ts');
