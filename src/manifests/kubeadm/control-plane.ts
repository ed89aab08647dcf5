import {
  ADMISSION_EXCLUSION_RULES_ENV,
  ADMISSION_EXCLUSION_RULES_PATH,
  admissionExclusionRulesJson,
} from './admission-exclusion-rules';
import { defaultAuditPolicy } from './audit-policy';
import { ROOT_OWNER, TLS_CIPHER_SUITES } from './constants';
import { kubeletConfigPatchFile, orderedArgs } from './kubelet';
import { registryMirrorFiles, type RegistryMirror } from './registry-mirror';
import type { ClusterConfig, OIDCConfig } from '../../spec';
import type { ResolvedVersionsBundle } from '../../spec/bundles';
import type {
  KubeadmArg,
  KubeadmClusterConfiguration,
  KubeadmEnvVar,
  KubeadmFile,
  KubeadmHostPathMount,
} from '../capi/kubeadm-config-spec';

/**
 * The control plane parts every EKS-A provider template shares (`pkg/providers/common`, `pkg/clusterapi`): API
 * server flags and volumes, audit policy, admission exclusion, identity providers, etcd and DNS images. Providers
 * compose them into their KubeadmControlPlane.
 */

const AUDIT_POLICY_PATH = '/etc/kubernetes/audit-policy.yaml';
const AUDIT_LOG_DIR = '/var/log/kubernetes';
const AWS_IAM_DIR = '/var/lib/kubeadm/aws-iam-authenticator';
const AWS_IAM_CONFIG_DIR = '/etc/kubernetes/aws-iam-authenticator';
const AWS_IAM_CERT_DIR = '/var/aws-iam-authenticator';

const arg = (name: string, value: string): KubeadmArg => ({ name, value });

/** The OIDCConfig the cluster references, if any. */
export function referencedOidcConfig(config: ClusterConfig): OIDCConfig | undefined {
  const ref = config.cluster.spec.identityProviderRefs?.find((r) => r.kind === 'OIDCConfig');
  return ref ? config.oidcConfigs?.[ref.name] : undefined;
}

/** True when the cluster references an AWSIamConfig. */
export function usesAwsIamAuthenticator(config: ClusterConfig): boolean {
  return (config.cluster.spec.identityProviderRefs ?? []).some((r) => r.kind === 'AWSIamConfig');
}

/** `--oidc-*` flags of an OIDCConfig (only the fields that are set; the first required claim only). */
export function oidcArgs(oidc: OIDCConfig | undefined): KubeadmArg[] {
  if (!oidc) return [];
  const s = oidc.spec;
  const args: (KubeadmArg | undefined)[] = [
    s.clientId ? arg('oidc-client-id', s.clientId) : undefined,
    s.groupsClaim ? arg('oidc-groups-claim', s.groupsClaim) : undefined,
    s.groupsPrefix ? arg('oidc-groups-prefix', s.groupsPrefix) : undefined,
    s.issuerUrl ? arg('oidc-issuer-url', s.issuerUrl) : undefined,
    s.requiredClaims?.[0]?.claim
      ? arg('oidc-required-claim', `${s.requiredClaims[0].claim}=${s.requiredClaims[0].value ?? ''}`)
      : undefined,
    s.usernameClaim ? arg('oidc-username-claim', s.usernameClaim) : undefined,
    s.usernamePrefix ? arg('oidc-username-prefix', s.usernamePrefix) : undefined,
  ];
  return args.filter((a): a is KubeadmArg => a !== undefined);
}

/**
 * kube-apiserver flags: the audit flags and `profiling=false` first, then the rest sorted by name (OIDC, AWS IAM
 * webhook, user extra args, TLS cipher suites, service account issuer), plus `providerArgs` of the provider
 * (e.g. `cloud-provider`).
 */
