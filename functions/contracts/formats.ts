/** The string formats the contracts, the calendar and the build share: written once. */

/** ISO 3166-1 alpha-2, upper case: `FR`. */
export const COUNTRY_CODE = /^[A-Z]{2}$/;

/** A wall-clock time, zero-padded 24 h: `09:00`. Zero-padding makes string order time order. */
export const CLOCK_TIME = /^([01]\d|2[0-3]):([0-5]\d)$/;

/** A local calendar date: `2026-07-14`. */
export const LOCAL_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
