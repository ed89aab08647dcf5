import type { KubeObject } from '../../kube/types';
import { storageClassesFor } from '../../manifests/addons/storage-class';
import { ETCDADM_API_VERSION, capiApiVersion } from '../../manifests/contract';
import { effectiveWorkerCount } from '../../spec/validate-cluster';
import { applyObjects, ensureNamespace } from '../apply';
import { controlPlaneInitialized, etcdReady, hasNode } from '../capi-status';
import { installCni } from '../cni';
import type { ClusterInputs, KubeconfigText } from '../inputs';
import { kubeconfigServer, rewriteDockerKubeconfig } from '../kubeconfig-text';
import {
  capiClusterRef,
  locateManager,
  ownKubeconfigSources,
  type LocatedManager,
  type ManagerCandidate,
  type ManagerRole,
} from '../locate-manager';
import { runPhase, type PhaseOptions, type PhaseRun } from '../phase-run';
import { EKSA_SYSTEM_NAMESPACE, type PreparedCluster } from '../prepare';
import type { Site } from '../site';
import { machinesTimeout } from '../timeouts';
import { pollUntil, waitForObject } from '../waits';

export interface WorkloadClusterInputs extends ClusterInputs {
  /** The bootstrap cluster's kubeconfig (a management cluster's create); empty or absent when it is retired. */
  readonly bootstrapKubeconfig?: KubeconfigText;
  /** An existing management cluster's kubeconfig (a workload cluster's create, research A3). */
  readonly managementKubeconfig?: KubeconfigText;
  /**
   * StorageClass objects for the new cluster; they replace the provider's default (vSphere: `standard`; docker:
   * none). @default the provider's default
   */
  readonly storageClasses?: readonly unknown[];
}

export interface WorkloadClusterOutputs {
  readonly clusterName: string;
  /** Namespace of the CAPI objects (`eksa-system`). */
  readonly namespace: string;
  /** The new cluster's admin kubeconfig (secret). */
  readonly kubeconfig: KubeconfigText;
  /** Where it was written, relative to the working directory. */
  readonly kubeconfigPath: string;
  /** The API server URL of the kubeconfig. */
  readonly endpoint: string;
  /** sha256 of the rendered manifests. */
  readonly manifestDigest: string;
  /** Which cluster held the CAPI objects when this phase ran. */
  readonly managedBy: ManagerRole;
}

export const WORKLOAD_CLUSTER_SECRET_OUTPUTS = ['kubeconfig'] as const;

/**
 * Phase 3: the cluster itself, created through whichever cluster manages it now (the bootstrap cluster, the
 * cluster itself after a move, or an existing management cluster): the CAPI manifests server-side applied (field
 * manager `eksa-iac`); waits for external etcd, the control plane and the `<c>-kubeconfig` Secret; the kubeconfig
 * (docker: pointed at the load balancer's host port); the CNI; the default StorageClass; the MachineHealthChecks;
 * every machine with a node.
 */
