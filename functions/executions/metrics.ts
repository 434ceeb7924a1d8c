/**
 * The redrive function's metrics, per state machine (the dimension beside Powertools' `service`,
 * `redrive`): what the playbooks' StayedFailedAlarm reads (lib/stage-alarms.ts).
 */
export const REDRIVE_SERVICE = 'redrive';
export const STATE_MACHINE_DIMENSION = 'StateMachineArn';
export const REDRIVE_METRICS = {
  redriven: 'ExecutionRedriven',
  /** The same failure delivered again after its redrive: nothing to do. */
  alreadyRunning: 'ExecutionAlreadyRedriven',
  staysFailed: 'ExecutionStayedFailed',
} as const;
