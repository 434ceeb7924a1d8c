import { describe, expect, it } from 'vitest';
import { StoredAccountRecord, type TaskKind } from '../../functions/contracts/index.ts';
import { createBusinessCalendar } from '../../functions/core/calendar/business-time.ts';
import { taskId } from '../../functions/core/tasks/identity.ts';
import { resolveOwner } from '../../functions/core/tasks/owner.ts';
import { planTask, type TaskRequest } from '../../functions/core/tasks/task.ts';
import { riskTitle } from '../../functions/core/tasks/titles.ts';
import { buildHolidayTable } from '../../lib/calendar/public-holidays.ts';
import { aParisAccount, aTaskRequest } from '../support/records.ts';

// Real holiday data, built the way the deployment builds it.
const calendar = createBusinessCalendar(buildHolidayTable(['FR', 'US'], 2025, 2027), { start: '09:00', end: '18:00' });

describe('taskId: exactly-once effects, keyed on account + playbook + kind + reason', () => {
  const parts = { accountId: 'acc-1', playbook: 'nps-response', kind: 'detractor-call', reason: 'evt-1' };

  it('given the same reason twice, then the id is the same', () => {
    expect(taskId({ ...parts })).toBe(taskId({ ...parts }));
  });

  it('given any reason, then the id is a tsk- prefixed digest', () => {
    expect(taskId(parts)).toMatch(/^tsk-[0-9a-f]{20}$/);
  });

  it.each([
    ['account', { accountId: 'acc-2' }],
    ['playbook', { playbook: 'churn-risk' }],
    ['kind', { kind: 'detractor-plan-review' }],
    ['reason', { reason: 'evt-2' }],
  ])('given a different %s, then the id differs', (_part, change) => {
    expect(taskId({ ...parts, ...change })).not.toBe(taskId(parts));
  });

  it('given parts that concatenate to the same text, then the ids still differ', () => {
    expect(taskId({ ...parts, playbook: 'nps-', kind: 'responsedetractor-call' })).not.toBe(taskId(parts));
  });
});

describe('resolveOwner: every task has exactly one owner (single Authority)', () => {
  it('given a task for the CSM, then the CSM owns it', () => {
    expect(resolveOwner('csm', aParisAccount())).toEqual({ role: 'csm', id: 'csm-lea' });
  });

  it('given a task for the team lead on an account that has one, then the team lead owns it', () => {
    expect(resolveOwner('teamLead', aParisAccount())).toEqual({ role: 'teamLead', id: 'lead-marc' });
  });

  it('given a task for Sales on an account that has a salesperson, then Sales owns it', () => {
    expect(resolveOwner('sales', aParisAccount({ salesId: 'sales-yanis' }))).toEqual({ role: 'sales', id: 'sales-yanis' });
  });

  it('given a task for the onboarding AM on an account without one, then it falls back to the CSM', () => {
    expect(resolveOwner('onboarding', aParisAccount())).toEqual({ role: 'csm', id: 'csm-lea' });
  });

  it('given a task for the team lead on an account without one, then it falls back to the CSM', () => {
    expect(resolveOwner('teamLead', aParisAccount({ teamLeadId: undefined }))).toEqual({ role: 'csm', id: 'csm-lea' });
  });

  it('given a task for the team lead whose id is empty (an account stored before the contract refused empty text), then it falls back to the CSM', () => {
    const stored = StoredAccountRecord.parse({ ...aParisAccount(), teamLeadId: '' });
    expect(resolveOwner('teamLead', stored)).toEqual({ role: 'csm', id: 'csm-lea' });
  });

  it('given a task for support, then the support queue owns it', () => {
    expect(resolveOwner('support', aParisAccount())).toEqual({ role: 'support', id: 'support' });
  });
});

