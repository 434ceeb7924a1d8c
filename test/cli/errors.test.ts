import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { expectOneLineError, playbooks } from '../support/cli.ts';

// What a newcomer gets wrong in the first hour, and what the CLI answers: one line saying what was
// wrong and how to fix it (the file, the URL, the port), never a raw ENOENT, `fetch failed` or
// EADDRINUSE nor a stack trace; exit 2 for a usage error, 1 otherwise.

let directory: string;
let busy: Server;
let busyPort: number;
/** A port on which nothing listens: a sandbox that is not running. */
let freePort: number;

const listen = () => new Promise<Server>((resolve) => {
  const server = createServer();
  server.listen(0, '127.0.0.1', () => resolve(server));
});
const portOf = (server: Server) => (server.address() as { port: number }).port;

beforeAll(async () => {
  directory = await mkdtemp(join(tmpdir(), 'cs-playbooks-cli-'));
  busy = await listen();
  busyPort = portOf(busy);
  const closed = await listen();
  freePort = portOf(closed);
  await new Promise((resolve) => closed.close(resolve));
});

afterAll(async () => {
  await new Promise((resolve) => busy?.close(resolve));
  await rm(directory, { recursive: true, force: true });
});

async function file(name: string, text: string): Promise<string> {
  const path = join(directory, name);
  await writeFile(path, text);
  return path;
}

describe('playbooks start', () => {
  it('given another process on the port, then it says the port is in use and how to choose another, exit 1', async () => {
    expectOneLineError(await playbooks(['start', '--port', String(busyPort)]), 1, `port ${busyPort} is in use (another sandbox?): stop it, or choose another with --port or PORT`);
  });

  it('given --port abc, or PORT=70000, then it names the bad value and where it came from, exit 2', async () => {
    const [option, variable] = await Promise.all([playbooks(['start', '--port', 'abc']), playbooks(['start'], { PORT: '70000' })]);
    expectOneLineError(option, 2, '--port "abc" is not a port: give a number from 1 to 65535, or 0 for any free one');
    expectOneLineError(variable, 2, 'PORT="70000" is not a port');
  });

  it('given an accounts file that does not exist, then it names the file, exit 1', async () => {
    const missing = join(directory, 'nope.json');
    expectOneLineError(await playbooks(['start', '--accounts', missing, '--port', '0']), 1, `accounts file ${missing} does not exist`);
  });

  it('given an accounts file with a trailing comma on line 3, then it names the file, the line and the column, exit 1', async () => {
    const path = await file('trailing-comma.json', '[\n  { "id": "acc-1" },\n]\n');
    expectOneLineError(await playbooks(['start', '--accounts', path, '--port', '0']), 1, `accounts file ${path}:3:1 is not valid JSON: a value was expected`);
  });

  it('given an accounts file whose second account has no time zone, then it names the row and the field, exit 1', async () => {
    const account = { id: 'acc-1', name: 'Salon', country: 'FR', timezone: 'Europe/Paris', language: 'fr', csmId: 'csm-1', mrr: 100, contacts: [] };
    const { timezone: _timezone, ...withoutTimezone } = account;
    const path = await file('accounts.json', JSON.stringify([account, { ...withoutTimezone, id: 'acc-2' }]));
    expectOneLineError(await playbooks(['start', '--accounts', path, '--port', '0']), 1, `accounts file ${path} is invalid: [1].timezone: `);
  });

  it('given an unknown --stage, then the closest, and the stage files, exit 2', async () => {
    expectOneLineError(await playbooks(['start', '--stage', 'prdo', '--port', '0']), 2, 'unknown stage "prdo" (did you mean "prod"?): the stages are the files dev.json, prod.json, staging.json in stages/');
  });
});

