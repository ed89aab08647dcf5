import type { Construct } from 'constructs';
import {
  bottlerocketBootstrapImage,
  BOTTLEROCKET_KUBEADM_DIR,
  bottlerocketHostConfig,
  bottlerocketSettings,
  unsupportedKubeletFields,
} from './bottlerocket';
import { kubeVipFile } from './kube-vip';
import type {
  BootstrapClusterOptions,
  ClusterOptions,
  InfrastructureProvider,
  MachineDeploymentOptions,
  MachineRole,
  ProviderContext,
  ToolEnvironmentVariable,
} from './provider';
import { parseAuthorizedKey } from './ssh-authorized-key';
import { VSphereCloudProvider } from './vsphere-cloud-provider';
import { VSphereCluster } from './vsphere-cluster';
import {
  EKSA_VSPHERE_PASSWORD,
  EKSA_VSPHERE_USERNAME,
  VSPHERE_CREDENTIAL_ENV_VARS,
  VSphereCredentialsSecret,
  vsphereCredentialsFrom,
} from './vsphere-credentials';
import { VSphereDeploymentZone, VSphereFailureDomain } from './vsphere-failure-domain';
import {
  VSphereMachineTemplate,
  vsphereMachineTemplateSpec,
  type VSphereMachineSpec,
} from './vsphere-machine-template';
import type {
  ClusterConfig,
  Issue,
  KubeletConfiguration,
  VSphereDatacenterConfig,
  VSphereMachineConfig,
  WorkerNodeGroupConfiguration,
} from '../../spec';
import { vsphereProviderImages, type ResolvedVersionsBundle } from '../../spec/bundles';
import { copySourceMap } from '../../spec/source-positions';
import type { EtcdadmConfigSpec } from '../capi/etcdadm-cluster';
import type {
  KubeadmArg,
  KubeadmConfigSpec,
  KubeadmFile,
  KubeadmHostPathMount,
  KubeadmNodeConfiguration,
  KubeadmTaint,
  KubeadmUser,
} from '../capi/kubeadm-config-spec';
import type { IObjectRef } from '../capi/object-ref';
import { toJson_VSphereMachineTemplateSpecTemplateSpec } from '../imports/infrastructure.cluster.x-k8s.io';
import {
  ADMISSION_EXCLUSION_RULES_PATH,
  admissionExclusionRulesJson,
} from '../kubeadm/admission-exclusion-rules';
import { CONTAINERD_SOCKET, KUBEADM_PATCHES_DIR, ROOT_OWNER, TLS_CIPHER_SUITES } from '../kubeadm/constants';
import {
  apiServerArgs,
  apiServerCertSans,
  apiServerEnvs,
  apiServerVolumes,
  auditPolicyFile,
  awsIamAuthenticatorFiles,
  kubeadmEtcd,
  schedulerArgs,
  usesAwsIamAuthenticator,
} from '../kubeadm/control-plane';
import { eksaVersionAtLeast, kubeVersionAtLeast, parseKubeVersion } from '../kubeadm/kube-version';
import { kubeletConfigPatchFile, nodeLabelsArg, orderedArgs } from '../kubeadm/kubelet';
import { bootstrapProxyEnv, containerdProxyFile, nodeNoProxy } from '../kubeadm/proxy';
import { etcdRegistryMirror, registryMirrorFiles } from '../kubeadm/registry-mirror';

/** etcd machines get at least this much memory when EKS-A's CLI sets the provider up (`setDefaultsForEtcdMachineConfig`). */
export const MIN_VSPHERE_ETCD_MEMORY_MIB = 8192;

/** Node name of vSphere machines: the VM's hostname from the cloud-init datasource. */
const NODE_NAME = '{{ ds.meta_data.hostname }}';

/** Cloud-init commands that give the VM its hostname and a hosts file before kubeadm or etcdadm runs. */
export const HOSTNAME_COMMANDS: readonly string[] = [
  `hostname "${NODE_NAME}"`,
  'echo "::1         ipv6-localhost ipv6-loopback" >/etc/hosts',
  'echo "127.0.0.1   localhost" >>/etc/hosts',
  `echo "127.0.0.1   ${NODE_NAME}" >>/etc/hosts`,
  `echo "${NODE_NAME}" >/etc/hostname`,
];

/** The sudo rule of the SSH user EKS-A creates on every machine. */
const PASSWORDLESS_SUDO = 'ALL=(ALL) NOPASSWD:ALL';

