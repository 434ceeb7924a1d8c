import { createHash } from 'node:crypto';

/**
 * A competitor meeting and its follow-up, as the ledger keeps them: one record per meeting, holding
 * the latest detection, and which execution is the meeting's live follow-up (docs/playbooks.md: "an update
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

/**
 * How a follow-up ended: its call task is set, or nothing is left to call about (cancelled, or the
 * CSM met the client); `failed`: its execution failed after its retries (the CSM has a
 * manual-follow-up task), and the next delivery about the meeting reopens it.
 */
export type FollowUpOutcome = 'called' | 'cancelled' | 'meeting-booked' | 'failed';

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
  /**
   * `execution` took the follow-up over from another one (the meeting moved earlier): the coupled
   * signals were handled when it opened, and a retry of the take-over's plan must not redo them.
   */
  takenOver?: true;
  state: 'waiting' | 'ended';
  outcome?: FollowUpOutcome;
  /** Outcome `called`: when the red-alert-call is due, as the re-check decided it (its retry answers the same). */
  dueAt?: string;
  /** Outcome `meeting-booked`: the meeting with the client that met the goal. */
  touchpointAt?: string;
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

/**
 * Detections in the order they happened: by `detectedAt`, then by `eventId` when two share the
 * instant (a vendor that stamps whole seconds), so that both arrive as updates in either order and
 * every delivery order ends on the same record. Only the same `eventId` is the same detection.
 */
export function compareDetections(a: Pick<MeetingDetection, 'detectedAt' | 'eventId'>, b: Pick<MeetingDetection, 'detectedAt' | 'eventId'>): number {
  const byTime = Date.parse(a.detectedAt) - Date.parse(b.detectedAt);
  if (byTime !== 0) return Math.sign(byTime);
  return a.eventId < b.eventId ? -1 : a.eventId > b.eventId ? 1 : 0;
}

export type DetectionDecision =
  /** Open the follow-up: coupled signals, then wait for the call. */
  | { action: 'follow-up'; meeting: CompetitorMeeting; write: boolean }
  /** The meeting moved earlier than the live follow-up's call: this execution takes it over. */
  | { action: 'take-over'; meeting: CompetitorMeeting; write: boolean }
  /**
   * The meeting had already taken place when it was detected (meetingAt ≤ detectedAt): there is no
   * "before" left to call in, so no follow-up; the record is written and the account gets a note that
   * says so, because the client did meet a competitor.
   */
  | { action: 'note-only'; why: 'past'; meeting: CompetitorMeeting }
  /** `meeting`, when given, is the record to write (a newer detection). */
  | { action: 'record-only'; why: RecordOnlyWhy; meeting?: CompetitorMeeting };

export interface DetectionRequest {
  accountId: string;
  stored: CompetitorMeeting | undefined;
  detection: MeetingDetection;
  /** The execution deciding (`$$.Execution.Name`). */
  execution: string;
  /**
   * The call instant counted from a detection time for a meeting time (callDayOf), local ISO: this
   * detection's, or, for a follow-up reopened after a failed run, the opening detection's and the
   * meeting's time as recorded. Asked only when a follow-up may start: a cancellation or a repeat
   * needs no call day.
   */
  callAt: (from: { detectedAt: string; meetingAt: string }) => string;
}

/**
 * What a detection does to its meeting. The first detection of a scheduled meeting opens the follow-up
 * and its execution waits; a later detection (compareDetections) replaces the meeting time and status
 * and ends, leaving the live follow-up to re-read it after its wait. An older or repeated detection
 * changes nothing. The exceptions keep a red alert from being lost or late:
 * - the meeting moved so early that the live follow-up would wake after the new call day: the later
 *   detection's execution takes the follow-up over (the old one finds itself superseded when it wakes;
 *   a waiting Step Functions execution cannot be woken early);
 * - the follow-up ended because the meeting was cancelled, and it is booked again: a new follow-up;
 * - the follow-up's execution failed (outcome `failed`): a redelivery of a recorded detection reopens
 *   the same follow-up (same reason, so what the failed run did is not done twice and what it left
 *   undone is done), and a later detection opens a new one from itself, as after a cancellation;
 * - the recorded meeting has taken place and the client books the same competitor and shop again for
 *   a later date: that is a new meeting, with a new follow-up (an identity without the date cannot tell
 *   "moved" from "booked again" otherwise).
 * A follow-up is never opened for a meeting that had taken place when it was detected: a note instead.
 */
