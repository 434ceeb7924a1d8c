import { synthesize } from '../synth.ts';

/**
 * `node --import tsx synthesize-dev-stage.ts <directory>`, started by ./global-setup.ts: the dev stage
 * synthesized as `cdk synth -c env=dev` does, every Lambda bundled by esbuild, into `<directory>`.
 */
const [directory] = process.argv.slice(2);
if (!directory) throw new Error('synthesize-dev-stage.ts: give the directory to synthesize into, e.g. `node --import tsx test/lib/bundles/synthesize-dev-stage.ts /tmp/cdk.out`');
synthesize('dev', { bundle: true, outdir: directory });
