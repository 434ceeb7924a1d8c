import type { Logger } from '@aws-lambda-powertools/logger';
import { MetricUnit, type Metrics } from '@aws-lambda-powertools/metrics';
import type { HolidayYears } from '../core/calendar/business-time.ts';
import { holidayRunway } from '../core/calendar/holiday-runway.ts';

/**
 * The stage's alarms on its compiled public-holiday table (lib/cs-playbooks-stack.ts raises them):
 * one metric per stage, whichever function emits it, so one dimension of its own instead of the
 * `service` dimension Powertools adds to a function's metrics.
 */
export const HOLIDAY_TABLE_METRICS = {
  /** Emitted at each cold start during the table's last year (and after it): redeploy to extend it. */
  endsSoon: 'HolidayTableEndsSoon',
  /** Emitted when a business-day rule met a year the table does not hold: counted on weekends only. */
  missing: 'HolidayTableMissing',
} as const;
export const HOLIDAY_TABLE_DIMENSION = { name: 'Calendar', value: 'public-holidays' } as const;

/**
 * A stage-wide count: a single metric with the calendar's dimension only (what the stage's alarm
 * watches), published at once rather than with the invocation's metrics.
 */
export function stageCalendarMetric(metrics: Metrics): (name: string) => void {
  return (name) => {
    const metric = metrics.singleMetric();
    metric.clearDefaultDimensions();
    metric.addDimension(HOLIDAY_TABLE_DIMENSION.name, HOLIDAY_TABLE_DIMENSION.value);
    metric.addMetric(name, MetricUnit.Count, 1);
  };
}

/**
 * What a function does about its holiday table: at cold start, warn when it runs out within a year;
 * during invocations, report each year a rule needed and the table lacks (once per container and year).
 */
export function holidayCoverage(years: HolidayYears, { logger, emit }: { logger: Logger; emit: (metric: string) => void }) {
  const reported = new Set<number>();
  return {
    atColdStart(now: Date): void {
      const runway = holidayRunway(years, now);
      if (!runway.endsSoon) return;
      logger.warn('The public-holiday table compiled into this stage runs out: redeploy the stage to extend it', { ...runway, ...years });
      emit(HOLIDAY_TABLE_METRICS.endsSoon);
    },
    onUncoveredYear(year: number): void {
      if (reported.has(year)) return;
      reported.add(year);
      logger.warn('No public holidays compiled for this year: business days count weekends only until the stage is redeployed', { year, ...years });
      emit(HOLIDAY_TABLE_METRICS.missing);
    },
  };
}
