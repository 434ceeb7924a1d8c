import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, runImportCli, startImportSandbox, writeTemp } from '../support/import-cli.ts';

// Issue 11's must-show: `playbooks import` loads a 2,000-row CSV into a running sandbox (wall clock,
// HTTP on 127.0.0.1) and reports the refused rows; the ledger then holds exactly the good accounts.

const HEADER = 'id,name,country,timezone,language,csmId,mrr,arr,signedAt,champion.id,champion.name,champion.email,sponsor.id,sponsor.name,sponsor.email';
const ROWS = 2000;

/** Line numbers (the header is line 1) → what is wrong with that row, and the refusal the report must give. */
const BAD: Readonly<Record<number, { cells: (cells: string[]) => void; refusal: string }>> = {
  42: { cells: (cells) => (cells[6] = '1,900'), refusal: 'mrr: expected an amount (digits, a dot before decimals)' },
  333: { cells: (cells) => (cells[2] = 'JP'), refusal: 'country: JP is not in settings.calendar.countries' },
  777: { cells: (cells) => (cells[11] = 'not-an-address'), refusal: 'champion.email: Invalid email address' },
  1024: { cells: (cells) => (cells[5] = ''), refusal: 'csmId: Invalid input: expected string, received undefined' },
  1500: { cells: (cells) => (cells[3] = 'Europe/Lutece'), refusal: 'timezone: expected an IANA time zone, e.g. Europe/Paris' },
  1999: { cells: (cells) => (cells[8] = '2019-03-14'), refusal: 'signedAt: expected an ISO-8601 time with its offset' },
};

function generated(): string {
  const lines = [HEADER];
  for (let i = 0; i < ROWS; i++) {
    const line = i + 2;
    const n = String(i).padStart(4, '0');
    const cells = [`acc-${n}`, `Salon ${n}`, i % 2 ? 'FR' : 'BE', i % 2 ? 'Europe/Paris' : 'Europe/Brussels', i % 3 ? 'fr' : 'en', `csm-${i % 7}`, String(300 + i), String(12 * (300 + i)), '2019-03-14T10:00:00+01:00', `ct-${n}-a`, `Contact ${n}`, `contact.${n}@example.com`, `ct-${n}-b`, `Sponsor ${n}`, `sponsor.${n}@example.com`];
    BAD[line]?.cells(cells);
    lines.push(cells.map((cell) => (cell.includes(',') ? `"${cell}"` : cell)).join(','));
  }
  return `${lines.join('\n')}\n`;
}

describe('given a running sandbox and a 2,000-row CSV with some bad rows', () => {
  let local: Awaited<ReturnType<typeof startImportSandbox>>;
  beforeAll(async () => {
    local = await startImportSandbox();
  });
  afterAll(() => local?.close());

  it('when it is imported, then the report names each bad row and why, the others are sent, and the ledger holds exactly the good accounts', { timeout: 600_000 }, async () => {
    const file = await writeTemp('portfolio-2000.csv', generated());
    const run = await runImportCli([file, '--url', local.server.url]);

    const badLines = Object.keys(BAD).map(Number);
    expect(run.out.slice(0, -1)).toEqual(badLines.map((line) => expect.stringMatching(new RegExp(`^${file}:${line}: ${escape(BAD[line]!.refusal)}`))));
    expect(run.out.at(-1)).toBe(`${ROWS} accounts: ${ROWS - badLines.length} sent, 0 unchanged (already accepted), ${badLines.length} refused`);
    expect(run.code).toBe(1);

    const good = Array.from({ length: ROWS }, (_, i) => i)
      .filter((i) => !badLines.includes(i + 2))
      .map((i) => `acc-${String(i).padStart(4, '0')}`);
    // Each accepted message starts an account-sync execution; the last ones may still be writing.
    await eventually(async () => (await local.sandbox.accounts()).length === good.length);
    const accounts = await local.sandbox.accounts();
    expect(accounts.map((account) => account.id).sort()).toEqual(good);
    expect(accounts.find((account) => account.id === 'acc-0001')).toMatchObject({ mrr: 301, country: 'FR', contacts: [{ role: 'champion' }, { role: 'sponsor' }] });
    expect(local.sandbox.executions.filter((execution) => execution.status !== 'SUCCEEDED')).toEqual([]);
  });
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
