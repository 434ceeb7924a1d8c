import { describe, expect, it } from 'vitest';
import { preChurnOwnership } from '../../functions/core/pre-churn/owner.ts';
import { aParisAccount } from '../support/records.ts';

// seed 001: before the welcome call Sales owns the save, after it the onboarding AM; the one tells the other.
const REQUESTED = '2026-11-12T10:00:00+01:00';
const account = (welcomeCallAt?: string, overrides: Parameters<typeof aParisAccount>[0] = {}) =>
  aParisAccount({ salesId: 'sales-sam', onboardingId: 'onb-olga', signedAt: '2026-11-02T15:00:00+01:00', ...(welcomeCallAt ? { welcomeCallAt } : {}), ...overrides });

describe('who owns a pre-churn save', () => {
  it('given no welcome call on file, then Sales owns it and the onboarding AM is told', () => {
    expect(preChurnOwnership(account(), REQUESTED)).toEqual({
      owner: { role: 'sales', id: 'sales-sam' },
      ownerRole: 'sales',
      informed: { role: 'onboarding', id: 'onb-olga' },
    });
  });

  it('given the welcome call scheduled after the request, then it has not happened: Sales owns it', () => {
    expect(preChurnOwnership(account('2026-11-13T10:00:00+01:00'), REQUESTED)).toMatchObject({ owner: { role: 'sales', id: 'sales-sam' }, informed: { role: 'onboarding' } });
  });

  it('given the welcome call done before the request, then the onboarding AM owns it and Sales is told', () => {
    expect(preChurnOwnership(account('2026-11-09T14:00:00+01:00'), REQUESTED)).toEqual({
      owner: { role: 'onboarding', id: 'onb-olga' },
      ownerRole: 'onboarding',
      informed: { role: 'sales', id: 'sales-sam' },
    });
  });

  it('given the welcome call at the very instant of the request, then it counts as done', () => {
    expect(preChurnOwnership(account(REQUESTED), REQUESTED).ownerRole).toBe('onboarding');
  });

  it('given no salesperson on the account before the welcome call, then the CSM stands in as owner (never an owner-less save), and the onboarding AM is still told', () => {
    expect(preChurnOwnership(account(undefined, { salesId: undefined }), REQUESTED)).toEqual({
      owner: { role: 'csm', id: 'csm-lea' },
      ownerRole: 'sales',
      informed: { role: 'onboarding', id: 'onb-olga' },
    });
  });

  it('given no onboarding AM named, then nobody to tell', () => {
    expect(preChurnOwnership(account(undefined, { onboardingId: undefined }), REQUESTED).informed).toBeUndefined();
  });

  it('given one person in both roles, then they own it and are not told about it by themselves', () => {
    expect(preChurnOwnership(account(undefined, { onboardingId: 'sales-sam' }), REQUESTED).informed).toBeUndefined();
  });
});
