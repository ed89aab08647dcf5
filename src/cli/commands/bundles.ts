import * as path from 'node:path';
import { parseArgs } from 'node:util';
import {
  BundlesCache,
  DEFAULT_EKSA_VERSION,
  defaultCacheDir,
  fetchEksaRelease,
  loadVersionsBundles,
  VersionsBundlesError,
  type ResolvedVersionsBundle,
} from '../../spec/bundles';
import type { CliCommand, CliContext } from '../command';

const USAGE = `Usage: eksa-iac bundles <command> [options]

Versions bundles say which image and manifest versions EKS Anywhere installs for each
Kubernetes version. By default eksa-iac uses the bundles of EKS-A ${DEFAULT_EKSA_VERSION}, downloaded
once and cached; these commands manage that cache and carry it to machines without internet.

Commands:
  fetch                 Download, verify and cache an EKS-A release's bundles (needs internet)
  list                  Show cached releases and the Kubernetes versions they support
  export DIR            Copy a cached release into DIR, to carry to another machine
  import DIR            Verify a release exported with 'export' and add it to this cache
  show                  Show the images resolved for a Kubernetes version

Options:
  --eksa-version V          EKS-A release (default ${DEFAULT_EKSA_VERSION}) [fetch, export, show]
  --cache-dir DIR           Cache folder (default $EKSA_IAC_CACHE_DIR, $XDG_CACHE_HOME/eksa-iac
                            or ~/.cache/eksa-iac)
  --release-manifest-url U  EKS-A release manifest (default the public one, or
                            $EKSA_IAC_RELEASE_MANIFEST_URL) [fetch, show]
  --bundles FILE|URL        Use this Bundles manifest instead of a release [show]
  --eksd-release FILE       EKS-D release file, repeatable; matched by file name [show]
  --kubernetes-version V    Kubernetes version to resolve, e.g. 1.30 [show]
  --offline                 Never download [show]
  -h, --help                Show this help

Air-gapped machines: on a connected machine run
  eksa-iac bundles fetch --eksa-version V && eksa-iac bundles export DIR
then copy DIR over and run
  eksa-iac bundles import DIR
(or skip the cache entirely and pass --bundles FILE --eksd-release FILE … to synth).
`;

