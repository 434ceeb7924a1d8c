/** An answer of an AWS JSON protocol operation: its HTTP status and JSON body. */
export interface AwsAnswer {
  status: number;
  body: unknown;
}

/** An error as AWS JSON services send it: `{ __type, message }`, which the SDK turns into its typed exception. */
export function awsError(status: number, type: string, message: string): AwsAnswer {
  return { status, body: { __type: type, message } };
}

/** The operation an AWS JSON protocol request names (`<service prefix>.<Operation>`), if it is one. */
export function awsApiTarget(headers: Record<string, string | string[] | undefined>): string | undefined {
  const target = headers['x-amz-target'];
  return typeof target === 'string' ? target : undefined;
}

/** The content type of an answer: AWS JSON 1.1 for EventBridge, 1.0 for Step Functions and DynamoDB. */
export const awsJsonContentType = (version: '1.0' | '1.1') => `application/x-amz-json-${version}`;

/** The request body as an object, or the answer that refuses it. */
export function awsJsonBody(rawBody: string): { body: Record<string, unknown> } | { refused: AwsAnswer } {
  try {
    const body: unknown = JSON.parse(rawBody || '{}');
    if (typeof body === 'object' && body !== null && !Array.isArray(body)) return { body: body as Record<string, unknown> };
  } catch {
    // Answered below.
  }
  return { refused: awsError(400, 'SerializationException', 'The request body is not a JSON object') };
}
