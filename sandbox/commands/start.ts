import { fileURLToPath } from 'node:url';
import { AccountRecord, parseContract } from '../../functions/contracts/index.ts';
import { z } from '../../functions/contracts/zod.ts';
import { VENDOR_IDS } from '../../functions/ingest/vendors/index.ts';
import { wallClock } from '../engine/clock.ts';
import { Sandbox } from '../runtime/sandbox.ts';
import { sandboxApprovalSecrets, sandboxWebhookSecrets } from '../secrets.ts';
import { startServer } from '../server.ts';
import type { Command } from './command.ts';
import { readJsonFile } from './io.ts';
import { logLevel, parseOptions, stageSettings } from './options.ts';

const DEFAULT_ACCOUNTS = fileURLToPath(new URL('../../examples/accounts.json', import.meta.url));

export const start: Command = {
  name: 'start',
  summary: 'run the whole pipeline on 127.0.0.1 with the wall clock',
  usage: `playbooks start [--port 3000] [--accounts examples/accounts.json] [--stage dev]

  Run the whole pipeline on 127.0.0.1 with the wall clock.
  POST /webhooks/events (Standard Webhooks), GET /api/report.
  --stage runs with that stage's settings (lib/stages.ts), as deployed.`,
  async run(args) {
    const { values } = parseOptions({ args, options: { port: { type: 'string' }, accounts: { type: 'string' }, stage: { type: 'string' } } });
    const port = Number(values.port ?? process.env.PORT ?? 3000);
    const accounts = parseContract(z.array(AccountRecord), await readJsonFile(values.accounts ?? DEFAULT_ACCOUNTS, 'accounts file'), 'accounts file');
    const sandbox = await Sandbox.start({ clock: wallClock, settings: stageSettings(values.stage), logLevel: logLevel() });
    await sandbox.importAccounts(accounts);
    const server = await startServer(sandbox, { port, secrets: (vendor) => sandboxWebhookSecrets(vendor), approvalSecrets: sandboxApprovalSecrets() });
    console.log(`cs-playbooks sandbox on ${server.url} with ${accounts.length} accounts`);
    console.log(`  POST ${server.url}/webhooks/events   try: npx playbooks send functions/contracts/samples/NpsResponseReceived.json`);
    console.log(`  POST ${server.url}/webhooks/<vendor>   ${VENDOR_IDS.filter((id) => id !== 'events').join(', ')} (README: "Connecting the vendors' webhooks")`);
    console.log(`  GET  ${server.url}/api/report`);
    console.log(`  POST ${server.url}/approvals/<id>   GET ${server.url}/api/approvals   try: npx playbooks approvals`);
    await new Promise<void>((resolve) => {
      process.once('SIGINT', resolve);
      process.once('SIGTERM', resolve);
    });
    await server.close();
    await sandbox.stop();
    return 0;
  },
};
