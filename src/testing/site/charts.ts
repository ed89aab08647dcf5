import { KubeObject } from '../../kube/types';
import { Json } from '../controllers/objects';

/** What a chart renders from: helm's release name, namespace, version and values. */
export interface ChartRequest {
  readonly release: string;
  readonly namespace: string;
  readonly version: string;
  readonly values: Json;
  readonly kubeVersion?: string;
}

/** Renders a chart to objects (the simulated helm's stand-in for a chart's templates). */
export type ChartRenderer = (request: ChartRequest) => KubeObject[];

const get = (values: Json, path: string, fallback: unknown): Json => {
  let v: Json = values;
  for (const p of path.split('.')) v = v?.[p];
  return v ?? fallback;
};

/**
 * Cilium as EKS-A installs it (`helm template` of the bundle's chart into kube-system): the agent DaemonSet
 * `cilium` and the `cilium-operator` Deployment (both host-network, so they run on NotReady nodes), their
 * ServiceAccounts and RBAC, and the `cilium-config` ConfigMap. The simulated kube-controller-manager makes the
 * DaemonSet ready on every node, which makes the nodes Ready.
 */
export const ciliumChart: ChartRenderer = ({ namespace, version, values }) => {
  const image = (key: string, repo: string) =>
    `${get(values, `${key}.repository`, repo)}:${get(values, `${key}.tag`, version.replace(/^(?!v)/, 'v'))}`;
  const labels = (name: string) => ({ 'k8s-app': name, 'app.kubernetes.io/part-of': 'cilium' });
  const agent = labels('cilium');
  const operator = {
    'io.cilium/app': 'operator',
    name: 'cilium-operator',
    'app.kubernetes.io/part-of': 'cilium',
  };
  return [
    { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'cilium', namespace } },
    { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'cilium-operator', namespace } },
    {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'cilium-config', namespace },
      data: {
        'identity-allocation-mode': String(get(values, 'identityAllocationMode', 'crd')),
        ipam: String(get(values, 'ipam.mode', 'kubernetes')),
        'routing-mode': String(get(values, 'routingMode', 'tunnel')),
        'tunnel-protocol': String(get(values, 'tunnelProtocol', 'geneve')),
        'cni-chaining-mode': String(get(values, 'cni.chainingMode', 'none')),
        'enable-policy': String(get(values, 'policyEnforcementMode', 'default')),
      },
    },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRole',
      metadata: { name: 'cilium' },
      rules: [],
    },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRole',
      metadata: { name: 'cilium-operator' },
      rules: [],
    },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRoleBinding',
      metadata: { name: 'cilium' },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'cilium' },
      subjects: [{ kind: 'ServiceAccount', name: 'cilium', namespace }],
    },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRoleBinding',
      metadata: { name: 'cilium-operator' },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'cilium-operator' },
      subjects: [{ kind: 'ServiceAccount', name: 'cilium-operator', namespace }],
    },
    {
      apiVersion: 'apps/v1',
      kind: 'DaemonSet',
      metadata: { name: 'cilium', namespace, labels: agent },
      spec: {
        selector: { matchLabels: { 'k8s-app': 'cilium' } },
        template: {
          metadata: { labels: agent },
          spec: {
            hostNetwork: true,
            serviceAccountName: 'cilium',
            tolerations: [{ operator: 'Exists' }],
            containers: [{ name: 'cilium-agent', image: image('image', 'quay.io/cilium/cilium') }],
          },
        },
      },
    },
    {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'cilium-operator', namespace, labels: operator },
      spec: {
        replicas: Number(get(values, 'operator.replicas', 2)),
        selector: { matchLabels: { 'io.cilium/app': 'operator', name: 'cilium-operator' } },
        template: {
          metadata: { labels: operator },
          spec: {
            hostNetwork: true,
            serviceAccountName: 'cilium-operator',
            tolerations: [{ operator: 'Exists' }],
            containers: [
              { name: 'cilium-operator', image: image('operator.image', 'quay.io/cilium/operator-generic') },
            ],
          },
        },
      },
    },
  ];
};

/** The EKS-A curated packages controller chart: its Deployment (and ServiceAccount) in the release namespace. */
export const packagesChart: ChartRenderer = ({ namespace, version, values }) => {
  const labels = {
    'app.kubernetes.io/name': 'eks-anywhere-packages',
    'app.kubernetes.io/instance': 'eks-anywhere-packages',
  };
  return [
    { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'eks-anywhere-packages', namespace } },
    {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'eks-anywhere-packages', namespace, labels },
      spec: {
        replicas: Number(get(values, 'replicas', 1)),
        selector: { matchLabels: labels },
        template: {
          metadata: { labels },
          spec: {
            serviceAccountName: 'eks-anywhere-packages',
            containers: [
              {
                name: 'controller',
                image: `${get(values, 'controller.repository', 'public.ecr.aws/eks-anywhere/eks-anywhere-packages')}:${get(values, 'controller.tag', version)}`,
              },
            ],
          },
        },
      },
    },
  ];
};

/** Charts the simulated helm knows by the last segment of their name (`oci://…/cilium` → `cilium`). */
export const DEFAULT_CHARTS: Readonly<Record<string, ChartRenderer>> = {
  cilium: ciliumChart,
  'eks-anywhere-packages': packagesChart,
};
