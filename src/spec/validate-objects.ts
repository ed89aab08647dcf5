import { X509Certificate } from 'node:crypto';
import type { AWSIamConfig } from './aws-iam-config';
import type { ClusterConfig } from './cluster-config';
import type { FluxConfig } from './flux-config';
import type { GitOpsConfig } from './gitops-config';
import { isIpAddress } from './net-syntax';
import type { OIDCConfig } from './oidc-config';
import { effectiveWorkerName } from './validate-cluster';
import type { IssueCollector } from './validation-context';
import type { VSphereDatacenterConfig } from './vsphere-datacenter-config';
import type { VSphereMachineConfig } from './vsphere-machine-config';

const OS_FAMILIES = ['bottlerocket', 'ubuntu', 'redhat'];
// Git ref and repository names EKS-A accepts (its own, narrower than git's).
const GIT_BRANCH = /^([0-9A-Za-z_+,]+)\.?\/?([0-9A-Za-z\-_+,]+)$/;
const GIT_REPOSITORY = /^[0-9A-Za-z_.-]+$/;

const at = (object: { kind: string; metadata: { name: string } }, field: string) =>
  `${object.kind}/${object.metadata.name}.${field}`;

/** Per-kind rules of the objects a Cluster references. */
export function validateReferencedObjects(config: ClusterConfig, out: IssueCollector): void {
  if (config.datacenter.kind === 'VSphereDatacenterConfig') {
    validateVSphereDatacenter(config.datacenter, config, out);
  }
  const machines = Object.values(config.machineConfigs ?? {});
  for (const mc of machines) validateVSphereMachine(mc, out);
  validateOsFamilies(config, out);
  for (const oidc of Object.values(config.oidcConfigs ?? {})) validateOidc(oidc, out);
  if (Object.keys(config.oidcConfigs ?? {}).length > 1) {
    out.error(
      'oidc-single',
      'spec.identityProviderRefs',
      'more than one OIDCConfig is referenced; the API server takes one OIDC issuer',
      'reference a single OIDCConfig',
    );
  }
  for (const iam of Object.values(config.awsIamConfigs ?? {})) validateAwsIam(iam, out);
  if (config.fluxConfig) validateFlux(config.fluxConfig, out);
  if (config.gitOpsConfig) validateGitOps(config.gitOpsConfig, out);
}

function validateVSphereDatacenter(
  dc: VSphereDatacenterConfig,
  config: ClusterConfig,
  out: IssueCollector,
): void {
  const spec = dc.spec;
  for (const field of ['server', 'datacenter', 'network'] as const) {
    if (!spec[field]) {
      out.error(
        `vsphere-${field}-required`,
        at(dc, `spec.${field}`),
        `VSphereDatacenterConfig ${field} is not set`,
        field === 'server'
          ? 'set server to the vCenter address'
          : field === 'datacenter'
            ? 'set datacenter to the vSphere datacenter name'
            : 'set network to the VM network, e.g. /<datacenter>/network/VM Network',
      );
    }
  }
  if (spec.network && spec.datacenter) {
    // A relative network is expanded by the defaults; an absolute one must sit under the datacenter's networks.
    const absolute = spec.network.startsWith(`/${spec.datacenter}`);
    if (absolute && !spec.network.startsWith(`/${spec.datacenter}/network`)) {
      out.error(
        'vsphere-network-path',
        at(dc, 'spec.network'),
        `network "${spec.network}" is not under /${spec.datacenter}/network`,
        `write it as /${spec.datacenter}/network/<name>, or as the bare network name`,
      );
    }
  }
  if (!spec.insecure && !spec.thumbprint) {
    out.warn(
      'vsphere-thumbprint',
      at(dc, 'spec.thumbprint'),
      'no thumbprint is set, so the vCenter certificate must be trusted by the system CAs',
      'set thumbprint to the SHA-1 thumbprint of the vCenter certificate (or insecure: true for tests)',
    );
  }
  const domains = new Set<string>();
  (spec.failureDomains ?? []).forEach((fd, i) => {
    const p = at(dc, `spec.failureDomains[${i}]`);
    for (const field of [
      'name',
      'computeCluster',
      'resourcePool',
      'datastore',
      'folder',
      'network',
    ] as const) {
      if (!fd[field]) {
        out.error(
          'vsphere-failure-domain-field',
          `${p}.${field}`,
          `failure domain ${i + 1} has no ${field}`,
          `set ${field}`,
        );
      }
    }
    if (fd.name && domains.has(fd.name)) {
      out.error(
        'vsphere-failure-domain-unique',
        `${p}.name`,
        `failure domain name "${fd.name}" is used twice`,
        'give each failure domain a unique name',
      );
    }
    if (fd.name) domains.add(fd.name);
  });
  (config.cluster.spec.workerNodeGroupConfigurations ?? []).forEach((group, i) => {
    (group.failureDomains ?? []).forEach((name, j) => {
      if (!domains.has(name)) {
        out.error(
          'vsphere-failure-domain-unknown',
          `spec.workerNodeGroupConfigurations[${i}].failureDomains[${j}]`,
          `worker group "${effectiveWorkerName(group, i)}" uses failure domain "${name}", which the VSphereDatacenterConfig does not define`,
          domains.size
            ? `use one of ${[...domains].join(', ')}`
            : 'define it under VSphereDatacenterConfig spec.failureDomains',
        );
      }
    });
  });
}