/** The label every CAPI object of the cluster carries, and the ClusterResourceSet selects by. */
const CLUSTER_NAME_LABEL = 'cluster.x-k8s.io/cluster-name';

/** The taint kubeadm puts on control plane nodes; EKS-A ≥ v0.25 writes it out when none is configured. */
const CONTROL_PLANE_TAINT: KubeadmTaint = {
  key: 'node-role.kubernetes.io/control-plane',
  effect: 'NoSchedule',
};

const arg = (name: string, value: string): KubeadmArg => ({ name, value });

/**
 * The vSphere provider (CAPV): machines are VMs cloned from templates in a vCenter, the control plane endpoint is
 * a kube-vip virtual IP, nodes are initialized by the vSphere cloud provider (installed through a
 * ClusterResourceSet), and machines run Ubuntu / Red Hat (cloud-config) or Bottlerocket. EKS-A's
 * `pkg/providers/vsphere` templates rendered in code.
 *
 * Output under the v1beta1 contract reproduces EKS-A before v0.25, under v1beta2 the current release: the
 * current one writes the default control plane taint out, the older one leaves it to kubeadm.
 */
export class VSphereProvider implements InfrastructureProvider {
  public readonly name = 'vsphere';
  public readonly datacenterKind = 'VSphereDatacenterConfig';
  public readonly machineConfigKinds: readonly string[] = ['VSphereMachineConfig'];
  public readonly credentialEnvVars: readonly string[] = VSPHERE_CREDENTIAL_ENV_VARS;
  /** EKS-A's vSphere templates write references without the namespace (it is the referring object's). */
  public readonly v1beta1ReferenceNamespaces = false;

  public setupDefaults(config: ClusterConfig): ClusterConfig {
    const etcdRef = config.cluster.spec.externalEtcdConfiguration?.machineGroupRef?.name;
    const etcd = etcdRef ? config.machineConfigs?.[etcdRef] : undefined;
    if (!etcd || (etcd.spec.memoryMiB ?? 0) >= MIN_VSPHERE_ETCD_MEMORY_MIB) return config;
    // etcd keeps the whole keyspace in memory; EKS-A raises smaller etcd VMs before creating them.
    const raised = { ...etcd, spec: { ...etcd.spec, memoryMiB: MIN_VSPHERE_ETCD_MEMORY_MIB } };
    const out: ClusterConfig = {
      ...config,
      machineConfigs: { ...config.machineConfigs, [etcdRef!]: raised },
    };
    copySourceMap(config, out);
    return out;
  }

  public validate(context: ProviderContext): Issue[] {
    const issues: Issue[] = [];
    const file = context.config.file;
    const error = (path: string, message: string, fix: string, rule: string) =>
      issues.push({ severity: 'error', file, path, message, fix, rule });
    const bundles = [context.bundle, ...this.workerBundles(context)];
    for (const bundle of bundles) {
      const vsphere = bundle.bundle.vSphere;
      for (const [field, uri] of [
        ['kubeVip', vsphere?.kubeVip?.uri],
        ['manager', vsphere?.manager?.uri],
      ] as const) {
        if (!uri) {
          error(
            'spec.kubernetesVersion',
            `the versions bundle for Kubernetes ${bundle.kubeVersion} has no vSphere.${field} image, which vSphere clusters run`,
            `use a Bundles manifest whose versions bundle lists vSphere.${field}`,
            'vsphere-bundle-image',
          );
        }
      }
    }
    for (const { path, machine, bundle, kubelet } of this.machineGroups(context)) {
      if (!machine) {
        error(
          `${path}.machineGroupRef`,
          'names no VSphereMachineConfig of the config',
          'add the VSphereMachineConfig it names, or fix machineGroupRef.name',
          'vsphere-machine-config-missing',
        );
        continue;
      }
      const at = `VSphereMachineConfig/${machine.metadata.name}.spec`;
      const key = machine.spec.users?.[0]?.sshAuthorizedKeys?.[0];
      if (key) {
        const parsed = parseAuthorizedKey(key);
        if (!parsed.ok) {
          error(
            `${at}.users[0].sshAuthorizedKeys[0]`,
            `is not an SSH public key: ${parsed.reason}`,
            'paste one line of an id_*.pub file, e.g. "ssh-ed25519 AAAA… user@host"',
            'vsphere-ssh-key',
          );
        }
      }
      if (machine.spec.osFamily === 'bottlerocket') {
        if (!bottlerocketBootstrapImage(bundle)) {
          error(
            'spec.kubernetesVersion',
            `the versions bundle for Kubernetes ${bundle.kubeVersion} has no bottlerocketHostContainers.kubeadmBootstrap image, which Bottlerocket machines boot with`,
            'use a Bundles manifest with Bottlerocket host containers, or osFamily ubuntu',
            'vsphere-bottlerocket-bootstrap-image',
          );
        }
        for (const field of kubelet ? unsupportedKubeletFields(kubelet) : []) {
          error(
            `${path}.kubeletConfiguration.${field}`,
            `Bottlerocket machines cannot set kubelet field "${field}"`,
            'keep to the fields Bottlerocket settings.kubernetes supports (maxPods, clusterDNSIPs, evictionHard, …)',
            'vsphere-bottlerocket-kubelet',
          );
        }
      }
    }
    return issues;
  }

