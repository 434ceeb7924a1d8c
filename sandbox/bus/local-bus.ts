import { assertSupportedPattern, matchesEventPattern, type EventPattern } from './event-pattern.ts';

export interface LocalRule<E> {
  name: string;
  pattern: EventPattern;
  target(event: E): void;
}

/**
 * The in-process event bus: the catalog's rules with the same patterns as the deployed
 * EventBridge rules. A pattern the matcher cannot evaluate exactly is refused at start-up.
 */
export class LocalBus<E> {
  private readonly rules: LocalRule<E>[] = [];

  addRule(rule: LocalRule<E>): void {
    assertSupportedPattern(rule.pattern);
    this.rules.push(rule);
  }

  /**
   * Deliver to every matching rule's target; returns the names of the rules that matched. `onlyRules`:
   * a replay's destination rules (StartReplay's FilterArns), the others not looked at.
   */
  put(event: E, onlyRules?: ReadonlySet<string>): string[] {
    const matched = this.rules.filter((rule) => (!onlyRules || onlyRules.has(rule.name)) && matchesEventPattern(rule.pattern, event));
    for (const rule of matched) rule.target(event);
    return matched.map((rule) => rule.name);
  }
}
