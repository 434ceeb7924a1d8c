import { benchUsage } from './usage.ts';
await benchUsage(1);
