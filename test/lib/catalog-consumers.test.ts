import { describe, expect, it } from 'vitest';
import { DETAIL_TYPES } from '../../functions/contracts/index.ts';
import { PLAYBOOKS, RECORDERS } from '../../lib/catalog.ts';

// docs/playbooks.md: every domain event on the bus is consumed, by a playbook or a recorder (the
// product's usage, recorded straight from the bus); an accepted event that changes nothing is a defect.

const consumersOf = (type: string) => [...PLAYBOOKS, ...RECORDERS].filter((entry) => (entry.trigger as readonly string[]).includes(type)).map((entry) => entry.id);

describe('the catalog consumes every detail-type of the contract', () => {
  it.each(DETAIL_TYPES)('given the detail-type %s, then a playbook or a recorder of the catalog consumes it', (type) => {
    expect(consumersOf(type).length > 0, `${type}: no playbook's or recorder's trigger names it`).toBe(true);
  });

  it('given the lifecycle facts (ContractSigned, BillingStarted), then account-sync consumes them: they are fields of the account record', () => {
    expect(consumersOf('ContractSigned')).toContain('account-sync');
    expect(consumersOf('BillingStarted')).toContain('account-sync');
  });

  it('given the product’s usage, then the usage recorder records it, and no playbook starts an execution per use', () => {
    expect(consumersOf('ProductUsageRecorded')).toEqual(['usage-recorder']);
  });
});