export function workloadCluster(
  site: Site,
  inputs: WorkloadClusterInputs,
  options: PhaseOptions = {},
): Promise<WorkloadClusterOutputs> {
  const tools = inputs.config?.datacenter?.kind === 'DockerDatacenterConfig' ? ['helm', 'docker'] : ['helm'];
  return runPhase(
    site,
    'WorkloadCluster',
    inputs,
    options,
    { tools: tools as ('helm' | 'docker')[], managementKubeconfigGiven: !!inputs.managementKubeconfig },
    async (run, prepared) => {
      const manager = await run.step('locate-manager', async (control) => {
        const located = await locateManager(
          run,
          prepared,
          await managerCandidates(run, prepared, inputs),
          prepared.selfManaged ? 'bootstrap' : 'management',
        );
        if (!located) {
          throw new Error(
            prepared.selfManaged
              ? 'no cluster can create it: the bootstrap cluster is not reachable and the cluster does not exist yet; run BootstrapCluster and CapiProviders first'
              : 'the management cluster is not reachable with the given managementKubeconfig',
          );
        }
        control.note(`${located.role} cluster${located.cluster ? ' holds the Cluster' : ''}`);
        return located;
      });
      const api = manager.connection.client;

      await run.step('create-namespace', async (control) => {
        if ((await ensureNamespace(api, EKSA_SYSTEM_NAMESPACE)) === 'existed') {
          control.skipped(`namespace ${EKSA_SYSTEM_NAMESPACE} exists`);
        }
      });
      await run.step('apply-capi-manifests', async (control) => {
        await site.files.writeText(prepared.paths.capiManifest, prepared.synthesized.capiYaml(), {
          secret: prepared.synthesized.containsSecrets,
        });
        await applyObjects(run, api, prepared.capiObjects, 'Cluster API manifests');
        control.note(`${prepared.capiObjects.length} objects applied to the ${manager.role} cluster`);
      });

      const etcd = prepared.capiObjects.find((o) => o.kind === 'EtcdadmCluster');
      await run.step('wait-external-etcd', async (control) => {
        if (!etcd) {
          control.skipped('etcd is stacked on the control plane');
          return;
        }
        await waitForObject(
          run,
          api,
          {
            apiVersion: ETCDADM_API_VERSION,
            kind: 'EtcdadmCluster',
            namespace: EKSA_SYSTEM_NAMESPACE,
            name: etcd.metadata.name,
          },
          etcdReady,
          'status.ready',
          prepared.timeouts.externalEtcdMs,
        );
      });
      await run.step('wait-control-plane', () =>
        waitForObject(
          run,
          api,
          capiClusterRef(prepared),
          (o) => controlPlaneInitialized(o, prepared.contract),
          'control plane initialized',
          prepared.timeouts.controlPlaneMs,
        ),
      );
      const secretValue = await run.step('wait-kubeconfig-secret', async () => {
        const found = await waitForObject<KubeObject & { data?: { value?: string } }>(
          run,
          api,
          {
            apiVersion: 'v1',
            kind: 'Secret',
            namespace: EKSA_SYSTEM_NAMESPACE,
            name: `${prepared.clusterName}-kubeconfig`,
          },
          (o) => typeof o?.data?.value === 'string' && o.data.value.length > 0,
          'data.value (the admin kubeconfig)',
          prepared.timeouts.kubeconfigSecretMs,
        );
        const text = Buffer.from(found.data!.value!, 'base64').toString('utf8');
        run.secret(text);
        return text;
      });
      const written = await run.step('write-kubeconfig', () => writeKubeconfig(run, prepared, secretValue));
      const workload = await run.connect('workload', { file: written.path });

      await run.step('install-cni', (control) => installCni(run, prepared, workload, control));
      await run.step('install-storage-class', async (control) => {
        const classes = storageClassesFor(prepared.config, {
          ...(inputs.storageClasses ? { storageClasses: inputs.storageClasses } : {}),
        });
        if (classes.length === 0) {
          control.skipped(`no StorageClass for the ${prepared.provider} provider (none given)`);
          return;
        }
        await applyObjects(run, workload.client, classes, 'StorageClass');
        control.note(classes.map((c) => c.metadata.name).join(', '));
      });
      await run.step('install-machine-health-checks', async (control) => {
        await applyObjects(run, api, prepared.machineHealthChecks, 'MachineHealthChecks');
        control.note(`${prepared.machineHealthChecks.length} on the ${manager.role} cluster`);
      });
      await run.step('wait-machines-ready', () => waitForMachines(run, prepared, manager));

      return {
        clusterName: prepared.clusterName,
        namespace: EKSA_SYSTEM_NAMESPACE,
        kubeconfig: written.text,
        kubeconfigPath: written.path,
        endpoint: kubeconfigServer(written.text, 'the cluster kubeconfig'),
        manifestDigest: prepared.manifestDigest,
        managedBy: manager.role,
      };
    },
  );
}

