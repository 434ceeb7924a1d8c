import { existsSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { PROJECT_ROOT } from '../../lib/project-root.ts';
import { describeRestamp, restampTimes } from '../samples/restamp.ts';
import { CliError, type Command } from './command.ts';
import { fetchSandbox, parseJsonText, readTextFile } from './io.ts';
import { baseUrl, parseOptions } from './options.ts';

export const send: Command = {
  name: 'send',
  summary: "sign a payload the vendor's way and post it to the running sandbox",
  usage: `playbooks send <payload.json | sample> [--vendor events|typeform|hubspot|zendesk|slack] [--keep-times] [--url http://127.0.0.1:3000]

  Sign a payload the vendor's way and post it to the sandbox's /webhooks/<vendor>:
  by default a domain event ({ "type", "timestamp", "data" }) as a Standard Webhooks
  message; the vendors' documented samples are in functions/ingest/vendors/samples/.
  A shipped sample may be named instead of a file: \`playbooks send AlertAcknowledged\`
  (functions/contracts/samples/), \`playbooks send hubspot-deal-created --vendor hubspot\`.
  Its times are moved to now first, the spacing between them kept, so that a sample
  dated weeks ago gives tasks due from now on (stderr says which fields moved);
  --keep-times sends them as written.`,
  async run(args) {
    const { values, positionals } = parseOptions(
      { args, allowPositionals: true, options: { url: { type: 'string' }, vendor: { type: 'string' }, 'keep-times': { type: 'boolean' } } },
      1,
    );
    const [file] = positionals;
    const vendor = values.vendor ?? 'events';
    if (!file) throw new CliError('send needs a payload file: playbooks send <payload.json>', 2);
    const url = `${baseUrl(values.url)}/webhooks/${vendor}`;
    // Loaded once the command line is known good: `--help` and usage errors answer at once.
    const [{ sandboxWebhookSecrets }, { signedDelivery, SIGNED_VENDORS }] = await Promise.all([import('../secrets.ts'), import('../vendor-signing.ts')]);
    if (!SIGNED_VENDORS.includes(vendor)) throw new CliError(`unknown vendor "${vendor}": use one of ${SIGNED_VENDORS.join(', ')}`, 2);
    const path = payloadPath(file, vendor);
    const text = await readTextFile(path, 'payload');
    parseJsonText(text, `payload ${path}`);
    const now = new Date();
    const restamped = values['keep-times'] ? undefined : restampTimes(text, now);
    const [secret] = sandboxWebhookSecrets(vendor);
    // Signed as sent: the body with its times moved, at the same instant.
    const delivery = signedDelivery(vendor, restamped?.text ?? text, secret!, url, now);
    const response = await fetchSandbox(url, { method: 'POST', headers: delivery.headers, body: delivery.body });
    const moved = restamped && describeRestamp(restamped);
    if (moved) console.error(`${moved} (--keep-times sends them as written)`);
    console.log(`${response.status} ${response.statusText}`);
    console.log(await response.text());
    return response.ok ? 0 : 1;
  },
};

const EVENT_SAMPLES = join(PROJECT_ROOT, 'functions/contracts/samples');
const VENDOR_SAMPLES = join(PROJECT_ROOT, 'functions/ingest/vendors/samples');

/**
 * The file to send: `file` itself when it exists, else the shipped sample it names (a domain event's type
 * for `events`, a vendor sample's name otherwise), so a new user can try `playbooks send AlertAcknowledged`.
 * Neither: the file as given, whose read says it does not exist, unless it looks like a sample's name.
 */
export function payloadPath(file: string, vendor: string): string {
  if (existsSync(file) || /[\\/]|\.json$/.test(file)) return file;
  const directory = vendor === 'events' ? EVENT_SAMPLES : VENDOR_SAMPLES;
  const sample = join(directory, `${file}.json`);
  if (existsSync(sample)) return relative(process.cwd(), sample);
  const vendorOfName = /^([a-z]+)-/.exec(file)?.[1];
  if (vendor === 'events' && vendorOfName && existsSync(join(VENDOR_SAMPLES, `${file}.json`))) {
    throw new CliError(`${file} is a ${vendorOfName} sample: playbooks send ${file} --vendor ${vendorOfName}`, 2);
  }
  const names = readdirSync(directory).filter((name) => name.endsWith('.json') && (vendor === 'events' || name.startsWith(`${vendor}-`))).map((name) => name.slice(0, -5));
  throw new CliError(`no file ${file}, nor a ${vendor === 'events' ? 'domain event' : vendor} sample of that name: ${names.join(', ')}`, 2);
}
