/**
 * EventBridge event-pattern matching for the in-process sandbox bus.
 *
 * The sandbox must route events exactly as AWS does, so this follows the AWS documentation:
 *   - https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-event-patterns.html
 *       (structure, fields AND-ed, leaf arrays OR-ed, exact JSON values)
 *   - https://docs.aws.amazon.com/eventbridge/latest/userguide/content-filtering-with-event-patterns.html
 *       ("Content filtering in Amazon EventBridge event patterns": prefix, suffix, equals-ignore-case,
 *        wildcard, anything-but, numeric, exists, $or)
 *   - https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-create-pattern-operators.html (operator table)
 *   - https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-event-patterns-arrays.html
 *   - https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-event-patterns-null-values.html
 * Where the user guide is silent, the engine EventBridge runs decides (https://github.com/aws/event-ruler,
 * README and JsonRuleCompiler): wildcard escapes, `$or` shape, arrays of objects matched element by element.
 *
 * Anything this module cannot evaluate exactly (e.g. `cidr`) is rejected by `assertSupportedPattern`,
 * so a rule never silently routes differently in the sandbox than on AWS.
 */

export type EventPattern = Readonly<Record<string, unknown>>;

type JsonObject = Readonly<Record<string, unknown>>;
/** A leaf value of an event: the only things a leaf matcher is ever compared with. */
type Scalar = string | number | boolean | null;
/** One entry of a leaf array: an exact value, or a one-operator object such as `{ prefix: 'x' }`. */
type Matcher = Scalar | JsonObject;

/** Numeric matching is documented as limited to values between -1.0e9 and +1.0e9 inclusive. */
const NUMERIC_LIMIT = 1e9;

const COMPARATORS: Readonly<Record<string, (value: number, bound: number) => boolean>> = {
  '=': (value, bound) => value === bound,
  '<': (value, bound) => value < bound,
  '<=': (value, bound) => value <= bound,
  '>': (value, bound) => value > bound,
  '>=': (value, bound) => value >= bound,
};
const LOWER_BOUNDS = ['>', '>='];
const UPPER_BOUNDS = ['<', '<='];

// ---------------------------------------------------------------------------------------------
// Matching
// ---------------------------------------------------------------------------------------------

/**
 * True when `event` matches `pattern`. The pattern is validated on every call (patterns are tiny)
 * so that an unvalidated pattern can never be evaluated with semantics that differ from AWS.
 */
export function matchesEventPattern(pattern: EventPattern, event: unknown): boolean {
  assertSupportedPattern(pattern);
  return matchesObject(pattern, event);
}

/** Every field of the pattern object must match (fields are AND-ed). */
function matchesObject(pattern: JsonObject, node: unknown): boolean {
  // An array of objects in the event: one element must satisfy the whole sub-pattern
  // (event-ruler's "array-consistent" matching), never a mix of fields from different elements.
  if (Array.isArray(node) && node.length > 0) {
    return node.some((element) => matchesObject(pattern, element));
  }
  const fields = isJsonObject(node) ? node : {};
  return Object.entries(pattern).every(([key, subPattern]) => matchesField(key, subPattern, fields));
}

function matchesField(key: string, subPattern: unknown, fields: JsonObject): boolean {
  if (key === '$or') {
    return (subPattern as readonly JsonObject[]).some((branch) => matchesObject(branch, fields));
  }
  // Own properties only: a field called "constructor" must not resolve to Object.prototype's.
  const value = Object.hasOwn(fields, key) ? fields[key] : undefined;
  if (Array.isArray(subPattern)) {
    return matchesLeaf(subPattern as readonly Matcher[], leafValues(value));
  }
  return matchesObject(subPattern as JsonObject, value);
}

/**
 * The scalar values of an event field. Arrays are flattened ("matches if the intersection is non-empty");
 * objects are dropped because they are not leaf nodes, so they only ever satisfy `exists: false`.
 */
function leafValues(value: unknown): Scalar[] {
  if (value === undefined || isJsonObject(value)) return [];
  if (Array.isArray(value)) return value.flatMap(leafValues);
  return [value as Scalar];
}

