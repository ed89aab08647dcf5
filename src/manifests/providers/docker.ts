import type { Construct } from 'constructs';
import { DockerCluster } from './docker-cluster';
import {
  DOCKER_SOCKET_MOUNT,
  DockerMachineTemplate,
  dockerMachineTemplateSpec,
} from './docker-machine-template';
import type {
  BootstrapClusterOptions,
  ClusterOptions,
  InfrastructureProvider,
  MachineDeploymentOptions,
  MachineRole,
  ProviderContext,
  ToolEnvironmentVariable,
} from './provider';
import type { ClusterConfig, Issue, WorkerNodeGroupConfiguration } from '../../spec';
import { dockerProviderImages, type ResolvedVersionsBundle } from '../../spec/bundles';
import type { EtcdadmConfigSpec } from '../capi/etcdadm-cluster';
import type { KubeadmArg, KubeadmConfigSpec, KubeadmFile, KubeadmTaint } from '../capi/kubeadm-config-spec';
import type { IObjectRef } from '../capi/object-ref';
import { CONTAINERD_SOCKET, KUBEADM_PATCHES_DIR, TLS_CIPHER_SUITES } from '../kubeadm/constants';
import {
  apiServerArgs,
  apiServerCertSans,
  apiServerEnvs,
  apiServerVolumes,
  controllerManagerArgs,
  controlPlaneFiles,
  kubeadmEtcd,
  schedulerArgs,
} from '../kubeadm/control-plane';
import { eksaVersionAtLeast, kubeVersionAtLeast } from '../kubeadm/kube-version';
import { kubeletConfigPatchFile, nodeLabelsArg, orderedArgs } from '../kubeadm/kubelet';
import { bootstrapProxyEnv } from '../kubeadm/proxy';
import {
  etcdRegistryMirror,
  REGISTRY_MIRROR_COMMANDS,
  registryMirrorFiles,
} from '../kubeadm/registry-mirror';

/** CAPD needs no disk-pressure evictions: node containers share the host's disk. */
const EVICTION_HARD = 'nodefs.available<0%,nodefs.inodesFree<0%,imagefs.available<0%';

const arg = (name: string, value: string): KubeadmArg => ({ name, value });

/**
 * The docker provider (CAPD): nodes are containers on the local Docker engine. For development and tests; EKS-A's
 * `pkg/providers/docker` templates rendered in code.
 */
export class DockerProvider implements InfrastructureProvider {
  public readonly name = 'docker';
  public readonly datacenterKind = 'DockerDatacenterConfig';
  public readonly machineConfigKinds: readonly string[] = [];
  public readonly credentialEnvVars: readonly string[] = [];
  public readonly v1beta1ReferenceNamespaces = true;

  public setupDefaults(config: ClusterConfig): ClusterConfig {
    // CAPD has nothing to set up before a create.
    return config;
  }

  public environmentIssues(): Issue[] {
    return [];
  }

  public validate(context: ProviderContext): Issue[] {
    const issues: Issue[] = [];
    const check = (bundle: ResolvedVersionsBundle, path: string) => {
      if (!bundle.bundle.eksD.kindNode?.uri) {
        issues.push({
          severity: 'error',
          file: context.config.file,
          path,
          message: `the versions bundle for Kubernetes ${bundle.kubeVersion} has no eksD.kindNode image, which docker machines run`,
          fix: 'use a Bundles manifest whose versions bundle lists eksD.kindNode',
          rule: 'docker-kind-node-image',
        });
      }
    };
    check(context.bundle, 'spec.kubernetesVersion');
    (context.config.cluster.spec.workerNodeGroupConfigurations ?? []).forEach((g, i) => {
      if (g.kubernetesVersion) {
        check(
          context.bundleFor(g.kubernetesVersion),
          `spec.workerNodeGroupConfigurations[${i}].kubernetesVersion`,
        );
      }
    });
    return issues;
  }

  public clusterOptions(): ClusterOptions {
    return { serviceDomain: 'cluster.local' };
  }

