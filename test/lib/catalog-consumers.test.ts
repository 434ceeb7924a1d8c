import { describe, expect, it } from 'vitest';
import { DETAIL_TYPES } from '../../functions/contracts/index.ts';
import { NOT_USED_YET, PLAYBOOKS } from '../../lib/catalog.ts';

// docs/playbooks.md: every domain event on the bus is consumed by at least one playbook; an accepted event
// that changes nothing visible is a defect. A detail-type whose playbooks are still to come is listed,
// explicitly, as not used yet: the ingest then answers it saying so.

const consumersOf = (type: string) => PLAYBOOKS.filter((playbook) => (playbook.trigger as readonly string[]).includes(type)).map((playbook) => playbook.id);
const notUsedYet: readonly string[] = NOT_USED_YET;

describe('the catalog consumes every detail-type of the contract', () => {
  it.each(DETAIL_TYPES)('given the detail-type %s, then a playbook of the catalog consumes it, or the catalog lists it as not used yet', (type) => {
    expect(consumersOf(type).length > 0 || notUsedYet.includes(type), `${type}: no playbook's trigger names it, and NOT_USED_YET does not list it`).toBe(true);
  });

  it.each(NOT_USED_YET)('given %s listed as not used yet, then no playbook consumes it (the ingest would answer "nothing happens" for an event that does something)', (type) => {
    expect(consumersOf(type)).toEqual([]);
  });

  it('given the lifecycle facts (ContractSigned, BillingStarted), then account-sync consumes them: they are fields of the account record', () => {
    expect(consumersOf('ContractSigned')).toContain('account-sync');
    expect(consumersOf('BillingStarted')).toContain('account-sync');
  });
});
