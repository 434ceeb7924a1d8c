/**
 * The threshold alerts of the alert channel (docs/playbooks.md, health): the line each one watches is a
 * setting (`alerts.*`, `usage.championIdleDays`). A contract, since `ThresholdReached` and `AlertSnoozed`
 * name them; their rules are in functions/core/health/thresholds.ts.
 */
export const THRESHOLD_ALERTS = ['no-exchange', 'decision-maker-silent', 'no-qbr', 'renewal-near', 'champion-idle'] as const;
export type ThresholdAlert = (typeof THRESHOLD_ALERTS)[number];