export function decideOnDetection({ accountId, stored, detection, execution, callAt }: DetectionRequest): DetectionDecision {
  const latest = {
    meetingAt: detection.meetingAt,
    status: detection.status,
    detectedAt: detection.detectedAt,
    eventId: detection.eventId,
  };
  /** A new follow-up from this detection, unless nothing is left to call about. */
  const open = (meeting: CompetitorMeeting): DetectionDecision => {
    if (detection.status === 'cancelled') return { action: 'record-only', why: 'cancelled', meeting };
    if (Date.parse(detection.meetingAt) <= Date.parse(detection.detectedAt)) return { action: 'note-only', why: 'past', meeting };
    const followUp: FollowUp = { execution, reason: detection.eventId, since: detection.detectedAt, callAt: callAt(detection), state: 'waiting' };
    return { action: 'follow-up', meeting: { ...meeting, followUp }, write: true };
  };

  if (!stored) {
    return open({
      meetingId: meetingId({ accountId, ...detection }),
      accountId,
      competitor: detection.competitor,
      ...(detection.shop === undefined ? {} : { shop: detection.shop }),
      ...latest,
    });
  }

  const followUp = stored.followUp;
  // This execution already decided (its Lambda is retried): the same answer, nothing to write.
  if (followUp?.execution === execution) {
    return { action: followUp.takenOver ? 'take-over' : 'follow-up', meeting: stored, write: false };
  }

  const failed = followUp?.state === 'ended' && followUp.outcome === 'failed';
  if (detection.eventId === stored.eventId || detection.eventId === followUp?.reason) {
    // A redelivery of a past meeting's detection writes its note again, once (the note's own key).
    if (!followUp && detection.eventId === stored.eventId && stored.status === 'scheduled' && Date.parse(stored.meetingAt) <= Date.parse(stored.detectedAt)) {
      return { action: 'note-only', why: 'past', meeting: stored };
    }
    if (!failed || !followUp) return { action: 'record-only', why: 'duplicate' };
    // A redelivery after a failed run: this execution completes the same follow-up, for the meeting
    // as recorded (the newest detection), counted from the detection that opened it.
    if (stored.status === 'cancelled') return { action: 'record-only', why: 'cancelled' };
    const { takenOver: _takenOver, outcome: _outcome, dueAt: _dueAt, touchpointAt: _touchpointAt, ...opened } = followUp;
    const reopened: FollowUp = { ...opened, execution, state: 'waiting', callAt: callAt({ detectedAt: followUp.since, meetingAt: stored.meetingAt }) };
    return { action: 'follow-up', meeting: { ...stored, followUp: reopened }, write: true };
  }

  if (compareDetections(detection, stored) < 0) return { action: 'record-only', why: 'older' };

  const updated: CompetitorMeeting = { ...stored, ...latest };
  const bookedAgain =
    detection.status === 'scheduled' &&
    Date.parse(stored.meetingAt) < Date.parse(detection.detectedAt) &&
    Date.parse(detection.meetingAt) > Date.parse(detection.detectedAt);
  if (!followUp || failed || (followUp.state === 'ended' && followUp.outcome === 'cancelled') || bookedAgain) return open(updated);
  if (followUp.state === 'ended') return { action: 'record-only', why: 'ended', meeting: updated };
  if (detection.status === 'scheduled') {
    const earlier = callAt(detection);
    if (Date.parse(earlier) < Date.parse(followUp.callAt)) {
      return { action: 'take-over', meeting: { ...updated, followUp: { ...followUp, execution, callAt: earlier, takenOver: true } }, write: true };
    }
  }
  return { action: 'record-only', why: 'followed', meeting: updated };
}
