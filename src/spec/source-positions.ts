/** Where a field was written: 1-based line and column. */
export interface SourcePosition {
  readonly line: number;
  readonly column: number;
}

/** Field path (as in Issue.path) → position, for one parsed config. */
export type SourceMap = ReadonlyMap<string, SourcePosition>;

// Kept beside the config, not in it, so configs stay plain data that compare and serialize cleanly.
const positions = new WeakMap<object, SourceMap>();

/** Remembers where the fields of a parsed config were written. */
export function attachSourceMap(config: object, map: SourceMap): void {
  positions.set(config, map);
}

/** Carries the positions of one config over to a config derived from it (defaults, edits). */
export function copySourceMap(from: object, to: object): void {
  const map = positions.get(from);
  if (map) positions.set(to, map);
}

/**
 * Where a field path of a parsed config was written: the path itself or its nearest written ancestor (a defaulted
 * or missing field points at the object that should hold it).
 */
export function sourcePosition(config: object, path: string): SourcePosition | undefined {
  const map = positions.get(config);
  if (!map) return undefined;
  for (let p = path; ;) {
    const hit = map.get(p);
    if (hit) return hit;
    const cut = Math.max(p.lastIndexOf('.'), p.lastIndexOf('['));
    if (cut <= 0) return map.get('');
    p = p.slice(0, cut);
  }
}
