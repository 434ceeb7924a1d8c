import { fileURLToPath } from 'node:url';

/** The repository root: catalog paths (Lambda entries, ASL files) are relative to it. */
export const PROJECT_ROOT = fileURLToPath(new URL('../', import.meta.url));
