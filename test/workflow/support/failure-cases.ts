import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse } from 'yaml';
import { config, DOCKER_MGMT, DOCKER_MGMT_STACKED, FAST_TIMEOUTS, SHORT_WAIT } from './configs';
import { InstantSite, OFFLINE_BUNDLES } from './instant-site';
import { createCluster } from '../../../src/workflow/create-cluster';
import { WorkflowError } from '../../../src/workflow/errors';

export const KIND = 'dev-eks-a-cluster';

/** A fault injected into one step of the create, and what the failure must say. */
export interface FailureCase {
  readonly phase: string;
  readonly step: string;
  /** How the fault is made: a program failing, the Nth API request failing, a controller stopped. */
  readonly how: string;
  /** The step waits and times out: the error says what it waited for and what it saw last. */
  readonly wait?: { readonly waitedFor: RegExp };
  /** Text the error's reason carries. */
  readonly reason?: RegExp;
  /** Clusters whose state the diagnostics hold (by role label). */
  readonly diagnosedClusters?: readonly string[];
  /** The cluster config. @default DOCKER_MGMT */
  readonly yaml?: string;
  readonly storageClasses?: readonly unknown[];
  /** Timeouts of this case (the wait it means to fail, shortened). */
  readonly timeouts?: Readonly<Record<string, number>>;
  inject(sim: InstantSite): void;
}

const CAPI = '/apis/cluster.x-k8s.io/v1beta2/namespaces/eksa-system';
const STORAGE_CLASS = {
  apiVersion: 'storage.k8s.io/v1',
  kind: 'StorageClass',
  metadata: { name: 'local' },
  provisioner: 'rancher.io/local-path',
};

