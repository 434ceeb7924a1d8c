import { createHash } from 'node:crypto';

/**
 * A competitor meeting and its follow-up, as the ledger keeps them: one record per meeting, holding
 * the latest detection, and which execution is the meeting's live follow-up (PLAYBOOKS.md: "an update
 * of the same meeting reschedules, it does not duplicate").
 */

export type MeetingStatus = 'scheduled' | 'cancelled';

/** A CompetitorMeetingDetected, as the plan reads it (a missing status is `scheduled`). */
export interface MeetingDetection {
  eventId: string;
  competitor: string;
  shop?: string | undefined;
  meetingAt: string;
  status: MeetingStatus;
  detectedAt: string;
}

export type FollowUpOutcome = 'called' | 'cancelled' | 'meeting-booked';

export interface FollowUp {
  /** The execution that waits for the call day: the only one that acts on this meeting. */
  execution: string;
  /**
   * The eventId of the detection that opened the follow-up: the reason of its risk, note and tasks,
   * so that a retried step, a redelivery or a hand-over to another execution creates each one once.
   */
  reason: string;
  /** That detection's detectedAt: a meeting touchpoint from then on means the CSM already met them. */
  since: string;
  /** The call instant the follow-up waits for, in the account's offset. */
  callAt: string;
  state: 'waiting' | 'ended';
  outcome?: FollowUpOutcome;
}

export interface CompetitorMeeting {
  meetingId: string;
  accountId: string;
  competitor: string;
  shop?: string;
  /** meetingAt, status, detectedAt and eventId are the latest detection's (by detectedAt). */
  meetingAt: string;
  status: MeetingStatus;
  detectedAt: string;
  eventId: string;
  followUp?: FollowUp;
}

/**
 * A meeting is the account + competitor + shop (shop optional): the vendor sends the same meeting
 * again when it moves or is cancelled. Case, accents' composition and stray spaces do not make another
 * meeting ("Planity" and "planity ").
 */
export function meetingId(parts: { accountId: string; competitor: string; shop?: string | undefined }): string {
  const normalize = (text: string) => text.normalize('NFC').trim().replace(/\s+/g, ' ').toLowerCase();
  const key = JSON.stringify([parts.accountId, normalize(parts.competitor), normalize(parts.shop ?? '')]);
  return `mtg-${createHash('sha256').update(key).digest('hex').slice(0, 20)}`;
}

/** Why a detection only updates the record and ends (the `why` of the playbook's Succeed state). */
export type RecordOnlyWhy =
  /** The same event again (a vendor redelivery or an archive replay). */
  | 'duplicate'
  /** Older than what the record holds: it arrived out of order and changes nothing. */
  | 'older'
  /** A cancellation with no follow-up to stop. */
  | 'cancelled'
  /** The meeting already has a live follow-up, which re-reads the record when it wakes up. */
  | 'followed'
  /** The follow-up ended (the call task is set, or the CSM met the client): nothing left to plan. */
  | 'ended';

export type DetectionDecision =
  /** Open the follow-up: coupled signals, then wait for the call. */
  | { action: 'follow-up'; meeting: CompetitorMeeting; write: boolean }
  /** The meeting moved earlier than the live follow-up's call: this execution takes it over. */
  | { action: 'take-over'; meeting: CompetitorMeeting; write: boolean }
  /** `meeting`, when given, is the record to write (a newer detection). */
  | { action: 'record-only'; why: RecordOnlyWhy; meeting?: CompetitorMeeting };

export interface DetectionRequest {
  accountId: string;
  stored: CompetitorMeeting | undefined;
  detection: MeetingDetection;
  /** The execution deciding (`$$.Execution.Name`). */
  execution: string;
  /**
   * The call instant for this detection (redAlertCallDay of its detectedAt and meetingAt), local ISO.
   * Asked only when a follow-up may start from it: a cancellation or a repeat needs no call day.
   */
  callAt: () => string;
}

/**
 * What a detection does to its meeting. The first detection of a scheduled meeting opens the follow-up
 * and its execution waits; a later detection (by detectedAt) replaces the meeting time and status and
 * ends, leaving the live follow-up to re-read it after its wait. An older or repeated detection changes
 * nothing. Three exceptions keep a red alert from being lost or late:
 * - the meeting moved so early that the live follow-up would wake after the new call day: the later
 *   detection's execution takes the follow-up over (the old one finds itself superseded when it wakes;
 *   a waiting Step Functions execution cannot be woken early);
 * - the follow-up ended because the meeting was cancelled, and it is booked again: a new follow-up;
 * - the recorded meeting has taken place and the client books the same competitor and shop again for
 *   a later date: that is a new meeting, with a new follow-up (an identity without the date cannot tell
 *   "moved" from "booked again" otherwise).
 */
export function decideOnDetection({ accountId, stored, detection, execution, callAt }: DetectionRequest): DetectionDecision {
  const latest = {
    meetingAt: detection.meetingAt,
    status: detection.status,
    detectedAt: detection.detectedAt,
    eventId: detection.eventId,
  };
  const opening = (): FollowUp => ({ execution, reason: detection.eventId, since: detection.detectedAt, callAt: callAt(), state: 'waiting' });

  if (!stored) {
    const meeting: CompetitorMeeting = {
      meetingId: meetingId({ accountId, ...detection }),
      accountId,
      competitor: detection.competitor,
      ...(detection.shop === undefined ? {} : { shop: detection.shop }),
      ...latest,
    };
    if (detection.status === 'cancelled') return { action: 'record-only', why: 'cancelled', meeting };
    return { action: 'follow-up', meeting: { ...meeting, followUp: opening() }, write: true };
  }

  // This execution already decided (its Lambda is retried): the same answer, nothing to write.
  if (stored.followUp?.execution === execution) {
    return { action: stored.followUp.reason === detection.eventId ? 'follow-up' : 'take-over', meeting: stored, write: false };
  }

  if (Date.parse(detection.detectedAt) <= Date.parse(stored.detectedAt)) {
    const seen = detection.eventId === stored.eventId || detection.eventId === stored.followUp?.reason;
    return { action: 'record-only', why: seen ? 'duplicate' : 'older' };
  }

  const updated: CompetitorMeeting = { ...stored, ...latest };
  const followUp = stored.followUp;
  const bookedAgain =
    detection.status === 'scheduled' &&
    Date.parse(stored.meetingAt) < Date.parse(detection.detectedAt) &&
    Date.parse(detection.meetingAt) > Date.parse(detection.detectedAt);
  if (!followUp || (followUp.state === 'ended' && followUp.outcome === 'cancelled') || bookedAgain) {
    if (detection.status === 'cancelled') return { action: 'record-only', why: 'cancelled', meeting: updated };
    return { action: 'follow-up', meeting: { ...updated, followUp: opening() }, write: true };
  }
  if (followUp.state === 'ended') return { action: 'record-only', why: 'ended', meeting: updated };
  if (detection.status === 'scheduled') {
    const earlier = callAt();
    if (Date.parse(earlier) < Date.parse(followUp.callAt)) {
      return { action: 'take-over', meeting: { ...updated, followUp: { ...followUp, execution, callAt: earlier } }, write: true };
    }
  }
  return { action: 'record-only', why: 'followed', meeting: updated };
}
