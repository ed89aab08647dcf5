import * as path from 'node:path';
import { proxyEnvironment } from '../../manifests/addons/eksa-components';
import { defaultAuditPolicy } from '../../manifests/kubeadm/audit-policy';
import { VersionsBundlesError } from '../../spec/bundles/errors';
import { ensureKindCluster, kindClusterName } from '../../tools/kind-cli';
import { renderKindConfig, renderRegistryMirrorHosts, type KindConfigInput } from '../../tools/kind-config';
import type { ToolName } from '../../tools/preflight';
import { ensureNamespace } from '../apply';
import type { ClusterInputs, KubeconfigText } from '../inputs';
import { capiClusterRef, ownKubeconfigSources, probeCluster } from '../locate-manager';
import { runPhase, type PhaseOptions, type PhaseRun, type StepControl } from '../phase-run';
import { EKSA_SYSTEM_NAMESPACE, type PreparedCluster } from '../prepare';
import type { Site } from '../site';

export type BootstrapClusterInputs = ClusterInputs;

export interface BootstrapClusterOutputs {
  readonly clusterName: string;
  /** `<c>-eks-a-cluster`. */
  readonly kindClusterName: string;
  /**
   * `running`: the bootstrap cluster is up. `retired`: the cluster already manages itself (its CAPI objects were
   * moved to it), so no bootstrap cluster was created.
   */
  readonly state: 'running' | 'retired';
  /** `<c>/generated/<c>.kind.kubeconfig`, relative to the working directory. */
  readonly kubeconfigPath: string;
  /** The bootstrap cluster's kubeconfig (secret); empty when retired. */
  readonly kubeconfig: KubeconfigText;
}

/** The outputs that are secret (the Pulumi layer marks them). */
export const BOOTSTRAP_CLUSTER_SECRET_OUTPUTS = ['kubeconfig'] as const;

/** Every program a create needs: the first phase checks them all, so that nothing is created if one is missing. */
export function createToolNames(prepared: PreparedCluster): ToolName[] {
  const tools: ToolName[] = ['helm'];
  if (prepared.selfManaged) tools.push('docker', 'kind', 'clusterctl');
  if (prepared.provider === 'docker') tools.push('docker');
  if (prepared.config.cluster.spec.gitOpsRef && prepared.selfManaged) tools.push('flux');
  return [...new Set(tools)];
}

/**
 * Phase 1 of a management cluster's create: the kind bootstrap cluster (EKS-A A1.2). Writes the kind config
 * (the cluster's pod and service subnets, the EKS-D images and kind node image of the versions bundle, the audit
 * policy, the Docker socket for the docker provider, the registry mirror), creates `<c>-eks-a-cluster` with its
 * kubeconfig at `<c>/generated/<c>.kind.kubeconfig` (adopting a cluster of that name left by an earlier run), and
 * creates the `eksa-system` namespace in it. When the cluster already manages itself, nothing is created.
 */
export function bootstrapCluster(
  site: Site,
  inputs: BootstrapClusterInputs,
  options: PhaseOptions = {},
): Promise<BootstrapClusterOutputs> {
  const tools: ToolName[] = ['docker', 'kind', 'clusterctl', 'helm'];
  if (inputs.config?.cluster?.spec?.gitOpsRef) tools.push('flux');
  return runPhase(site, 'BootstrapCluster', inputs, options, { tools }, async (run, prepared) => {
    const kindName = kindClusterName(prepared.clusterName);
    const kubeconfigPath = prepared.paths.kindKubeconfig;
    const retired = await run.step('check-management-moved', async (control) => {
      const holder = await findSelfManagement(run, prepared);
      if (holder) control.skipped('the cluster already manages itself: no bootstrap cluster is needed');
      else control.note('the cluster does not manage itself yet');
      return holder;
    });
    if (retired) {
      return {
        clusterName: prepared.clusterName,
        kindClusterName: kindName,
        state: 'retired',
        kubeconfigPath,
        kubeconfig: '',
      };
    }
    const configPath = await run.step('write-kind-config', () => writeKindConfig(run, prepared));
    const kubeconfig = await run.step('create-kind-cluster', (control) =>
      startKindCluster(run, prepared, configPath, control),
    );
    await run.step('create-namespace', async (control) => {
      const connection = await run.connect('bootstrap', { file: kubeconfigPath });
      if ((await ensureNamespace(connection.client, EKSA_SYSTEM_NAMESPACE)) === 'existed') {
        control.skipped(`namespace ${EKSA_SYSTEM_NAMESPACE} exists`);
      }
    });
    return {
      clusterName: prepared.clusterName,
      kindClusterName: kindName,
      state: 'running',
      kubeconfigPath,
      kubeconfig,
    };
  });
}

