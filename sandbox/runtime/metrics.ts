import { Metrics } from '@aws-lambda-powertools/metrics';

/**
 * Powertools Metrics whose flush keeps the values instead of printing EMF lines: on Lambda those
 * lines become CloudWatch metrics; in the sandbox they would land in the middle of the CLI's output
 * (the store flushes by itself every 100 values). The totals stay readable by name.
 */
export class SandboxMetrics extends Metrics {
  readonly totals = new Map<string, number>();

  constructor() {
    super({ namespace: 'cs-playbooks-sandbox', serviceName: 'cs-playbooks-sandbox' });
    this.setThrowOnEmptyMetrics(false);
  }

  override publishStoredMetrics(): this {
    if (!this.hasStoredMetrics()) return this;
    const emf = this.serializeMetrics() as unknown as Record<string, unknown> & { _aws: { CloudWatchMetrics: { Metrics: { Name: string }[] }[] } };
    for (const { Name } of emf._aws.CloudWatchMetrics.flatMap((directive) => directive.Metrics)) {
      const values = emf[Name];
      const sum = Array.isArray(values) ? values.reduce((total: number, value) => total + Number(value), 0) : Number(values);
      this.totals.set(Name, (this.totals.get(Name) ?? 0) + sum);
    }
    this.clearMetrics();
    return this;
  }
}
