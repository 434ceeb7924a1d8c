import type { ApprovalDecisionRequest } from '../../functions/contracts/index.ts';
import type { Ledger } from '../../functions/adapters/ledger.ts';
import { approvalView, type ApprovalRecord, type ApprovalView } from '../../functions/core/approvals/approval.ts';
import { applyDecision, decideApproval, type DecisionRequest, type DecisionResponse } from '../../functions/decide-approval/decide-approval.ts';
import type { TaskCallbacks } from '../../functions/adapters/step-functions/task-callbacks.ts';
import type { Clock } from '../engine/clock.ts';

/** A decision taken in the sandbox (HTTP or scenario), as the report lists it. */
export interface DecisionLogEntry {
  at: number;
  approvalId: string;
  decision: 'approve' | 'cancel' | 'unknown';
  statusCode: number;
  /** The refusal's reason, when refused. */
  error?: string;
}

export interface ApprovalDeskDeps {
  ledger: Ledger;
  callbacks: TaskCallbacks;
  clock: Clock;
  now: () => Date;
  /** Counts the work as running (like a function call), so that the sandbox settles only after the executions it resumes. */
  track<T>(work: () => Promise<T>): Promise<T>;
}

/**
 * The sandbox's approvals: the CSM's decisions, through the same code as the deployed approval Lambda
 * (signed `POST /approvals/<id>`) or in process (a scenario's), each logged for the report.
 */
export class ApprovalDesk {
  readonly decisions: DecisionLogEntry[] = [];

  constructor(private readonly deps: ApprovalDeskDeps) {}

  /** `POST /approvals/<id>`: the same signed endpoint and code as the deployed approval Lambda. */
  decide(request: DecisionRequest, secrets: readonly string[]): Promise<DecisionResponse> {
    const { ledger, callbacks, now } = this.deps;
    return this.log(request.approvalId, decisionOf(request.rawBody), () => decideApproval(request, { secrets, ledger, callbacks, now }));
  }

  /** A scenario's approval: the decision itself, in process (like scenario events, no signature to forge). */
  apply(decision: ApprovalDecisionRequest): Promise<DecisionResponse> {
    const { ledger, callbacks, now } = this.deps;
    return this.log(decision.approvalId, decision.decision, () => applyDecision(decision, { ledger, callbacks, now }));
  }

  /**
   * Every approval, without its task tokens, with the e-mail as it would go out (its draft, read from
   * the ledger, the CSM's edits applied): the CSM's view. `pending`: only those still waiting for the CSM.
   */
  async approvals({ pending = false } = {}): Promise<ApprovalView[]> {
    const { ledger } = this.deps;
    const now = new Date(this.deps.clock.now());
    const records = (await ledger.scan<{ approval: ApprovalRecord }>('approval')).map(({ approval }) => approval);
    const views = await Promise.all(records.map(async (approval) => approvalView(approval, now, await ledger.getEmail(approval.accountId, approval.emailId))));
    return views.filter((view) => !pending || view.status === 'pending').sort((a, b) => Date.parse(a.requestedAt) - Date.parse(b.requestedAt) || a.id.localeCompare(b.id));
  }

  private log(approvalId: string, decision: DecisionLogEntry['decision'], work: () => Promise<DecisionResponse>): Promise<DecisionResponse> {
    return this.deps.track(async () => {
      const response = await work();
      const error = 'error' in response.body ? response.body.error : undefined;
      this.decisions.push({ at: this.deps.clock.now(), approvalId, decision, statusCode: response.statusCode, ...(error ? { error } : {}) });
      return response;
    });
  }
}

/** For the decision log only: the request's decision, if its body says. */
function decisionOf(rawBody: Buffer): DecisionLogEntry['decision'] {
  try {
    const decision = (JSON.parse(rawBody.toString('utf8')) as { decision?: unknown }).decision;
    return decision === 'approve' || decision === 'cancel' ? decision : 'unknown';
  } catch {
    return 'unknown';
  }
}