/**
 * `kind create cluster` of the bootstrap cluster `<c>-eks-a-cluster` with the EKS-D kind node image of the versions
 * bundle and the kind config at `configPath`, or the existing cluster of that name adopted (its kubeconfig rewritten
 * from `kind get kubeconfig`: the file may be missing or stale after a crash). Returns its kubeconfig, written 0600
 * to `<c>/generated/<c>.kind.kubeconfig`. Also used by the upgrade and delete workflows, which need a bootstrap
 * cluster again.
 */
export async function startKindCluster(
  run: PhaseRun,
  prepared: PreparedCluster,
  configPath: string,
  control: StepControl,
): Promise<string> {
  const { site } = run;
  const kindName = kindClusterName(prepared.clusterName);
  const kubeconfigPath = prepared.paths.kindKubeconfig;
  const nodeImage = prepared.root.bundle.eksD.kindNode?.uri;
  if (!nodeImage) {
    throw new VersionsBundlesError(
      `${prepared.root.sources.bundles}: the versions bundle for Kubernetes ${prepared.root.kubeVersion} has no eksD.kindNode image`,
    );
  }
  const proxy = proxyEnvironment(prepared.config);
  const result = await run.during(`kind create cluster --name ${kindName}`, () =>
    ensureKindCluster(
      site.tools.kind,
      {
        name: kindName,
        kubeconfigPath: site.files.resolve(kubeconfigPath),
        nodeImage,
        configPath: site.files.resolve(configPath),
        ...(proxy ? { env: { ...proxy } } : {}),
      },
      { signal: site.signal, onOutput: (line) => run.log.debug?.(line) },
    ),
  );
  if (!result.created) {
    // The file may be missing or stale after a crash: kind's current answer is the truth.
    run.secret(result.kubeconfig);
    await site.files.writeText(kubeconfigPath, result.kubeconfig ?? '', { secret: true });
    control.adopted(`kind cluster ${kindName} exists already`);
  } else {
    control.note(`kind cluster ${kindName}, node image ${nodeImage}`);
  }
  const text = await site.files.readText(kubeconfigPath);
  if (!text) throw new Error(`kind did not write the kubeconfig ${kubeconfigPath}`);
  run.secret(text);
  // kind writes the file with the user's umask; it holds admin credentials.
  await site.files.writeText(kubeconfigPath, text, { secret: true });
  return text;
}

/** True when one of the cluster's own kubeconfigs reaches a cluster that holds its CAPI Cluster object. */
async function findSelfManagement(run: PhaseRun, prepared: PreparedCluster): Promise<boolean> {
  for (const source of await ownKubeconfigSources(run, prepared)) {
    const found = await probeCluster(run, source, capiClusterRef(prepared));
    if (found && found !== 'unreachable') return true;
  }
  return false;
}

/** The kind config and the files it mounts; returns the config's path. */
export async function writeKindConfig(run: PhaseRun, prepared: PreparedCluster): Promise<string> {
  const { files } = run.site;
  const { paths, config } = prepared;
  const spec = config.cluster.spec;
  await files.writeText(paths.auditPolicy, defaultAuditPolicy(spec.kubernetesVersion));
  const input: Mutable<KindConfigInput> = {
    podSubnet: spec.clusterNetwork.pods?.cidrBlocks[0] ?? '',
    serviceSubnet: spec.clusterNetwork.services?.cidrBlocks[0] ?? '',
    images: prepared.root.kubeDistro,
    auditPolicyPath: files.resolve(paths.auditPolicy),
    mountDockerSocket: prepared.provider === 'docker',
  };
  const mirror = spec.registryMirrorConfiguration;
  if (mirror) {
    const { REGISTRY_USERNAME: username, REGISTRY_PASSWORD: password } = run.site.env;
    if (mirror.authenticate && (!username || !password)) {
      throw new Error(
        'registryMirrorConfiguration.authenticate is set: set REGISTRY_USERNAME and REGISTRY_PASSWORD in the environment',
      );
    }
    const auth = mirror.authenticate ? { username: username!, password: password! } : undefined;
    run.secret(auth?.password);
    const hosts = renderRegistryMirrorHosts({
      endpoint: `${mirror.endpoint}:${mirror.port ?? '443'}`,
      ...(mirror.ociNamespaces ? { registries: mirror.ociNamespaces } : {}),
      ...(mirror.caCertContent ? { caCert: mirror.caCertContent } : {}),
      ...(mirror.insecureSkipVerify ? { insecureSkipVerify: true } : {}),
      ...(auth ? { auth } : {}),
    });
    for (const file of hosts) {
      await files.writeText(path.join(paths.certsDir, file.path), file.content, { secret: file.secret });
    }
    input.registryMirror = { certsDirPath: files.resolve(paths.certsDir) };
  }
  await files.writeText(paths.kindConfig, renderKindConfig(input));
  return paths.kindConfig;
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };
