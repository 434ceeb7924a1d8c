import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveSettings } from '../../functions/contracts/index.ts';
import { webhookSenders } from '../../functions/ingest/senders.ts';
import { checkRows } from '../../sandbox/import/check-rows.ts';
import { readCsvAccounts } from '../../sandbox/import/csv-accounts.ts';
import { readJsonAccounts } from '../../sandbox/import/json-accounts.ts';
import { until } from '../support/eventually.ts';
import { runImportCli, startImportSandbox, writeTemp } from '../support/import-cli.ts';

// `playbooks import <accounts.csv|accounts.json>`: each row checked against the account contract and
// the stage's calendar countries, refused rows named by file line and field, the others sent as complete
// AccountUpdated through the signed events endpoint of a running sandbox (wall clock, HTTP on 127.0.0.1).

const HEADER = 'id,name,country,timezone,language,csmId,mrr,champion.id,champion.name,champion.email,user.id,user.name,user.email,user.2.id,user.2.name,user.2.email';
const LUMIERE = 'acc-lumiere,Salon Lumière,FR,Europe/Paris,fr,csm-camille,1900,ct-ines,Ines Martin,ines.martin@example.com,ct-hugo,Hugo Bernard,hugo.bernard@example.com,ct-lou,Lou Petit,lou.petit@example.com';
const RIVOLI = 'acc-rivoli,Barbier Rivoli,FR,Europe/Paris,fr,csm-camille,850,ct-marc,Marc Dubois,marc.dubois@example.com,,,,,,';
const settings = resolveSettings();
/** The import's clock: an updatedAt more than five minutes after it is refused, as the endpoint refuses it. */
const NOW = new Date('2026-11-16T09:00:00Z');

const checked = (text: string, file = 'accounts.csv') => checkRows(file.endsWith('.csv') ? readCsvAccounts(text, file) : readJsonAccounts(text, file), settings, NOW);

describe('reading an accounts CSV', () => {
  it('given a header of record fields and contacts by role, then each line is a complete account whose contacts carry their role', () => {
    const [row] = checked(`${HEADER}\n${LUMIERE}\n`);

    expect(row && 'detail' in row && row.detail).toMatchObject({
      accountId: 'acc-lumiere',
      name: 'Salon Lumière',
      mrr: 1900,
      contacts: [
        { id: 'ct-ines', name: 'Ines Martin', email: 'ines.martin@example.com', role: 'champion' },
        { id: 'ct-hugo', name: 'Hugo Bernard', email: 'hugo.bernard@example.com', role: 'user' },
        { id: 'ct-lou', name: 'Lou Petit', email: 'lou.petit@example.com', role: 'user' },
      ],
    });
  });

  it('given a semicolon-separated file with a byte-order mark, CRLF lines, a blank line and a quoted cell over two lines, then each row is placed on the line it starts', () => {
    const text = `\uFEFF${HEADER.replaceAll(',', ';')}\r\n${LUMIERE.replaceAll(',', ';')}\r\n\r\n${RIVOLI.replaceAll(',', ';').replace('Barbier Rivoli', '"Barbier\r\nRivoli"')}\r\nacc-x;;FR\r\n`;
    const rows = checked(text);

    expect(rows.map((row) => row.row.place)).toEqual(['accounts.csv:2', 'accounts.csv:4', 'accounts.csv:6']);
    expect(rows[1] && 'detail' in rows[1] && rows[1].detail.name).toBe('Barbier\r\nRivoli');
  });

  it('given rows that break the contract, then each is refused with one line per field, named as the file names it', () => {
    const text = [
      HEADER,
      LUMIERE.replace(',1900,', ',19OO,'),
      RIVOLI.replace('Europe/Paris', 'Europe/Lutece').replace('marc.dubois@example.com', 'marc.dubois'),
      'acc-tokyo,Tokyo Nails,JP,Asia/Tokyo,en,csm-yanis,500,,,,,,,,,',
      'acc-short,Short,FR,Europe/Paris',
      LUMIERE.replace('acc-lumiere', 'acc-twice'),
      RIVOLI.replace('acc-rivoli', 'acc-twice'),
    ].join('\n');

    expect(checked(text).flatMap((row) => ('refusals' in row ? row.refusals.map((reason) => `${row.row.place}: ${reason}`) : []))).toEqual([
      // Once, by the CSV's own reading: not also as the contract's "expected number".
      'accounts.csv:2: mrr: expected an amount (digits, a dot before decimals)',
      'accounts.csv:3: timezone: expected an IANA time zone, e.g. Europe/Paris',
      'accounts.csv:3: champion.email: Invalid email address',
      "accounts.csv:4: country: JP is not in settings.calendar.countries (FR, BE, CH, LU, DE, ES, IT, NL, PT, IE, GB, US, CA); add it to the stage's settings to schedule in its business days",
      'accounts.csv:5: the line has 4 cells where the header has 16: a missing or extra separator?',
      'accounts.csv:5: language: Invalid option: expected one of "fr"|"en"',
      'accounts.csv:5: csmId: Invalid input: expected string, received undefined',
      'accounts.csv:5: mrr: Invalid input: expected number, received undefined',
      'accounts.csv:6: id: the same account id is on accounts.csv:7; keep one row per account',
      'accounts.csv:7: id: the same account id is on accounts.csv:6; keep one row per account',
    ]);
  });

  it('given the same account in CSV and in JSON (another key order), then the same message id; one field changed, another', () => {
    const json = JSON.stringify([
      {
        mrr: 850,
        contacts: [{ role: 'champion', email: 'marc.dubois@example.com', name: 'Marc Dubois', id: 'ct-marc' }],
        csmId: 'csm-camille',
        language: 'fr',
        timezone: 'Europe/Paris',
        country: 'FR',
        name: 'Barbier Rivoli',
        id: 'acc-rivoli',
      },
    ]);
    const eventId = (rows: ReturnType<typeof checked>) => (rows[0] && 'detail' in rows[0] ? rows[0].detail.eventId : undefined);

    expect(eventId(checked(`${HEADER}\n${RIVOLI}`))).toMatch(/^import-[0-9a-f]{40}$/);
    expect(eventId(checked(json, 'accounts.json'))).toBe(eventId(checked(`${HEADER}\n${RIVOLI}`)));
    expect(eventId(checked(`${HEADER}\n${RIVOLI.replace(',850,', ',900,')}`))).not.toBe(eventId(checked(`${HEADER}\n${RIVOLI}`)));
  });
});

describe('reading an accounts JSON file', () => {
  it('given an element with a field the record does not have and a bad contact, then it is refused at the line its object starts, with contract paths', () => {
    const json = `{
  "accounts": [
    { "id": "acc-a", "name": "A", "country": "FR", "timezone": "Europe/Paris", "language": "fr", "csmId": "csm-1", "mrr": 10, "contacts": [] },
    {
      "id": "acc-b", "name": "B", "country": "FR", "timezone": "Europe/Paris", "language": "fr", "csmId": "csm-1", "mrr": 10, "segmnet": "smb",
      "contacts": [{ "id": "c1", "email": "c1@example.com", "name": "C", "role": "champion" }, { "id": "c2", "email": "c2@example.com", "name": "D", "role": "owner" }]
    }
  ]
}`;
    expect(checked(json, 'portfolio.json').flatMap((row) => ('refusals' in row ? row.refusals.map((reason) => `${row.row.place}: ${reason}`) : []))).toEqual([
      'portfolio.json:4: segmnet: not a field of the account record (README.md, "Importing accounts")',
      'portfolio.json:4: contacts[1].role: Invalid option: expected one of "champion"|"sponsor"|"decision-maker"|"user"',
    ]);
  });
  it('given an element that would freeze or erase the account (updatedAt in 2999, an empty team lead, an MRR of 1e200), then it is refused naming each field', () => {
    const json = `[
  { "id": "acc-c", "name": "C", "country": "FR", "timezone": "Europe/Paris", "language": "fr", "csmId": "csm-1", "teamLeadId": "", "mrr": 1e200, "contacts": [], "updatedAt": "2999-01-01T00:00:00Z" },
  { "id": "acc-d", "name": "D", "country": "FR", "timezone": "Europe/Paris", "language": "fr", "csmId": "csm-1", "mrr": 10, "contacts": [], "updatedAt": "2026-11-16T09:04:00Z" }
]`;
    const rows = checked(json, 'portfolio.json');
    expect(rows.flatMap((row) => ('refusals' in row ? row.refusals.map((reason) => `${row.row.place}: ${reason}`) : []))).toEqual([
      'portfolio.json:2: teamLeadId: empty or blank, which is no value: leave the field out to keep the one held',
      'portfolio.json:2: mrr: Too big: expected number to be <=1000000000',
      "portfolio.json:2: updatedAt: ahead of our clock by more than 5 minutes: a change cannot be made after it reached us (check the sender's clock, or the year)",
    ]);
    // Four minutes ahead is a clock's skew: sent as written.
    expect(rows[1] && 'detail' in rows[1] && rows[1].detail.updatedAt).toBe('2026-11-16T09:04:00Z');
  });
});

