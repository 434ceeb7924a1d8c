import { describe, expect, it } from 'vitest';
import { MAX_AUTOMATIC_REDRIVES, redriveDecision } from '../../functions/core/redrive/redrive-rule.ts';

const FAILED_AT = Date.parse('2026-11-12T10:00:00Z');
const HOUR = 60 * 60 * 1000;
const DAY = 24 * HOUR;
const failed = (error: string | undefined, redriveCount = 0) => ({ error, redriveCount, stoppedAt: FAILED_AT });

describe('which failed executions are redriven automatically', () => {
  it.each(['AwsServiceUnavailable', 'Lambda.ServiceException', 'Lambda.TooManyRequestsException', 'StepFunctions.ThrottlingException'])(
    'given an execution that failed because AWS was failing (%s), then it is redriven',
    (error) => {
      expect(redriveDecision(failed(error), FAILED_AT + 1000)).toEqual({ redrive: true });
    },
  );

  it.each(['AutomationFailed', 'AccountNotFound', 'ContractError', 'VendorRejected', 'States.Timeout', 'TypeError'])(
    'given an execution that failed the same way every time (%s), then it stays failed: running it again would fail again',
    (error) => {
      expect(redriveDecision(failed(error), FAILED_AT + 1000)).toEqual({ redrive: false, why: 'not-transient' });
    },
  );

  it('given a failure with no error name, then it stays failed', () => {
    expect(redriveDecision(failed(undefined), FAILED_AT)).toEqual({ redrive: false, why: 'not-transient' });
  });

  it(`given an execution already redriven ${MAX_AUTOMATIC_REDRIVES} times, then the outage has lasted hours: it stays failed, for ops`, () => {
    expect(redriveDecision(failed('AwsServiceUnavailable', MAX_AUTOMATIC_REDRIVES - 1), FAILED_AT)).toEqual({ redrive: true });
    expect(redriveDecision(failed('AwsServiceUnavailable', MAX_AUTOMATIC_REDRIVES), FAILED_AT)).toEqual({ redrive: false, why: 'redrives-spent' });
  });

  it('given a failure reported late (a replayed status change), then it is redriven up to 13 days after it ended, a day before Step Functions stops allowing it', () => {
    expect(redriveDecision(failed('AwsServiceUnavailable'), FAILED_AT + 13 * DAY)).toEqual({ redrive: true });
    expect(redriveDecision(failed('AwsServiceUnavailable'), FAILED_AT + 13 * DAY + HOUR)).toEqual({ redrive: false, why: 'too-old' });
  });
});
