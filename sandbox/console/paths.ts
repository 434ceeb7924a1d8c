/** An execution's page in the console: its ARN in the path, readable (colons need no escaping there). */
export const executionPath = (executionArn: string) => `/executions/${encodeURIComponent(executionArn).replaceAll('%3A', ':')}`;