  public environmentIssues(
    config: ClusterConfig,
    env: Readonly<Record<string, string | undefined>>,
  ): Issue[] {
    return [EKSA_VSPHERE_USERNAME, EKSA_VSPHERE_PASSWORD]
      .filter((name) => !env[name])
      .map((name) => ({
        severity: 'error' as const,
        file: config.file,
        path: `env.${name}`,
        message: `${name} is not set; CAPV and the cloud provider log in to vCenter with it`,
        fix: `export ${name} with the vCenter ${name.endsWith('PASSWORD') ? 'password' : 'user name'}`,
        rule: 'vsphere-credentials-env',
      }));
  }

  public clusterOptions(context: ProviderContext): ClusterOptions {
    return { labels: { [CLUSTER_NAME_LABEL]: context.clusterName } };
  }

  public addInfrastructureCluster(scope: Construct, context: ProviderContext): IObjectRef {
    const dc = datacenterOf(context.config);
    return new VSphereCluster(scope, 'VSphereCluster', {
      name: context.clusterName,
      namespace: context.namespace,
      controlPlaneHost: endpointHost(context.config),
      server: dc.spec.server,
      thumbprint: dc.spec.thumbprint ?? '',
      credentialsSecretName: credentialsSecretName(context.clusterName),
    });
  }

  public addMachineTemplate(scope: Construct, context: ProviderContext, machines: MachineRole): IObjectRef {
    const dc = datacenterOf(context.config);
    const { base, machine, id } = this.templateTarget(context, machines);
    const networks =
      machines.role === 'worker' && machine.spec.networks && machine.spec.networks.length > 0
        ? machine.spec.networks
        : [dc.spec.network];
    const spec: VSphereMachineSpec = {
      cloneMode: machine.spec.cloneMode,
      datacenter: dc.spec.datacenter,
      datastore: machine.spec.datastore,
      diskGiB: machine.spec.diskGiB,
      folder: machine.spec.folder,
      memoryMiB: machine.spec.memoryMiB ?? 8192,
      networks,
      numCPUs: machine.spec.numCPUs ?? 2,
      resourcePool: machine.spec.resourcePool,
      server: dc.spec.server,
      storagePolicyName: machine.spec.storagePolicyName,
      template: machine.spec.template ?? '',
      thumbprint: dc.spec.thumbprint ?? '',
      tagIds: machine.spec.tags,
    };
    const name = context.templateName(base, 'VSphereMachineTemplate', () => ({
      template: { spec: toJson_VSphereMachineTemplateSpecTemplateSpec(vsphereMachineTemplateSpec(spec)) },
    }));
    return new VSphereMachineTemplate(scope, id, { ...spec, name, namespace: context.namespace });
  }

  public controlPlaneMachineLabels(context: ProviderContext): Readonly<Record<string, string>> | undefined {
    // CAPI 1.13 readiness gates look for the control-plane role label on the Machine (EKS-A ≥ v0.25).
    return context.contract === 'v1beta2' ? { 'node-role.kubernetes.io/control-plane': '' } : undefined;
  }

