import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { CURRENT_BUNDLES } from './cli-runner';
import { resolveClusterBundles } from '../../src/manifests';
import { readClusterConfig, setClusterDefaults, type ClusterConfig } from '../../src/spec';
import { loadVersionsBundles } from '../../src/spec/bundles';
import type { ResolvedVersionsBundle } from '../../src/spec/bundles';

/** A parsed, defaulted config with its resolved bundles, ready for `synthesizeCluster`. */
export interface SynthInput {
  readonly config: ClusterConfig;
  readonly bundles: readonly ResolvedVersionsBundle[];
}

/** Every EKS-D release file beside the current-era Bundles manifest. */
export const CURRENT_EKSD_RELEASES = [
  '30-eks-58',
  '31-eks-47',
  '32-eks-40',
  '33-eks-30',
  '34-eks-21',
  '35-eks-12',
  '36-eks-6',
].map((r) => path.join(CURRENT_BUNDLES, `kubernetes-1-${r}.yaml`));

/** Loads a config file (leniently, as `--no-validate`), applies defaults and resolves its bundles offline. */
export async function loadSynthInput(
  file: string,
  bundles = path.join(CURRENT_BUNDLES, 'main-bundle-release.yaml'),
  eksdReleases: readonly string[] = CURRENT_EKSD_RELEASES,
  text = readFileSync(file, 'utf8'),
): Promise<SynthInput> {
  const parsed = readClusterConfig(text, { file, strict: false });
  if (!parsed.config) throw new Error(`${file}: ${parsed.issues.map((i) => i.message).join('; ')}`);
  const config = setClusterDefaults(parsed.config, { env: {} });
  const versionsBundles = await loadVersionsBundles({ bundles, eksdReleases, offline: true, env: {} });
  return { config, bundles: await resolveClusterBundles(config, versionsBundles) };
}
