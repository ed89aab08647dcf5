import { ResourceType, compareKubeVersions } from './resource-types';

const VERBS = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];

function groupVersionOf(group: string, version: string): string {
  return group === '' ? version : `${group}/${version}`;
}

/** Served versions per group, best first (Kubernetes version priority). */
export function servedVersionsByGroup(types: Iterable<ResourceType>): Map<string, string[]> {
  const byGroup = new Map<string, Set<string>>();
  for (const type of types) {
    for (const v of type.versions) {
      if (!v.served) continue;
      let set = byGroup.get(type.group);
      if (!set) {
        set = new Set();
        byGroup.set(type.group, set);
      }
      set.add(v.name);
    }
  }
  return new Map([...byGroup].map(([group, set]) => [group, [...set].sort(compareKubeVersions)]));
}

function groupDocument(group: string, versions: string[]): Record<string, unknown> {
  const entries = versions.map((version) => ({ groupVersion: groupVersionOf(group, version), version }));
  return { name: group, versions: entries, preferredVersion: entries[0] };
}

/** `GET /api`. */
export function coreVersions(serverAddress: string): Record<string, unknown> {
  return {
    kind: 'APIVersions',
    versions: ['v1'],
    serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress }],
  };
}

/** `GET /apis`. */
export function groupList(types: Iterable<ResourceType>): Record<string, unknown> {
  const groups = [...servedVersionsByGroup(types)]
    .filter(([group]) => group !== '')
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([group, versions]) => groupDocument(group, versions));
  return { kind: 'APIGroupList', apiVersion: 'v1', groups };
}

/** `GET /apis/<group>`, or undefined when the group is not served. */
export function groupInfo(types: Iterable<ResourceType>, group: string): Record<string, unknown> | undefined {
  const versions = servedVersionsByGroup(types).get(group);
  if (!versions || group === '') return undefined;
  return { kind: 'APIGroup', apiVersion: 'v1', ...groupDocument(group, versions) };
}

/** `GET /api/v1` or `GET /apis/<group>/<version>`, or undefined when nothing is served there. */
export function resourceList(
  types: Iterable<ResourceType>,
  group: string,
  version: string,
): Record<string, unknown> | undefined {
  const resources: Record<string, unknown>[] = [];
  for (const type of types) {
    if (type.group !== group || !type.versions.some((v) => v.name === version && v.served)) continue;
    const entry: Record<string, unknown> = {
      name: type.plural,
      singularName: type.singular,
      namespaced: type.namespaced,
      kind: type.kind,
      verbs: VERBS,
    };
    if (type.shortNames.length > 0) entry.shortNames = type.shortNames;
    if (type.categories.length > 0) entry.categories = type.categories;
    resources.push(entry);
    if (type.statusSubresource) {
      resources.push({
        name: `${type.plural}/status`,
        singularName: '',
        namespaced: type.namespaced,
        kind: type.kind,
        verbs: ['get', 'patch', 'update'],
      });
    }
  }
  if (resources.length === 0) return undefined;
  resources.sort((a, b) => String(a.name).localeCompare(String(b.name)));
  return {
    kind: 'APIResourceList',
    apiVersion: 'v1',
    groupVersion: groupVersionOf(group, version),
    resources,
  };
}
