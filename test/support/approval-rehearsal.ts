import { DetailType, resolveSettings, type DomainEventMessage } from '../../functions/contracts/index.ts';
import type { PlaybookEntry } from '../../lib/catalog.ts';
import { VirtualClock } from '../../sandbox/engine/clock.ts';
import { Sandbox, type SandboxOptions } from '../../sandbox/runtime/sandbox.ts';
import { parisAccount } from './scenario.ts';

/**
 * A test-only playbook (not in the catalog): the smallest flow that asks the CSM to approve an e-mail,
 * run through the sandbox's interpreter path, synthesized by the stack and checked by validate-asl,
 * so approval mode is proven end to end before nps-response and no-contact use it.
 */
export const APPROVAL_REHEARSAL = {
  id: 'approval-rehearsal',
  description: 'Test fixture: ask the CSM to approve an e-mail, then send, stop, or report the expiry',
  definitionFile: 'test/fixtures/approval-rehearsal.asl.json',
  trigger: [DetailType.UpsellRequested],
  actions: ['prepare-email', 'plan-approval', 'request-approval', 'send-email', 'create-task'],
} as const satisfies PlaybookEntry;

/** The settings the fixture runs with: its e-mail (the no-contact proposal, to the champion) in approval mode. */
export const REHEARSAL_CONFIG = { noContact: { noContactEmailMode: 'approval' } } as const;

/** An UpsellRequested: what starts the fixture (its e-mail is the no-contact proposal to the account's champion). */
export function upsellRequest(at: string, eventId: string, details = 'Thank you for your trust: would you tell others on G2?', accountId = 'acc-paris') {
  return { type: 'UpsellRequested', timestamp: at, data: { eventId, accountId, at, details } } as const;
}

/**
 * A sandbox on a virtual clock that deploys the fixture only, driven step by step: what the tests
 * of approval mode need to act while an execution is parked (approve twice, read the approvals).
 */
export async function startRehearsal(start: string, options: Pick<SandboxOptions, 'intercept'> = {}) {
  const clock = new VirtualClock(Date.parse(start));
  const sandbox = await Sandbox.start({ ...options, clock, settings: resolveSettings(REHEARSAL_CONFIG), deterministicIds: true, playbooks: [APPROVAL_REHEARSAL] });
  await sandbox.importAccounts([parisAccount()]);
  return {
    clock,
    sandbox,
    /** Deliver `message` now, and let everything it starts run until it waits. */
    async deliver(message: ReturnType<typeof upsellRequest>) {
      sandbox.publish(message as unknown as DomainEventMessage);
      await sandbox.settled();
    },
    /** Move the virtual clock to `at`, firing every timer due on the way (Waits, retries, Task timeouts). */
    async advanceTo(at: string) {
      const until = Date.parse(at);
      for (;;) {
        await sandbox.settled();
        const next = clock.nextWakeUp();
        if (next === undefined || next > until) break;
        clock.runNext();
      }
      clock.advanceTo(until);
      await sandbox.settled();
    },
    /** The only approval, or the one of `reason`. */
    async approval(reason?: string) {
      const approvals = (await sandbox.approvals()).filter((a) => reason === undefined || a.reason === reason);
      if (approvals.length !== 1) throw new Error(`expected one approval${reason ? ` for ${reason}` : ''}, found ${approvals.length}`);
      return approvals[0]!;
    },
  };
}
