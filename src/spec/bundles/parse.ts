import { parseAllDocuments } from 'yaml';
import { BUNDLES_API_VERSION, BUNDLES_KIND, type BundlesManifest } from './bundles-manifest';
import {
  EKSA_RELEASE_API_VERSION,
  EKSA_RELEASE_KIND,
  type EksaReleaseManifest,
} from './eksa-release-manifest';
import { EKSD_RELEASE_API_VERSION, EKSD_RELEASE_KIND, type EksdRelease } from './eksd-release';
import { VersionsBundlesError } from './errors';

/**
 * Parses the one YAML document of a release file.
 *
 * Lenient on purpose, like Go's decoder that EKS-A uses: a duplicate mapping key is not an error and the last value
 * wins (upstream's own bundles.yaml repeats `cloudStack` inside some versions bundles). YAML 1.1 scalars, as
 * Kubernetes reads them. Syntax errors still fail, with line and column.
 */
export function parseYamlDocument(text: string, source: string): unknown {
  const documents = parseAllDocuments(text, { uniqueKeys: false, version: '1.1' });
  const problems: string[] = [];
  for (const document of documents) {
    for (const error of document.errors) {
      const at = error.linePos?.[0];
      problems.push(`${at ? `line ${at.line}, column ${at.col}: ` : ''}${error.message.split('\n')[0]}`);
    }
  }
  if (problems.length > 0) throw new VersionsBundlesError(`${source}: not valid YAML`, problems);
  const values = documents.map((d) => d.toJS({ maxAliasCount: 1000 }) as unknown).filter((v) => v != null);
  if (values.length !== 1) {
    throw new VersionsBundlesError(
      `${source}: expected exactly one YAML document, found ${values.length}${values.length === 0 ? ' (the file is empty)' : ''}`,
    );
  }
  return values[0];
}

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Checks apiVersion and kind; names what the document is when it is a different known kind. */
function checkKind(value: unknown, source: string, apiVersion: string, kind: string, what: string): Json {
  if (!isObject(value)) throw new VersionsBundlesError(`${source}: expected ${what} (a YAML mapping)`);
  if (value.apiVersion === apiVersion && value.kind === kind) return value;
  const found = `apiVersion ${JSON.stringify(value.apiVersion)}, kind ${JSON.stringify(value.kind)}`;
  let hint = '';
  if (value.apiVersion === EKSA_RELEASE_API_VERSION && value.kind === EKSA_RELEASE_KIND) {
    hint = ' This is the EKS-A release manifest (the list of EKS-A releases).';
  } else if (value.apiVersion === EKSD_RELEASE_API_VERSION && value.kind === EKSD_RELEASE_KIND) {
    hint = ' This is an EKS-D Release; pass it with --eksd-release.';
  } else if (value.apiVersion === BUNDLES_API_VERSION && value.kind === BUNDLES_KIND) {
    hint = ' This is an EKS-A Bundles manifest; pass it with --bundles.';
  }
  throw new VersionsBundlesError(
    `${source}: expected ${what} (apiVersion ${apiVersion}, kind ${kind}), found ${found}.${hint}`,
  );
}

