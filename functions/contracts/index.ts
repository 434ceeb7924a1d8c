export * from './account.ts';
export * from './approvals.ts';
export * from './buttons.ts';
export * from './events.ts';
export * from './settings.ts';
export * from './tasks.ts';
export { ContractError, describeIssues, formatPath, parseContract } from './zod.ts';
export * from './webhook.ts';
export * from './sealed.ts';