export const FAILURE_CASES: readonly FailureCase[] = [
  {
    phase: 'BootstrapCluster',
    step: 'create-kind-cluster',
    how: 'kind create cluster exits 1',
    inject: (s) =>
      s.failTool('kind', 'create cluster', {
        message: 'ERROR: failed to create cluster: node image pull failed',
      }),
    reason: /kind[\s\S]*node image pull failed/,
  },
  {
    phase: 'BootstrapCluster',
    step: 'create-namespace',
    how: 'the 1st namespace create on the kind cluster is forbidden',
    inject: (s) => s.failApi(KIND, { method: 'POST', path: '/api/v1/namespaces', status: 403 }),
    reason: /403 Forbidden/,
    diagnosedClusters: ['bootstrap'],
  },
  {
    phase: 'BootstrapCluster',
    step: 'write-kind-config',
    how: 'the kind config cannot be written',
    inject: (s) => s.failFile(/kind_tmp\.yaml$/),
    reason: /EACCES/,
  },
  {
    phase: 'CapiProviders',
    step: 'install-providers',
    how: 'clusterctl init exits 1',
    inject: (s) => s.failTool('clusterctl', 'init', { message: 'Error: failed to get provider components' }),
    reason: /failed to get provider components/,
    diagnosedClusters: ['bootstrap'],
  },
  {
    phase: 'CapiProviders',
    step: 'wait-providers',
    how: 'the deployment controller is stopped for capi-system',
    inject: (s) => s.stoppedDeployments.add('capi-system'),
    timeouts: { deploymentMs: SHORT_WAIT },
    wait: { waitedFor: /Deployment capi-system\/capi-controller-manager: condition Available/ },
    diagnosedClusters: ['bootstrap'],
  },
  {
    phase: 'WorkloadCluster',
    step: 'apply-capi-manifests',
    how: 'the server-side apply of the CAPI Cluster is forbidden',
    inject: (s) =>
      s.failApi(KIND, { method: 'PATCH', path: `${CAPI}/clusters/dev`, status: 403, times: Infinity }),
    reason: /PATCH .*clusters\/dev.*403 Forbidden/,
    diagnosedClusters: ['bootstrap'],
  },
  {
    phase: 'WorkloadCluster',
    step: 'wait-external-etcd',
    how: 'the CAPI controllers are stopped',
    inject: (s) => s.stopped.add('capi'),
    timeouts: { externalEtcdMs: SHORT_WAIT },
    wait: { waitedFor: /EtcdadmCluster eksa-system\/dev-etcd: status\.ready/ },
    diagnosedClusters: ['bootstrap'],
  },
  {
    phase: 'WorkloadCluster',
    step: 'write-kubeconfig',
    how: 'docker port exits 1',
    inject: (s) => s.failTool('docker', 'port', { message: 'Error: No such container: dev-lb' }),
    reason: /No such container: dev-lb/,
    diagnosedClusters: ['bootstrap'],
  },
  {
    phase: 'WorkloadCluster',
    step: 'install-cni',
    how: 'helm template exits 1',
    inject: (s) =>
      s.failTool('helm', 'template', {
        message: 'Error: failed to fetch oci://public.ecr.aws/eks/cilium/cilium',
      }),
    reason: /failed to fetch/,
    diagnosedClusters: ['bootstrap', 'workload'],
  },
  {
    phase: 'WorkloadCluster',
    step: 'install-machine-health-checks',
    how: 'the apply of MachineHealthChecks on the bootstrap cluster is forbidden',
    inject: (s) => s.failApi(KIND, { method: 'PATCH', path: `${CAPI}/machinehealthchecks/*`, status: 403 }),
    reason: /machinehealthchecks.*403 Forbidden/,
    diagnosedClusters: ['bootstrap', 'workload'],
  },
  {
    phase: 'WorkloadCluster',
    step: 'wait-control-plane',
    how: 'the CAPI controllers are stopped (stacked etcd)',
    yaml: DOCKER_MGMT_STACKED,
    inject: (s) => s.stopped.add('capi'),
    timeouts: { controlPlaneMs: SHORT_WAIT },
    wait: { waitedFor: /Cluster eksa-system\/dev: control plane initialized/ },
    diagnosedClusters: ['bootstrap'],
  },
  {
    phase: 'WorkloadCluster',
    step: 'wait-kubeconfig-secret',
    how: 'CAPI never writes the kubeconfig Secret',
    inject: (s) => (s.capi.kubeconfigSecret = false),
    timeouts: { kubeconfigSecretMs: SHORT_WAIT },
    wait: { waitedFor: /Secret eksa-system\/dev-kubeconfig: data\.value/ },
    diagnosedClusters: ['bootstrap'],
  },
  {
    phase: 'WorkloadCluster',
    step: 'install-storage-class',
    how: 'the apply of the given StorageClass is forbidden',
    storageClasses: [STORAGE_CLASS],
    inject: (s) =>
      s.failApi('dev', {
        method: 'PATCH',
        path: '/apis/storage.k8s.io/v1/storageclasses/local',
        status: 403,
      }),
    reason: /storageclasses\/local.*403 Forbidden/,
    diagnosedClusters: ['bootstrap', 'workload'],
  },
  {
    phase: 'WorkloadCluster',
    step: 'wait-machines-ready',
    how: 'no machine ever gets a node',
    inject: (s) => (s.capi.nodes = false),
    timeouts: { machinesMinimumMs: SHORT_WAIT, perMachineMs: 100 },
    wait: { waitedFor: /3 machines of cluster dev with a node/ },
    diagnosedClusters: ['bootstrap', 'workload'],
  },
  {
    phase: 'ManagementMove',
    step: 'install-providers',
    how: 'the 2nd clusterctl init (on the new cluster) exits 1',
    inject: (s) =>
      s.failTool('clusterctl', 'init', { skip: 1, message: 'Error: timed out waiting for cert-manager' }),
    reason: /cert-manager/,
    diagnosedClusters: ['workload'],
  },
  {
    phase: 'ManagementMove',
    step: 'move',
    how: 'the 1st create of a CAPI Cluster in the new cluster is forbidden',
    inject: (s) => s.failApi('dev', { method: 'POST', path: `${CAPI}/clusters`, status: 403 }),
    reason: /403 Forbidden/,
    diagnosedClusters: ['workload', 'bootstrap'],
  },
  {
    phase: 'ManagementMove',
    step: 'wait-cluster-available',
    how: 'the Cluster never becomes Available',
    inject: (s) => (s.capi.available = false),
    timeouts: { clusterAvailableMs: SHORT_WAIT },
    wait: { waitedFor: /Cluster eksa-system\/dev: condition Available/ },
    diagnosedClusters: ['workload', 'bootstrap'],
  },
  {
    phase: 'EksaComponents',
    step: 'install-eksd-crds',
    how: 'the EKS-D CRD manifest cannot be downloaded',
    inject: (s) => s.fetchFaults.push(/releases\.distro\.eks\.amazonaws\.com/),
    reason: /503 Service Unavailable/,
    diagnosedClusters: ['workload'],
  },
  {
    phase: 'EksaComponents',
    step: 'resume-reconcile',
    how: 'the 2nd write of the EKS-A Cluster (the resume patch) is forbidden',
    inject: (s) =>
      s.failApi('dev', {
        method: 'PATCH',
        path: '/apis/anywhere.eks.amazonaws.com/v1alpha1/namespaces/default/clusters/dev',
        nth: 2,
        status: 403,
      }),
    reason: /403 Forbidden/,
    diagnosedClusters: ['workload'],
  },
  {
    phase: 'ClusterConfigFiles',
    step: 'move-kubeconfig',
    how: 'the kubeconfig cannot be moved into place',
    inject: (s) => s.failFile(/^dev\/dev-eks-a-cluster\.kubeconfig$/),
    reason: /EACCES/,
  },
  {
    phase: 'BootstrapCleanup',
    step: 'find-bootstrap-cluster',
    how: 'the 2nd kind get clusters exits 1',
    inject: (s) => s.failTool('kind', 'get clusters', { skip: 1, message: 'ERROR: failed to list clusters' }),
    reason: /failed to list clusters/,
  },
  {
    phase: 'EksaComponents',
    step: 'wait-eksa-controller',
    how: 'the deployment controller is stopped for eksa-system',
    inject: (s) => s.stoppedDeployments.add('eksa-system'),
    timeouts: { deploymentMs: SHORT_WAIT },
    wait: { waitedFor: /Deployment eksa-system\/eksa-controller-manager: condition Available/ },
    diagnosedClusters: ['workload'],
  },
  {
    phase: 'EksaComponents',
    step: 'apply-eksa-objects',
    how: 'the apply of the EKS-A Cluster is forbidden',
    inject: (s) =>
      s.failApi('dev', {
        method: 'PATCH',
        path: '/apis/anywhere.eks.amazonaws.com/v1alpha1/namespaces/default/clusters/dev',
        status: 403,
      }),
    reason: /403 Forbidden/,
    diagnosedClusters: ['workload'],
  },
  {
    phase: 'ClusterConfigFiles',
    step: 'write-cluster-config',
    how: 'the config file cannot be written',
    inject: (s) => s.failFile(/dev-eks-a-cluster\.yaml$/),
    reason: /EACCES/,
  },
  {
    phase: 'BootstrapCleanup',
    step: 'delete-bootstrap-cluster',
    how: 'kind delete cluster exits 1',
    inject: (s) => s.failTool('kind', 'delete cluster', { message: 'ERROR: failed to delete cluster' }),
    reason: /failed to delete cluster/,
    diagnosedClusters: ['bootstrap'],
  },
];

