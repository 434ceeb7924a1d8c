import { describe, expect, it } from 'vitest';
import { coupledSignals, type CoupledSignalRequest } from '../../functions/core/competitor-meeting/coupled-signals.ts';

const DETECTED = '2026-11-13T17:30:00+01:00';
const daysBefore = (days: number) => new Date(Date.parse(DETECTED) - days * 86_400_000).toISOString();

function signalsOf(history: Partial<Pick<CoupledSignalRequest, 'npsAnswers' | 'openRisks'>>) {
  return coupledSignals({ detectedAt: new Date(DETECTED), detractorLookbackDays: 90, churnRiskLookbackDays: 60, npsAnswers: [], openRisks: [], ...history });
}

const answer = (eventId: string, band: string, respondedAt: string) => ({ eventId, band, respondedAt });
const risk = (id: string, kind: string, openedAt: string) => ({ id, kind, openedAt });

describe('coupled signals: a red alert on an account that already shows distress becomes a churn risk', () => {
  it('given no NPS answer and no risk, then the red alert is alone (a note, no opportunity)', () => {
    expect(signalsOf({})).toEqual([]);
  });

  it('given a detractor answer 30 days before the detection, then it is coupled', () => {
    expect(signalsOf({ npsAnswers: [answer('evt-nps-1', 'detractor', daysBefore(30))] })).toEqual([
      { signal: 'detractor-nps', eventId: 'evt-nps-1', at: daysBefore(30) },
    ]);
  });

  it('given a detractor answer exactly 90 days before, then it still counts; 91 days before, it does not', () => {
    expect(signalsOf({ npsAnswers: [answer('evt-90', 'detractor', daysBefore(90))] })).toHaveLength(1);
    expect(signalsOf({ npsAnswers: [answer('evt-91', 'detractor', daysBefore(91))] })).toEqual([]);
  });

  it('given passive and promoter answers last week, then nothing is coupled: only a detractor is alarming', () => {
    expect(signalsOf({ npsAnswers: [answer('evt-p', 'passive', daysBefore(7)), answer('evt-h', 'promoter', daysBefore(7))] })).toEqual([]);
  });

  it('given a detractor answer recorded just after the detection, then it counts too', () => {
    expect(signalsOf({ npsAnswers: [answer('evt-late', 'detractor', '2026-11-13T18:00:00+01:00')] })).toHaveLength(1);
  });

  it('given a churn risk opened 59 days before, then it is coupled; one opened 61 days before is not recent', () => {
    expect(signalsOf({ openRisks: [risk('rsk-1', 'churn-risk', daysBefore(59))] })).toEqual([{ signal: 'recent-churn-risk', riskId: 'rsk-1', at: daysBefore(59) }]);
    expect(signalsOf({ openRisks: [risk('rsk-2', 'churn-risk', daysBefore(61))] })).toEqual([]);
  });

  it('given a downsell risk or a client risk opened last week, then nothing is coupled: only a churn risk is "RDC récent"', () => {
    expect(signalsOf({ openRisks: [risk('rsk-d', 'downsell-risk', daysBefore(7)), risk('rsk-c', 'client-risk', daysBefore(7))] })).toEqual([]);
  });

  it('given windows set to 30 and 10 days, then those windows apply', () => {
    const signals = coupledSignals({
      detectedAt: new Date(DETECTED),
      detractorLookbackDays: 30,
      churnRiskLookbackDays: 10,
      npsAnswers: [answer('evt-45', 'detractor', daysBefore(45))],
      openRisks: [risk('rsk-20', 'churn-risk', daysBefore(20))],
    });
    expect(signals).toEqual([]);
  });
});
