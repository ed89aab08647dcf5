// M-SEQ (research/capi.md §3.2): the move order, as exact groups compared as sets within each group.
import { cluster, object } from './fixtures';
import { buildGraph, groupsOf, short } from './graph-expect';
import { SEQUENCE_CASES } from './sequence-cases';
import { moveSequence } from '../../../src/capi/move/move-sequence';

const sorted = (groups: readonly (readonly string[])[]) => groups.map((g) => [...g].sort());

describe('M-SEQ: move sequence', () => {
  test.each(SEQUENCE_CASES.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const sequence = moveSequence(buildGraph(c.objects()));
    expect(groupsOf(sequence.groups)).toEqual(sorted(c.groups));
    expect(sequence.unplaced).toEqual([]);
  });

  test('an object with a virtual owner is reported, with its dependents, not silently dropped', () => {
    const objects = cluster('ns1', 'foo', { machines: ['m1'] }).list.map((o) =>
      o.kind === 'GenericInfrastructureMachine'
        ? {
            ...o,
            metadata: {
              ...o.metadata,
              ownerReferences: [
                ...o.metadata.ownerReferences!,
                { apiVersion: 'example.com/v1', kind: 'Unlisted', name: 'x', uid: 'unlisted-uid' },
              ],
            },
          }
        : o,
    );
    const sequence = moveSequence(buildGraph(objects));
    expect(sequence.unplaced.map((u) => [short(u.node), u.reason])).toEqual([
      ['GIM ns1/m1', 'owner Unlisted x is not a moved kind or lives in another namespace'],
    ]);
    expect(groupsOf(sequence.groups).flat()).not.toContain('GIM ns1/m1');
    expect(groupsOf(sequence.groups).flat()).toContain('GBC ns1/m1');
  });

  test('an ownerReference cycle leaves both objects unplaced, and says so', () => {
    const c = object('C', 'ns1', 'c');
    const a = object('GIM', 'ns1', 'a', { owners: [c, object('GBC', 'ns1', 'b')] });
    const b = object('GBC', 'ns1', 'b', { owners: [a] });
    const sequence = moveSequence(buildGraph([c, a, b]));
    expect(groupsOf(sequence.groups)).toEqual([['C ns1/c']]);
    expect(sequence.unplaced.map((u) => short(u.node))).toEqual(['GBC ns1/b', 'GIM ns1/a']);
    expect(sequence.unplaced[0].reason).toMatch(/cycle/);
  });

  test('groups come out in a stable order (kind, namespace, name)', () => {
    const first = moveSequence(buildGraph(SEQUENCE_CASES[5].objects())).groups.map((g) => g.map(short));
    const reversed = moveSequence(buildGraph(SEQUENCE_CASES[5].objects().reverse())).groups.map((g) =>
      g.map(short),
    );
    expect(reversed).toEqual(first);
  });
});