function validateVSphereMachine(mc: VSphereMachineConfig, out: IssueCollector): void {
  const spec = mc.spec;
  if (!spec.datastore) {
    out.error(
      'vsphere-machine-datastore-required',
      at(mc, 'spec.datastore'),
      'datastore is not set',
      'set datastore to the datastore path of the VMs',
    );
  }
  if (!spec.resourcePool) {
    out.error(
      'vsphere-machine-resource-pool-required',
      at(mc, 'spec.resourcePool'),
      'resourcePool is not set',
      'set resourcePool, e.g. */Resources',
    );
  }
  const os = spec.osFamily ?? 'bottlerocket';
  if (!OS_FAMILIES.includes(os)) {
    out.error(
      'vsphere-machine-os-family',
      at(mc, 'spec.osFamily'),
      `osFamily "${os}" is not supported`,
      `use one of ${OS_FAMILIES.join(', ')}`,
    );
  }
  if (!spec.template) {
    out.error(
      'vsphere-machine-template-required',
      at(mc, 'spec.template'),
      'template is not set',
      'set template to the inventory path of an EKS-A node image (OVA) for this Kubernetes version',
    );
  }
  const user = spec.users?.[0]?.name;
  if (os === 'bottlerocket' && user && user !== 'ec2-user') {
    out.error(
      'vsphere-machine-user',
      at(mc, 'spec.users[0].name'),
      `Bottlerocket machines log in as ec2-user, not "${user}"`,
      'set users[0].name to ec2-user',
    );
  }
  if ((spec.memoryMiB ?? 8192) < 2048) {
    out.warn(
      'vsphere-machine-memory',
      at(mc, 'spec.memoryMiB'),
      `memoryMiB ${spec.memoryMiB} is below 2048 and is raised to 2048`,
      'give the machines at least 2048 MiB (8192 is recommended)',
    );
  }
  if ((spec.networks?.length ?? 0) > 2) {
    out.error(
      'vsphere-machine-networks',
      at(mc, 'spec.networks'),
      'at most 2 networks are supported',
      'keep one or two networks',
    );
  }
  validateHostOs(mc, os, out);
  const ntp = spec.hostOSConfiguration?.ntpConfiguration;
  if (ntp) {
    if (ntp.servers.length === 0) {
      out.error(
        'vsphere-machine-ntp',
        at(mc, 'spec.hostOSConfiguration.ntpConfiguration.servers'),
        'ntpConfiguration has no servers',
        'list at least one NTP server',
      );
    }
    ntp.servers.forEach((server, i) => {
      if (!isNtpServer(server)) {
        out.error(
          'vsphere-machine-ntp',
          at(mc, `spec.hostOSConfiguration.ntpConfiguration.servers[${i}]`),
          `NTP server "${server}" is not a valid host`,
          'write a host name or IP, e.g. time.example.com',
        );
      }
    });
  }
}

/**
 * Host OS settings that only Bottlerocket takes (CA bundles, `bottlerocketConfiguration`) and the shape of those
 * settings (EKS-A's `validateHostOSConfig`).
 */
