import { describe, expect, it } from 'vitest';
import type { Contact } from '../../functions/contracts/index.ts';
import { championOf, describeContact, describeOutreach, describeReminder } from '../../functions/core/no-contact/describe.ts';
import { handOverName } from '../../functions/core/checks/held-check.ts';
import { NO_CONTACT_EXECUTIONS } from '../../functions/core/no-contact/check.ts';

const contact = (role: Contact['role'], name: string): Contact => ({ id: `ct-${role}`, email: `${role}@example.com`, name, role });
const CHAMPION = contact('champion', 'Clara Petit');
const SPONSOR = contact('sponsor', 'Samir Haddad');
const DECIDER = contact('decision-maker', 'Dana Moreau');
const USER = contact('user', 'Uma Leroy');

describe('the no-contact check is on the champion', () => {
  it('given a champion among the contacts, then the exchange is proposed to the champion', () => {
    expect(championOf([USER, SPONSOR, CHAMPION])).toBe(CHAMPION);
    expect(describeContact([USER, CHAMPION])).toBe('Propose it to the champion, Clara Petit (champion@example.com).');
  });

  it('given no champion, then to the sponsor, and the CSM is asked to name a champion', () => {
    expect(championOf([USER, DECIDER, SPONSOR])).toBe(SPONSOR);
    expect(describeContact([USER, SPONSOR])).toBe('No champion is on file: propose it to the sponsor, Samir Haddad (sponsor@example.com), and name a champion in the CRM.');
  });

  it('given neither a champion nor a sponsor, then to the decision-maker', () => {
    expect(championOf([USER, DECIDER])).toBe(DECIDER);
  });

  it('given only users, then nobody is proposed and the task says none is on file', () => {
    expect(championOf([USER])).toBeUndefined();
    expect(describeContact([USER])).toBe('No champion, sponsor or decision-maker is on file: find who speaks for the account and add them in the CRM.');
  });
});

describe('what the outreach and the reminder say', () => {
  it('given a count from a call, then the outreach names the day of the last touchpoint and who to ask', () => {
    expect(describeOutreach({ contacts: [CHAMPION] }, { countFrom: 'touchpoint', since: '2026-11-16T10:00:00+01:00', days: 91 })).toBe(
      'No contact for 91 days: the last touchpoint (call, meeting, e-mail exchange or QBR) was on 2026-11-16. Propose an exchange (a call or a meeting). Propose it to the champion, Clara Petit (champion@example.com).',
    );
  });

  it('given an account that never had a touchpoint, then the outreach says since when the count runs', () => {
    expect(describeOutreach({ contacts: [] }, { countFrom: 'signed', since: '2026-09-01T10:00:00+02:00', days: 91 })).toContain('no touchpoint is on file since the contract was signed on 2026-09-01');
    expect(describeOutreach({ contacts: [] }, { countFrom: 'first-seen', since: '2026-09-01T10:00:00+02:00', days: 91 })).toContain('since the account was first seen on 2026-09-01');
    expect(describeOutreach({ contacts: [] }, { countFrom: 'imported', since: '2026-11-02T09:30:00+01:00', days: 91 })).toContain('no touchpoint is on file since the account was imported on 2026-11-02');
  });

  it('given an outreach on 15 February, then the reminder says when the exchange was proposed', () => {
    expect(describeReminder({ contacts: [CHAMPION] }, { outreachAt: '2027-02-15T09:00:00+01:00', days: 7 })).toBe(
      'Reminder: an exchange was proposed on 2027-02-15 and no touchpoint has been logged in the 7 days since. Follow it up. Propose it to the champion, Clara Petit (champion@example.com).',
    );
  });
});

describe('the name of a hand-over execution', () => {
  const token = { holder: '8f0c7e52-5d7e-4a0e-9d3c-1b2a3c4d5e6f', generation: 3 };

  it('given the same check and generation, then the same name: a retried hand-over asks for the execution already started', () => {
    expect(handOverName(NO_CONTACT_EXECUTIONS, 'acc-paris', token)).toBe(handOverName(NO_CONTACT_EXECUTIONS, 'acc-paris', { ...token }));
  });

  it('given another generation, holder or account, then another name', () => {
    const names = new Set([
      handOverName(NO_CONTACT_EXECUTIONS, 'acc-paris', token),
      handOverName(NO_CONTACT_EXECUTIONS, 'acc-paris', { ...token, generation: 4 }),
      handOverName(NO_CONTACT_EXECUTIONS, 'acc-paris', { ...token, holder: 'another-execution' }),
      handOverName(NO_CONTACT_EXECUTIONS, 'acc-lyon', token),
    ]);
    expect(names.size).toBe(4);
  });

  it('given any account id, then a valid Step Functions execution name: 1 to 80 letters, digits, - and _', () => {
    for (const accountId of ['acc-paris', 'ACME Corp / Paris (FR) — ünïcödé', 'x'.repeat(256)]) {
      expect(handOverName(NO_CONTACT_EXECUTIONS, accountId, token)).toMatch(/^[A-Za-z0-9_-]{1,80}$/);
    }
    expect(handOverName(NO_CONTACT_EXECUTIONS, 'acc-paris', token)).toMatch(/^nc-acc-paris-[0-9a-f]{16}-3$/);
  });
});