/** The matchers of a leaf array are OR-ed. */
function matchesLeaf(matchers: readonly Matcher[], values: readonly Scalar[]): boolean {
  return matchers.some((matcher) =>
    isJsonObject(matcher) && 'exists' in matcher
      ? // exists looks at presence only, so a field whose value is null still exists.
        (values.length > 0) === matcher['exists']
      : // A missing field has no values, so it never matches any other matcher (anything-but included).
        values.some((value) => matchesValue(matcher, value)),
  );
}

/** One matcher against one scalar event value. */
function matchesValue(matcher: Matcher, value: Scalar): boolean {
  // Exact values compare type and value: "5" ≠ 5, "" ≠ null, null matches only null.
  if (!isJsonObject(matcher)) return value === matcher;
  const [operator, operand] = singleEntry(matcher);
  switch (operator) {
    case 'prefix':
      return typeof value === 'string' && matchesAffix(operand, value, (text, affix) => text.startsWith(affix));
    case 'suffix':
      return typeof value === 'string' && matchesAffix(operand, value, (text, affix) => text.endsWith(affix));
    case 'equals-ignore-case':
      return typeof value === 'string' && foldCase(value) === foldCase(operand as string);
    case 'wildcard':
      return typeof value === 'string' && wildcardToRegExp(operand as string).test(value);
    case 'numeric':
      return matchesNumeric(operand as readonly unknown[], value);
    case 'anything-but':
      return matchesAnythingBut(operand, value);
    default:
      throw new Error(`unreachable: operator "${operator}" passed validation`);
  }
}

/** prefix/suffix take a string, or `{ 'equals-ignore-case': string }` to ignore case. */
function matchesAffix(operand: unknown, value: string, test: (text: string, affix: string) => boolean): boolean {
  if (isJsonObject(operand)) return test(foldCase(value), foldCase(operand['equals-ignore-case'] as string));
  return test(value, operand as string);
}

/** Numeric matching only applies to JSON numbers inside the documented range, never to numeric strings. */
function matchesNumeric(operand: readonly unknown[], value: Scalar): boolean {
  if (typeof value !== 'number' || Math.abs(value) > NUMERIC_LIMIT) return false;
  return numericConditions(operand).every(([comparator, bound]) => COMPARATORS[comparator]!(value, bound));
}

/** `['>', 0, '<=', 5]` → `[['>', 0], ['<=', 5]]`. */
function numericConditions(operand: readonly unknown[]): Array<[string, number]> {
  const conditions: Array<[string, number]> = [];
  for (let i = 0; i < operand.length; i += 2) conditions.push([operand[i] as string, operand[i + 1] as number]);
  return conditions;
}

/**
 * anything-but matches any present value the inner matcher(s) would not match. That includes
 * values of another type and explicit null (AWS behaviour, see localstack/localstack#9711).
 */
function matchesAnythingBut(operand: unknown, value: Scalar): boolean {
  return !excludedMatchers(operand).some((matcher) => matchesValue(matcher, value));
}

/** `'a'` → `['a']`; `['a','b']` → as is; `{ wildcard: ['x','y'] }` → `[{ wildcard: 'x' }, { wildcard: 'y' }]`. */
function excludedMatchers(operand: unknown): Matcher[] {
  if (Array.isArray(operand)) return operand as Matcher[];
  if (!isJsonObject(operand)) return [operand as Scalar];
  const [operator, inner] = singleEntry(operand);
  return (Array.isArray(inner) ? inner : [inner]).map((each) => ({ [operator]: each }));
}

/**
 * `*` matches any run of characters (including none); `\*` and `\\` are a literal star and backslash.
 * Throws on what EventBridge refuses: consecutive `*`, or a backslash escaping anything else.
 */
