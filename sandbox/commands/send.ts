import { sandboxWebhookSecrets } from '../secrets.ts';
import { signedDelivery, SIGNED_VENDORS } from '../vendor-signing.ts';
import { CliError, type Command } from './command.ts';
import { fetchSandbox, readTextFile } from './io.ts';
import { baseUrl, parseOptions } from './options.ts';

export const send: Command = {
  name: 'send',
  summary: "sign a payload the vendor's way and post it to the running sandbox",
  usage: `playbooks send <payload.json> [--vendor ${SIGNED_VENDORS.join('|')}] [--url http://127.0.0.1:3000]

  Sign a payload the vendor's way and post it to the sandbox's /webhooks/<vendor>:
  by default a domain event ({ "type", "timestamp", "data" }) as a Standard Webhooks
  message; the vendors' documented samples are in functions/ingest/vendors/samples/.`,
  async run(args) {
    const { values, positionals } = parseOptions({ args, allowPositionals: true, options: { url: { type: 'string' }, vendor: { type: 'string' } } });
    const [file] = positionals;
    const vendor = values.vendor ?? 'events';
    if (!file) throw new CliError('send needs a payload file: playbooks send <payload.json>', 2);
    if (!SIGNED_VENDORS.includes(vendor)) throw new CliError(`unknown vendor "${vendor}": use one of ${SIGNED_VENDORS.join(', ')}`, 2);
    const payload = await readTextFile(file, 'payload');
    const [secret] = sandboxWebhookSecrets(vendor);
    const url = `${baseUrl(values.url)}/webhooks/${vendor}`;
    const delivery = signedDelivery(vendor, payload, secret!, url);
    const response = await fetchSandbox(url, { method: 'POST', headers: delivery.headers, body: delivery.body });
    console.log(`${response.status} ${response.statusText}`);
    console.log(await response.text());
    return response.ok ? 0 : 1;
  },
};