  public controlPlaneKubeadmConfig(context: ProviderContext): KubeadmConfigSpec {
    const config = context.config;
    const spec = config.cluster.spec;
    const cp = spec.controlPlaneConfiguration;
    const machine = this.machine(config, cp.machineGroupRef?.name);
    const bottlerocket = machine.spec.osFamily === 'bottlerocket';
    const distro = context.bundle.kubeDistro;
    const version = spec.kubernetesVersion;
    const externalProvider = !kubeVersionAtLeast(version, '1.33');
    // Ubuntu applies a kubelet configuration as a kubeadm patch; Bottlerocket takes it as host settings.
    const kubeletPatch = !bottlerocket ? cp.kubeletConfiguration : undefined;
    const etcd = kubeadmEtcd(config, context.bundle);
    const node: KubeadmNodeConfiguration = {
      nodeRegistration: {
        criSocket: CONTAINERD_SOCKET,
        kubeletExtraArgs: this.kubeletArgs(config, version, cp.labels, !!kubeletPatch, false),
        name: NODE_NAME,
        taints: this.controlPlaneTaints(context),
      },
      patches: kubeletPatch ? { directory: KUBEADM_PATCHES_DIR } : undefined,
    };
    const hostConfig = bottlerocket
      ? bottlerocketHostConfig({
          bundle: context.bundle,
          hostOs: machine.spec.hostOSConfiguration,
          kubelet: cp.kubeletConfiguration,
          proxy: this.bottlerocketProxy(config),
          registryMirror: context.registryMirror,
        })
      : undefined;
    const kubeconfigVolume = (file: string): KubeadmHostPathMount[] | undefined =>
      bottlerocket
        ? [
            {
              hostPath: `${BOTTLEROCKET_KUBEADM_DIR}/${file}`,
              mountPath: `/etc/kubernetes/${file}`,
              name: 'kubeconfig',
              pathType: 'File',
              readOnly: true,
            },
          ]
        : undefined;
    const mask = spec.clusterNetwork.nodes?.cidrMaskSize;
    return {
      clusterConfiguration: {
        imageRepository: distro.kubernetes.repository,
        etcd:
          bottlerocket && etcd?.external
            ? { external: bottlerocketEtcdClient(etcd.external.endpoints) }
            : etcd,
        dns: { imageRepository: distro.coreDns.repository, imageTag: distro.coreDns.tag },
        apiServer: {
          certSANs: cp.certSans && cp.certSans.length > 0 ? apiServerCertSans(config) : undefined,
          extraArgs: [
            ...(externalProvider ? [arg('cloud-provider', 'external')] : []),
            ...apiServerArgs(config),
          ],
          extraVolumes: apiServerVolumes(config).map((v) =>
            bottlerocket && v.name === 'audit-policy'
              ? { ...v, hostPath: `${BOTTLEROCKET_KUBEADM_DIR}/audit-policy.yaml` }
              : v,
          ),
          extraEnvs: apiServerEnvs(config),
        },
        controllerManager: {
          extraArgs: orderedArgs(
            [arg('cloud-provider', 'external'), arg('profiling', 'false')],
            [
              arg('tls-cipher-suites', TLS_CIPHER_SUITES),
              mask !== undefined ? arg('node-cidr-mask-size', String(mask)) : undefined,
            ],
          ),
          extraVolumes: kubeconfigVolume('controller-manager.conf'),
        },
        scheduler: { extraArgs: schedulerArgs(), extraVolumes: kubeconfigVolume('scheduler.conf') },
        featureGates: etcdLearnerModeGate(version),
        certificatesDir: bottlerocket ? `${BOTTLEROCKET_KUBEADM_DIR}/pki` : undefined,
        bottlerocket: hostConfig,
      },
      files: this.controlPlaneFiles(context, machine, kubeletPatch),
      initConfiguration: node,
      joinConfiguration: { ...node, bottlerocket: hostConfig },
      preKubeadmCommands: [...this.containerdCommands(context, bottlerocket), ...HOSTNAME_COMMANDS],
      users: usersOf(machine),
      format: bottlerocket ? 'bottlerocket' : 'cloud-config',
      ntp: ntpOf(machine),
    };
  }