export const CREATE_OPTIONS = { bundles: OFFLINE_BUNDLES, timeouts: FAST_TIMEOUTS };

/**
 * Injects the fault, runs the create, checks the failure (phase, step, wait details, diagnostics written without
 * secrets), then clears the fault and checks that a re-run converges to a created cluster.
 */
export async function runFailureCase(c: FailureCase): Promise<void> {
  const sim = await InstantSite.create();
  try {
    c.inject(sim);
    const createOptions = {
      ...CREATE_OPTIONS,
      ...(c.storageClasses ? { storageClasses: c.storageClasses } : {}),
    };
    const error = await createCluster(sim.site, config(c.yaml ?? DOCKER_MGMT), createOptions).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(WorkflowError);
    const failure = (error as WorkflowError).failure;
    expect(`${failure.phase}/${failure.step}`).toBe(`${c.phase}/${c.step}`);
    const message = (error as Error).message;
    expect(message).toContain(`${c.phase} of cluster dev: step ${c.step} failed`);
    if (c.reason) expect(failure.reason).toMatch(c.reason);
    if (c.wait) {
      expect(failure.waitedFor).toMatch(c.wait.waitedFor);
      expect(failure.lastObserved).toBeTruthy();
      expect(message).toContain('waited for:');
      expect(message).toContain('last observed:');
    }
    // Diagnostics: where they are is in the message, and they hold the clusters' state but no secrets.
    expect(failure.diagnosticsDir).toMatch(/^dev\/generated\/diagnostics-\d{4}-\d\d-\d\dT\d\d_\d\d_\d\d$/);
    expect(message).toContain(`diagnostics: ${failure.diagnosticsDir}`);
    const dir = path.join(sim.workDir, failure.diagnosticsDir!);
    const summary = parse(fs.readFileSync(path.join(dir, 'summary.yaml'), 'utf8')) as Record<string, unknown>;
    expect(summary).toMatchObject({ cluster: 'dev', phase: c.phase, step: c.step });
    for (const label of c.diagnosedClusters ?? []) {
      expect(fs.existsSync(path.join(dir, label, 'objects.yaml'))).toBe(true);
      expect(fs.existsSync(path.join(dir, label, 'deployments.yaml'))).toBe(true);
    }
    const tokens = [sim.cluster(KIND)?.token, sim.cluster('dev')?.token].filter((t): t is string => !!t);
    for (const file of walk(dir)) {
      const content = fs.readFileSync(file, 'utf8');
      for (const token of tokens) expect(content).not.toContain(token);
      expect(content).not.toMatch(/client-key-data|BEGIN [A-Z ]*PRIVATE KEY/);
    }
    for (const token of tokens) expect(message).not.toContain(token);

    // The cause fixed, the same create converges.
    sim.clearFaults();
    const result = await createCluster(sim.site, config(c.yaml ?? DOCKER_MGMT), createOptions);
    expect(result.phases.managementMove?.managedBy).toBe('self');
    expect(sim.kindClusters()).toEqual([]);
    expect(sim.filesWithModes().get('dev/dev-eks-a-cluster.kubeconfig')).toBe(0o600);
    const capi = sim.cluster('dev')!.call({ method: 'GET', path: `${CAPI}/clusters/dev` });
    expect(capi.status).toBe(200);
    expect(
      sim.operations.filter((o) => o.type === 'tool' && o.verb === 'create cluster').length,
    ).toBeLessThanOrEqual(2);
  } finally {
    await sim.close();
  }
}

function walk(dir: string): string[] {
  const out: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...walk(full));
    else out.push(full);
  }
  return out;
}