describe('the shipped examples', () => {
  it.each(['examples/accounts.csv', 'examples/accounts.json'])('given %s, when checked with --dry-run, then every account would be sent', async (file) => {
    const run = await runImportCli([file, '--dry-run']);
    expect(run.out.at(-1)).toBe('5 accounts checked (dry run, nothing sent): 5 would be sent, 0 refused');
    expect(run.code).toBe(0);
  });
});

describe('given a running sandbox', () => {
  let local: Awaited<ReturnType<typeof startImportSandbox>>;
  beforeAll(async () => {
    local = await startImportSandbox();
  });
  afterAll(() => local?.close());

  const account = async (id: string) => (await local.sandbox.accounts()).find((candidate) => candidate.id === id);
  const syncs = () => local.sandbox.executions.filter((execution) => execution.playbook === 'account-sync');

  it('when a file with a refused row is checked with --dry-run, then the report names it, exit 1, and nothing is sent', async () => {
    const file = await writeTemp('dry.csv', `${HEADER}\n${LUMIERE}\n${RIVOLI.replace(',850,', ',,')}\n`);
    const run = await runImportCli([file, '--dry-run', '--url', local.server.url]);

    expect(run.out).toEqual([`${file}:3: mrr: Invalid input: expected number, received undefined`, '2 accounts checked (dry run, nothing sent): 1 would be sent, 1 refused']);
    expect(run.code).toBe(1);
    expect(local.sandbox.executions).toEqual([]);
    expect(await local.sandbox.accounts()).toEqual([]);
  });

  it('when it is imported, then the good rows are accounts of the ledger with their contacts, the refused one is named, exit 1', async () => {
    const file = await writeTemp('first.csv', `${HEADER}\n${LUMIERE}\n${RIVOLI}\nacc-tokyo,Tokyo Nails,JP,Asia/Tokyo,en,csm-yanis,500,,,,,,,,,\n`);
    const run = await runImportCli([file, '--url', local.server.url]);

    expect(run.out).toEqual([expect.stringMatching(new RegExp(`^${file}:4: country: JP is not in settings.calendar.countries`)), '3 accounts: 2 sent, 0 unchanged (already accepted), 1 refused']);
    expect(run.code).toBe(1);
    await until(async () => (await account('acc-rivoli')) !== undefined && (await account('acc-lumiere')) !== undefined);
    expect(await account('acc-lumiere')).toMatchObject({ name: 'Salon Lumière', mrr: 1900, contacts: [{ role: 'champion' }, { role: 'user' }, { role: 'user' }] });
    expect(await account('acc-tokyo')).toBeUndefined();
  });

  it('when the same file is imported again, then every row is unchanged and nothing new starts; a changed row is sent again and applied', async () => {
    await until(() => syncs().length === 2 && syncs().every((execution) => execution.status === 'SUCCEEDED'));
    const same = await writeTemp('again.csv', `${HEADER}\n${RIVOLI}\n${LUMIERE}\n`);
    const again = await runImportCli([same, '--url', local.server.url]);
    expect(again.out).toEqual(['2 accounts: 0 sent, 2 unchanged (already accepted), 0 refused']);
    expect(again.code).toBe(0);

    const changed = await writeTemp('changed.csv', `${HEADER}\n${RIVOLI.replace(',850,', ',990,')}\n${LUMIERE}\n`);
    const update = await runImportCli([changed, '--url', local.server.url]);
    expect(update.out).toEqual(['2 accounts: 1 sent, 1 unchanged (already accepted), 0 refused']);
    await until(async () => (await account('acc-rivoli'))?.mrr === 990);
    expect(syncs()).toHaveLength(3);
  });

  it('when a row is one the endpoint refuses (a message over its 256 KB), then it is reported as refused by the endpoint, and the others are sent', async () => {
    const contacts = Array.from({ length: 4000 }, (_, i) => ({ id: `ct-${i}`, email: `user${i}@example.com`, name: `User ${i}`, role: 'user' }));
    const base = { country: 'FR', timezone: 'Europe/Paris', language: 'fr', csmId: 'csm-camille', mrr: 100 };
    const file = await writeTemp('big.json', JSON.stringify([{ id: 'acc-crowd', name: 'Crowd', ...base, contacts }, { id: 'acc-small', name: 'Small', ...base, contacts: [] }], null, 1));
    const run = await runImportCli([file, '--url', local.server.url]);

    expect(run.out).toEqual([`${file}:2: refused by the endpoint: the endpoint refused it (413): Body exceeds 262144 bytes`, '2 accounts: 1 sent, 0 unchanged (already accepted), 1 refused']);
    expect(run.code).toBe(1);
  });

  it('when the import signs with a secret the sandbox does not accept, then it stops: nothing sent, the summary, and one line saying which secret', async () => {
    const file = await writeTemp('secret.csv', `${HEADER}\n${LUMIERE.replace('acc-lumiere', 'acc-unsigned')}\n`);
    const run = await runImportCli([file, '--url', local.server.url], { env: { STANDARD_WEBHOOK_SECRETS_IMPORT: `whsec_${Buffer.from('another secret, not the sandbox').toString('base64')}` } });

    expect(run.out).toEqual(['1 account: 0 sent, 0 unchanged (already accepted), 0 refused, 1 not sent (the import stopped: see below)']);
    expect(run.error?.message).toMatch(/\/webhooks\/events refused the signature \(401: .*\): the endpoint does not accept the first secret of STANDARD_WEBHOOK_SECRETS_IMPORT$/);
    expect(await account('acc-unsigned')).toBeUndefined();
  });
});