describe('commands that call the running sandbox, when none is running', () => {
  it.each([
    ['send', ['send', 'functions/contracts/samples/NpsResponseReceived.json']],
    ['approvals', ['approvals']],
    ['approve', ['approve', 'apr-0123456789abcdef0123']],
  ])('given %s and nothing at the URL, then it names the URL and says to start the sandbox, exit 1', async (_name, args) => {
    const url = `http://127.0.0.1:${freePort}`;
    const [byUrl, byPort] = await Promise.all([playbooks([...args, '--url', url]), playbooks(args, { PORT: String(freePort) })]);
    expectOneLineError(byUrl, 1, `no sandbox answers at ${url}: start one with \`npm start\``);
    expectOneLineError(byPort, 1, `no sandbox answers at ${url}: start one with \`npm start\``);
  });
});

describe('usage errors', () => {
  it('given an unknown option, then it names it, suggests the closest and points to the usage, exit 2', async () => {
    expectOneLineError(await playbooks(['simulate', 'examples/nps-fortnight.scenario.json', '--jsn']), 2, 'unknown option --jsn (did you mean --json?); see playbooks simulate --help');
  });

  it('given a missing argument (no payload, no approval id, no port after --port), then what is missing, exit 2', async () => {
    const [payload, approval, port] = await Promise.all([playbooks(['send']), playbooks(['approve']), playbooks(['start', '--port'])]);
    expectOneLineError(payload, 2, 'send needs a payload file: playbooks send <payload.json>');
    expectOneLineError(approval, 2, 'approve needs an approval id (playbooks approvals lists them)');
    expectOneLineError(port, 2, '--port needs a value; see playbooks start --help');
  });

  it('given one argument too many, then it is named rather than ignored, exit 2', async () => {
    expectOneLineError(await playbooks(['simulate', 'a.json', 'b.json']), 2, 'unexpected argument "b.json"; see playbooks simulate --help');
  });

  it('given an unknown command, then the commands and the closest, exit 2', async () => {
    expectOneLineError(await playbooks(['simulat']), 2, 'unknown command "simulat" (did you mean "simulate"?): the commands are start, send, import, simulate');
  });

  it('given a --url that is not a URL, then an example of one, exit 2', async () => {
    expectOneLineError(await playbooks(['approvals', '--url', '127.0.0.1:3000']), 2, '--url "127.0.0.1:3000" is not an http(s) URL: e.g. --url http://127.0.0.1:3000');
  });
});

describe('playbooks simulate and send, given a file with a mistake', () => {
  it('given a scenario that does not exist, then it names the file, exit 1', async () => {
    expectOneLineError(await playbooks(['simulate', 'examples/nope.scenario.json']), 1, 'scenario examples/nope.scenario.json does not exist');
  });

  it('given a scenario with a missing comma on line 2, then it names the file, the line and the column, exit 1', async () => {
    const path = await file('broken.scenario.json', '{ "start": "2026-11-13T08:00:00+01:00",\n  "accounts": []\n  "events": [] }\n');
    expectOneLineError(await playbooks(['simulate', path]), 1, `scenario ${path}:3:3 is not valid JSON: a comma was expected`);
  });

  it('given a scenario with an unknown detail-type, then its place, the closest detail-type and the valid ones, exit 1', async () => {
    const path = await file('typo.scenario.json', JSON.stringify({ start: '2026-11-13T08:00:00+01:00', accounts: [], events: [{ at: '2026-11-13T09:00:00+01:00', type: 'NpsResponse', detail: {} }] }));
    expectOneLineError(await playbooks(['simulate', path]), 1, `scenario ${path} is invalid: events[0].type: unknown detail-type "NpsResponse" (did you mean "NpsResponseReceived"?); the detail-types are AccountUpdated, NpsResponseReceived,`);
  });

  it('given a payload that is not JSON, then its file, line and column, exit 1', async () => {
    const path = await file('payload.json', '{ "type": "NpsResponseReceived", }');
    expectOneLineError(await playbooks(['send', path, '--url', `http://127.0.0.1:${freePort}`]), 1, `payload ${path}:1:34 is not valid JSON`);
  });
});
