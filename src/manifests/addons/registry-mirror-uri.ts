import type { RegistryMirrorConfiguration } from '../../spec';

/** The upstream registry of EKS-A's own images (and charts). */
export const CORE_EKSA_REGISTRY = 'public.ecr.aws';

/** The private ECR registries curated packages come from, in any region. */
const CURATED_PACKAGES_REGISTRY = /^\d{12}\.dkr\.ecr\.[a-z0-9-]+\.amazonaws\.com$/;

/** Key under which every curated-packages registry is mirrored (one mirror serves all regions). */
const CURATED_PACKAGES_KEY = 'curated-packages';

/** `host:port` of a mirror; IPv6 hosts are bracketed. Port defaults to 443 as EKS-A defaults it. */
export function mirrorBase(mirror: RegistryMirrorConfiguration): string {
  const port = mirror.port === undefined || `${mirror.port}` === '' ? '443' : `${mirror.port}`;
  const host =
    mirror.endpoint.includes(':') && !mirror.endpoint.startsWith('[')
      ? `[${mirror.endpoint}]`
      : mirror.endpoint;
  return `${host}:${port}`;
}

/**
 * Upstream registry → mirror location (`host:port[/namespace]`). Without `ociNamespaces` only the core EKS-A
 * registry is mirrored, at the mirror's root (EKS-A's backward-compatible default).
 */
function mirrorMap(mirror: RegistryMirrorConfiguration): Map<string, string> {
  const base = mirrorBase(mirror);
  const map = new Map<string, string>();
  for (const ns of mirror.ociNamespaces ?? []) {
    const location = ns.namespace ? `${base}/${ns.namespace.replace(/^\/+|\/+$/g, '')}` : base;
    map.set(CURATED_PACKAGES_REGISTRY.test(ns.registry) ? CURATED_PACKAGES_KEY : ns.registry, location);
  }
  if (map.size === 0) map.set(CORE_EKSA_REGISTRY, base);
  return map;
}

/** Where the mirror serves `public.ecr.aws`, if it does. */
export function coreEksaMirror(mirror: RegistryMirrorConfiguration): string | undefined {
  return mirrorMap(mirror).get(CORE_EKSA_REGISTRY);
}

/** Where the mirror serves the curated-packages ECR registries, if it does. */
export function curatedPackagesMirror(mirror: RegistryMirrorConfiguration): string | undefined {
  return mirrorMap(mirror).get(CURATED_PACKAGES_KEY);
}

/**
 * An image or chart reference (`registry/path:tag`, optionally with a scheme such as `oci://`) pulled through the
 * mirror: its registry host is replaced by the mirror location that serves it. References to registries the mirror
 * does not serve, and any reference when there is no mirror, are returned unchanged.
 */
export function throughMirror(reference: string, mirror: RegistryMirrorConfiguration | undefined): string {
  if (!mirror) return reference;
  const scheme = /^[a-z][a-z0-9+.-]*:\/\//i.exec(reference)?.[0] ?? '';
  const rest = reference.slice(scheme.length);
  const slash = rest.indexOf('/');
  const host = slash < 0 ? rest : rest.slice(0, slash);
  const key = CURATED_PACKAGES_REGISTRY.test(host) ? CURATED_PACKAGES_KEY : host;
  const location = mirrorMap(mirror).get(key);
  return location === undefined ? reference : `${scheme}${location}${rest.slice(host.length)}`;
}
