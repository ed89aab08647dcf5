import { splitApiVersion } from './api-version';
import { KubeApiError, isNotFound } from './errors';
import { ApiResource } from './types';

interface ApiResourceList {
  readonly groupVersion: string;
  readonly resources: readonly {
    readonly name: string;
    readonly singularName?: string;
    readonly namespaced: boolean;
    readonly kind: string;
    readonly verbs?: readonly string[];
  }[];
}

interface GroupVersionEntry {
  readonly fetchedAt: number;
  /** Undefined when the server does not serve the group version. */
  readonly byKind?: ReadonlyMap<string, ApiResource>;
}

/**
 * Resolves kinds to REST resources from the server's discovery documents (`/api/v1`, `/apis/<group>/<version>`),
 * one group version at a time. Results are cached; a kind that is not in the cache makes the group version be
 * fetched again at once, as kubectl does: its CRD may have become Established since, installed by another client
 * (clusterctl, helm) whose writes this cache never sees. Concurrent lookups share one fetch; `minRefreshMs` can
 * rate-limit the refetches (default 0: a stale "not served" within the limit would fail a caller that just
 * watched another program install the CRD).
 */
export class Discovery {
  private readonly cache = new Map<string, GroupVersionEntry>();
  private readonly inflight = new Map<string, Promise<GroupVersionEntry>>();

  public constructor(
    private readonly fetchJson: (path: string) => Promise<unknown>,
    private readonly minRefreshMs = 0,
    private readonly now: () => number = Date.now,
  ) {}

  /** The resource serving `kind` in `apiVersion`; rejects with a 404 KubeApiError when the server has none. */
  public async resolve(apiVersion: string, kind: string): Promise<ApiResource> {
    let entry = this.cache.get(apiVersion);
    if (!entry?.byKind?.get(kind)) {
      if (!entry || this.now() - entry.fetchedAt >= this.minRefreshMs) entry = await this.fetch(apiVersion);
    }
    const found = entry.byKind?.get(kind);
    if (found) return found;
    const { group } = splitApiVersion(apiVersion);
    const path = group === '' ? `/api/${apiVersion}` : `/apis/${apiVersion}`;
    const message = entry.byKind
      ? `the server has no resource for kind ${kind} in ${apiVersion}`
      : `the server does not serve ${apiVersion} (is the CRD for ${kind} installed and Established?)`;
    throw new KubeApiError({
      statusCode: 404,
      reason: 'NotFound',
      message,
      request: { method: 'GET', path },
    });
  }

  /** Drops cached discovery for one apiVersion, or for everything. */
  public invalidate(apiVersion?: string): void {
    if (apiVersion === undefined) this.cache.clear();
    else this.cache.delete(apiVersion);
  }

  private fetch(apiVersion: string): Promise<GroupVersionEntry> {
    let pending = this.inflight.get(apiVersion);
    if (!pending) {
      pending = this.load(apiVersion).finally(() => this.inflight.delete(apiVersion));
      this.inflight.set(apiVersion, pending);
    }
    return pending;
  }

  private async load(apiVersion: string): Promise<GroupVersionEntry> {
    const { group, version } = splitApiVersion(apiVersion);
    const path = group === '' ? `/api/${version}` : `/apis/${group}/${version}`;
    let entry: GroupVersionEntry;
    try {
      const list = (await this.fetchJson(path)) as ApiResourceList;
      entry = { fetchedAt: this.now(), byKind: indexResources(group, version, list) };
    } catch (error) {
      if (!isNotFound(error)) throw error;
      entry = { fetchedAt: this.now() };
    }
    this.cache.set(apiVersion, entry);
    return entry;
  }
}

function indexResources(group: string, version: string, list: ApiResourceList): Map<string, ApiResource> {
  const subresources = new Map<string, string[]>();
  for (const r of list.resources ?? []) {
    const slash = r.name.indexOf('/');
    if (slash > 0) {
      const parent = r.name.slice(0, slash);
      subresources.set(parent, [...(subresources.get(parent) ?? []), r.name.slice(slash + 1)]);
    }
  }
  const byKind = new Map<string, ApiResource>();
  for (const r of list.resources ?? []) {
    if (r.name.includes('/')) continue;
    byKind.set(r.kind, {
      group,
      version,
      kind: r.kind,
      plural: r.name,
      namespaced: r.namespaced,
      subresources: subresources.get(r.name) ?? [],
    });
  }
  return byKind;
}

/** The REST path of a resource collection, or of one object when `name` is given. */
export function resourcePath(
  resource: ApiResource,
  namespace?: string,
  name?: string,
  subresource?: string,
): string {
  const base =
    resource.group === '' ? `/api/${resource.version}` : `/apis/${resource.group}/${resource.version}`;
  const ns = resource.namespaced && namespace ? `/namespaces/${encodeURIComponent(namespace)}` : '';
  let path = `${base}${ns}/${resource.plural}`;
  if (name !== undefined) path += `/${encodeURIComponent(name)}`;
  if (subresource !== undefined) path += `/${subresource}`;
  return path;
}
