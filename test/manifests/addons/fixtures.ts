import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { parse as parseYaml } from 'yaml';
import {
  loadVersionsBundles,
  parseClusterConfig,
  setClusterDefaults,
  type ClusterConfig,
  type ResolvedVersionsBundle,
  type VersionsBundles,
} from '../../../src/spec';

/** Shared test data, read by path (never copied into the repository). */
export const SHARED = path.resolve(__dirname, '../../../../shared');
export const CURRENT_BUNDLES = path.join(SHARED, 'bundles/main-bundle-release.yaml');
export const CURRENT_EKSD = [
  'kubernetes-1-30-eks-58.yaml',
  'kubernetes-1-31-eks-47.yaml',
  'kubernetes-1-32-eks-40.yaml',
  'kubernetes-1-33-eks-30.yaml',
  'kubernetes-1-34-eks-21.yaml',
  'kubernetes-1-35-eks-12.yaml',
  'kubernetes-1-36-eks-6.yaml',
].map((f) => path.join(SHARED, 'bundles', f));
export const DOCKER_ORACLE = path.join(SHARED, 'oracle/eksa-docker');
export const VSPHERE_ORACLE = path.join(SHARED, 'oracle/eksa-vsphere');
export const ORACLE_BUNDLES = path.join(DOCKER_ORACLE, '_support/bundles.yaml');
export const EKSA_COMPONENTS_MANIFEST = path.join(SHARED, 'crds/eks-anywhere/manifest/eksa-components.yaml');

let current: Promise<VersionsBundles> | undefined;

/** The current-era Bundles (Kubernetes 1.30–1.36) with every EKS-D release, loaded once. */
export function currentBundles(): Promise<VersionsBundles> {
  current ??= loadVersionsBundles({ bundles: CURRENT_BUNDLES, eksdReleases: CURRENT_EKSD, offline: true });
  return current;
}

/** The resolved versions bundle of a Kubernetes version from the current-era Bundles. */
export async function currentBundle(kubeVersion = '1.30'): Promise<ResolvedVersionsBundle> {
  return (await currentBundles()).resolve(kubeVersion);
}

/** The raw YAML of the current-era versions bundle of a Kubernetes version (the data file, not our parser). */
export function rawVersionsBundle(kubeVersion: string): Record<string, any> {
  const manifest = parseYaml(readFileSync(CURRENT_BUNDLES, 'utf8')) as {
    spec: { versionsBundles: Record<string, any>[] };
  };
  const vb = manifest.spec.versionsBundles.find((b) => b.kubeVersion === kubeVersion);
  if (!vb) throw new Error(`no versions bundle ${kubeVersion} in ${CURRENT_BUNDLES}`);
  return vb;
}

/** The research notes (the oracle for values EKS-A uses). */
export function research(): string {
  return readFileSync(path.join(SHARED, 'research/eksa.md'), 'utf8');
}

/** The text of research/eksa.md between two markers, whitespace collapsed. */
export function researchSection(start: string, end: string): string {
  const text = research();
  const from = text.indexOf(start);
  if (from < 0) throw new Error(`research has no '${start}'`);
  const to = text.indexOf(end, from + start.length);
  return text.slice(from, to < 0 ? undefined : to).replace(/\s+/g, ' ');
}

/** Every `backticked` span of a text. */
export function backticked(text: string): string[] {
  return [...text.matchAll(/`([^`]+)`/g)].map((m) => m[1]);
}

export interface DockerConfigOptions {
  readonly name?: string;
  readonly kubernetesVersion?: string;
  readonly controlPlaneCount?: number;
  readonly workers?: number;
  /** YAML lines under `clusterNetwork.cniConfig:` (indented by the caller as a block). */
  readonly cniConfig?: string;
  /** Extra YAML lines appended under `spec:` of the Cluster (2-space indented). */
  readonly extraSpec?: string;
  /** Extra documents appended to the file. */
  readonly extraDocs?: string;
}

/** A docker cluster config, parsed and defaulted like the CLI does it. */
export function dockerConfig(options: DockerConfigOptions = {}): ClusterConfig {
  const name = options.name ?? 'mgmt';
  const workers =
    options.workers === 0
      ? ''
      : `  workerNodeGroupConfigurations:\n  - name: md-0\n    count: ${options.workers ?? 1}\n`;
  const text = `apiVersion: anywhere.eks.amazonaws.com/v1alpha1
kind: Cluster
metadata:
  name: ${name}
spec:
  kubernetesVersion: "${options.kubernetesVersion ?? '1.30'}"
  clusterNetwork:
    cniConfig:
${options.cniConfig ?? '      cilium: {}'}
    pods:
      cidrBlocks: [192.168.0.0/16]
    services:
      cidrBlocks: [10.96.0.0/12]
  controlPlaneConfiguration:
    count: ${options.controlPlaneCount ?? 1}
  datacenterRef:
    kind: DockerDatacenterConfig
    name: ${name}
${workers}${options.extraSpec ?? ''}---
apiVersion: anywhere.eks.amazonaws.com/v1alpha1
kind: DockerDatacenterConfig
metadata:
  name: ${name}
spec: {}
${options.extraDocs ?? ''}`;
  return setClusterDefaults(parseClusterConfig(text, { file: `${name}.yaml` }));
}

/** A vSphere oracle case's config, parsed and defaulted. */
export function vsphereOracleConfig(caseName: string): ClusterConfig {
  const file = path.join(VSPHERE_ORACLE, `${caseName}.input.yaml`);
  return setClusterDefaults(parseClusterConfig(readFileSync(file, 'utf8'), { file, strict: false }));
}

/** Reads `a.b.c` of a JSON value. */
export function at(value: unknown, dotted: string): unknown {
  return dotted
    .split('.')
    .reduce<unknown>(
      (v, k) => (v && typeof v === 'object' ? (v as Record<string, unknown>)[k] : undefined),
      value,
    );
}