/** Where the CAPI objects may be: the given management or bootstrap cluster, then the cluster itself. */
export async function managerCandidates(
  run: PhaseRun,
  prepared: PreparedCluster,
  inputs: { readonly bootstrapKubeconfig?: string; readonly managementKubeconfig?: string },
): Promise<ManagerCandidate[]> {
  if (!prepared.selfManaged) {
    if (!inputs.managementKubeconfig) {
      throw new Error(
        `cluster ${prepared.clusterName} is managed by ${prepared.config.cluster.spec.managementCluster?.name}: give managementKubeconfig (that cluster's kubeconfig)`,
      );
    }
    run.secret(inputs.managementKubeconfig);
    return [
      { role: 'management', source: { yaml: inputs.managementKubeconfig, name: 'management kubeconfig' } },
    ];
  }
  const out: ManagerCandidate[] = [];
  if (inputs.bootstrapKubeconfig) {
    run.secret(inputs.bootstrapKubeconfig);
    const file = prepared.paths.kindKubeconfig;
    if ((await run.site.files.readText(file)) !== inputs.bootstrapKubeconfig) {
      await run.site.files.writeText(file, inputs.bootstrapKubeconfig, { secret: true });
    }
    out.push({ role: 'bootstrap', source: { file } });
  }
  for (const source of await ownKubeconfigSources(run, prepared)) out.push({ role: 'self', source });
  return out;
}

/**
 * Decodes the cluster's kubeconfig; for docker points it at the load balancer's host port; writes it (0600) to
 * `<c>/<c>-eks-a-cluster.kubeconfig` when a finished create left one there, else to `<c>/generated/`.
 */
async function writeKubeconfig(
  run: PhaseRun,
  prepared: PreparedCluster,
  secretValue: string,
): Promise<{ text: string; path: string }> {
  let text = secretValue;
  if (prepared.provider === 'docker') {
    const port = await run.site.tools.docker.hostPort(`${prepared.clusterName}-lb`, '6443/tcp', {
      signal: run.site.signal,
    });
    text = rewriteDockerKubeconfig(secretValue, port.port, `Secret ${prepared.clusterName}-kubeconfig`);
    run.secret(text);
  }
  const { files } = run.site;
  const path = (await files.exists(prepared.paths.kubeconfig))
    ? prepared.paths.kubeconfig
    : prepared.paths.generatedKubeconfig;
  if ((await files.readText(path)) !== text) await files.writeText(path, text, { secret: true });
  return { text, path };
}

/** EKS-A's gate before the move: every control plane and worker machine has a node (etcd machines have none). */
export async function waitForMachines(
  run: PhaseRun,
  prepared: PreparedCluster,
  manager: Pick<LocatedManager, 'connection'>,
): Promise<void> {
  const spec = prepared.config.cluster.spec;
  const controlPlane = spec.controlPlaneConfiguration.count;
  const workers = (spec.workerNodeGroupConfigurations ?? []).reduce((n, g) => n + effectiveWorkerCount(g), 0);
  const expected = controlPlane + workers;
  const apiVersion = capiApiVersion('core', prepared.contract);
  await pollUntil(
    run,
    `${expected} machines of cluster ${prepared.clusterName} with a node (${controlPlane} control plane, ${workers} workers)`,
    machinesTimeout(prepared.timeouts, expected),
    async () => {
      const machines = await manager.connection.client.list(apiVersion, 'Machine', {
        namespace: EKSA_SYSTEM_NAMESPACE,
        labelSelector: `cluster.x-k8s.io/cluster-name=${prepared.clusterName}`,
      });
      const labels = (m: KubeObject) => m.metadata.labels ?? {};
      const cp = machines.filter((m) => 'cluster.x-k8s.io/control-plane' in labels(m));
      const md = machines.filter((m) => 'cluster.x-k8s.io/deployment-name' in labels(m));
      const ready = [...cp, ...md].filter(hasNode).length;
      return {
        done: cp.length >= controlPlane && md.length >= workers && ready === cp.length + md.length,
        observed: `control plane ${cp.filter(hasNode).length}/${controlPlane} with a node (${cp.length} machines), workers ${md.filter(hasNode).length}/${workers} (${md.length} machines)`,
      };
    },
  );
}
