import { applyDecision, type DecisionDeps, type DecisionResponse } from '../adapters/approval-decisions.ts';
import { checkSignedJsonRequest, type SignedRequest } from '../adapters/signed-request.ts';
import { ApprovalDecisionRequest, APPROVAL_ID } from '../contracts/approvals.ts';
import { ContractError, parseContract } from '../contracts/zod.ts';

// Where the sandbox and the tests have always imported them from.
export { applyDecision, type DecisionDeps, type DecisionResponse, type DecisionResponseBody } from '../adapters/approval-decisions.ts';

export interface SignedDecisionDeps extends DecisionDeps {
  /** Active approval signing secrets (`whsec_…`); two during a rotation. */
  secrets: readonly string[];
}

export interface DecisionRequest extends SignedRequest {
  /** From the path, `POST /approvals/<approvalId>`. */
  approvalId: string;
}

/**
 * `POST /approvals/<approvalId>`: the CSM approves, edits or cancels an
 * e-mail a playbook proposed. Verified like the event webhook (Standard Webhooks signature on the raw
 * body, constant time, five-minute window), validated, then `applyDecision`. Answers: 200 decided
 * (the playbook resumed), 400 a bad body (naming the field), 401 signature, 404 no such approval,
 * 409 decided before, 410 expired, 413, 415, 503 decided but not delivered yet (send the same again).
 */
export async function decideApproval(request: DecisionRequest, deps: SignedDecisionDeps): Promise<DecisionResponse> {
  const check = checkSignedJsonRequest(request, deps.secrets);
  if (!check.verified) return refuse(check.statusCode, check.error);
  if (!APPROVAL_ID.test(request.approvalId)) return refuse(404, `No approval ${JSON.stringify(request.approvalId.slice(0, 80))}: approval ids are apr- then 20 hex digits`);
  let decision: ApprovalDecisionRequest;
  try {
    decision = parseContract(ApprovalDecisionRequest, JSON.parse(check.payload), 'approval decision');
  } catch (error) {
    if (error instanceof SyntaxError) return refuse(400, `Body is not valid JSON: ${error.message}`);
    if (error instanceof ContractError) return refuse(400, error.message, error.problems);
    throw error;
  }
  if (decision.approvalId !== request.approvalId) {
    return refuse(400, 'approval decision is invalid', [`approvalId: ${decision.approvalId} in the body, ${request.approvalId} in the URL: they must name the same approval`]);
  }
  return applyDecision(decision, deps);
}

function refuse(statusCode: number, error: string, details?: readonly string[]): DecisionResponse {
  return { statusCode, body: { error, ...(details ? { details } : {}) } };
}
