/** The CLI bundle's file URL, built or reused (./cli-bundle.mjs); the repository's CLI unless a test names its own sources. */
export function cliBundle(options?: { root?: string; entry?: string; cache?: string }): Promise<string>;