  public etcdadmConfig(context: ProviderContext): EtcdadmConfigSpec {
    const config = context.config;
    const machine = this.machine(
      config,
      config.cluster.spec.externalEtcdConfiguration?.machineGroupRef?.name,
    );
    const distro = context.bundle.kubeDistro;
    const mirror = context.registryMirror && etcdRegistryMirror(context.registryMirror);
    const proxy = config.cluster.spec.proxyConfiguration;
    const common = {
      etcdadmBuiltin: true,
      etcdVersion: distro.etcdVersion,
      cipherSuites: TLS_CIPHER_SUITES,
      users: usersOf(machine),
      proxy: proxy && {
        httpProxy: proxy.httpProxy,
        httpsProxy: proxy.httpsProxy,
        noProxy: nodeNoProxy(config, this.providerEndpoints(config)),
      },
      registryMirror: mirror,
      ntp: ntpOf(machine),
    };
    if (machine.spec.osFamily === 'bottlerocket') {
      const settings = bottlerocketSettings(machine.spec.hostOSConfiguration, undefined);
      const certBundles = machine.spec.hostOSConfiguration?.certBundles;
      return {
        ...common,
        format: 'bottlerocket',
        bottlerocketConfig: {
          etcdImage: distro.etcdImage.uri,
          bootstrapImage: bottlerocketBootstrapImage(context.bundle) ?? '',
          pauseImage: distro.pause.uri,
          kernel: settings?.kernel,
          boot: settings?.boot,
        },
        certBundles: certBundles && certBundles.length > 0 ? certBundles : undefined,
      };
    }
    return {
      ...common,
      format: 'cloud-config',
      installDir: '/usr/bin',
      // etcdadm downloads etcd from EKS-D instead of upstream since EKS-A v0.19.
      etcdReleaseUrl: eksaVersionAtLeast(context.eksaVersion, 'v0.19.0') ? distro.etcdUrl : undefined,
      preEtcdadmCommands: HOSTNAME_COMMANDS,
    };
  }

  public workerKubeadmConfig(
    context: ProviderContext,
    group: WorkerNodeGroupConfiguration,
  ): KubeadmConfigSpec {
    const config = context.config;
    const spec = config.cluster.spec;
    const machine = this.machine(config, group.machineGroupRef?.name);
    const bottlerocket = machine.spec.osFamily === 'bottlerocket';
    const version = group.kubernetesVersion ?? spec.kubernetesVersion;
    const bundle = context.bundleFor(version);
    const kubeletPatch = !bottlerocket ? group.kubeletConfiguration : undefined;
    const files: KubeadmFile[] = [];
    if (kubeletPatch) {
      files.push(
        kubeletConfigPatchFile(kubeletPatch, {
          kubernetesVersion: version,
          resolvConf: spec.clusterNetwork.dns?.resolvConf?.path,
        }),
      );
    }
    if (!bottlerocket) files.push(...this.containerdFiles(context));
    return {
      joinConfiguration: {
        nodeRegistration: {
          criSocket: CONTAINERD_SOCKET,
          taints: (group.taints ?? []).map(taint),
          kubeletExtraArgs: this.kubeletArgs(config, version, group.labels, !!kubeletPatch, true),
          name: NODE_NAME,
        },
        patches: kubeletPatch ? { directory: KUBEADM_PATCHES_DIR } : undefined,
        bottlerocket: bottlerocket
          ? bottlerocketHostConfig({
              bundle,
              hostOs: machine.spec.hostOSConfiguration,
              kubelet: group.kubeletConfiguration,
              proxy: this.bottlerocketProxy(config),
              registryMirror: context.registryMirror,
            })
          : undefined,
      },
      files: files.length > 0 ? files : undefined,
      preKubeadmCommands: [...this.containerdCommands(context, bottlerocket), ...HOSTNAME_COMMANDS],
      users: usersOf(machine),
      format: bottlerocket ? 'bottlerocket' : 'cloud-config',
      ntp: ntpOf(machine),
    };
  }

  public machineDeploymentOptions(
    context: ProviderContext,
    group: WorkerNodeGroupConfiguration,
  ): MachineDeploymentOptions {
    const label = { [CLUSTER_NAME_LABEL]: context.clusterName };
    const domain = group.failureDomains?.[0];
    return {
      labels: label,
      machineLabels: label,
      matchLabels: {},
      failureDomain: domain ? failureDomainName(context.config, domain) : undefined,
    };
  }