describe('given a sandbox whose import sender may not publish AccountUpdated', () => {
  it('when a file is imported, then it stops at the first 403, saying which sender to grant AccountUpdated', async () => {
    const narrowed = await startImportSandbox(undefined, webhookSenders({ events: { import: ['ContractSigned'] } }));
    try {
      const file = await writeTemp('narrowed.csv', `${HEADER}\n${LUMIERE.replace('acc-lumiere', 'acc-forbidden')}\n`);
      const run = await runImportCli([file, '--url', narrowed.server.url], { env: {} });

      expect(run.out).toEqual(['1 account: 0 sent, 0 unchanged (already accepted), 0 refused, 1 not sent (the import stopped: see below)']);
      expect(run.error?.message).toMatch(
        /\/webhooks\/events refused AccountUpdated from the import sender's development secret \(set STANDARD_WEBHOOK_SECRETS_IMPORT to the sandbox's\) \(403: The sender "import" of \/webhooks\/events may not publish AccountUpdated: .*\): the stage must allow its import sender AccountUpdated \(webhooks\.events\.import\)$/,
      );
      expect(await narrowed.sandbox.accounts()).toEqual([]);
    } finally {
      await narrowed.close();
    }
  });
});

describe('given no sandbox at the URL', () => {
  it('when a file is imported, then it stops with one line saying to start one', async () => {
    const closed = await startImportSandbox();
    const url = closed.server.url;
    await closed.close();
    const run = await runImportCli(['examples/accounts.csv', '--url', url]);

    expect(run.error?.message).toBe(`no sandbox answers at ${url}: start one with \`npm start\` (or pass --url, or set PORT)`);
  });
});

describe('given a file the import cannot read', () => {
  it.each([
    [['accounts.xlsx'], /^accounts\.xlsx: import reads a \.csv or a \.json file/],
    [['--from', 'salesforce'], /^--from salesforce: the one source besides files is hubspot$/],
    [['examples/accounts.csv', '--concurrency', '0'], /^--concurrency 0: expected a whole number from 1 to 64$/],
    [['examples/accounts.csv', '--stage', 'qa'], /^unknown stage "qa": the stages are the files dev\.json, prod\.json, staging\.json in stages\/$/],
    [[], /^import needs an accounts file/],
  ])('when run with %j, then a one-line usage error', async (args, message) => {
    const run = await runImportCli(args);
    expect(run.error?.message).toMatch(message);
  });

  it('when the CSV has a column that is no field, then it stops before reading a row, naming the file, line 1 and the column', async () => {
    const file = await writeTemp('typo.csv', `id,name,timzone\nacc-1,A,Europe/Paris\n`);
    const run = await runImportCli([file, '--dry-run']);
    expect(run.error?.message).toMatch(new RegExp(`^${file}:1: unknown column "timzone": the columns are the account record's fields \\(id, name, country, timezone,`));
  });

  it('when a quote is never closed, then it stops, naming the line', async () => {
    const file = await writeTemp('quote.csv', `${HEADER}\n${LUMIERE}\nacc-2,"Unclosed,FR\n`);
    const run = await runImportCli([file, '--dry-run']);
    expect(run.error?.message).toMatch(new RegExp(`^${file}:3: not valid CSV: Quote Not Closed`));
  });
});
