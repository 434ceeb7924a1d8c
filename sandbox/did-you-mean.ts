import { closest, distance } from 'fastest-levenshtein';

/**
 * The name a mistyped one most likely meant, or undefined when none is close enough to suggest: the
 * same name in another case, the only name it begins (`NpsResponse` → `NpsResponseReceived`), or a
 * typo (at most two edits, or a third of the letters for a long name). What an error that lists the
 * valid names suggests first.
 */
export function closestName(input: string, names: readonly string[]): string | undefined {
  const wanted = input.toLowerCase();
  const lowered = names.map((name) => name.toLowerCase());
  const begun = names.filter((_, index) => wanted.length >= 3 && lowered[index]!.startsWith(wanted));
  if (begun.length === 1) return begun[0];
  if (names.length === 0 || wanted.length === 0) return undefined;
  const nearest = closest(wanted, lowered);
  return distance(wanted, nearest) <= Math.max(2, Math.floor(wanted.length / 3)) ? names[lowered.indexOf(nearest)] : undefined;
}

/** ` (did you mean "X"?)` when a name is close, else nothing: appended to an "unknown …" error. */
export function didYouMean(input: string, names: readonly string[], quote = '"'): string {
  const name = closestName(input, names);
  return name === undefined ? '' : ` (did you mean ${quote}${name}${quote}?)`;
}
