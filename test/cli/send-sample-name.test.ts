import { describe, expect, it } from 'vitest';
import { CliError } from '../../sandbox/commands/command.ts';
import { payloadPath } from '../../sandbox/commands/send.ts';

// `playbooks send` takes a file, or the name of a shipped sample: what a new user types first.

describe('playbooks send <payload | sample>', () => {
  it('given a domain event type, then the shipped sample of that event', () => {
    expect(payloadPath('AlertAcknowledged', 'events')).toBe('functions/contracts/samples/AlertAcknowledged.json');
  });

  it("given a vendor sample's name and its vendor, then that vendor's documented sample", () => {
    expect(payloadPath('hubspot-deal-created', 'hubspot')).toBe('functions/ingest/vendors/samples/hubspot-deal-created.json');
  });

  it('given a path or a .json name, then the file as given (its read says when it does not exist)', () => {
    expect(payloadPath('functions/contracts/samples/UpsellRequested.json', 'events')).toBe('functions/contracts/samples/UpsellRequested.json');
    expect(payloadPath('mine.json', 'events')).toBe('mine.json');
  });

  it('given a name that is neither a file nor a sample, then a usage error listing the samples there are', () => {
    const attempt = () => payloadPath('AlertAcknowledge', 'events');
    expect(attempt).toThrow(CliError);
    expect(attempt).toThrow(/no file AlertAcknowledge, nor a domain event sample of that name: AccountActive, AccountFlooded, AccountUpdated, AlertAcknowledged, /);
    expect(() => payloadPath('deal', 'hubspot')).toThrow(/nor a hubspot sample of that name: hubspot-company-name-change, /);
  });

  it('given a vendor sample named without its vendor, then a usage error saying which --vendor it needs', () => {
    expect(() => payloadPath('hubspot-deal-created', 'events')).toThrow('hubspot-deal-created is a hubspot sample: playbooks send hubspot-deal-created --vendor hubspot');
  });
});