function validateHostOs(mc: VSphereMachineConfig, os: string, out: IssueCollector): void {
  const host = mc.spec.hostOSConfiguration;
  if (!host) return;
  const base = at(mc, 'spec.hostOSConfiguration');
  (host.certBundles ?? []).forEach((bundle, i) => {
    const p = `${base}.certBundles[${i}]`;
    if (os !== 'bottlerocket') {
      out.error(
        'vsphere-cert-bundles-os',
        p,
        `certBundles can only be used with osFamily bottlerocket, not ${os}`,
        'remove certBundles, or use osFamily: bottlerocket',
      );
      return;
    }
    if (!bundle.name) {
      out.error(
        'vsphere-cert-bundle-name',
        `${p}.name`,
        'the CA bundle has no name',
        'give the bundle a name',
      );
    }
    const problem = pemCertificatesProblem(bundle.data ?? '');
    if (problem) {
      out.error(
        'vsphere-cert-bundle-data',
        `${p}.data`,
        `the CA bundle "${bundle.name}" is not PEM certificates: ${problem}`,
        'paste one or more "-----BEGIN CERTIFICATE-----" blocks',
      );
    }
  });
  const br = host.bottlerocketConfiguration;
  if (!br) return;
  const brPath = `${base}.bottlerocketConfiguration`;
  if (os !== 'bottlerocket') {
    out.error(
      'vsphere-bottlerocket-config-os',
      brPath,
      `bottlerocketConfiguration can only be used with osFamily bottlerocket, not ${os}`,
      'remove bottlerocketConfiguration, or use osFamily: bottlerocket',
    );
    return;
  }
  const k8s = br.kubernetes;
  (k8s?.allowedUnsafeSysctls ?? []).forEach((sysctl, i) => {
    if (!sysctl) {
      out.error(
        'vsphere-bottlerocket-sysctls',
        `${brPath}.kubernetes.allowedUnsafeSysctls[${i}]`,
        'allowedUnsafeSysctls has an empty entry',
        'remove the empty entry or name a sysctl (e.g. net.core.somaxconn)',
      );
    }
  });
  (k8s?.clusterDNSIPs ?? []).forEach((ip, i) => {
    if (!isIpAddress(ip)) {
      out.error(
        'vsphere-bottlerocket-dns-ip',
        `${brPath}.kubernetes.clusterDNSIPs[${i}]`,
        `"${ip}" is not an IP address`,
        'list the cluster DNS service IPs, e.g. 10.96.0.10',
      );
    }
  });
  if (k8s?.maxPods !== undefined && k8s.maxPods < 0) {
    out.error(
      'vsphere-bottlerocket-max-pods',
      `${brPath}.kubernetes.maxPods`,
      `maxPods ${k8s.maxPods} is negative`,
      'set maxPods to 0 or more, or leave it out',
    );
  }
  for (const [field, rule, what] of [
    [br.kernel?.sysctlSettings, 'vsphere-bottlerocket-sysctl-key', 'kernel.sysctlSettings'],
    [br.boot?.bootKernelParameters, 'vsphere-bottlerocket-boot-key', 'boot.bootKernelParameters'],
  ] as const) {
    if (field && Object.keys(field).some((key) => key.trim() === '')) {
      out.error(rule, `${brPath}.${what}`, `${what} has an empty key`, 'name every setting');
    }
  }
}

/** Why a text is not a sequence of PEM certificates, or undefined when it is. */
function pemCertificatesProblem(text: string): string | undefined {
  const blocks = text.match(/-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g);
  if (!blocks) return 'no certificate block';
  for (const block of blocks) {
    try {
      new X509Certificate(block);
    } catch (error) {
      return (error as Error).message;
    }
  }
  return undefined;
}

function isNtpServer(server: string): boolean {
  try {
    const url = new URL(server.includes('://') ? server : `udp://${server}`);
    return Boolean(url.protocol) && Boolean(url.hostname);
  } catch {
    return false;
  }
}

