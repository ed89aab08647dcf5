import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import * as path from 'node:path';
import { clusterKubernetesVersions, providerFor } from '../manifests';
import {
  FEATURE_API_SERVER_EXTRA_ARGS,
  FEATURE_VSPHERE_IN_PLACE_UPGRADE,
  formatIssue,
  hasErrors,
  readClusterConfig,
  setClusterDefaults,
  validateClusterConfig,
  type ClusterConfig,
  type Issue,
} from '../spec';
import type { CliContext } from './command';
import { loadVersionsBundles, type ResolvedVersionsBundle } from '../spec/bundles';

/** Where a cluster comes from on the command line. */
export interface ClusterInputOptions {
  readonly file: string;
  readonly bundles?: string;
  readonly eksdReleases: readonly string[];
  /** Apply EKS-A's validation (strict parsing and every rule); false renders as EKS-A's template tests do. */
  readonly validate: boolean;
  /**
   * Apply the provider's create setup defaults (`InfrastructureProvider.setupDefaults`), as `eksa create` does
   * before it renders anything.
   * @default - the same as `validate`
   */
  readonly providerSetup?: boolean;
}

/** A cluster ready for synthesis, or why it is not. */
export type ClusterInput =
  | {
      readonly ok: true;
      readonly config: ClusterConfig;
      readonly bundles: readonly ResolvedVersionsBundle[];
      readonly warnings: readonly Issue[];
    }
  | { readonly ok: false; readonly problems: readonly string[] };

/** Feature flags EKS-A reads from the environment (`NAME=true`). */
const FEATURE_FLAGS = [FEATURE_API_SERVER_EXTRA_ARGS, FEATURE_VSPHERE_IN_PLACE_UPGRADE];

/**
 * Reads, defaults and (optionally) validates a cluster config and resolves its versions bundles. Collects every
 * problem it can before giving up; touches nothing on disk except reading (and the bundles cache).
 */
export async function loadClusterInput(
  options: ClusterInputOptions,
  context: CliContext,
): Promise<ClusterInput> {
  const file = options.file;
  let text: string;
  try {
    text = await readFile(path.resolve(context.cwd, file), 'utf8');
  } catch (error) {
    return {
      ok: false,
      problems: [
        `${file}: cannot read the cluster config: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}. Fix: pass an existing EKS-A cluster config file with -f.`,
      ],
    };
  }
  const parsed = readClusterConfig(text, { file, strict: options.validate });
  const parseWarnings = parsed.issues.filter((i) => i.severity === 'warning');
  if (!parsed.config || hasErrors(parsed.issues)) {
    return { ok: false, problems: parsed.issues.map(formatIssue) };
  }

  let config: ClusterConfig;
  try {
    config = setClusterDefaults(parsed.config, {
      env: context.env,
      readFile: (p) => readFileSync(path.resolve(context.cwd, p), 'utf8'),
    });
    if (options.providerSetup ?? options.validate) config = providerFor(config).setupDefaults(config);
  } catch (error) {
    return { ok: false, problems: [`${file}: ${(error as Error).message}`] };
  }

  let versionsBundles;
  try {
    versionsBundles = await loadVersionsBundles({
      bundles: options.bundles,
      eksdReleases: options.eksdReleases,
      cwd: context.cwd,
      env: context.env,
    });
  } catch (error) {
    return { ok: false, problems: [(error as Error).message] };
  }

  const issues: Issue[] = [...parseWarnings];
  if (options.validate) {
    issues.push(
      ...validateClusterConfig(config, {
        file,
        supportedKubernetesVersions: versionsBundles.supportedKubernetesVersions,
        featureFlags: FEATURE_FLAGS.filter((flag) => context.env[flag] === 'true'),
      }),
    );
    if (hasErrors(issues)) return { ok: false, problems: issues.map(formatIssue) };
  }

  const bundles: ResolvedVersionsBundle[] = [];
  const problems: string[] = [];
  for (const version of clusterKubernetesVersions(config)) {
    try {
      bundles.push(await versionsBundles.resolve(version));
    } catch (error) {
      problems.push((error as Error).message);
    }
  }
  if (problems.length > 0) return { ok: false, problems };
  return { ok: true, config, bundles, warnings: issues.filter((i) => i.severity === 'warning') };
}

/** Prints problems to stderr, one per line. */
export function reportProblems(context: CliContext, command: string, problems: readonly string[]): void {
  context.stderr(`eksa-iac ${command}: ${problems.length} problem${problems.length === 1 ? '' : 's'}\n`);
  for (const p of problems) context.stderr(`  ${p.replace(/\n/g, '\n  ')}\n`);
}
