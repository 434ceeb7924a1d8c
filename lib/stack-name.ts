import type { StageName } from './stages.ts';

/**
 * `CsPlaybooks-<stage>`: the stack's name. A module of its own so that what needs only the name (the
 * `playbooks import --stage` CLI, reading the stack's outputs) does not load the CDK app (8 s).
 */
export const stackName = (stage: StageName) => `CsPlaybooks-${stage}`;
