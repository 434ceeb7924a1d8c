/**
 * Coupled signals (docs/playbooks.md, competitor-meeting; seed 001 "couplé à d'autres signaux alarmants (NPS
 * bas, RDC récent, tickets non résolus, bugs…)"): a red alert alone earns a note on the account; a red
 * alert on an account that already shows distress opens a churn risk.
 *
 * What the ledger can tell today: a detractor NPS answer, and a churn risk opened recently. Unresolved
 * support tickets and open bugs have no source yet (no helpdesk or bug-tracker events reach the
 * ledger); they join this list with the helpdesk adapter, rather than being guessed from something else.
 */

export interface NpsAnswerSignal {
  eventId: string;
  band: string;
  respondedAt: string;
}

export interface RiskSignal {
  id: string;
  kind: string;
  openedAt: string;
}

export interface CoupledSignalRequest {
  /** When the red alert was raised: the windows count back from it. */
  detectedAt: Date;
  /** settings.competitorMeeting.detractorLookbackDays (default 90). */
  detractorLookbackDays: number;
  /** settings.competitorMeeting.churnRiskLookbackDays (default 60). */
  churnRiskLookbackDays: number;
  npsAnswers: readonly NpsAnswerSignal[];
  /** The account's open risks (the ledger keeps open ones only). */
  openRisks: readonly RiskSignal[];
}

export type CoupledSignal =
  | { signal: 'detractor-nps'; eventId: string; at: string }
  | { signal: 'recent-churn-risk'; riskId: string; at: string };

const DAY_MS = 86_400_000;

/**
 * The signals that couple with a red alert: detractor answers given at most `detractorLookbackDays`
 * before the detection, churn risks opened at most `churnRiskLookbackDays` before it. Anything recorded
 * after the detection (a late answer) counts too: it is no less alarming. Empty: not coupled.
 */
export function coupledSignals(request: CoupledSignalRequest): CoupledSignal[] {
  const since = (days: number) => request.detectedAt.getTime() - days * DAY_MS;
  const detractorsSince = since(request.detractorLookbackDays);
  const risksSince = since(request.churnRiskLookbackDays);
  return [
    ...request.npsAnswers
      .filter((answer) => answer.band === 'detractor' && Date.parse(answer.respondedAt) >= detractorsSince)
      .map((answer) => ({ signal: 'detractor-nps' as const, eventId: answer.eventId, at: answer.respondedAt })),
    // Downsell risks are not "risque de churn": only churn risks couple.
    ...request.openRisks
      .filter((risk) => risk.kind === 'churn-risk' && Date.parse(risk.openedAt) >= risksSince)
      .map((risk) => ({ signal: 'recent-churn-risk' as const, riskId: risk.id, at: risk.openedAt })),
  ];
}
