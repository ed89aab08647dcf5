/**
 * A compact notation for expected graphs: `GIC ns1/c1 > C ns1/c1 ~ S ns1/x !shouldNotDelete` reads "node GIC ns1/c1,
 * owned by C ns1/c1, soft-owned by S ns1/x, flag shouldNotDelete". Global objects are written `GCEO /name`.
 * Kinds default to the flags their CRDs give them in the fixtures (C, CC, CRS: forceMove and forceMoveHierarchy;
 * GEO: forceMove; GCEO: forceMove, isGlobal; GCII: forceMove, forceMoveHierarchy, isGlobal).
 */
import { KINDS, type Short, fixtureCrds } from './fixtures';
import { discoveryTypesFromCrds } from '../../../src/capi/move/discovery-types';
import { type GraphNode, ObjectGraph } from '../../../src/capi/move/object-graph';
import type { KubeObject } from '../../../src/kube/types';

const SHORT_BY_KIND = new Map(
  Object.entries(KINDS).map(([abbr, [, kind]]) => [kind as string, abbr as Short]),
);

const DEFAULT_FLAGS: Partial<Record<Short, string[]>> = {
  C: ['forceMove', 'forceMoveHierarchy'],
  CC: ['forceMove', 'forceMoveHierarchy'],
  CRS: ['forceMove', 'forceMoveHierarchy'],
  GEO: ['forceMove'],
  GCEO: ['forceMove', 'isGlobal'],
  GCII: ['forceMove', 'forceMoveHierarchy', 'isGlobal'],
};

const FLAGS = [
  'virtual',
  'forceMove',
  'forceMoveHierarchy',
  'isGlobal',
  'isGlobalHierarchy',
  'shouldNotDelete',
] as const;

/** `Short ns/name` for a node. */
export function short(node: GraphNode): string {
  return `${SHORT_BY_KIND.get(node.kind) ?? node.kind} ${node.namespace ?? ''}/${node.name}`;
}

function render(id: string, owners: string[], soft: string[], flags: string[]): string {
  return [
    id,
    ...owners.sort().map((o) => `> ${o}`),
    ...soft.sort().map((s) => `~ ${s}`),
    ...flags.sort().map((f) => `!${f}`),
  ].join(' ');
}

function describeNode(node: GraphNode): string {
  const flags = FLAGS.filter((f) => node[f]);
  return render(short(node), [...node.owners.keys()].map(short), [...node.softOwners].map(short), [...flags]);
}

function normalize(line: string): string {
  const tokens = line.trim().split(/\s+/);
  const id = `${tokens[0]} ${tokens[1]}`;
  const owners: string[] = [];
  const soft: string[] = [];
  const flags = new Set(DEFAULT_FLAGS[tokens[0] as Short] ?? []);
  for (let i = 2; i < tokens.length; i++) {
    const t = tokens[i];
    if (t === '>' || t === '~') {
      (t === '>' ? owners : soft).push(`${tokens[i + 1]} ${tokens[i + 2]}`);
      i += 2;
    } else if (t.startsWith('!-')) {
      flags.delete(t.slice(2));
    } else if (t.startsWith('!')) {
      flags.add(t.slice(1));
    } else {
      throw new Error(`cannot read expectation token '${t}' in '${line}'`);
    }
  }
  return render(id, owners, soft, [...flags]);
}

/** Asserts the graph holds exactly these nodes, with exactly these owners, soft owners and flags. */
export function expectGraph(graph: ObjectGraph, lines: readonly string[]): void {
  expect(graph.nodes.map(describeNode).sort()).toEqual(lines.map(normalize).sort());
}

/** The nodes having `tenant` (written `Short ns/name`) among their tenants. */
export function tenantsOf(graph: ObjectGraph, tenant: string): string[] {
  const root = graph.nodes.find((n) => short(n) === tenant);
  if (!root) throw new Error(`no node ${tenant}`);
  return graph.nodes
    .filter((n) => n.tenants.has(root))
    .map(short)
    .sort();
}

/** The base set of a Cluster without a control plane object: C, GIC, the CA and kubeconfig Secrets. */
export function base(ns: string, name: string, clusterFlags = ''): string[] {
  return [
    `C ${ns}/${name} ${clusterFlags}`,
    `GIC ${ns}/${name} > C ${ns}/${name}`,
    `S ${ns}/${name}-ca ~ C ${ns}/${name}`,
    `S ${ns}/${name}-kubeconfig > C ${ns}/${name}`,
  ];
}

/** The groups of a move sequence as sorted `Short ns/name` lists. */
export function groupsOf(groups: readonly (readonly GraphNode[])[]): string[][] {
  return groups.map((g) => g.map(short).sort());
}

/** Adds the objects, then soft ownership and tenants: the graph as discovery leaves it (no namespace given). */
export function buildGraph(objects: readonly KubeObject[]): ObjectGraph {
  const graph = new ObjectGraph(discoveryTypesFromCrds(fixtureCrds()));
  for (const o of objects) graph.addObject(o);
  graph.setSoftOwnership();
  graph.setTenants();
  return graph;
}