const OPTIONS = {
  'eksa-version': { type: 'string' },
  'cache-dir': { type: 'string' },
  'release-manifest-url': { type: 'string' },
  bundles: { type: 'string' },
  'eksd-release': { type: 'string', multiple: true },
  'kubernetes-version': { type: 'string' },
  offline: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** Which options each sub-command accepts (anything else is a usage error). */
const ALLOWED: Record<string, readonly string[]> = {
  fetch: ['eksa-version', 'cache-dir', 'release-manifest-url'],
  list: ['cache-dir'],
  export: ['eksa-version', 'cache-dir'],
  import: ['cache-dir'],
  show: [
    'eksa-version',
    'cache-dir',
    'release-manifest-url',
    'bundles',
    'eksd-release',
    'kubernetes-version',
    'offline',
  ],
};

/** Positional arguments each sub-command takes. */
const POSITIONALS: Record<string, number> = { fetch: 0, list: 0, export: 1, import: 1, show: 0 };

type Values = {
  'eksa-version'?: string;
  'cache-dir'?: string;
  'release-manifest-url'?: string;
  bundles?: string;
  'eksd-release'?: string[];
  'kubernetes-version'?: string;
  offline?: boolean;
  help?: boolean;
};

export const bundlesCommand: CliCommand = {
  name: 'bundles',
  summary: 'Fetch, list, export and import cached EKS-A versions bundles',
  usage: USAGE,
  async run(argv, context) {
    let parsed;
    try {
      parsed = parseArgs({ args: [...argv], options: OPTIONS, allowPositionals: true, strict: true });
    } catch (error) {
      return usageError(context, (error as Error).message);
    }
    const values = parsed.values as Values;
    const [sub, ...rest] = parsed.positionals;
    if (values.help) {
      context.stdout(USAGE);
      return 0;
    }
    if (!sub) return usageError(context, 'missing command');
    if (!(sub in ALLOWED)) return usageError(context, `unknown command "${sub}"`);
    const wrong = Object.keys(values).filter((k) => !ALLOWED[sub].includes(k));
    if (wrong.length > 0) {
      return usageError(context, `${sub} does not take ${wrong.map((w) => `--${w}`).join(', ')}`);
    }
    if (rest.length !== POSITIONALS[sub]) {
      return usageError(
        context,
        POSITIONALS[sub] === 1 ? `${sub} needs one folder argument` : `${sub} takes no arguments`,
      );
    }
    const cacheDir = path.resolve(
      context.cwd,
      values['cache-dir'] ?? defaultCacheDir(context.env, context.cwd),
    );
    try {
      switch (sub) {
        case 'fetch':
          return await fetchCommand(values, cacheDir, context);
        case 'list':
          return listCommand(cacheDir, context);
        case 'export':
          return exportCommand(values, cacheDir, path.resolve(context.cwd, rest[0]), context);
        case 'import':
          return importCommand(cacheDir, path.resolve(context.cwd, rest[0]), context);
        default:
          return await showCommand(values, cacheDir, context);
      }
    } catch (error) {
      if (error instanceof VersionsBundlesError) {
        context.stderr(`error: ${error.message}\n`);
        return 1;
      }
      throw error;
    }
  },
};

function usageError(context: CliContext, message: string): number {
  context.stderr(`error: ${message}\nRun 'eksa-iac bundles --help' for usage.\n`);
  return 2;
}

async function fetchCommand(values: Values, cacheDir: string, context: CliContext): Promise<number> {
  const eksaVersion = values['eksa-version'] ?? DEFAULT_EKSA_VERSION;
  context.stdout(`Fetching the bundles of EKS-A ${eksaVersion}…\n`);
  const { index, dir } = await fetchEksaRelease({
    eksaVersion,
    cacheDir,
    releaseManifestUrl: values['release-manifest-url'],
    env: context.env,
    cwd: context.cwd,
  });
  const lines = [
    `Cached EKS-A ${index.eksaVersion} (bundle number ${index.releaseNumber}) in ${dir}`,
    `  bundles.yaml  sha256 ${index.bundles.sha256}  ${index.bundles.url}`,
    ...index.eksdReleases.map((e) => `  ${e.file}  sha256 ${e.sha256}  Kubernetes ${e.kubeVersion}`),
    `Kubernetes versions: ${index.eksdReleases.map((e) => e.kubeVersion).join(', ')}`,
  ];
  context.stdout(`${lines.join('\n')}\n`);
  return 0;
}

function listCommand(cacheDir: string, context: CliContext): number {
  const cache = new BundlesCache(cacheDir);
  const versions = cache.versions();
  if (versions.length === 0) {
    context.stdout(
      `No cached releases in ${cacheDir}.\nRun 'eksa-iac bundles fetch' (needs internet) or 'eksa-iac bundles import DIR'.\n`,
    );
    return 0;
  }
  const rows = [['EKS-A', 'BUNDLE', 'FETCHED', 'KUBERNETES']];
  const problems: string[] = [];
  for (const version of versions) {
    try {
      const cached = cache.load(version)!;
      const marker = version === DEFAULT_EKSA_VERSION ? ' (default)' : '';
      rows.push([
        `${version}${marker}`,
        String(cached.index.releaseNumber),
        cached.index.fetchedAt,
        cached.bundles.spec.versionsBundles.map((vb) => vb.kubeVersion).join(', '),
      ]);
    } catch (error) {
      problems.push(`${version}: ${(error as Error).message}`);
    }
  }
  context.stdout(`Cache: ${cacheDir}\n${table(rows)}`);
  if (problems.length > 0) {
    context.stderr(`error: damaged cache entries:\n${problems.map((p) => `  ${p}`).join('\n')}\n`);
    return 1;
  }
  return 0;
}

function exportCommand(values: Values, cacheDir: string, target: string, context: CliContext): number {
  const eksaVersion = values['eksa-version'] ?? DEFAULT_EKSA_VERSION;
  const index = new BundlesCache(cacheDir).exportTo(eksaVersion, target);
  context.stdout(
    `Exported EKS-A ${index.eksaVersion} (${1 + index.eksdReleases.length} files and index.json) to ${target}\n` +
      `On the target machine run: eksa-iac bundles import ${target}\n`,
  );
  return 0;
}

function importCommand(cacheDir: string, source: string, context: CliContext): number {
  const index = new BundlesCache(cacheDir).importFrom(source);
  context.stdout(
    `Imported EKS-A ${index.eksaVersion} into ${cacheDir} ` +
      `(Kubernetes ${index.eksdReleases.map((e) => e.kubeVersion).join(', ')})\n`,
  );
  return 0;
}

async function showCommand(values: Values, cacheDir: string, context: CliContext): Promise<number> {
  const bundles = await loadVersionsBundles({
    bundles: values.bundles,
    eksdReleases: values['eksd-release'],
    eksaVersion: values['eksa-version'],
    cacheDir,
    releaseManifestUrl: values['release-manifest-url'],
    offline: values.offline,
    env: context.env,
    cwd: context.cwd,
  });
  const header = [
    `Bundles: ${bundles.source}${bundles.eksaVersion ? ` (EKS-A ${bundles.eksaVersion})` : ''}`,
    `Kubernetes versions: ${bundles.supportedKubernetesVersions.join(', ')}`,
  ];
  const kube = values['kubernetes-version'];
  if (!kube) {
    context.stdout(`${header.join('\n')}\n`);
    return 0;
  }
  context.stdout(`${header.join('\n')}\n${describe(await bundles.resolve(kube))}`);
  return 0;
}

function describe(resolved: ResolvedVersionsBundle): string {
  const d = resolved.kubeDistro;
  const rows = [
    ['Kubernetes', resolved.kubeVersion],
    ['EKS-D release', `${d.eksdReleaseName} (${resolved.sources.eksdRelease})`],
    ['kubernetes', `${d.kubernetes.repository} ${d.kubernetes.tag}`],
    ['coredns', `${d.coreDns.repository} ${d.coreDns.tag}`],
    ['etcd', `${d.etcd.repository} ${d.etcd.tag}`],
    ['etcd version', d.etcdVersion],
    ['etcd url', d.etcdUrl],
    ['pause', d.pause.uri],
    ['kube-proxy', d.kubeProxy.uri],
    ['aws-iam-authenticator', d.awsIamAuthenticator.uri],
  ];
  if (resolved.bundle.eksD.kindNode) rows.push(['kind node', resolved.bundle.eksD.kindNode.uri]);
  return table(rows, false);
}

function table(rows: readonly (readonly string[])[], header = true): string {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  const lines = rows.map((r) =>
    r
      .map((cell, i) => (i === r.length - 1 ? cell : cell.padEnd(widths[i])))
      .join('  ')
      .trimEnd(),
  );
  return `${(header ? lines : lines.map((l) => `  ${l}`)).join('\n')}\n`;
}