  public addExtraObjects(scope: Construct, context: ProviderContext): void {
    const config = context.config;
    const dc = datacenterOf(config);
    const credentials = vsphereCredentialsFrom(context.env);
    new VSphereCredentialsSecret(scope, 'VSphereCredentials', {
      name: credentialsSecretName(context.clusterName),
      namespace: context.namespace,
      user: credentials.capv,
    });
    new VSphereCloudProvider(scope, 'CloudProvider', {
      clusterName: context.clusterName,
      namespace: context.namespace,
      contract: context.contract,
      server: dc.spec.server,
      datacenter: dc.spec.datacenter,
      thumbprint: dc.spec.thumbprint ?? '',
      insecure: dc.spec.insecure === true,
      managerImage: vsphereProviderImages(context.bundle).manager.uri,
      controlPlaneTaints: this.controlPlaneTaints(context),
      user: credentials.cloudProvider,
    });
    for (const fd of dc.spec.failureDomains ?? []) {
      const name = failureDomainName(config, fd.name);
      const domain = new VSphereFailureDomain(scope, `FailureDomain-${fd.name}`, {
        name,
        datacenter: dc.spec.datacenter,
        computeCluster: fd.computeCluster,
        datastore: fd.datastore,
        network: fd.network,
      });
      new VSphereDeploymentZone(scope, `DeploymentZone-${fd.name}`, {
        name,
        failureDomain: domain,
        server: dc.spec.server,
        resourcePool: fd.resourcePool,
        folder: fd.folder,
        labels: { cluster: context.clusterName, 'vsphere-datacenter-name': dc.metadata.name },
      });
    }
  }

  public bootstrapClusterOptions(context: ProviderContext): BootstrapClusterOptions {
    // CAPV reaches vCenter over the network: no host mounts, only the proxy when there is one.
    const env = bootstrapProxyEnv(context.config, [datacenterOf(context.config).spec.server]);
    return { extraMounts: [], ...(env ? { env } : {}) };
  }

  public toolEnvironment(
    config: ClusterConfig,
    env: Readonly<Record<string, string | undefined>>,
  ): ToolEnvironmentVariable[] {
    // clusterctl substitutes these into CAPV's components; the ClusterResourceSet feature installs the CPI.
    const credentials = vsphereCredentialsFrom(env);
    return [
      { name: 'VSPHERE_USERNAME', value: credentials.capv.username, secret: true },
      { name: 'VSPHERE_PASSWORD', value: credentials.capv.password, secret: true },
      { name: 'VSPHERE_SERVER', value: datacenterOf(config).spec.server, secret: false },
      { name: 'EXP_CLUSTER_RESOURCE_SET', value: 'true', secret: false },
      ...(env.GITHUB_TOKEN ? [{ name: 'GITHUB_TOKEN', value: env.GITHUB_TOKEN, secret: true }] : []),
    ];
  }

  /**
   * kubelet flags: `cloud-provider=external`, `read-only-port=0`, `anonymous-auth=false`, the systemd cgroup
   * driver on 1.21 workers (their images defaulted to cgroupfs), then sorted: resolv.conf and TLS cipher suites,
   * and the node labels last. With a kubelet configuration patch only `cloud-provider` and the labels stay flags.
   */
  private kubeletArgs(
    config: ClusterConfig,
    kubernetesVersion: string,
    labels: Readonly<Record<string, string>> | undefined,
    hasKubeletPatch: boolean,
    worker: boolean,
  ): KubeadmArg[] {
    const nodeLabels = nodeLabelsArg(labels);
    const external = arg('cloud-provider', 'external');
    if (hasKubeletPatch) return nodeLabels ? [external, nodeLabels] : [external];
    const resolvConf = config.cluster.spec.clusterNetwork.dns?.resolvConf?.path;
    const v = parseKubeVersion(kubernetesVersion);
    const fixed = [
      external,
      arg('read-only-port', '0'),
      arg('anonymous-auth', 'false'),
      ...(worker && v.major === 1 && v.minor === 21 ? [arg('cgroup-driver', 'systemd')] : []),
    ];
    return [
      ...orderedArgs(fixed, [
        resolvConf ? arg('resolv-conf', resolvConf) : undefined,
        arg('tls-cipher-suites', TLS_CIPHER_SUITES),
      ]),
      ...(nodeLabels ? [nodeLabels] : []),
    ];
  }

  /** Configured taints; otherwise the kubeadm default, written out by EKS-A ≥ v0.25 (v1beta2) only. */
  private controlPlaneTaints(context: ProviderContext): readonly KubeadmTaint[] | undefined {
    const taints = context.config.cluster.spec.controlPlaneConfiguration.taints;
    if (taints) return taints.length > 0 ? taints.map(taint) : undefined;
    return context.contract === 'v1beta2' ? [CONTROL_PLANE_TAINT] : undefined;
  }

