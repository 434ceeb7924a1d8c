import { describe, expect, it } from 'vitest';
import { mergeAccountUpdate } from '../../functions/core/accounts/merge-update.ts';

const stored = {
  record: { name: 'Salon Test', mrr: 900, csmId: 'csm-camille' },
  fieldTimes: { name: '2026-11-10T09:00:00Z', mrr: '2026-11-12T09:00:00Z', csmId: '2026-11-10T09:00:00Z' },
};

describe('account updates from the CRM, field by field, last writer wins', () => {
  it('given an MRR set on the 12th, when an update from the 11th arrives late, then the newer MRR is kept', () => {
    const merged = mergeAccountUpdate(stored, { mrr: 700 }, '2026-11-11T09:00:00Z');
    expect(merged.record.mrr).toBe(900);
    expect(merged.skipped).toEqual(['mrr']);
    expect(merged.applied).toEqual([]);
  });

  it('given a late update touching an older field too, then that field is applied and only the newer one is kept', () => {
    const merged = mergeAccountUpdate(stored, { mrr: 700, csmId: 'csm-yanis' }, '2026-11-11T09:00:00Z');
    expect(merged.record).toMatchObject({ mrr: 900, csmId: 'csm-yanis' });
    expect(merged.fieldTimes.csmId).toBe('2026-11-11T09:00:00Z');
  });

  it('given a newer update, then its fields win and carry its time', () => {
    const merged = mergeAccountUpdate(stored, { mrr: 1200 }, '2026-11-13T09:00:00+01:00');
    expect(merged.record.mrr).toBe(1200);
    expect(merged.fieldTimes.mrr).toBe('2026-11-13T09:00:00+01:00');
  });

  it('given two updates in the same second, then the later arrival wins', () => {
    const merged = mergeAccountUpdate(stored, { mrr: 950 }, '2026-11-12T10:00:00+01:00');
    expect(merged.record.mrr).toBe(950);
  });

  it('given a brand-new account, then every field is applied', () => {
    const merged = mergeAccountUpdate({ record: {}, fieldTimes: {} }, { name: 'New', mrr: 10 }, '2026-11-12T09:00:00Z');
    expect(merged.applied.sort()).toEqual(['mrr', 'name']);
  });
});

describe("the CSM's name goes with the CSM: csmName names the owner csmId names", () => {
  const named = {
    record: { name: 'Salon Test', csmId: 'csm-camille', csmName: 'Camille Martin' },
    fieldTimes: { name: '2026-11-10T09:00:00Z', csmId: '2026-11-10T09:00:00Z', csmName: '2026-11-10T09:00:00Z' },
  };

  it('given a new owner whose name could not be read (the update has no csmName), then the previous owner’s name is dropped, as of the update', () => {
    const merged = mergeAccountUpdate(named, { csmId: 'csm-yanis' }, '2026-11-12T09:00:00Z');
    expect(merged.record).toEqual({ name: 'Salon Test', csmId: 'csm-yanis' });
    expect(merged.fieldTimes.csmName).toBe('2026-11-12T09:00:00Z');
    expect(merged.applied.sort()).toEqual(['csmId', 'csmName']);
  });

  it('given the name dropped with the owner change, when an older update naming the previous owner arrives late, then the name stays absent', () => {
    const dropped = mergeAccountUpdate(named, { csmId: 'csm-yanis' }, '2026-11-12T09:00:00Z');
    const late = mergeAccountUpdate(dropped, { csmId: 'csm-camille', csmName: 'Camille Martin' }, '2026-11-11T09:00:00Z');
    expect(late.record).toEqual({ name: 'Salon Test', csmId: 'csm-yanis' });
  });

  it('given a new owner with their name, then the new name', () => {
    const merged = mergeAccountUpdate(named, { csmId: 'csm-yanis', csmName: 'Yanis Benali' }, '2026-11-12T09:00:00Z');
    expect(merged.record).toMatchObject({ csmId: 'csm-yanis', csmName: 'Yanis Benali' });
  });

  it('given the same owner sent again without a name, then the name is kept', () => {
    const merged = mergeAccountUpdate(named, { csmId: 'csm-camille' }, '2026-11-12T09:00:00Z');
    expect(merged.record.csmName).toBe('Camille Martin');
  });

  it('given an owner change older than the stored owner (skipped), then the name is kept', () => {
    const merged = mergeAccountUpdate(named, { csmId: 'csm-yanis' }, '2026-11-09T09:00:00Z');
    expect(merged.record).toMatchObject({ csmId: 'csm-camille', csmName: 'Camille Martin' });
  });

  it('given a name set after the owner change (a property feeding csmName, delivered first), then the owner change keeps it', () => {
    const renamed = mergeAccountUpdate(named, { csmName: 'Yanis Benali' }, '2026-11-12T09:00:05Z');
    const merged = mergeAccountUpdate(renamed, { csmId: 'csm-yanis' }, '2026-11-12T09:00:00Z');
    expect(merged.record).toMatchObject({ csmId: 'csm-yanis', csmName: 'Yanis Benali' });
  });
});

describe('an account must be in a country the business calendar knows', async () => {
  const { assertCalendarCovers } = await import('../../functions/core/accounts/calendar-coverage.ts');
  it('given the stage knows FR, then a French account is accepted', () => {
    expect(() => assertCalendarCovers({ id: 'acc-1', country: 'FR' }, { countries: ['FR', 'BE'] })).not.toThrow();
  });
  it('given the stage does not know JP, then a Japanese account is refused, naming the setting to extend', () => {
    expect(() => assertCalendarCovers({ id: 'acc-2', country: 'JP' }, { countries: ['FR', 'BE'] })).toThrow(/settings\.calendar\.countries/);
  });
});
