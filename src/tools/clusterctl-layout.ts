import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { stringify } from 'yaml';
import { RenderInputError } from './render-input-error';

/** clusterctl's provider types, as they appear in its config. */
export type ClusterctlProviderType =
  'CoreProvider' | 'BootstrapProvider' | 'ControlPlaneProvider' | 'InfrastructureProvider';

/** One manifest from the versions bundle: its URI, and its content when the caller has fetched it already. */
export interface ManifestSource {
  /** e.g. `https://…/infrastructure-components-development.yaml`, or a local path. */
  readonly uri: string;
  /** File name in the local repository. @default the last path segment of `uri` */
  readonly fileName?: string;
  readonly content?: string;
}

/** A provider of the versions bundle, for the local clusterctl repository. */
export interface ClusterctlProviderSource {
  /** clusterctl's provider name: `cluster-api`, `kubeadm`, `etcdadm-bootstrap`, `docker`, `vsphere`, … */
  readonly name: string;
  readonly type: ClusterctlProviderType;
  readonly version: string;
  /** The components manifest clusterctl installs (its URL in the config points here). */
  readonly components: ManifestSource;
  readonly metadata: ManifestSource;
  /** Other files of the release (cluster templates, …). */
  readonly extra?: readonly ManifestSource[];
}

/** An image override: clusterctl rewrites the images of `component` named `image`. */
export interface ClusterctlImageOverride {
  /** The provider folder name (`infrastructure-docker`) or `cert-manager`; `all` for every component. */
  readonly component: string;
  /** The image name inside that component, e.g. `capd-manager`. */
  readonly image: string;
  readonly repository: string;
  readonly tag: string;
}

export interface ClusterctlLayoutInput {
  /** Absolute path of the cluster's folder (`<cwd>/<c>`); the layout lives under its `generated/`. */
  readonly clusterDir: string;
  readonly providers: readonly ClusterctlProviderSource[];
  /** cert-manager as the bundle gives it; clusterctl installs it from here instead of GitHub. */
  readonly certManager?: {
    readonly version: string;
    readonly manifest: ManifestSource;
    readonly timeout?: string;
  };
  readonly images?: readonly ClusterctlImageOverride[];
}

/** A file of the layout. `content` is absent when only the URI was given: the caller fetches it. */
export interface LayoutFile {
  readonly path: string;
  readonly content?: string;
  readonly sourceUri: string;
}

export interface ClusterctlLayout {
  /** `<c>/generated/clusterctl_tmp.yaml` */
  readonly configPath: string;
  readonly config: string;
  /** `<c>/generated/overrides` */
  readonly overridesDir: string;
  /** Every manifest, at `overrides/<provider-folder>/<version>/<file>`. */
  readonly files: readonly LayoutFile[];
}

/**
 * The folder clusterctl expects for a provider: `cluster-api` for the core, else the type's prefix and the name
 * (`bootstrap-kubeadm`, `control-plane-kubeadm`, `infrastructure-docker`, `bootstrap-etcdadm-controller`).
 */
export function providerFolder(p: Pick<ClusterctlProviderSource, 'name' | 'type'>): string {
  switch (p.type) {
    case 'CoreProvider':
      return p.name;
    case 'BootstrapProvider':
      return `bootstrap-${p.name}`;
    case 'ControlPlaneProvider':
      return `control-plane-${p.name}`;
    case 'InfrastructureProvider':
      return `infrastructure-${p.name}`;
  }
}

/**
 * The clusterctl config and local repository EKS-A writes before every `clusterctl init` / `upgrade apply`
 * (A1 step 4): `<c>/generated/clusterctl_tmp.yaml` lists each provider with a URL into
 * `<c>/generated/overrides/<provider-folder>/<version>/`, where the bundle's components and metadata manifests are
 * stored, plus image overrides and the cert-manager source. A pure function: fetching manifests given only by URI
 * is the caller's job ({@link writeClusterctlLayout} takes a loader).
 */
