import { describe, expect, it } from 'vitest';
import { annualRecurringRevenue, detractorEscalation, escalatesToTeamLead } from '../../functions/core/nps/escalation.ts';
import { aParisAccount, CLARA } from '../support/records.ts';

const TOM = { id: 'ct-tom', email: 'tom.durand@example.com', name: 'Tom Durand', role: 'user' } as const;
const account = (money: { arr?: number; mrr?: number }) => aParisAccount({ mrr: money.mrr ?? 450, ...(money.arr === undefined ? {} : { arr: money.arr }), contacts: [CLARA, TOM] });

describe('detractor escalation to the team lead (seed 003 steps 3 and 5): ARR ≥ escalationArr, or the champion is the detractor', () => {
  it('given ARR of 24 000 € and a threshold of 20 000 €, when a user answers, then it is escalated because of the ARR', () => {
    expect(detractorEscalation(account({ arr: 24_000 }), TOM.id, 20_000)).toEqual(['arr']);
  });

  it('given ARR of exactly 20 000 €, then it is escalated (the bound is included)', () => {
    expect(detractorEscalation(account({ arr: 20_000 }), TOM.id, 20_000)).toEqual(['arr']);
  });

  it('given ARR of 19 999 € and a user answering, then it is not escalated', () => {
    expect(detractorEscalation(account({ arr: 19_999 }), TOM.id, 20_000)).toEqual([]);
  });

  it('given a small account, when the champion answers, then it is escalated because of the champion', () => {
    expect(detractorEscalation(account({ arr: 5_400 }), CLARA.id, 20_000)).toEqual(['champion']);
  });

  it('given a large account whose champion answers, then both reasons are given', () => {
    expect(detractorEscalation(account({ arr: 30_000 }), CLARA.id, 20_000)).toEqual(['arr', 'champion']);
  });

  it('given a respondent the CRM does not list among the contacts, then only the ARR can escalate', () => {
    expect(detractorEscalation(account({ arr: 5_400 }), 'ct-unknown', 20_000)).toEqual([]);
  });

  it('given no ARR from the CRM, then twelve months of MRR stand for it', () => {
    expect(annualRecurringRevenue({ mrr: 1_700 })).toBe(20_400);
    expect(detractorEscalation(account({ mrr: 1_700 }), TOM.id, 20_000)).toEqual(['arr']);
  });

  it('given a threshold raised by the stage settings, then the same account is no longer escalated', () => {
    expect(detractorEscalation(account({ arr: 24_000 }), TOM.id, 50_000)).toEqual([]);
  });
});

describe('whether the team lead gets their own context review: a reason to escalate, and a team lead on the account', () => {
  it('given a reason and a team lead, then the team lead gets a copy', () => {
    expect(escalatesToTeamLead({ teamLeadId: 'lead-marc' }, ['arr'])).toBe(true);
  });

  it('given no reason, then no copy', () => {
    expect(escalatesToTeamLead({ teamLeadId: 'lead-marc' }, [])).toBe(false);
  });

  it('given a reason but no team lead on the account, then no copy: it would fall back to the CSM, who already has the review', () => {
    expect(escalatesToTeamLead({}, ['arr', 'champion'])).toBe(false);
    expect(escalatesToTeamLead({ teamLeadId: '' }, ['champion'])).toBe(false);
  });
});