  public addInfrastructureCluster(scope: Construct, context: ProviderContext): IObjectRef {
    const { haproxy } = dockerProviderImages(context.bundle);
    return new DockerCluster(scope, 'DockerCluster', {
      name: context.clusterName,
      namespace: context.namespace,
      loadBalancerImageRepository: haproxy.repository,
      loadBalancerImageTag: haproxy.tag || undefined,
    });
  }

  public addMachineTemplate(scope: Construct, context: ProviderContext, machines: MachineRole): IObjectRef {
    const { base, bundle, id } = this.templateTarget(context, machines);
    const props = { customImage: bundle.bundle.eksD.kindNode?.uri ?? '', extraMounts: [DOCKER_SOCKET_MOUNT] };
    const name = context.templateName(base, 'DockerMachineTemplate', () => dockerMachineTemplateSpec(props));
    return new DockerMachineTemplate(scope, id, { ...props, name, namespace: context.namespace });
  }

  public controlPlaneMachineLabels(): Readonly<Record<string, string>> {
    // CAPI 1.13 readiness gates look for the control-plane role label on the Machine (EKS-A a4f14a4bb).
    return { 'node-role.kubernetes.io/control-plane': '' };
  }

  public controlPlaneKubeadmConfig(context: ProviderContext): KubeadmConfigSpec {
    const config = context.config;
    const spec = config.cluster.spec;
    const cp = spec.controlPlaneConfiguration;
    const distro = context.bundle.kubeDistro;
    const workers = spec.workerNodeGroupConfigurations ?? [];
    // No workers: the control plane must schedule workloads (no taint). Workers and taints: those taints.
    // Otherwise kubeadm's default control-plane taint.
    const taints: readonly KubeadmTaint[] | undefined =
      workers.length === 0 ? [] : cp.taints && cp.taints.length > 0 ? cp.taints.map(taint) : undefined;
    const node = {
      nodeRegistration: {
        criSocket: CONTAINERD_SOCKET,
        kubeletExtraArgs: this.kubeletArgs(
          spec.kubernetesVersion,
          cp.labels,
          !!cp.kubeletConfiguration,
          context,
        ),
        taints,
      },
      patches: cp.kubeletConfiguration ? { directory: KUBEADM_PATCHES_DIR } : undefined,
    };
    return {
      clusterConfiguration: {
        imageRepository: distro.kubernetes.repository,
        etcd: kubeadmEtcd(config, context.bundle),
        dns: { imageRepository: distro.coreDns.repository, imageTag: distro.coreDns.tag },
        apiServer: {
          certSANs: apiServerCertSans(config, ['localhost', '127.0.0.1']),
          extraArgs: apiServerArgs(config),
          extraVolumes: apiServerVolumes(config),
          extraEnvs: apiServerEnvs(config),
        },
        controllerManager: {
          extraArgs: controllerManagerArgs(config, [arg('enable-hostpath-provisioner', 'true')]),
        },
        scheduler: { extraArgs: schedulerArgs() },
      },
      files: controlPlaneFiles(config, { registryMirror: context.registryMirror }),
      initConfiguration: node,
      joinConfiguration: node,
      preKubeadmCommands: context.registryMirror ? REGISTRY_MIRROR_COMMANDS : undefined,
    };
  }

  public etcdadmConfig(context: ProviderContext): EtcdadmConfigSpec {
    const distro = context.bundle.kubeDistro;
    return {
      etcdadmBuiltin: true,
      etcdVersion: distro.etcdVersion,
      // etcdadm downloads etcd from EKS-D instead of upstream since EKS-A v0.19.
      etcdReleaseUrl: eksaVersionAtLeast(context.eksaVersion, 'v0.19.0') ? distro.etcdUrl : undefined,
      cipherSuites: TLS_CIPHER_SUITES,
      registryMirror: context.registryMirror && etcdRegistryMirror(context.registryMirror),
    };
  }

