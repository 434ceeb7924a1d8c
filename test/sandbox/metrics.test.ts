import { describe, expect, it } from 'vitest';
import { SandboxMetrics } from '../../sandbox/runtime/metrics.ts';

describe('metrics in the sandbox', () => {
  it('given more values than the store holds, when it flushes by itself, then nothing is printed and every value is counted', () => {
    const metrics = new SandboxMetrics();
    const printed: unknown[] = [];
    const log = console.log;
    console.log = (...args: unknown[]) => void printed.push(args);
    try {
      for (let i = 0; i < 250; i++) metrics.addMetric('Task_nps-follow-up-call', 'Count', 1);
      metrics.addMetric('NpsResponse_detractor', 'Count', 2);
      metrics.publishStoredMetrics();
    } finally {
      console.log = log;
    }
    expect(printed).toEqual([]);
    expect(Object.fromEntries(metrics.totals)).toEqual({ 'Task_nps-follow-up-call': 250, NpsResponse_detractor: 2 });
  });
});
