import { decode, encode, type SourceMapSegment } from '@jridgewell/sourcemap-codec';
import { readFileSync, writeFileSync } from 'node:fs';

/**
 * A bundle's source map cut down to the project's own sources: Node parses the whole map the first time
 * it formats a stack (`--enable-source-maps`), and a map of every package's positions (the AWS SDK, the
 * X-Ray SDK: nine tenths of a bundle) cost that first error hundreds of milliseconds of a cold start
 * (nodejs/node#41541). esbuild cannot leave packages out (evanw/esbuild#1685, #3310), so the map it wrote
 * is filtered: a package's mappings become null mappings, as esbuild writes for a source without a map
 * (its generated position only), so a frame inside a package reads as the bundle's own position instead
 * of borrowing the previous project mapping on the line. Project frames keep their file, line and name.
 */
export function keepOwnSources(mapFile: string, isOwn: (source: string) => boolean = (source) => !source.includes('node_modules/')): void {
  const map = JSON.parse(readFileSync(mapFile, 'utf8')) as { sources: string[]; names: string[]; mappings: string; sourcesContent?: unknown };
  const sources: string[] = [];
  const names: string[] = [];
  const sourceIndex = new Map<number, number>();
  const nameIndex = new Map<number, number>();
  const indexOf = (index: number, from: string[], to: string[], seen: Map<number, number>) => {
    let kept = seen.get(index);
    if (kept === undefined) {
      kept = to.push(from[index]!) - 1;
      seen.set(index, kept);
    }
    return kept;
  };
  const mappings = decode(map.mappings).map((line) => {
    const kept: SourceMapSegment[] = [];
    for (const segment of line) {
      if (segment.length === 1 || !isOwn(map.sources[segment[1]]!)) {
        // One null mapping where a run of package code starts: the positions after it map to nothing.
        if (kept.at(-1)?.length !== 1) kept.push([segment[0]]);
        continue;
      }
      const [column, source, originalLine, originalColumn] = segment;
      const own = indexOf(source, map.sources, sources, sourceIndex);
      kept.push(segment.length === 5 ? [column, own, originalLine, originalColumn, indexOf(segment[4], map.names, names, nameIndex)] : [column, own, originalLine, originalColumn]);
    }
    return kept;
  });
  // Sources' contents, were there any, would no longer line up with `sources`.
  const { sourcesContent: _contents, ...rest } = map;
  writeFileSync(mapFile, JSON.stringify({ ...rest, sources, names, mappings: encode(mappings) }));
}