export function apiServerArgs(config: ClusterConfig, providerArgs: readonly KubeadmArg[] = []): KubeadmArg[] {
  const spec = config.cluster.spec;
  const fixed = [
    arg('audit-policy-file', AUDIT_POLICY_PATH),
    arg('audit-log-path', `${AUDIT_LOG_DIR}/api-audit.log`),
    arg('audit-log-maxage', '30'),
    arg('audit-log-maxbackup', '10'),
    arg('audit-log-maxsize', '512'),
    arg('profiling', 'false'),
  ];
  const extras = new Map<string, string>();
  for (const a of oidcArgs(referencedOidcConfig(config))) extras.set(a.name, a.value);
  if (usesAwsIamAuthenticator(config)) {
    extras.set('authentication-token-webhook-config-file', `${AWS_IAM_CONFIG_DIR}/kubeconfig.yaml`);
  }
  for (const [k, v] of Object.entries(spec.controlPlaneConfiguration.apiServerExtraArgs ?? {})) {
    extras.set(k, v);
  }
  for (const a of providerArgs) extras.set(a.name, a.value);
  extras.set('tls-cipher-suites', TLS_CIPHER_SUITES);
  if (spec.podIamConfig?.serviceAccountIssuer) {
    extras.set('service-account-issuer', spec.podIamConfig.serviceAccountIssuer);
  }
  return orderedArgs(
    fixed,
    [...extras.entries()].map(([name, value]) => arg(name, value)),
  );
}

/** kube-apiserver host path volumes: audit policy and log, admission exclusion rules, AWS IAM authenticator. */
export function apiServerVolumes(config: ClusterConfig): KubeadmHostPathMount[] {
  const volumes: KubeadmHostPathMount[] = [
    {
      hostPath: AUDIT_POLICY_PATH,
      mountPath: AUDIT_POLICY_PATH,
      name: 'audit-policy',
      pathType: 'File',
      readOnly: true,
    },
    {
      hostPath: AUDIT_LOG_DIR,
      mountPath: AUDIT_LOG_DIR,
      name: 'audit-log-dir',
      pathType: 'DirectoryOrCreate',
      readOnly: false,
    },
  ];
  if (config.cluster.spec.controlPlaneConfiguration.skipAdmissionForSystemResources) {
    volumes.push({
      name: 'admission-exclusion-rules',
      hostPath: ADMISSION_EXCLUSION_RULES_PATH,
      mountPath: ADMISSION_EXCLUSION_RULES_PATH,
      pathType: 'File',
      readOnly: true,
    });
  }
  if (usesAwsIamAuthenticator(config)) {
    volumes.push(
      {
        hostPath: `${AWS_IAM_DIR}/`,
        mountPath: `${AWS_IAM_CONFIG_DIR}/`,
        name: 'authconfig',
        readOnly: false,
      },
      {
        hostPath: `${AWS_IAM_DIR}/pki/`,
        mountPath: `${AWS_IAM_CERT_DIR}/`,
        name: 'awsiamcert',
        readOnly: false,
      },
    );
  }
  return volumes;
}

/** kube-apiserver environment: the admission exclusion rules file when enabled. */
export function apiServerEnvs(config: ClusterConfig): KubeadmEnvVar[] | undefined {
  return config.cluster.spec.controlPlaneConfiguration.skipAdmissionForSystemResources
    ? [{ name: ADMISSION_EXCLUSION_RULES_ENV, value: ADMISSION_EXCLUSION_RULES_PATH }]
    : undefined;
}

/** kube-controller-manager flags: `fixed` first (provider-specific), then the rest sorted. */
export function controllerManagerArgs(
  config: ClusterConfig,
  fixed: readonly KubeadmArg[] = [],
): KubeadmArg[] {
  const mask = config.cluster.spec.clusterNetwork.nodes?.cidrMaskSize;
  return orderedArgs(fixed, [
    arg('profiling', 'false'),
    arg('tls-cipher-suites', TLS_CIPHER_SUITES),
    mask !== undefined ? arg('node-cidr-mask-size', String(mask)) : undefined,
  ]);
}

/** kube-scheduler flags. */
export function schedulerArgs(): KubeadmArg[] {
  return [arg('profiling', 'false'), arg('tls-cipher-suites', TLS_CIPHER_SUITES)];
}

/** etcd of the kubeadm ClusterConfiguration: local with the EKS-D image, or the etcdadm-managed external one. */
export function kubeadmEtcd(
  config: ClusterConfig,
  bundle: ResolvedVersionsBundle,
): KubeadmClusterConfiguration['etcd'] {
  if (config.cluster.spec.externalEtcdConfiguration) {
    // The etcdadm controller replaces the placeholder with the etcd machines' endpoints.
    return {
      external: {
        endpoints: ['https://placeholder:2379'],
        caFile: '/etc/kubernetes/pki/etcd/ca.crt',
        certFile: '/etc/kubernetes/pki/apiserver-etcd-client.crt',
        keyFile: '/etc/kubernetes/pki/apiserver-etcd-client.key',
      },
    };
  }
  return {
    local: {
      imageRepository: bundle.kubeDistro.etcd.repository,
      imageTag: bundle.kubeDistro.etcd.tag,
      extraArgs: [arg('cipher-suites', TLS_CIPHER_SUITES)],
    },
  };
}