describe('planTask: a task for today, in the account time zone, on French business days', () => {
  const account = aParisAccount();
  const planAt = (createdAt: string, request: TaskRequest = aTaskRequest()) => planTask(request, account, new Date(createdAt), calendar);

  it('given an account in Paris, when a task for today is created on Friday 13 November 2026 at 17:30, then it is due that Friday at 18:00', () => {
    expect(planAt('2026-11-13T17:30:00+01:00').dueAt).toBe('2026-11-13T18:00:00+01:00');
  });

  it('given an account in Paris, when a task for today is created on Friday 13 November 2026 at 18:30, then it is due on Monday at 18:00', () => {
    expect(planAt('2026-11-13T18:30:00+01:00').dueAt).toBe('2026-11-16T18:00:00+01:00');
  });

  it('given an account in Paris, when a task for today is created on the eve of 11 November 2026 (a holiday) at 20:00, then it is due on Thursday 12 at 18:00', () => {
    expect(planAt('2026-11-10T20:00:00+01:00').dueAt).toBe('2026-11-12T18:00:00+01:00');
  });

  it('given an account in Paris, when a task is created at 19:30 UTC (20:30 in Paris), then createdAt is written in the Paris offset', () => {
    expect(planAt('2026-11-13T19:30:00Z').createdAt).toBe('2026-11-13T20:30:00+01:00');
  });

  it('given an account in Paris, when a task due at a given instant is planned, then dueAt is that instant in the Paris offset', () => {
    const task = planAt('2026-11-13T10:00:00+01:00', aTaskRequest({ due: { rule: 'at', at: '2026-11-20T08:00:00Z' } }));
    expect(task.dueAt).toBe('2026-11-20T09:00:00+01:00');
  });

  it('given an account named Atelier Rive Gauche, then the title names the account', () => {
    expect(planAt('2026-11-13T10:00:00+01:00').title).toContain('Atelier Rive Gauche');
  });

  it('given a request, then the task is open, for the owner of its role, with the id of its reason', () => {
    const request = aTaskRequest({ kind: 'detractor-call' satisfies TaskKind, ownerRole: 'teamLead', reason: 'evt-nps-7' });
    expect(planAt('2026-11-13T10:00:00+01:00', request)).toMatchObject({
      id: taskId({ accountId: account.id, playbook: 'nps-response', kind: 'detractor-call', reason: 'evt-nps-7' }),
      kind: 'detractor-call',
      accountId: account.id,
      status: 'open',
      owner: 'lead-marc',
      ownerRole: 'teamLead',
    });
  });

  it('given the same request planned at two different times, then both plans carry the same id', () => {
    expect(planAt('2026-11-13T10:00:00+01:00').id).toBe(planAt('2026-11-16T10:00:00+01:00').id);
  });
});

describe('planTask: a task for today, for an account in New York', () => {
  const account = aParisAccount({ id: 'acc-hudson', name: 'Hudson Barbers', country: 'US', timezone: 'America/New_York', language: 'en' });

  it('given an account in New York, when a task for today is created at 20:00 Paris time (14:00 in New York), then it is due at 18:00 New York time the same day', () => {
    const task = planTask(aTaskRequest({ accountId: account.id }), account, new Date('2026-11-13T20:00:00+01:00'), calendar);
    expect(task.createdAt).toBe('2026-11-13T14:00:00-05:00');
    expect(task.dueAt).toBe('2026-11-13T18:00:00-05:00');
  });

  it('given an account in New York, when a task for today is created on Thanksgiving 2026, then it is due the next day at 18:00', () => {
    const task = planTask(aTaskRequest({ accountId: account.id }), account, new Date('2026-11-26T10:00:00-05:00'), calendar);
    expect(task.dueAt).toBe('2026-11-27T18:00:00-05:00');
  });
});

describe('task details', () => {
  it('given a failed step whose cause is longer than a task can show, then the task keeps its beginning instead of being refused', async () => {
    const { planTask, MAX_DETAILS_LENGTH } = await import('../../functions/core/tasks/task.ts');
    const { createBusinessCalendar } = await import('../../functions/core/calendar/business-time.ts');
    const { AccountRecord } = await import('../../functions/contracts/index.ts');
    const account = AccountRecord.parse({
      id: 'acc-long-cause', name: 'Salon Cause', country: 'FR', timezone: 'Europe/Paris', language: 'fr', csmId: 'csm-1', mrr: 1, contacts: [],
    });
    const task = planTask(
      { accountId: account.id, playbook: 'nps-response', kind: 'manual-follow-up', ownerRole: 'csm', reason: 'r', due: { rule: 'today' }, details: 'x'.repeat(50_000) },
      account,
      new Date('2026-11-16T10:00:00+01:00'),
      createBusinessCalendar({ FR: [] }, { start: '09:00', end: '18:00' }),
    );
    expect(task.details).toHaveLength(MAX_DETAILS_LENGTH);
    expect(task.details?.endsWith('…')).toBe(true);
  });
});

describe('risk titles', () => {
  it('given a downsell risk on Salon Horizon, then the CRM deal reads "Downsell risk: Salon Horizon"', () => {
    expect(riskTitle('downsell-risk', { name: 'Salon Horizon' })).toBe('Downsell risk: Salon Horizon');
  });
});
