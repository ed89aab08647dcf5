/** What an API path addresses. */
export type Route =
  | { readonly kind: 'version' }
  | { readonly kind: 'health' }
  | { readonly kind: 'core-versions' }
  | { readonly kind: 'group-list' }
  | { readonly kind: 'group'; readonly group: string }
  | { readonly kind: 'resource-list'; readonly group: string; readonly version: string }
  | {
      readonly kind: 'resource';
      readonly group: string;
      readonly version: string;
      readonly plural: string;
      readonly namespace?: string;
      readonly name?: string;
      readonly subresource?: string;
    }
  | { readonly kind: 'unknown' };

/** Subresources of a namespace (so `/api/v1/namespaces/x/status` is not read as a resource named "status"). */
const NAMESPACE_SUBRESOURCES = new Set(['status', 'finalize']);

/** Parses `/api/v1/...` and `/apis/<group>/<version>/...` paths into what they address. */
export function parseRoute(pathname: string): Route {
  const segments = pathname
    .split('/')
    .filter((s) => s !== '')
    .map(decodeURIComponent);
  if (segments.length === 1 && segments[0] === 'version') return { kind: 'version' };
  if (segments.length === 1 && ['healthz', 'readyz', 'livez'].includes(segments[0])) {
    return { kind: 'health' };
  }
  if (segments[0] === 'api') {
    if (segments.length === 1) return { kind: 'core-versions' };
    return resourceRoute('', segments[1], segments.slice(2));
  }
  if (segments[0] === 'apis') {
    if (segments.length === 1) return { kind: 'group-list' };
    if (segments.length === 2) return { kind: 'group', group: segments[1] };
    return resourceRoute(segments[1], segments[2], segments.slice(3));
  }
  return { kind: 'unknown' };
}

function resourceRoute(group: string, version: string, rest: string[]): Route {
  if (rest.length === 0) return { kind: 'resource-list', group, version };
  if (
    rest[0] === 'namespaces' &&
    rest.length >= 3 &&
    !(group === '' && rest.length === 3 && NAMESPACE_SUBRESOURCES.has(rest[2]))
  ) {
    const [, namespace, plural, name, subresource, ...extra] = rest;
    if (extra.length > 0) return { kind: 'unknown' };
    return { kind: 'resource', group, version, plural, namespace, name, subresource };
  }
  const [plural, name, subresource, ...extra] = rest;
  if (extra.length > 0) return { kind: 'unknown' };
  return { kind: 'resource', group, version, plural, name, subresource };
}