function wildcardToRegExp(wildcard: string): RegExp {
  let source = '';
  for (let i = 0; i < wildcard.length; i += 1) {
    const char = wildcard[i]!;
    if (char === '\\') {
      const escaped = wildcard[i + 1];
      if (escaped !== '*' && escaped !== '\\') throw new Error('a backslash may only escape "*" or "\\"');
      source += escapeRegExp(escaped);
      i += 1;
    } else if (char === '*') {
      if (wildcard[i + 1] === '*') throw new Error('consecutive "*" wildcards are not allowed');
      source += '.*';
    } else {
      source += escapeRegExp(char);
    }
  }
  // "s": a wildcard also spans newlines; the whole value must match, not a substring.
  return new RegExp(`^${source}$`, 's');
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

function foldCase(text: string): string {
  return text.toLowerCase();
}

// ---------------------------------------------------------------------------------------------
// Validation
// ---------------------------------------------------------------------------------------------

/**
 * Throws, naming the JSON path (e.g. `$.detail.x[0]`), at the first construct that is malformed or
 * that the sandbox cannot evaluate exactly as EventBridge would.
 */
export function assertSupportedPattern(pattern: unknown): asserts pattern is EventPattern {
  assertPatternObject(pattern, '$');
}

function assertPatternObject(node: unknown, path: string): void {
  if (!isJsonObject(node)) fail(path, `must be an object of fields, got ${describe(node)}`);
  const entries = Object.entries(node);
  // EventBridge refuses empty objects: an empty sub-pattern would otherwise match everything.
  if (entries.length === 0) fail(path, 'must not be an empty object');
  for (const [key, value] of entries) {
    const at = childPath(path, key);
    if (key === '$or') assertOrBranches(value, at);
    else if (Array.isArray(value)) assertMatchers(value, at);
    else if (isJsonObject(value)) assertPatternObject(value, at);
    else fail(at, `a leaf must be an array of matchers (or a nested object), got ${describe(value)}`);
  }
}

/**
 * event-ruler treats `$or` as a plain field name unless it is an array of at least two objects;
 * that ambiguity is refused here rather than guessed.
 */
function assertOrBranches(value: unknown, path: string): void {
  if (!Array.isArray(value) || value.length < 2) {
    fail(path, `$or must be an array of at least two pattern objects, got ${describe(value)}`);
  }
  value.forEach((branch, index) => assertPatternObject(branch, `${path}[${index}]`));
}

function assertMatchers(matchers: readonly unknown[], path: string): void {
  if (matchers.length === 0) fail(path, 'must list at least one matcher');
  matchers.forEach((matcher, index) => assertMatcher(matcher, `${path}[${index}]`));
}

function assertMatcher(matcher: unknown, path: string): void {
  if (isScalar(matcher)) return;
  if (!isJsonObject(matcher)) fail(path, `must be a string, number, boolean, null or operator object, got ${describe(matcher)}`);
  const [operator, operand] = singleOperator(matcher, path);
  const assertOperand = OPERAND_CHECKS[operator];
  if (assertOperand === undefined) {
    fail(path, `unsupported operator "${operator}" (supported: ${Object.keys(OPERAND_CHECKS).join(', ')})`);
  }
  assertOperand(operand, childPath(path, operator));
}

/** Operators the sandbox evaluates exactly, each with the shape of operand EventBridge accepts. */
const OPERAND_CHECKS: Readonly<Record<string, (operand: unknown, path: string) => void>> = {
  prefix: assertAffixOperand,
  suffix: assertAffixOperand,
  'equals-ignore-case': assertString,
  wildcard: assertWildcard,
  'anything-but': assertAnythingButOperand,
  numeric: assertNumericOperand,
  exists: (operand, path) => {
    if (typeof operand !== 'boolean') fail(path, `must be true or false, got ${describe(operand)}`);
  },
};

function assertAffixOperand(operand: unknown, path: string): void {
  if (!isJsonObject(operand)) return assertString(operand, path);
  const [operator, inner] = singleOperator(operand, path);
  if (operator !== 'equals-ignore-case') fail(path, `only "equals-ignore-case" may be nested here, got "${operator}"`);
  assertString(inner, childPath(path, operator));
}

function assertWildcard(operand: unknown, path: string): void {
  assertString(operand, path);
  try {
    wildcardToRegExp(operand);
  } catch (error) {
    fail(path, (error as Error).message);
  }
}

/** anything-but: a string, a number, a non-empty list of only strings or only numbers, or one nested operator. */
function assertAnythingButOperand(operand: unknown, path: string): void {
  if (typeof operand === 'string') return;
  if (typeof operand === 'number') return assertNumericBound(operand, path);
  if (Array.isArray(operand)) return assertAnythingButList(operand, path);
  if (!isJsonObject(operand)) fail(path, `must be a string, number, list or operator object, got ${describe(operand)}`);
  const [operator, inner] = singleOperator(operand, path);
  const at = childPath(path, operator);
  switch (operator) {
    case 'prefix':
    case 'suffix':
      // Only a single, non-empty prefix/suffix is accepted by EventBridge here.
      assertString(inner, at);
      if (inner === '') fail(at, 'must not be empty');
      return;
    case 'equals-ignore-case':
      return assertOneOrMany(inner, at, assertString);
    case 'wildcard':
      return assertOneOrMany(inner, at, assertWildcard);
    default:
      fail(path, `unsupported anything-but operator "${operator}"`);
  }
}

function assertAnythingButList(list: readonly unknown[], path: string): void {
  if (list.length === 0) fail(path, 'must list at least one value');
  const allStrings = list.every((item) => typeof item === 'string');
  const allNumbers = list.every((item) => typeof item === 'number');
  if (!allStrings && !allNumbers) fail(path, 'must list only strings or only numbers');
  if (allNumbers) list.forEach((item, index) => assertNumericBound(item, `${path}[${index}]`));
}

function assertOneOrMany(operand: unknown, path: string, assertOne: (item: unknown, path: string) => void): void {
  if (!Array.isArray(operand)) return assertOne(operand, path);
  if (operand.length === 0) fail(path, 'must list at least one value');
  operand.forEach((item, index) => assertOne(item, `${path}[${index}]`));
}

/** `[op, n]` with op in = < <= > >=, or a range `['>'|'>=', low, '<'|'<=', high]` with low < high. */
function assertNumericOperand(operand: unknown, path: string): void {
  if (!Array.isArray(operand) || (operand.length !== 2 && operand.length !== 4)) {
    fail(path, `must be [operator, number] or [">"|">=", low, "<"|"<=", high], got ${describe(operand)}`);
  }
  const allowedPerPosition = operand.length === 2 ? [Object.keys(COMPARATORS)] : [LOWER_BOUNDS, UPPER_BOUNDS];
  allowedPerPosition.forEach((allowed, pair) => {
    const comparator: unknown = operand[2 * pair];
    if (typeof comparator !== 'string' || !allowed.includes(comparator)) {
      fail(`${path}[${2 * pair}]`, `must be one of ${allowed.join(' ')}, got ${describe(comparator)}`);
    }
    assertNumericBound(operand[2 * pair + 1], `${path}[${2 * pair + 1}]`);
  });
  if (operand.length === 4 && !((operand[1] as number) < (operand[3] as number))) {
    fail(path, 'the lower bound must be below the upper bound');
  }
}

function assertNumericBound(bound: unknown, path: string): void {
  if (typeof bound !== 'number' || !Number.isFinite(bound) || Math.abs(bound) > NUMERIC_LIMIT) {
    fail(path, `must be a number between -${NUMERIC_LIMIT} and ${NUMERIC_LIMIT}, got ${describe(bound)}`);
  }
}

function assertString(operand: unknown, path: string): asserts operand is string {
  if (typeof operand !== 'string') fail(path, `must be a string, got ${describe(operand)}`);
}

/** Operator objects hold exactly one operator: `{ prefix: 'a', suffix: 'b' }` is refused by EventBridge. */
function singleOperator(node: JsonObject, path: string): [string, unknown] {
  if (Object.keys(node).length !== 1) fail(path, `an operator object must have exactly one key, got ${describe(node)}`);
  return singleEntry(node);
}

// ---------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------

function singleEntry(node: JsonObject): [string, unknown] {
  return Object.entries(node)[0]!;
}

function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isScalar(value: unknown): value is Scalar {
  return (
    value === null ||
    typeof value === 'string' ||
    typeof value === 'boolean' ||
    (typeof value === 'number' && Number.isFinite(value))
  );
}

/** `$.detail` for identifier keys, `$["detail-type"]` otherwise, so the path can be pasted back. */
function childPath(path: string, key: string): string {
  return /^[A-Za-z_$][\w$]*$/.test(key) ? `${path}.${key}` : `${path}[${JSON.stringify(key)}]`;
}

function describe(value: unknown): string {
  if (value === undefined) return 'undefined';
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

function fail(path: string, reason: string): never {
  throw new Error(`Unsupported event pattern at ${path}: ${reason}`);
}
