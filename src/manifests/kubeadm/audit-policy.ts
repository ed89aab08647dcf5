import { stringify } from 'yaml';
import { kubeVersionAtLeast } from './kube-version';

/**
 * The kube-apiserver audit policy EKS-A installs on every control plane (`/etc/kubernetes/audit-policy.yaml`).
 *
 * One set of rules, two renderings, as in EKS-A (`pkg/providers/common/auditpolicy.go`): for Kubernetes < 1.24 the
 * `audit.k8s.io/v1beta1` policy is a fixed text, and kube-apiserver gets it exactly as EKS-A ships it (comments and
 * layout included, so machines are byte-identical with EKS-A's and no rollout is triggered by a cosmetic change);
 * for >= 1.24 EKS-A marshals an `audit.k8s.io/v1` Policy object, which {@link auditPolicyV1} builds from
 * {@link AUDIT_POLICY_RULES}.
 */

/** One audit rule (audit.k8s.io/v1 `PolicyRule`, the fields EKS-A uses). */
export interface AuditPolicyRule {
  readonly level: 'None' | 'Metadata' | 'Request' | 'RequestResponse';
  readonly users?: readonly string[];
  readonly userGroups?: readonly string[];
  readonly verbs?: readonly string[];
  readonly namespaces?: readonly string[];
  readonly resources?: readonly {
    readonly group?: string;
    readonly resources?: readonly string[];
    readonly resourceNames?: readonly string[];
  }[];
  readonly nonResourceURLs?: readonly string[];
  readonly omitStages?: readonly string[];
}

const CORE = { group: '' };
const KNOWN_API_GROUPS = [
  '',
  'admissionregistration.k8s.io',
  'apiextensions.k8s.io',
  'apiregistration.k8s.io',
  'apps',
  'authentication.k8s.io',
  'authorization.k8s.io',
  'autoscaling',
  'batch',
  'certificates.k8s.io',
  'extensions',
  'metrics.k8s.io',
  'networking.k8s.io',
  'policy',
  'rbac.authorization.k8s.io',
  'scheduling.k8s.io',
  'settings.k8s.io',
  'storage.k8s.io',
].map((group) => ({ group }));
const OMIT_RECEIVED = ['RequestReceived'];

/** The rules of EKS-A's audit.k8s.io/v1 policy, in order (first match wins). */
export const AUDIT_POLICY_RULES: readonly AuditPolicyRule[] = [
  // aws-auth changes, in full.
  {
    level: 'RequestResponse',
    namespaces: ['kube-system'],
    verbs: ['update', 'patch', 'delete'],
    resources: [{ ...CORE, resources: ['configmaps'], resourceNames: ['aws-auth'] }],
    omitStages: OMIT_RECEIVED,
  },
  // High-volume, low-risk requests: not logged.
  {
    level: 'None',
    users: ['system:kube-proxy'],
    verbs: ['watch'],
    resources: [{ ...CORE, resources: ['endpoints', 'services', 'services/status'] }],
  },
  {
    level: 'None',
    users: ['kubelet'],
    verbs: ['get'],
    resources: [{ ...CORE, resources: ['nodes', 'nodes/status'] }],
  },
  // EKS-A's v1 rendering of the `system:nodes` rule carries no userGroups (the v1beta1 text does); kept as EKS-A
  // renders it so nodes match EKS-A's.
  { level: 'None', verbs: ['get'], resources: [{ ...CORE, resources: ['nodes', 'nodes/status'] }] },
  {
    level: 'None',
    users: [
      'system:kube-controller-manager',
      'system:kube-scheduler',
      'system:serviceaccount:kube-system:endpoint-controller',
    ],
    verbs: ['get', 'update'],
    namespaces: ['kube-system'],
    resources: [{ ...CORE, resources: ['endpoints'] }],
  },
  {
    level: 'None',
    users: ['system:apiserver'],
    verbs: ['get'],
    resources: [{ ...CORE, resources: ['namespaces', 'namespaces/status', 'namespaces/finalize'] }],
  },
  {
    level: 'None',
    users: ['system:kube-controller-manager'],
    verbs: ['get', 'list'],
    resources: [{ group: 'metrics.k8s.io' }],
  },
  { level: 'None', nonResourceURLs: ['/healthz*', '/version', '/swagger*'] },
  { level: 'None', resources: [{ ...CORE, resources: ['events'] }] },
  // Node and pod status updates from nodes: the request only.
  {
    level: 'Request',
    users: [
      'kubelet',
      'system:node-problem-detector',
      'system:serviceaccount:kube-system:node-problem-detector',
    ],
    verbs: ['update', 'patch'],
    resources: [{ ...CORE, resources: ['nodes/status', 'pods/status'] }],
    omitStages: OMIT_RECEIVED,
  },
  {
    level: 'Request',
    userGroups: ['system:nodes'],
    verbs: ['update', 'patch'],
    resources: [{ ...CORE, resources: ['nodes/status', 'pods/status'] }],
    omitStages: OMIT_RECEIVED,
  },
  {
    level: 'Request',
    users: ['system:serviceaccount:kube-system:namespace-controller'],
    verbs: ['deletecollection'],
    omitStages: OMIT_RECEIVED,
  },
  // Secrets, config maps and token reviews may hold sensitive data: metadata only.
  {
    level: 'Metadata',
    resources: [
      { ...CORE, resources: ['secrets', 'configmaps'] },
      { group: 'authentication.k8s.io', resources: ['tokenreviews'] },
    ],
    omitStages: OMIT_RECEIVED,
  },
  { level: 'Request', resources: [{ ...CORE, resources: ['serviceaccounts/token'] }] },
  // Reads of known APIs: the request only (responses can be large).
  {
    level: 'Request',
    verbs: ['get', 'list', 'watch'],
    resources: KNOWN_API_GROUPS,
    omitStages: OMIT_RECEIVED,
  },
  { level: 'RequestResponse', resources: KNOWN_API_GROUPS, omitStages: OMIT_RECEIVED },
  { level: 'Metadata', omitStages: OMIT_RECEIVED },
];