function validateOsFamilies(config: ClusterConfig, out: IssueCollector): void {
  const spec = config.cluster.spec;
  const cpRef = spec.controlPlaneConfiguration?.machineGroupRef?.name;
  const cp = cpRef ? config.machineConfigs?.[cpRef] : undefined;
  if (!cp) return;
  const cpOs = cp.spec.osFamily ?? 'bottlerocket';
  const others: Array<[string | undefined, string]> = [
    [spec.externalEtcdConfiguration?.machineGroupRef?.name, 'spec.externalEtcdConfiguration.machineGroupRef'],
    ...(spec.workerNodeGroupConfigurations ?? []).map(
      (g, i) =>
        [g.machineGroupRef?.name, `spec.workerNodeGroupConfigurations[${i}].machineGroupRef`] as [
          string | undefined,
          string,
        ],
    ),
  ];
  for (const [name, path] of others) {
    const mc = name ? config.machineConfigs?.[name] : undefined;
    if (!mc) continue;
    const os = mc.spec.osFamily ?? 'bottlerocket';
    if (os !== cpOs) {
      out.error(
        'vsphere-os-family-mismatch',
        path,
        `machine config "${name}" runs ${os} but the control plane runs ${cpOs}`,
        'use the same osFamily for the control plane, etcd and worker machines',
      );
    }
  }
}

function validateOidc(oidc: OIDCConfig, out: IssueCollector): void {
  const spec = oidc.spec;
  if (!spec.clientId) {
    out.error(
      'oidc-client-id-required',
      at(oidc, 'spec.clientId'),
      'clientId is not set',
      'set clientId to the OIDC client ID',
    );
  }
  if (!spec.issuerUrl) {
    out.error(
      'oidc-issuer-url-required',
      at(oidc, 'spec.issuerUrl'),
      'issuerUrl is not set',
      'set issuerUrl to the https URL of the issuer',
    );
  } else {
    let url: URL | undefined;
    try {
      url = new URL(spec.issuerUrl);
    } catch {
      url = undefined;
    }
    if (!url || url.protocol !== 'https:') {
      out.error(
        'oidc-issuer-url-https',
        at(oidc, 'spec.issuerUrl'),
        `issuerUrl "${spec.issuerUrl}" is not an https URL`,
        'use an https:// URL',
      );
    }
  }
  if ((spec.requiredClaims?.length ?? 0) > 1) {
    out.error(
      'oidc-required-claims',
      at(oidc, 'spec.requiredClaims'),
      'only one required claim is supported',
      'keep one requiredClaims entry',
    );
  }
}

function validateAwsIam(iam: AWSIamConfig, out: IssueCollector): void {
  const spec = iam.spec;
  if (!spec.awsRegion) {
    out.error(
      'aws-iam-region-required',
      at(iam, 'spec.awsRegion'),
      'awsRegion is not set',
      'set awsRegion, e.g. us-west-2',
    );
  }
  if (!spec.backendMode || spec.backendMode.length === 0) {
    out.error(
      'aws-iam-backend-mode-required',
      at(iam, 'spec.backendMode'),
      'backendMode is not set',
      'set backendMode: [EKSConfigMap]',
    );
  }
  (spec.backendMode ?? []).forEach((mode, i) => {
    if (mode === 'MountedFile') {
      out.error(
        'aws-iam-backend-mode',
        at(iam, `spec.backendMode[${i}]`),
        'the MountedFile backend is not supported',
        'use EKSConfigMap or CRD',
      );
    } else if (mode !== 'EKSConfigMap' && mode !== 'CRD') {
      out.error(
        'aws-iam-backend-mode',
        at(iam, `spec.backendMode[${i}]`),
        `backend "${mode}" is not known`,
        'use EKSConfigMap or CRD',
      );
    }
  });
  if ((spec.backendMode ?? []).includes('EKSConfigMap') && !spec.mapRoles?.length && !spec.mapUsers?.length) {
    out.warn(
      'aws-iam-no-mappings',
      at(iam, 'spec'),
      'with backendMode EKSConfigMap and no mapRoles or mapUsers no IAM identity is mapped to a Kubernetes user',
      'add mapRoles or mapUsers',
    );
  }
  (spec.mapRoles ?? []).forEach((role, i) => {
    if (!role.roleARN) {
      out.error(
        'aws-iam-map-roles',
        at(iam, `spec.mapRoles[${i}].roleARN`),
        'a mapRoles entry has no roleARN',
        'set roleARN',
      );
    }
    if (!role.username) {
      out.error(
        'aws-iam-map-roles',
        at(iam, `spec.mapRoles[${i}].username`),
        'a mapRoles entry has no username',
        'set username',
      );
    }
  });
  (spec.mapUsers ?? []).forEach((user, i) => {
    if (!user.userARN) {
      out.error(
        'aws-iam-map-users',
        at(iam, `spec.mapUsers[${i}].userARN`),
        'a mapUsers entry has no userARN',
        'set userARN',
      );
    }
    if (!user.username) {
      out.error(
        'aws-iam-map-users',
        at(iam, `spec.mapUsers[${i}].username`),
        'a mapUsers entry has no username',
        'set username',
      );
    }
  });
}

