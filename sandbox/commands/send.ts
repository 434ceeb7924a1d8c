import { existsSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { PROJECT_ROOT } from '../../lib/project-root.ts';
import { describeRestamp, restampTimes } from '../samples/restamp.ts';
import { CliError, type Command } from './command.ts';
import { fetchSandbox, parseJsonText, readTextFile } from './io.ts';
import { baseUrl, parseOptions, stageWebhookSenders } from './options.ts';

export const send: Command = {
  name: 'send',
  summary: "sign a payload the vendor's way and post it to the running sandbox",
  usage: `playbooks send <payload.json | sample> [--vendor events|typeform|hubspot|zendesk|slack|segment] [--sender <name>] [--stage dev] [--keep-times] [--url http://127.0.0.1:3000]

  Sign a payload the vendor's way and post it to the sandbox's /webhooks/<vendor>:
  by default a domain event ({ "type", "timestamp", "data" }) as a Standard Webhooks
  message, signed with the secret of a sender the stage allows that type (--sender
  names one; --stage the sandbox's stage, dev by default: its file's webhooks.events);
  the vendors' documented samples are in functions/ingest/vendors/samples/.
  A shipped sample may be named instead of a file: \`playbooks send AlertAcknowledged\`
  (functions/contracts/samples/), \`playbooks send hubspot-deal-created --vendor hubspot\`.
  Its times are moved to now first, the spacing between them kept, so that a sample
  dated weeks ago gives tasks due from now on (stderr says which fields moved);
  --keep-times sends them as written.`,
  async run(args) {
    const { values, positionals } = parseOptions(
      { args, allowPositionals: true, options: { url: { type: 'string' }, vendor: { type: 'string' }, sender: { type: 'string' }, stage: { type: 'string' }, 'keep-times': { type: 'boolean' } } },
      1,
    );
    const [file] = positionals;
    const vendor = values.vendor ?? 'events';
    if (!file) throw new CliError('send needs a payload file: playbooks send <payload.json>', 2);
    const url = `${baseUrl(values.url)}/webhooks/${vendor}`;
    // Loaded once the command line is known good: `--help` and usage errors answer at once.
    const [{ sandboxWebhookSecrets }, { signedDelivery, SIGNED_VENDORS }] = await Promise.all([import('../secrets.ts'), import('../vendor-signing.ts')]);
    if (!SIGNED_VENDORS.includes(vendor)) throw new CliError(`unknown vendor "${vendor}": use one of ${SIGNED_VENDORS.join(', ')}`, 2);
    if (values.sender !== undefined && vendor !== 'events') throw new CliError(`--sender names a sender of /webhooks/events; ${vendor} signs as itself`, 2);
    const path = payloadPath(file, vendor);
    const text = await readTextFile(path, 'payload');
    const payload = parseJsonText(text, `payload ${path}`);
    const sender = vendor === 'events' ? await senderFor(payload, values.sender, values.stage) : vendor;
    const now = new Date();
    const restamped = values['keep-times'] ? undefined : restampTimes(text, now);
    const [secret] = sandboxWebhookSecrets(vendor, process.env, sender);
    // Signed as sent: the body with its times moved, at the same instant.
    const delivery = signedDelivery(vendor, restamped?.text ?? text, secret!, url, now);
    const response = await fetchSandbox(url, { method: 'POST', headers: delivery.headers, body: delivery.body });
    const moved = restamped && describeRestamp(restamped);
    if (moved) console.error(`${moved} (--keep-times sends them as written)`);
    if (vendor === 'events') console.error(`signed as the sender ${sender} of /webhooks/events`);
    console.log(`${response.status} ${response.statusText}`);
    console.log(await response.text());
    return response.ok ? 0 : 1;
  },
};

/**
 * The sender of `/webhooks/events` that signs `payload`: `--sender` when given (one of the stage's),
 * else the first sender the stage allows the payload's type. An approval or an acknowledgement is never
 * sent there: the error says how Slack sends it.
 */
export async function senderFor(payload: unknown, named: string | undefined, stage: string | undefined): Promise<string> {
  const [senders, { NEVER_FROM_EVENTS, NEVER_FROM_SENDERS, SAID_BY, saidBy }] = await Promise.all([stageWebhookSenders(stage), import('../../functions/ingest/senders.ts')]);
  const events = senders.events ?? {};
  const names = Object.keys(events);
  const where = `stages/${stage ?? 'dev'}.json webhooks.events`;
  if (named !== undefined) {
    if (!names.includes(named)) throw new CliError(`no sender "${named}" of /webhooks/events in ${where}: the senders are ${names.join(', ') || 'none'}`, 2);
    return named;
  }
  const type = (payload as { type?: unknown } | null)?.type;
  if (typeof type !== 'string') throw new CliError('the payload has no "type": a domain event is { "type", "timestamp", "data" } (or name its vendor with --vendor)', 2);
  if ((NEVER_FROM_EVENTS as readonly string[]).includes(type)) {
    const sample = type === 'AlertAcknowledged' ? 'slack-block-actions-acknowledge-alert' : 'slack-block-actions-approve-email';
    throw new CliError(`${type} never comes through /webhooks/events, only from Slack's buttons${type === 'ApprovalDecided' ? ' or POST /approvals/<id> (playbooks approve)' : ''}: try playbooks send ${sample} --vendor slack`, 2);
  }
  const said = NEVER_FROM_SENDERS.find((never) => never === type);
  if (said) throw new CliError(`${saidBy(said)}: ${SAID_BY[said].see}`, 2);
  const sender = names.find((name) => events[name]!.includes(type as never));
  if (!sender) throw new CliError(`no sender of /webhooks/events may send ${type} in ${where} (senders: ${names.map((name) => `${name}: ${events[name]!.join(', ') || 'nothing'}`).join('; ') || 'none'}); grant it to one there, or name one with --sender to see the refusal`, 2);
  return sender;
}

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