/**
 * The audit.k8s.io/v1 policy document as EKS-A writes it: the Policy marshalled the way Go's sigs.k8s.io/yaml
 * does (keys sorted, empty fields omitted, `metadata.creationTimestamp: null`).
 */
export function auditPolicyV1(rules: readonly AuditPolicyRule[] = AUDIT_POLICY_RULES): string {
  const policy = {
    apiVersion: 'audit.k8s.io/v1',
    kind: 'Policy',
    metadata: { creationTimestamp: null },
    rules: rules.map((rule) =>
      omitEmpty({ ...rule, resources: rule.resources?.map((r) => omitEmpty({ ...r })) }),
    ),
  };
  return stringify(policy, {
    indentSeq: false,
    sortMapEntries: true,
    lineWidth: 0,
    aliasDuplicateObjects: false,
  });
}

/**
 * EKS-A's fixed audit.k8s.io/v1beta1 policy text for Kubernetes < 1.24 (Apache-2.0 data from EKS Anywhere,
 * reproduced exactly: it is the file kube-apiserver reads).
 */
export const AUDIT_POLICY_V1BETA1 = `apiVersion: audit.k8s.io/v1beta1
kind: Policy
rules:
# Log aws-auth configmap changes
- level: RequestResponse
  namespaces: ["kube-system"]
  verbs: ["update", "patch", "delete"]
  resources:
  - group: "" # core
    resources: ["configmaps"]
    resourceNames: ["aws-auth"]
  omitStages:
  - "RequestReceived"
# The following requests were manually identified as high-volume and low-risk,
# so drop them.
- level: None
  users: ["system:kube-proxy"]
  verbs: ["watch"]
  resources:
  - group: "" # core
    resources: ["endpoints", "services", "services/status"]
- level: None
  users: ["kubelet"] # legacy kubelet identity
  verbs: ["get"]
  resources:
  - group: "" # core
    resources: ["nodes", "nodes/status"]
- level: None
  userGroups: ["system:nodes"]
  verbs: ["get"]
  resources:
  - group: "" # core
    resources: ["nodes", "nodes/status"]
- level: None
  users:
  - system:kube-controller-manager
  - system:kube-scheduler
  - system:serviceaccount:kube-system:endpoint-controller
  verbs: ["get", "update"]
  namespaces: ["kube-system"]
  resources:
  - group: "" # core
    resources: ["endpoints"]
- level: None
  users: ["system:apiserver"]
  verbs: ["get"]
  resources:
  - group: "" # core
    resources: ["namespaces", "namespaces/status", "namespaces/finalize"]
# Don't log HPA fetching metrics.
- level: None
  users:
  - system:kube-controller-manager
  verbs: ["get", "list"]
  resources:
  - group: "metrics.k8s.io"
# Don't log these read-only URLs.
- level: None
  nonResourceURLs:
  - /healthz*
  - /version
  - /swagger*
# Don't log events requests.
- level: None
  resources:
  - group: "" # core
    resources: ["events"]
# node and pod status calls from nodes are high-volume and can be large, don't log responses for expected updates from nodes
- level: Request
  users: ["kubelet", "system:node-problem-detector", "system:serviceaccount:kube-system:node-problem-detector"]
  verbs: ["update","patch"]
  resources:
  - group: "" # core
    resources: ["nodes/status", "pods/status"]
  omitStages:
  - "RequestReceived"
- level: Request
  userGroups: ["system:nodes"]
  verbs: ["update","patch"]
  resources:
  - group: "" # core
    resources: ["nodes/status", "pods/status"]
  omitStages:
  - "RequestReceived"
# deletecollection calls can be large, don't log responses for expected namespace deletions
- level: Request
  users: ["system:serviceaccount:kube-system:namespace-controller"]
  verbs: ["deletecollection"]
  omitStages:
  - "RequestReceived"
# Secrets, ConfigMaps, and TokenReviews can contain sensitive & binary data,
# so only log at the Metadata level.
- level: Metadata
  resources:
  - group: "" # core
    resources: ["secrets", "configmaps"]
  - group: authentication.k8s.io
    resources: ["tokenreviews"]
  omitStages:
    - "RequestReceived"
- level: Request
  resources:
  - group: ""
    resources: ["serviceaccounts/token"]
# Get repsonses can be large; skip them.
- level: Request
  verbs: ["get", "list", "watch"]
  resources:
  - group: "" # core
  - group: "admissionregistration.k8s.io"
  - group: "apiextensions.k8s.io"
  - group: "apiregistration.k8s.io"
  - group: "apps"
  - group: "authentication.k8s.io"
  - group: "authorization.k8s.io"
  - group: "autoscaling"
  - group: "batch"
  - group: "certificates.k8s.io"
  - group: "extensions"
  - group: "metrics.k8s.io"
  - group: "networking.k8s.io"
  - group: "policy"
  - group: "rbac.authorization.k8s.io"
  - group: "scheduling.k8s.io"
  - group: "settings.k8s.io"
  - group: "storage.k8s.io"
  omitStages:
  - "RequestReceived"
# Default level for known APIs
- level: RequestResponse
  resources:
  - group: "" # core
  - group: "admissionregistration.k8s.io"
  - group: "apiextensions.k8s.io"
  - group: "apiregistration.k8s.io"
  - group: "apps"
  - group: "authentication.k8s.io"
  - group: "authorization.k8s.io"
  - group: "autoscaling"
  - group: "batch"
  - group: "certificates.k8s.io"
  - group: "extensions"
  - group: "metrics.k8s.io"
  - group: "networking.k8s.io"
  - group: "policy"
  - group: "rbac.authorization.k8s.io"
  - group: "scheduling.k8s.io"
  - group: "settings.k8s.io"
  - group: "storage.k8s.io"
  omitStages:
  - "RequestReceived"
# Default level for all other requests.
- level: Metadata
  omitStages:
  - "RequestReceived"
`;

let defaultV1: string | undefined;

/** The default audit policy for a Kubernetes version (`major.minor`). */
export function defaultAuditPolicy(kubernetesVersion: string): string {
  if (!kubeVersionAtLeast(kubernetesVersion, '1.24')) return AUDIT_POLICY_V1BETA1;
  // The same text for every cluster: rendered once (marshalling it is the costliest step of a synthesis).
  defaultV1 ??= auditPolicyV1();
  return defaultV1;
}

function omitEmpty<T extends object>(value: T): T {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    if (v === undefined || v === '' || (Array.isArray(v) && v.length === 0)) continue;
    out[k] = v;
  }
  return out as T;
}