  /** Control plane files in EKS-A's order. */
  private controlPlaneFiles(
    context: ProviderContext,
    machine: VSphereMachineConfig,
    kubeletPatch: KubeletConfiguration | undefined,
  ): KubeadmFile[] {
    const config = context.config;
    const spec = config.cluster.spec;
    const bottlerocket = machine.spec.osFamily === 'bottlerocket';
    const files: KubeadmFile[] = [];
    if (kubeletPatch) {
      files.push(
        kubeletConfigPatchFile(kubeletPatch, {
          kubernetesVersion: spec.kubernetesVersion,
          resolvConf: spec.clusterNetwork.dns?.resolvConf?.path,
        }),
      );
    }
    files.push(
      kubeVipFile({
        address: endpointHost(config),
        image: vsphereProviderImages(context.bundle).kubeVip.uri,
        hostKubeconfig: bottlerocket ? `${BOTTLEROCKET_KUBEADM_DIR}/admin.conf` : undefined,
      }),
    );
    if (spec.controlPlaneConfiguration.skipAdmissionForSystemResources) {
      files.push({
        content: admissionExclusionRulesJson(),
        owner: ROOT_OWNER,
        path: ADMISSION_EXCLUSION_RULES_PATH,
      });
    }
    files.push(auditPolicyFile(config));
    if (!bottlerocket) files.push(...this.containerdFiles(context));
    if (usesAwsIamAuthenticator(config)) files.push(...awsIamAuthenticatorFiles(context.clusterName));
    return files;
  }

  /** containerd proxy drop-in and registry mirror files of cloud-config machines. */
  private containerdFiles(context: ProviderContext): KubeadmFile[] {
    const config = context.config;
    const proxy = config.cluster.spec.proxyConfiguration;
    return [
      ...(proxy ? [containerdProxyFile(proxy, nodeNoProxy(config, this.providerEndpoints(config)))] : []),
      ...(context.registryMirror ? registryMirrorFiles(context.registryMirror) : []),
    ];
  }

  /** Commands that make containerd pick up the proxy and mirror settings (cloud-config machines). */
  private containerdCommands(context: ProviderContext, bottlerocket: boolean): string[] {
    if (bottlerocket) return [];
    const commands: string[] = [];
    if (context.registryMirror) {
      commands.push('cat /etc/containerd/config_append.toml >> /etc/containerd/config.toml');
    }
    if (context.registryMirror || context.config.cluster.spec.proxyConfiguration) {
      commands.push('sudo systemctl daemon-reload', 'sudo systemctl restart containerd');
    }
    return commands;
  }

  private bottlerocketProxy(config: ClusterConfig) {
    const proxy = config.cluster.spec.proxyConfiguration;
    return (
      proxy && { httpsProxy: proxy.httpsProxy, noProxy: nodeNoProxy(config, this.providerEndpoints(config)) }
    );
  }

  /** What nodes reach directly besides the cluster networks: vCenter and the control plane address. */
  private providerEndpoints(config: ClusterConfig): string[] {
    return [datacenterOf(config).spec.server, endpointHost(config)];
  }

  private machine(config: ClusterConfig, name: string | undefined): VSphereMachineConfig {
    const machine = name ? config.machineConfigs?.[name] : undefined;
    if (!machine) {
      const known = Object.keys(config.machineConfigs ?? {}).join(', ') || 'none';
      throw new Error(`No VSphereMachineConfig named "${name ?? ''}" (the config has: ${known}).`);
    }
    return machine;
  }

  private workerBundles(context: ProviderContext): ResolvedVersionsBundle[] {
    return (context.config.cluster.spec.workerNodeGroupConfigurations ?? [])
      .filter((g) => g.kubernetesVersion)
      .map((g) => context.bundleFor(g.kubernetesVersion!));
  }

  /** Every machine group with its machine config (undefined when the reference is broken). */
  private machineGroups(context: ProviderContext): {
    path: string;
    machine?: VSphereMachineConfig;
    bundle: ResolvedVersionsBundle;
    kubelet?: KubeletConfiguration;
  }[] {
    const config = context.config;
    const spec = config.cluster.spec;
    const lookup = (name: string | undefined) => (name ? config.machineConfigs?.[name] : undefined);
    const groups = [
      {
        path: 'spec.controlPlaneConfiguration',
        machine: lookup(spec.controlPlaneConfiguration.machineGroupRef?.name),
        bundle: context.bundle,
        kubelet: spec.controlPlaneConfiguration.kubeletConfiguration,
      },
    ];
    if (spec.externalEtcdConfiguration) {
      groups.push({
        path: 'spec.externalEtcdConfiguration',
        machine: lookup(spec.externalEtcdConfiguration.machineGroupRef?.name),
        bundle: context.bundle,
        kubelet: undefined,
      });
    }
    (spec.workerNodeGroupConfigurations ?? []).forEach((g, i) =>
      groups.push({
        path: `spec.workerNodeGroupConfigurations[${i}]`,
        machine: lookup(g.machineGroupRef?.name),
        bundle: context.bundleFor(g.kubernetesVersion ?? spec.kubernetesVersion),
        kubelet: g.kubeletConfiguration,
      }),
    );
    return groups;
  }