export function renderClusterctlLayout(input: ClusterctlLayoutInput): ClusterctlLayout {
  const problems = validateLayoutInput(input);
  if (problems.length > 0) {
    throw new RenderInputError('clusterctl layout input', problems);
  }
  const generatedDir = path.join(input.clusterDir, 'generated');
  const overridesDir = path.join(generatedDir, 'overrides');
  const files: LayoutFile[] = [];
  const fileFor = (folder: string, version: string, source: ManifestSource): LayoutFile => {
    const file: LayoutFile = {
      path: path.join(overridesDir, folder, version, fileNameOf(source)),
      content: source.content,
      sourceUri: source.uri,
    };
    files.push(file);
    return file;
  };

  const providers = input.providers.map((p) => {
    const folder = providerFolder(p);
    const components = fileFor(folder, p.version, p.components);
    fileFor(folder, p.version, p.metadata);
    for (const extra of p.extra ?? []) {
      fileFor(folder, p.version, extra);
    }
    return { name: p.name, url: components.path, type: p.type, version: p.version };
  });

  const config: Record<string, unknown> = { providers, overridesFolder: overridesDir };
  if (input.images && input.images.length > 0) {
    config.images = Object.fromEntries(
      input.images.map((i) => [`${i.component}/${i.image}`, { repository: i.repository, tag: i.tag }]),
    );
  }
  if (input.certManager) {
    const manifest = fileFor('cert-manager', input.certManager.version, input.certManager.manifest);
    config['cert-manager'] = {
      // EKS-A allows cert-manager 30 minutes to come up (clusterctl's own default is 10).
      timeout: input.certManager.timeout ?? '30m',
      url: manifest.path,
      version: input.certManager.version,
    };
  }
  return {
    configPath: path.join(generatedDir, 'clusterctl_tmp.yaml'),
    config: stringify(config, { lineWidth: 0 }),
    overridesDir,
    files,
  };
}

/**
 * Writes a layout to disk. Files without content are read through `load` (the caller decides how: HTTP, a
 * bundle cache, a local path). Existing files are overwritten, so a re-run converges.
 */
export async function writeClusterctlLayout(
  layout: ClusterctlLayout,
  load?: (uri: string) => Promise<string>,
): Promise<void> {
  const missing = layout.files.filter((f) => f.content === undefined);
  if (missing.length > 0 && !load) {
    throw new Error(
      `clusterctl layout: ${missing.length} manifest(s) have no content and no loader was given: ${missing
        .map((f) => f.sourceUri)
        .join(', ')}`,
    );
  }
  for (const file of layout.files) {
    const content = file.content ?? (await load!(file.sourceUri));
    await fs.mkdir(path.dirname(file.path), { recursive: true });
    await fs.writeFile(file.path, content);
  }
  await fs.mkdir(path.dirname(layout.configPath), { recursive: true });
  await fs.writeFile(layout.configPath, layout.config);
}

function fileNameOf(source: ManifestSource): string {
  if (source.fileName) {
    return source.fileName;
  }
  let pathname = source.uri;
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(source.uri)) {
    try {
      pathname = new URL(source.uri).pathname;
    } catch {
      return '';
    }
  }
  return pathname.split(/[?#]/)[0].split('/').pop() ?? '';
}

function validateLayoutInput(input: ClusterctlLayoutInput): string[] {
  const problems: string[] = [];
  if (!path.isAbsolute(input.clusterDir)) {
    problems.push(
      `clusterDir: '${input.clusterDir}' must be an absolute path (clusterctl reads the URLs as paths)`,
    );
  }
  const cores = input.providers.filter((p) => p.type === 'CoreProvider');
  if (cores.length > 1) {
    problems.push(`providers: ${cores.length} core providers given; clusterctl allows exactly one`);
  }
  const seen = new Set<string>();
  input.providers.forEach((p, i) => {
    const at = `providers[${i}]`;
    if (!/^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/.test(p.name)) {
      problems.push(
        `${at}.name: '${p.name}' is not a clusterctl provider name (lower-case letters, digits, '-')`,
      );
    }
    if (!/^v\d+\.\d+\.\d+/.test(p.version)) {
      problems.push(`${at}.version: '${p.version}' is not a release version such as v1.13.2`);
    }
    const key = `${p.type}/${p.name}`;
    if (seen.has(key)) {
      problems.push(`${at}: ${p.type} '${p.name}' appears twice`);
    }
    seen.add(key);
    for (const [field, source] of [
      ['components', p.components],
      ['metadata', p.metadata],
      ...(p.extra ?? []).map((s, j): [string, ManifestSource] => [`extra[${j}]`, s]),
    ] as Array<[string, ManifestSource]>) {
      if (!fileNameOf(source)) {
        problems.push(`${at}.${field}: no file name in uri '${source.uri}'; set fileName`);
      }
    }
  });
  if (input.certManager && !fileNameOf(input.certManager.manifest)) {
    problems.push(
      `certManager.manifest: no file name in uri '${input.certManager.manifest.uri}'; set fileName`,
    );
  }
  return problems;
}
