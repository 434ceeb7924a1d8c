import { updatePreChurnCase } from '../adapters/pre-churn-cases.ts';
import { DetailSchemas } from '../contracts/index.ts';
import { z } from '../contracts/zod.ts';
import { formatLocalIso } from '../core/calendar/business-time.ts';
import { AccountNotFound } from '../core/errors.ts';
import { newCase, withStatus, type CaseOpening } from '../core/pre-churn/case.ts';
import { churnRiskDetails, escalationDetails, notificationText, proofMissingDetails, saveTaskDetails } from '../core/pre-churn/describe.ts';
import { preChurnOwnership } from '../core/pre-churn/owner.ts';
import { saveDeadline } from '../core/pre-churn/waits.ts';
import { preChurnWindow } from '../core/pre-churn/window.ts';
import { preChurnCaseId } from '../core/tasks/identity.ts';
import { definePlaybookFunction } from '../runtime/playbook-function.ts';

export type OpenPreChurnResult =
  | { route: 'churn-risk'; why: 'no-signature' | 'beyond-window'; days?: number; windowDays: number; churnRiskDetails: string }
  | {
      route: 'pre-churn';
      caseId: string;
      created: boolean;
      days: number;
      windowDays: number;
      ownerRole: CaseOpening['ownerRole'];
      owner: string;
      informedRole?: CaseOpening['informedRole'];
      informed?: string;
      saveDeadline: string;
      /** What the people read: the save task, the other one's notification, the team lead's escalation, the missing proof. */
      saveTaskDetails: string;
      notificationText: string;
      escalationDetails: string;
      proofMissingDetails: string;
    };

/**
 * A cancellation request: within `preChurn.windowDays` of the contract's signature (local days) it opens
 * the contract's pre-churn case (once: a redelivery, or a second request for the same contract, finds the
 * case the first opened), owned by Sales before the welcome call and by the onboarding AM after it;
 * otherwise, or without a signature on file, it is ordinary churn (the playbook opens a churn risk).
 */
export const openPreChurn = definePlaybookFunction({
  id: 'open-pre-churn',
  input: z.object({ detail: DetailSchemas.CancellationRequested }),
  async run({ detail }, { ledger, now, settings, calendar, logger, metrics }): Promise<OpenPreChurnResult> {
    const account = await ledger.getAccount(detail.accountId);
    if (!account) throw new AccountNotFound(detail.accountId);
    const { windowDays, saveTimeoutDays } = settings.preChurn;
    const request = { requestedAt: formatLocalIso(new Date(detail.requestedAt), account.timezone), channel: detail.channel };
    if (!account.signedAt) {
      logger.info('cancellation without a signature on file: churn risk', { accountId: account.id, eventId: detail.eventId });
      return { route: 'churn-risk', why: 'no-signature', windowDays, churnRiskDetails: churnRiskDetails(request, undefined) };
    }
    const window = preChurnWindow({ signedAt: account.signedAt, requestedAt: detail.requestedAt, timezone: account.timezone, windowDays }, calendar);
    if (!window.within) {
      logger.info('cancellation beyond the pre-churn window: churn risk', { accountId: account.id, eventId: detail.eventId, days: window.days, windowDays });
      return { route: 'churn-risk', why: 'beyond-window', days: window.days, windowDays, churnRiskDetails: churnRiskDetails(request, window) };
    }

    const caseId = preChurnCaseId({ accountId: account.id, signedAt: account.signedAt });
    const at = now();
    const ownership = preChurnOwnership(account, detail.requestedAt);
    const opening: CaseOpening = {
      eventId: detail.eventId,
      ...request,
      ...(detail.proofUrl ? { proofUrl: detail.proofUrl } : {}),
      openedAt: formatLocalIso(at, account.timezone),
      days: window.days,
      windowDays,
      ownerRole: ownership.ownerRole,
      owner: ownership.owner.id,
      ...(ownership.informed ? { informedRole: ownership.informed.role, informed: ownership.informed.id } : {}),
      saveDeadline: formatLocalIso(saveDeadline(at, account, saveTimeoutDays, settings.businessHours.end, calendar), account.timezone),
    };
    const { created, stored } = await updatePreChurnCase(ledger, account.id, caseId, (record) => {
      // The first request opens the case; a later one (a redelivery, the client writing again) joins it.
      if (record?.opened) return { result: { created: false, stored: record.opened } };
      const base = record ?? newCase({ id: caseId, accountId: account.id, signedAt: account.signedAt!, timezone: account.timezone });
      return { write: withStatus({ ...base, opened: opening }), result: { created: true, stored: opening } };
    });
    if (created) metrics.addMetric('PreChurnOpened', 'Count', 1);
    // Ids, roles and numbers only: the texts below name the account.
    logger.info(created ? 'pre-churn case opened' : 'pre-churn case already open', {
      accountId: account.id,
      caseId,
      eventId: detail.eventId,
      days: stored.days,
      windowDays,
      ownerRole: stored.ownerRole,
      owner: stored.owner,
    });
    const signedOn = calendar.localDate(new Date(account.signedAt), account.timezone);
    return {
      route: 'pre-churn',
      caseId,
      created,
      days: stored.days,
      windowDays: stored.windowDays,
      ownerRole: stored.ownerRole,
      owner: stored.owner,
      ...(stored.informed ? { informedRole: stored.informedRole, informed: stored.informed } : {}),
      saveDeadline: stored.saveDeadline,
      saveTaskDetails: saveTaskDetails(stored, signedOn),
      notificationText: notificationText(stored, account, signedOn),
      escalationDetails: escalationDetails(stored, signedOn),
      proofMissingDetails: proofMissingDetails(stored),
    };
  },
});
