import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as YAML from 'yaml';
import { HttpKubeClient } from '../../../src/kube';
import type { KubeObject } from '../../../src/kube';
import type { SimulatedSite } from '../../../src/testing';
import { renderClusterctlLayout, writeClusterctlLayout } from '../../../src/tools';
import type { ClusterctlProviderSource } from '../../../src/tools';

/** A scratch folder, removed by `remove()`. */
export function workspace(prefix = 'sim-site-'): {
  dir: string;
  file: (...p: string[]) => string;
  remove(): void;
} {
  const dir = mkdtempSync(path.join(os.tmpdir(), prefix));
  return {
    dir,
    file: (...p) => path.join(dir, ...p),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** The providers EKS-A installs (research/eksa.md A1 step 4), at the versions of the current bundle. */
export function eksaProviders(capiVersion = 'v1.13.2'): ClusterctlProviderSource[] {
  const p = (
    name: string,
    type: ClusterctlProviderSource['type'],
    version: string,
  ): ClusterctlProviderSource => ({
    name,
    type,
    version,
    components: {
      uri: `${name}-components.yaml`,
      content: `# ${name} ${version} components (test stand-in)\n`,
    },
    metadata: {
      uri: 'metadata.yaml',
      content: 'apiVersion: clusterctl.cluster.x-k8s.io/v1alpha3\nkind: Metadata\n',
    },
  });
  return [
    p('cluster-api', 'CoreProvider', capiVersion),
    p('kubeadm', 'BootstrapProvider', capiVersion),
    p('kubeadm', 'ControlPlaneProvider', capiVersion),
    p('docker', 'InfrastructureProvider', capiVersion),
    p('etcdadm-bootstrap', 'BootstrapProvider', 'v1.0.19'),
    p('etcdadm-controller', 'BootstrapProvider', 'v1.0.28'),
  ];
}

/** Writes EKS-A's clusterctl layout under `<clusterDir>/generated` and returns the config path. */
export async function writeLayout(clusterDir: string, providers = eksaProviders()): Promise<string> {
  const layout = renderClusterctlLayout({
    clusterDir,
    providers,
    certManager: { version: 'v1.16.1', manifest: { uri: 'cert-manager.yaml', content: '# cert-manager\n' } },
  });
  await writeClusterctlLayout(layout);
  return layout.configPath;
}

/** `clusterctl init` as EKS-A runs it (core, kubeadm, kubeadm, docker, then the two etcdadm providers). */
export async function initProviders(
  site: SimulatedSite,
  kubeconfigPath: string,
  configPath: string,
  capiVersion = 'v1.13.2',
): Promise<void> {
  await site.clusterctl.init({
    kubeconfigPath,
    configPath,
    core: { name: 'cluster-api', version: capiVersion },
    bootstrap: [
      { name: 'kubeadm', version: capiVersion },
      { name: 'etcdadm-bootstrap', version: 'v1.0.19' },
      { name: 'etcdadm-controller', version: 'v1.0.28' },
    ],
    controlPlane: [{ name: 'kubeadm', version: capiVersion }],
    infrastructure: [{ name: 'docker', version: capiVersion }],
  });
}

export async function connect(kubeconfig: { file: string } | { yaml: string }): Promise<HttpKubeClient> {
  // Short retries: a test that expects a cluster to be gone should not wait out clusterctl's backoff.
  const quick = { initialDelayMs: 10, factor: 2, steps: 3, jitter: 0 };
  return HttpKubeClient.connect({
    kubeconfig,
    fieldManager: 'eksa-iac-test',
    retry: { read: quick, write: quick },
  });
}

/** Applies objects server-side, in order. */
export async function applyAll(client: HttpKubeClient, objects: readonly KubeObject[]): Promise<void> {
  for (const o of objects) await client.apply(o);
}

export function parseDocuments(text: string): KubeObject[] {
  return YAML.parseAllDocuments(text)
    .map((d) => d.toJS() as KubeObject | null)
    .filter((o): o is KubeObject => o !== null && typeof o === 'object' && 'kind' in o);
}

export function writeKubeconfig(file: string, yaml: string): void {
  writeFileSync(file, yaml, { mode: 0o600 });
}

/** A kind bootstrap cluster with EKS-A's providers, as EKS-A's create workflow makes it (A1 steps 2 and 4). */
export async function bootstrapCluster(
  site: SimulatedSite,
  ws: ReturnType<typeof workspace>,
  name: string,
  capiVersion = 'v1.13.2',
): Promise<{ kubeconfigPath: string; client: HttpKubeClient }> {
  const kubeconfigPath = ws.file(name, 'generated', `${name}.kind.kubeconfig`);
  const kindConfig = ws.file(`${name}-kind.yaml`);
  writeFileSync(kindConfig, 'kind: Cluster\napiVersion: kind.x-k8s.io/v1alpha4\n');
  await site.kind.createCluster({
    name: `${name}-eks-a-cluster`,
    kubeconfigPath,
    nodeImage: 'public.ecr.aws/eks-anywhere/kubernetes-sigs/kind/node:v1.30.14-eks-d-1-30-58',
    configPath: kindConfig,
  });
  await initProviders(
    site,
    kubeconfigPath,
    await writeLayout(ws.file(name), eksaProviders(capiVersion)),
    capiVersion,
  );
  const client = await connect({ file: kubeconfigPath });
  await client.apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'eksa-system' } });
  return { kubeconfigPath, client };
}

/** The workload cluster's kubeconfig as EKS-A writes it: from `<c>-kubeconfig`, server rewritten to `docker port`. */
export async function workloadKubeconfig(
  site: SimulatedSite,
  name: string,
  kubeconfigPath: string,
): Promise<string> {
  const raw = await site.clusterctl.getKubeconfig({
    clusterName: name,
    namespace: 'eksa-system',
    kubeconfigPath,
  });
  const port = await site.docker.hostPort(`${name}-lb`, '6443/tcp');
  const config = YAML.parse(raw);
  for (const c of config.clusters) {
    c.cluster.server = `https://127.0.0.1:${port.port}`;
    delete c.cluster['certificate-authority-data'];
    c.cluster['insecure-skip-tls-verify'] = true;
  }
  return YAML.stringify(config);
}

/** Installs Cilium into a workload cluster as EKS-A does (helm template, then apply). */
export async function installCilium(site: SimulatedSite, workload: HttpKubeClient): Promise<void> {
  const manifests = await site.helm.template({
    chart: 'oci://public.ecr.aws/isovalent/cilium',
    version: '1.15.6-eksa.1',
    namespace: 'kube-system',
  });
  await applyAll(workload, parseDocuments(manifests));
}

export const conditionOf = (o: KubeObject | undefined, type: string): string | undefined =>
  ((o?.status as { conditions?: { type: string; status: string }[] } | undefined)?.conditions ?? []).find(
    (c) => c.type === type,
  )?.status;
