/**
 * Stands in for `mnemonist/lru-cache` in the Lambda bundles (esbuild
 * `--alias:mnemonist/lru-cache=./functions/runtime/lambda-lru-cache.ts`, set in
 * lib/constructs/bundled-function.ts); never imported directly.
 *
 * Why: the DynamoDB client always builds its endpoint-discovery cache (@aws-sdk/endpoint-cache), an
 * LRU from mnemonist, which brings 7 KB of generic data structures into bundles whose budget is
 * the bundle budget. Endpoint discovery is off for these clients, so the cache stays empty; this is still a
 * complete LRU of the methods the endpoint cache calls (get, peek, set, has, clear), on a Map, whose
 * insertion order is the recency order.
 */
export default class LRUCache<K, V> {
  private readonly entries = new Map<K, V>();

  constructor(private readonly capacity: number) {}

  get(key: K): V | undefined {
    if (!this.entries.has(key)) return undefined;
    const value = this.entries.get(key) as V;
    this.entries.delete(key);
    this.entries.set(key, value);
    return value;
  }

  /** Read without refreshing recency. */
  peek(key: K): V | undefined {
    return this.entries.get(key);
  }

  set(key: K, value: V): this {
    this.entries.delete(key);
    this.entries.set(key, value);
    if (this.entries.size > this.capacity) this.entries.delete(this.entries.keys().next().value as K);
    return this;
  }

  has(key: K): boolean {
    return this.entries.has(key);
  }

  clear(): void {
    this.entries.clear();
  }

  get size(): number {
    return this.entries.size;
  }
}