function validateFlux(flux: FluxConfig, out: IssueCollector): void {
  const spec = flux.spec;
  if (spec.git && spec.github) {
    out.error(
      'flux-provider',
      at(flux, 'spec'),
      'both git and github are set',
      'keep exactly one of git and github',
    );
  } else if (!spec.git && !spec.github) {
    out.error(
      'flux-provider',
      at(flux, 'spec'),
      'neither git nor github is set',
      'add github {owner, repository} or git {repositoryUrl}',
    );
  }
  if (spec.github) {
    if (!spec.github.owner) {
      out.error(
        'flux-github-owner',
        at(flux, 'spec.github.owner'),
        'github owner is not set',
        'set owner to the GitHub user or organization',
      );
    }
    if (!spec.github.repository) {
      out.error(
        'flux-github-repository',
        at(flux, 'spec.github.repository'),
        'github repository is not set',
        'set repository',
      );
    } else if (!GIT_REPOSITORY.test(spec.github.repository)) {
      out.error(
        'flux-github-repository',
        at(flux, 'spec.github.repository'),
        `"${spec.github.repository}" is not a valid repository name`,
        'use only letters, digits, "_", "-" and "."',
      );
    }
  }
  if (spec.git) {
    if (!spec.git.repositoryUrl) {
      out.error(
        'flux-git-repository-url',
        at(flux, 'spec.git.repositoryUrl'),
        'repositoryUrl is not set',
        'set repositoryUrl to ssh://git@host/path.git',
      );
    } else if (!spec.git.repositoryUrl.startsWith('ssh://')) {
      out.error(
        'flux-git-repository-url',
        at(flux, 'spec.git.repositoryUrl'),
        `repositoryUrl "${spec.git.repositoryUrl}" is not an ssh:// URL`,
        'write it as ssh://git@host/path.git',
      );
    }
    const alg = spec.git.sshKeyAlgorithm;
    if (alg !== undefined && !['rsa', 'ecdsa', 'ed25519'].includes(alg)) {
      out.error(
        'flux-ssh-key-algorithm',
        at(flux, 'spec.git.sshKeyAlgorithm'),
        `sshKeyAlgorithm "${alg}" is not supported`,
        'use rsa, ecdsa or ed25519',
      );
    }
  }
  if (spec.branch && !GIT_BRANCH.test(spec.branch)) {
    out.error(
      'flux-branch',
      at(flux, 'spec.branch'),
      `"${spec.branch}" is not a valid branch name`,
      'use a branch name such as main',
    );
  }
}

function validateGitOps(gitops: GitOpsConfig, out: IssueCollector): void {
  const github = gitops.spec.flux?.github;
  if (!github) {
    out.error(
      'gitops-github',
      at(gitops, 'spec.flux.github'),
      'flux.github is not set',
      'add flux.github {owner, repository}',
    );
    return;
  }
  if (!github.owner) {
    out.error(
      'gitops-github',
      at(gitops, 'spec.flux.github.owner'),
      'owner is not set',
      'set owner to the GitHub user or organization',
    );
  }
  if (!github.repository) {
    out.error(
      'gitops-github',
      at(gitops, 'spec.flux.github.repository'),
      'repository is not set',
      'set repository',
    );
  } else if (!GIT_REPOSITORY.test(github.repository)) {
    out.error(
      'gitops-github',
      at(gitops, 'spec.flux.github.repository'),
      `"${github.repository}" is not a valid repository name`,
      'use only letters, digits, "_", "-" and "."',
    );
  }
  if (github.branch && !GIT_BRANCH.test(github.branch)) {
    out.error(
      'gitops-branch',
      at(gitops, 'spec.flux.github.branch'),
      `"${github.branch}" is not a valid branch name`,
      'use a branch name such as main',
    );
  }
}