/** API server certificate SANs: `defaults` (provider-specific) then `controlPlaneConfiguration.certSans`. */
export function apiServerCertSans(config: ClusterConfig, defaults: readonly string[] = []): string[] {
  return [...defaults, ...(config.cluster.spec.controlPlaneConfiguration.certSans ?? [])];
}

/** The audit policy file (the user's `auditPolicyContent`, else EKS-A's default for the Kubernetes version). */
export function auditPolicyFile(config: ClusterConfig): KubeadmFile {
  const spec = config.cluster.spec;
  return {
    content: spec.controlPlaneConfiguration.auditPolicyContent ?? defaultAuditPolicy(spec.kubernetesVersion),
    owner: ROOT_OWNER,
    path: AUDIT_POLICY_PATH,
  };
}

/** The files of the AWS IAM authenticator webhook: its kubeconfig and the CA pair from `<c>-aws-iam-authenticator-ca`. */
export function awsIamAuthenticatorFiles(clusterName: string): KubeadmFile[] {
  const kubeconfig = [
    'apiVersion: v1',
    'kind: Config',
    'clusters:',
    '- name: aws-iam-authenticator',
    '  cluster:',
    `    certificate-authority: ${AWS_IAM_CERT_DIR}/cert.pem`,
    '    server: https://localhost:21362/authenticate',
    'users:',
    '- name: apiserver',
    'current-context: webhook',
    'contexts:',
    '- name: webhook',
    '  context:',
    '    cluster: aws-iam-authenticator',
    '    user: apiserver',
    '',
  ].join('\n');
  const secret = `${clusterName}-aws-iam-authenticator-ca`;
  return [
    { path: `${AWS_IAM_DIR}/kubeconfig.yaml`, owner: ROOT_OWNER, permissions: '0640', content: kubeconfig },
    {
      path: `${AWS_IAM_DIR}/pki/cert.pem`,
      owner: ROOT_OWNER,
      permissions: '0640',
      contentFrom: { secret: { name: secret, key: 'cert.pem' } },
    },
    {
      path: `${AWS_IAM_DIR}/pki/key.pem`,
      owner: ROOT_OWNER,
      permissions: '0640',
      contentFrom: { secret: { name: secret, key: 'key.pem' } },
    },
  ];
}

export interface ControlPlaneFilesOptions {
  /** Files the provider puts first (e.g. the vSphere kube-vip manifest). */
  readonly leading?: readonly KubeadmFile[];
  readonly registryMirror?: RegistryMirror;
}

/**
 * The control plane files in EKS-A's order: provider files, kubelet configuration patch, admission exclusion
 * rules, audit policy, registry mirror files, AWS IAM authenticator files.
 */
export function controlPlaneFiles(
  config: ClusterConfig,
  options: ControlPlaneFilesOptions = {},
): KubeadmFile[] {
  const spec = config.cluster.spec;
  const cp = spec.controlPlaneConfiguration;
  const files: KubeadmFile[] = [...(options.leading ?? [])];
  if (cp.kubeletConfiguration) {
    files.push(
      kubeletConfigPatchFile(cp.kubeletConfiguration, {
        kubernetesVersion: spec.kubernetesVersion,
        resolvConf: spec.clusterNetwork.dns?.resolvConf?.path,
      }),
    );
  }
  if (cp.skipAdmissionForSystemResources) {
    files.push({
      content: admissionExclusionRulesJson(),
      owner: ROOT_OWNER,
      path: ADMISSION_EXCLUSION_RULES_PATH,
    });
  }
  files.push(auditPolicyFile(config));
  if (options.registryMirror) files.push(...registryMirrorFiles(options.registryMirror));
  if (usesAwsIamAuthenticator(config)) files.push(...awsIamAuthenticatorFiles(config.cluster.metadata.name));
  return files;
}