  public workerKubeadmConfig(
    context: ProviderContext,
    group: WorkerNodeGroupConfiguration,
  ): KubeadmConfigSpec {
    const spec = context.config.cluster.spec;
    const version = group.kubernetesVersion ?? spec.kubernetesVersion;
    const files: KubeadmFile[] = [];
    if (group.kubeletConfiguration) {
      files.push(
        kubeletConfigPatchFile(group.kubeletConfiguration, {
          kubernetesVersion: version,
          resolvConf: spec.clusterNetwork.dns?.resolvConf?.path,
        }),
      );
    }
    if (context.registryMirror) files.push(...registryMirrorFiles(context.registryMirror));
    return {
      joinConfiguration: {
        nodeRegistration: {
          criSocket: CONTAINERD_SOCKET,
          taints: (group.taints ?? []).map(taint),
          kubeletExtraArgs: this.kubeletArgs(version, group.labels, !!group.kubeletConfiguration, context),
        },
        patches: group.kubeletConfiguration ? { directory: KUBEADM_PATCHES_DIR } : undefined,
      },
      files: files.length > 0 ? files : undefined,
      preKubeadmCommands: context.registryMirror ? REGISTRY_MIRROR_COMMANDS : undefined,
    };
  }

  public machineDeploymentOptions(): MachineDeploymentOptions {
    return {};
  }

  public addExtraObjects(): void {
    // CAPD needs no credentials or add-on objects.
  }

  public bootstrapClusterOptions(context: ProviderContext): BootstrapClusterOptions {
    // CAPD in the bootstrap cluster creates node containers through the host's Docker engine.
    const env = bootstrapProxyEnv(context.config, []);
    return {
      extraMounts: [{ hostPath: '/var/run/docker.sock', containerPath: '/var/run/docker.sock' }],
      ...(env ? { env } : {}),
    };
  }

  public toolEnvironment(
    _config: ClusterConfig,
    env: Readonly<Record<string, string | undefined>>,
  ): ToolEnvironmentVariable[] {
    // clusterctl reads provider metadata from GitHub when no local repository overrides it; a token avoids rate limits.
    return env.GITHUB_TOKEN ? [{ name: 'GITHUB_TOKEN', value: env.GITHUB_TOKEN, secret: true }] : [];
  }

  /**
   * kubelet flags: `eviction-hard` first, then sorted: cgroup driver (cgroupfs before 1.24, systemd from 1.24),
   * `fail-cgroupv1=false` from 1.31, node labels, resolv.conf, TLS cipher suites. With a kubelet configuration
   * those settings live in the patch file instead and only the node labels stay flags.
   */
  private kubeletArgs(
    kubernetesVersion: string,
    labels: Readonly<Record<string, string>> | undefined,
    hasKubeletConfiguration: boolean,
    context: ProviderContext,
  ): KubeadmArg[] | undefined {
    const nodeLabels = nodeLabelsArg(labels);
    if (hasKubeletConfiguration) return nodeLabels ? [nodeLabels] : undefined;
    const resolvConf = context.config.cluster.spec.clusterNetwork.dns?.resolvConf?.path;
    return orderedArgs(
      [arg('eviction-hard', EVICTION_HARD)],
      [
        arg('cgroup-driver', kubeVersionAtLeast(kubernetesVersion, '1.24') ? 'systemd' : 'cgroupfs'),
        kubeVersionAtLeast(kubernetesVersion, '1.31') ? arg('fail-cgroupv1', 'false') : undefined,
        nodeLabels,
        resolvConf ? arg('resolv-conf', resolvConf) : undefined,
        arg('tls-cipher-suites', TLS_CIPHER_SUITES),
      ],
    );
  }

  private templateTarget(
    context: ProviderContext,
    machines: MachineRole,
  ): { base: string; bundle: ResolvedVersionsBundle; id: string } {
    switch (machines.role) {
      case 'controlPlane':
        return {
          base: `${context.clusterName}-control-plane`,
          bundle: context.bundle,
          id: 'ControlPlaneMachineTemplate',
        };
      case 'etcd':
        return { base: `${context.clusterName}-etcd`, bundle: context.bundle, id: 'EtcdMachineTemplate' };
      case 'worker': {
        const version = machines.group.kubernetesVersion ?? context.config.cluster.spec.kubernetesVersion;
        return {
          base: `${context.clusterName}-${machines.group.name}`,
          bundle: context.bundleFor(version),
          id: 'MachineTemplate',
        };
      }
    }
  }
}

function taint(t: { key: string; value?: string; effect: string; timeAdded?: string }): KubeadmTaint {
  return { key: t.key, value: t.value, effect: t.effect, timeAdded: t.timeAdded };
}