/** Parses and checks an EKS-A `Bundles` manifest: kind, and the fields resolution depends on. */
export function parseBundlesManifest(text: string, source: string): BundlesManifest {
  const value = checkKind(
    parseYamlDocument(text, source),
    source,
    BUNDLES_API_VERSION,
    BUNDLES_KIND,
    'an EKS-A Bundles manifest',
  );
  const problems: string[] = [];
  const spec = value.spec;
  if (!isObject(spec)) {
    problems.push('spec: missing');
  } else {
    if (spec.number !== undefined && typeof spec.number !== 'number') {
      problems.push('spec.number: must be an integer');
    }
    if (!Array.isArray(spec.versionsBundles) || spec.versionsBundles.length === 0) {
      problems.push('spec.versionsBundles: must be a non-empty list');
    } else {
      const seen = new Map<string, number>();
      spec.versionsBundles.forEach((vb: unknown, i: number) => {
        const at = `spec.versionsBundles[${i}]`;
        if (!isObject(vb)) {
          problems.push(`${at}: must be a mapping`);
          return;
        }
        if (typeof vb.kubeVersion === 'number') {
          problems.push(
            `${at}.kubeVersion: is the number ${vb.kubeVersion}; quote it as a string, e.g. "1.30"`,
          );
        } else if (typeof vb.kubeVersion !== 'string' || vb.kubeVersion === '') {
          problems.push(`${at}.kubeVersion: missing`);
        } else if (seen.has(vb.kubeVersion)) {
          problems.push(
            `${at}.kubeVersion: "${vb.kubeVersion}" repeats spec.versionsBundles[${seen.get(vb.kubeVersion)}]`,
          );
        } else {
          seen.set(vb.kubeVersion, i);
        }
        if (!isObject(vb.eksD)) {
          problems.push(`${at}.eksD: missing`);
        } else if (typeof vb.eksD.manifestUrl !== 'string' || vb.eksD.manifestUrl === '') {
          problems.push(`${at}.eksD.manifestUrl: missing`);
        }
      });
    }
  }
  if (problems.length > 0) throw new VersionsBundlesError(`${source}: invalid Bundles manifest`, problems);
  return value as unknown as BundlesManifest;
}

/** Parses and checks an EKS-D `Release` manifest. */
export function parseEksdRelease(text: string, source: string): EksdRelease {
  const value = checkKind(
    parseYamlDocument(text, source),
    source,
    EKSD_RELEASE_API_VERSION,
    EKSD_RELEASE_KIND,
    'an EKS-D Release',
  );
  const problems: string[] = [];
  if (!isObject(value.metadata) || typeof value.metadata.name !== 'string') {
    problems.push('metadata.name: missing');
  }
  if (!isObject(value.spec)) problems.push('spec: missing');
  const status = value.status;
  if (status !== undefined && status !== null) {
    if (!isObject(status)) {
      problems.push('status: must be a mapping');
    } else if (status.components !== undefined && !Array.isArray(status.components)) {
      problems.push('status.components: must be a list');
    } else if (Array.isArray(status.components)) {
      status.components.forEach((c: unknown, i: number) => {
        if (!isObject(c) || typeof c.name !== 'string') {
          problems.push(`status.components[${i}].name: missing`);
        } else if (c.assets !== undefined && c.assets !== null && !Array.isArray(c.assets)) {
          problems.push(`status.components[${i}].assets: must be a list`);
        }
      });
    }
  }
  if (problems.length > 0) throw new VersionsBundlesError(`${source}: invalid EKS-D Release`, problems);
  return value as unknown as EksdRelease;
}

/** Parses and checks the EKS-A release manifest (the list of EKS-A releases). */
export function parseEksaReleaseManifest(text: string, source: string): EksaReleaseManifest {
  const value = checkKind(
    parseYamlDocument(text, source),
    source,
    EKSA_RELEASE_API_VERSION,
    EKSA_RELEASE_KIND,
    'the EKS-A release manifest',
  );
  const problems: string[] = [];
  const spec = value.spec;
  if (!isObject(spec) || !Array.isArray(spec.releases)) {
    problems.push('spec.releases: must be a list');
  } else {
    spec.releases.forEach((r: unknown, i: number) => {
      const at = `spec.releases[${i}]`;
      if (!isObject(r)) return problems.push(`${at}: must be a mapping`);
      if (typeof r.version !== 'string') problems.push(`${at}.version: missing`);
      if (typeof r.number !== 'number') problems.push(`${at}.number: must be an integer`);
      if (typeof r.bundleManifestUrl !== 'string') problems.push(`${at}.bundleManifestUrl: missing`);
      return undefined;
    });
  }
  if (problems.length > 0) {
    throw new VersionsBundlesError(`${source}: invalid EKS-A release manifest`, problems);
  }
  return value as unknown as EksaReleaseManifest;
}
