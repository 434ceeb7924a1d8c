import { seal } from '../adapters/sealed.ts';
import type { Sealed } from '../contracts/index.ts';
import { formatLocalIso, formatUtcIso } from '../core/calendar/business-time.ts';
import { handOverName, type HandOverInput } from '../core/checks/held-check.ts';
import { AccountNotFound } from '../core/errors.ts';
import { describeContactDrop, describeDrop, describeMeetingCheck } from '../core/usage/describe.ts';
import { reviewUsage, USAGE_CHECK_EXECUTIONS, usageClock, type KeyContact } from '../core/usage/usage-check.ts';
import { usageWindow } from '../core/usage/usage.ts';
import { HolderInput } from '../runtime/held-check-steps.ts';
import { definePlaybookFunction } from '../runtime/playbook-function.ts';

export interface UsageReviewed {
  decision: 'superseded' | 'reviewed';
  /** Whether the playbook has anything to do besides handing over (a drop, a meeting check, a contact). */
  acts: boolean;
  /** An account drop raised now: the alert and the usage-drop task (`reason`: its id), and for high-touch the check-in. */
  drop?: { reason: string; kind: 'idle' | 'drop'; highTouch: boolean; details: string };
  /** The check-in went unanswered: the usage-meeting-check task (`reason`: the drop's id). */
  meetingCheck?: { reason: string; details: string };
  /** High-touch key contacts idle while others go on: a champion-inactive task each, its body naming them (sealed). */
  contactTasks: { reason: string; details: Sealed }[];
  /** Low-touch key contacts idle while others go on: the champion-nudge e-mail each. */
  nudges: { reason: string; contactId: string }[];
  /** The execution the check is handed over to, by name, and its input; none: the check ends. */
  next?: { name: string } & HandOverInput;
}

/**
 * The holder of an account's usage check wakes up and reviews (core/usage/usage-check.ts reviewUsage):
 * re-reads the account's usage, its key contacts' and its latest touchpoint (exit on goal), writes the
 * decision before answering it (a retry of this step answers it again from the record), and answers
 * what the playbook does: ids, reasons and figures, the texts naming people sealed.
 */
export const reviewUsageCheck = definePlaybookFunction({
  id: 'review-usage',
  input: HolderInput,
  async run({ accountId, holder, generation }, { ledger, now, settings, calendar, logger, metrics }): Promise<UsageReviewed> {
    const account = await ledger.getAccount(accountId);
    if (!account) throw new AccountNotFound(accountId);
    const clock = usageClock(now(), account, calendar, (instant) => formatLocalIso(instant, account.timezone));
    const { check: stored, version } = await ledger.usageChecks.get(accountId);
    const { days, lastActiveDay } = await ledger.usage.activity(accountId);
    const watched = account.contacts.filter(({ role }) => role === 'champion' || (settings.usage.watchDecisionMaker && role === 'decision-maker'));
    const keyContacts: KeyContact[] = await Promise.all(
      watched.map(async ({ id, role }) => {
        const used = await ledger.usage.contactUsage(accountId, id);
        const lastDay = used?.days.at(-1);
        return { contactId: id, role: role as KeyContact['role'], ...(lastDay ? { lastDay } : {}) };
      }),
    );
    // Per business day of the account's country: a week with a public holiday is not a fall.
    const window = usageWindow(days, clock.today, lastActiveDay, (day) => calendar.isBusinessDay(day, account.country));
    const highTouch = account.segment !== undefined && settings.usage.highTouchSegments.includes(account.segment);
    const latest = await ledger.latestTouchpoint(accountId);
    const outcome = reviewUsage({ stored, token: { holder, generation }, window, keyContacts, latestTouchpointAt: latest?.at, highTouch, settings: settings.usage, clock });
    if (outcome.decision === 'superseded') {
      logger.info('usage check no longer held by this execution: exit', { accountId, generation });
      return { decision: 'superseded', acts: false, contactTasks: [], nudges: [] };
    }
    const { decided, check } = outcome;
    if (check) {
      await ledger.usageChecks.write(check, version);
      if (decided.drop) metrics.addMetric(`UsageDrop_${decided.drop.kind}`, 'Count', 1);
      if (decided.contacts.length > 0) metrics.addMetric('UsageContactDrop', 'Count', decided.contacts.length);
    }
    logger.info('usage check reviewed', {
      accountId,
      generation,
      drop: decided.drop?.id,
      meetingCheck: decided.meetingCheck?.id,
      contacts: decided.contacts.map(({ contactId, action }) => ({ contactId, action })),
      closed: decided.closed,
      next: decided.next?.wakeAt,
      written: check !== undefined,
    });

    const contactTasks = await Promise.all(
      decided.contacts
        .filter(({ action }) => action === 'task')
        .map(async (drop) => ({
          reason: drop.id,
          details: await seal(ledger, accountId, drop.id, 'champion-inactive', describeContactDrop(drop, account.contacts.find(({ id }) => id === drop.contactId)), now()),
        })),
    );
    return {
      decision: 'reviewed',
      acts: decided.drop !== undefined || decided.meetingCheck !== undefined || decided.contacts.length > 0,
      ...(decided.drop ? { drop: { reason: decided.drop.id, kind: decided.drop.kind, highTouch: decided.drop.highTouch, details: describeDrop(decided.drop, window.lastActiveDay) } } : {}),
      ...(decided.meetingCheck ? { meetingCheck: { reason: decided.meetingCheck.id, details: describeMeetingCheck(settings.usage.checkInDays) } } : {}),
      contactTasks,
      nudges: decided.contacts.filter(({ action }) => action === 'email').map(({ id, contactId }) => ({ reason: id, contactId })),
      ...(decided.next
        ? {
            next: {
              name: handOverName(USAGE_CHECK_EXECUTIONS, accountId, { holder, generation: decided.next.generation }),
              check: { accountId, holder, generation: decided.next.generation, wakeAt: formatUtcIso(new Date(decided.next.wakeAt)) },
            },
          }
        : {}),
    };
  },
});