  private templateTarget(
    context: ProviderContext,
    machines: MachineRole,
  ): { base: string; machine: VSphereMachineConfig; id: string } {
    const spec = context.config.cluster.spec;
    switch (machines.role) {
      case 'controlPlane':
        return {
          base: `${context.clusterName}-control-plane`,
          machine: this.machine(context.config, spec.controlPlaneConfiguration.machineGroupRef?.name),
          id: 'ControlPlaneMachineTemplate',
        };
      case 'etcd':
        return {
          base: `${context.clusterName}-etcd`,
          machine: this.machine(context.config, spec.externalEtcdConfiguration?.machineGroupRef?.name),
          id: 'EtcdMachineTemplate',
        };
      case 'worker':
        return {
          base: `${context.clusterName}-${machines.group.name}`,
          machine: this.machine(context.config, machines.group.machineGroupRef?.name),
          id: 'MachineTemplate',
        };
    }
  }
}

/** Name of the CAPV credentials Secret of a cluster. */
export function credentialsSecretName(clusterName: string): string {
  return `${clusterName}-vsphere-credentials`;
}

/** Name of a failure domain's VSphereFailureDomain and VSphereDeploymentZone: `<c>-<datacenter config>-<fd>`. */
export function failureDomainName(config: ClusterConfig, failureDomain: string): string {
  return `${config.cluster.metadata.name}-${config.datacenter.metadata.name}-${failureDomain}`;
}

function datacenterOf(config: ClusterConfig): VSphereDatacenterConfig {
  if (config.datacenter.kind !== 'VSphereDatacenterConfig') {
    throw new Error(`The vSphere provider renders VSphereDatacenterConfig, not ${config.datacenter.kind}.`);
  }
  return config.datacenter;
}

function endpointHost(config: ClusterConfig): string {
  return config.cluster.spec.controlPlaneConfiguration.endpoint?.host ?? '';
}

/** The first user of a machine config with its first key, comment stripped, and passwordless sudo. */
function usersOf(machine: VSphereMachineConfig): KubeadmUser[] {
  const user = machine.spec.users?.[0];
  const key = user?.sshAuthorizedKeys?.[0] ?? '';
  const parsed = parseAuthorizedKey(key);
  return [
    {
      name: user?.name ?? '',
      sshAuthorizedKeys: [parsed.ok ? parsed.key : key],
      sudo: PASSWORDLESS_SUDO,
    },
  ];
}

function ntpOf(machine: VSphereMachineConfig): { enabled: boolean; servers: readonly string[] } | undefined {
  const servers = machine.spec.hostOSConfiguration?.ntpConfiguration?.servers;
  return servers && servers.length > 0 ? { enabled: true, servers } : undefined;
}

/** Client certificates of the external etcd on Bottlerocket, where kubeadm's files live under /var/lib/kubeadm. */
function bottlerocketEtcdClient(endpoints: readonly string[]) {
  return {
    endpoints,
    caFile: `${BOTTLEROCKET_KUBEADM_DIR}/pki/etcd/ca.crt`,
    certFile: `${BOTTLEROCKET_KUBEADM_DIR}/pki/server-etcd-client.crt`,
    keyFile: `${BOTTLEROCKET_KUBEADM_DIR}/pki/apiserver-etcd-client.key`,
  };
}

/** EKS-A turns kubeadm's etcd learner mode off on Kubernetes 1.29–1.32 (feature gate `EtcdLearnerMode`). */
function etcdLearnerModeGate(version: string): Readonly<Record<string, boolean>> | undefined {
  return kubeVersionAtLeast(version, '1.29') && !kubeVersionAtLeast(version, '1.33')
    ? { EtcdLearnerMode: false }
    : undefined;
}

function taint(t: { key: string; value?: string; effect: string; timeAdded?: string }): KubeadmTaint {
  return { key: t.key, value: t.value, effect: t.effect, timeAdded: t.timeAdded };
}
