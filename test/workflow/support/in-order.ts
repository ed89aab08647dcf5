import type { Operation } from './instant-site';

/** One expected operation: a description (from the seed) and a predicate. */
export interface Expected {
  readonly seed: string;
  readonly match: (op: Operation) => boolean;
}

/**
 * Finds each expected operation after the previous one's and returns the indexes; throws, listing the expectation
 * that was not met and the operations around, when the order does not hold.
 */
export function indexesInOrder(ops: readonly Operation[], expected: readonly Expected[]): number[] {
  const out: number[] = [];
  let from = 0;
  for (const e of expected) {
    const index = ops.findIndex((op, i) => i >= from && e.match(op));
    if (index < 0) {
      const anywhere = ops.findIndex(e.match);
      throw new Error(
        `expected "${e.seed}" after operation ${from - 1}; ${
          anywhere < 0 ? 'it never happened' : `it happened at ${anywhere}, too early`
        }\noperations:\n${ops.map((o, i) => `  ${i} ${describe(o)}`).join('\n')}`,
      );
    }
    out.push(index);
    from = index + 1;
  }
  return out;
}

export function describe(op: Operation): string {
  if (op.type === 'tool') return `${op.program} ${op.verb}${op.target ? ` (${op.target})` : ''}`;
  if (op.type === 'file') return `file ${op.verb} ${op.path}${op.to ? ` → ${op.to}` : ''}`;
  if (op.type === 'rollout') return `${op.cluster}: rolled ${op.kind} ${op.name} (${op.machines} machines)`;
  return `${op.cluster}: ${op.verb} ${op.kind} ${op.namespace ? `${op.namespace}/` : ''}${op.name}`;
}

export const tool =
  (program: string, verb: string, target?: string) =>
  (op: Operation): boolean =>
    op.type === 'tool' &&
    op.program === program &&
    op.verb === verb &&
    (target === undefined || op.target === target);

export const api =
  (cluster: string, verb: string, kind: string, name?: string) =>
  (op: Operation): boolean =>
    op.type === 'api' &&
    op.cluster === cluster &&
    op.verb === verb &&
    op.kind === kind &&
    (name === undefined || op.name === name);

export const file =
  (verb: 'write' | 'rename' | 'remove', path: string) =>
  (op: Operation): boolean =>
    op.type === 'file' && op.verb === verb && (op.to === path || op.path === path);

export const rolled =
  (kind: string, name?: string) =>
  (op: Operation): boolean =>
    op.type === 'rollout' && op.kind === kind && (name === undefined || op.name === name);
