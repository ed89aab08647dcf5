import { k8s } from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { credentialData, type VSphereUser } from './vsphere-credentials';
import { ClusterResourceSet } from '../capi/cluster-resource-set';
import { CAPI_NAMESPACE, type CapiContract } from '../contract';
import { goYamlDocuments, goYamlText, type JsonValue } from '../go-yaml-text';

/*
 * The vSphere cloud provider interface (CPI, `cloud-provider-vsphere`): the cloud controller manager that
 * initializes vSphere nodes (provider IDs, addresses, zones). EKS-A installs it into every cluster through a
 * ClusterResourceSet holding its manifests.
 */

const SYSTEM_NAMESPACE = 'kube-system';
const SERVICE_ACCOUNT = 'cloud-controller-manager';
const CREDENTIALS_SECRET = 'cloud-provider-vsphere-credentials';
const CLOUD_CONFIG = 'vsphere-cloud-config';
const CCM_NAME = 'vsphere-cloud-controller-manager';
const CCM_ROLE = 'system:cloud-controller-manager';

/** Type of Secrets whose data a ClusterResourceSet applies. */
export const RESOURCE_SET_SECRET_TYPE = 'addons.cluster.x-k8s.io/resource-set';

/** Where the CPI runs and which vCenter it talks to. */
export interface CloudProviderSettings {
  /** vCenter server address. */
  readonly server: string;
  readonly datacenter: string;
  readonly thumbprint: string;
  readonly insecure: boolean;
  /** The cloud-provider-vsphere manager image (`vSphere.manager` of the versions bundle). */
  readonly managerImage: string;
  /** Taints of the control plane nodes, which the CCM also tolerates. @default - none */
  readonly controlPlaneTaints?: readonly {
    key: string;
    value?: string;
    effect: string;
    timeAdded?: string;
  }[];
}

/** What the cloud controller manager may do (the ClusterRole `system:cloud-controller-manager`). */
const CCM_PERMISSIONS: readonly {
  readonly group: string;
  readonly resource: string;
  readonly verbs: string[];
}[] = [
  { group: '', resource: 'events', verbs: ['create', 'patch', 'update'] },
  { group: '', resource: 'nodes', verbs: ['*'] },
  { group: '', resource: 'nodes/status', verbs: ['patch'] },
  { group: '', resource: 'services', verbs: ['list', 'patch', 'update', 'watch'] },
  { group: '', resource: 'serviceaccounts', verbs: ['create', 'get', 'list', 'watch', 'update'] },
  { group: '', resource: 'persistentvolumes', verbs: ['get', 'list', 'watch', 'update'] },
  { group: '', resource: 'endpoints', verbs: ['create', 'get', 'list', 'watch', 'update'] },
  { group: '', resource: 'secrets', verbs: ['get', 'list', 'watch'] },
  {
    group: 'coordination.k8s.io',
    resource: 'leases',
    verbs: ['get', 'watch', 'list', 'delete', 'update', 'create'],
  },
];

/** The service account and user the CCM's bindings name. */
const CCM_SUBJECTS: JsonValue = [
  { kind: 'ServiceAccount', name: SERVICE_ACCOUNT, namespace: SYSTEM_NAMESPACE },
  { kind: 'User', name: SERVICE_ACCOUNT },
];

/** Taints the CCM must tolerate: it is what removes `uninitialized` from new nodes. */
const CCM_TOLERATIONS: JsonValue = [
  { effect: 'NoSchedule', key: 'node.cloudprovider.kubernetes.io/uninitialized', value: 'true' },
  { effect: 'NoSchedule', key: 'node-role.kubernetes.io/master' },
  { effect: 'NoSchedule', key: 'node-role.kubernetes.io/control-plane' },
  { effect: 'NoSchedule', key: 'node.kubernetes.io/not-ready' },
];

/** The CPI's configuration file (`vsphere.conf`): one vCenter, its datacenter, and where the credentials are. */
export function cloudConfigText(settings: CloudProviderSettings): string {
  return [
    'global:',
    `  secretName: ${CREDENTIALS_SECRET}`,
    `  secretNamespace: ${SYSTEM_NAMESPACE}`,
    `  thumbprint: "${settings.thumbprint}"`,
    `  insecureFlag: ${settings.insecure ? 'true' : 'false'}`,
    'vcenter:',
    `  ${settings.server}:`,
    '    datacenters:',
    `    - '${settings.datacenter}'`,
    `    secretName: ${CREDENTIALS_SECRET}`,
    `    secretNamespace: ${SYSTEM_NAMESPACE}`,
    `    server: '${settings.server}'`,
    `    thumbprint: '${settings.thumbprint}'`,
    '',
  ].join('\n');
}

/** The CPI manifests (RBAC, cloud config, service, DaemonSet) as one multi-document text. */
export function cloudProviderManifests(settings: CloudProviderSettings): string {
  const labels = { 'k8s-app': CCM_NAME };
  const objects: JsonValue[] = [
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRole',
      metadata: { name: CCM_ROLE },
      rules: CCM_PERMISSIONS.map((p) => ({ apiGroups: [p.group], resources: [p.resource], verbs: p.verbs })),
    },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRoleBinding',
      metadata: { name: CCM_ROLE },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: CCM_ROLE },
      subjects: CCM_SUBJECTS,
    },
    {
      apiVersion: 'v1',
      data: { 'vsphere.conf': cloudConfigText(settings) },
      kind: 'ConfigMap',
      metadata: { name: CLOUD_CONFIG, namespace: SYSTEM_NAMESPACE },
    },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'RoleBinding',
      metadata: {
        name: 'servicecatalog.k8s.io:apiserver-authentication-reader',
        namespace: SYSTEM_NAMESPACE,
      },
      roleRef: {
        apiGroup: 'rbac.authorization.k8s.io',
        kind: 'Role',
        name: 'extension-apiserver-authentication-reader',
      },
      subjects: CCM_SUBJECTS,
    },
    {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: {
        labels: { component: SERVICE_ACCOUNT },
        name: SERVICE_ACCOUNT,
        namespace: SYSTEM_NAMESPACE,
      },
      spec: {
        ports: [{ port: 443, protocol: 'TCP', targetPort: 43001 }],
        selector: { component: SERVICE_ACCOUNT },
        type: 'NodePort',
      },
    },
    {
      apiVersion: 'apps/v1',
      kind: 'DaemonSet',
      metadata: { labels, name: CCM_NAME, namespace: SYSTEM_NAMESPACE },
      spec: {
        selector: { matchLabels: labels },
        template: {
          metadata: { labels },
          spec: {
            containers: [
              {
                args: ['--v=2', '--cloud-provider=vsphere', '--cloud-config=/etc/cloud/vsphere.conf'],
                image: settings.managerImage,
                name: CCM_NAME,
                resources: { requests: { cpu: '200m' } },
                volumeMounts: [{ mountPath: '/etc/cloud', name: 'vsphere-config-volume', readOnly: true }],
              },
            ],
            hostNetwork: true,
            serviceAccountName: SERVICE_ACCOUNT,
            tolerations: CCM_TOLERATIONS,
            volumes: [{ configMap: { name: CLOUD_CONFIG }, name: 'vsphere-config-volume' }],
          },
        },
        updateStrategy: { type: 'RollingUpdate' },
      },
    },
  ];
  return withTaintTolerations(goYamlDocuments(objects), settings.controlPlaneTaints ?? []);
}

/** The last of the fixed tolerations; the control plane taints follow it. */
const LAST_FIXED_TOLERATION = '      - effect: NoSchedule\n        key: node.kubernetes.io/not-ready\n';

/**
 * Appends a toleration per control plane taint to the DaemonSet. EKS-A adds them to its manifest text as
 * `key`, `value`, `effect` (and `timeAdded`) lines, in that order, an empty value left blank.
 */
function withTaintTolerations(
  text: string,
  taints: readonly { key: string; value?: string; effect: string; timeAdded?: string }[],
): string {
  if (taints.length === 0) return text;
  const at = text.indexOf(LAST_FIXED_TOLERATION);
  if (at < 0) throw new Error('the CPI DaemonSet has no toleration list to extend');
  const lines = taints.flatMap((t) => [
    `      - key: ${t.key}`,
    `        value: ${t.value ?? ''}`,
    `        effect: ${t.effect}`,
    ...(t.timeAdded ? [`        timeAdded: ${t.timeAdded}`] : []),
  ]);
  const end = at + LAST_FIXED_TOLERATION.length;
  return `${text.slice(0, end)}${lines.join('\n')}\n${text.slice(end)}`;
}

/**
 * The kube-system Secret the CPI reads its vCenter user from, keyed `<server>.username` / `<server>.password`
 * (base64). An empty credential is left without a value, as EKS-A's template leaves it.
 */
export function cloudProviderCredentialsManifest(server: string, user: VSphereUser): string {
  return [
    'apiVersion: v1',
    'kind: Secret',
    'metadata:',
    `  name: ${CREDENTIALS_SECRET}`,
    `  namespace: ${SYSTEM_NAMESPACE}`,
    'data:',
    `  ${server}.password: ${credentialData(user.password) ?? ''}`,
    `  ${server}.username: ${credentialData(user.username) ?? ''}`,
    'type: Opaque',
    '',
  ].join('\n');
}

/** Properties for {@link VSphereCloudProvider}. */
export interface VSphereCloudProviderProps extends CloudProviderSettings {
  readonly clusterName: string;
  /** @default "eksa-system" */
  readonly namespace?: string;
  readonly contract: CapiContract;
  /** The vCenter user of the CPI. */
  readonly user: VSphereUser;
}

/**
 * The CPI of a vSphere cluster: the ClusterResourceSet `<c>-cpi` (selecting the cluster by its
 * `cluster.x-k8s.io/cluster-name` label) and its resources: Secret `<c>-cloud-controller-manager` (service
 * account), Secret `<c>-cloud-provider-vsphere-credentials` (the credentials Secret to create in the cluster) and
 * ConfigMap `<c>-cpi-manifests`. The credentials Secret is secret: write it only to 0600 files.
 */
export class VSphereCloudProvider extends Construct {
  public readonly resourceSet: ClusterResourceSet;

  constructor(scope: Construct, id: string, props: VSphereCloudProviderProps) {
    super(scope, id);
    const c = props.clusterName;
    const namespace = props.namespace ?? CAPI_NAMESPACE;
    const clusterLabel = { 'cluster.x-k8s.io/cluster-name': c };
    const names = {
      serviceAccount: `${c}-cloud-controller-manager`,
      credentials: `${c}-cloud-provider-vsphere-credentials`,
      manifests: `${c}-cpi-manifests`,
    };
    this.resourceSet = new ClusterResourceSet(this, 'ResourceSet', {
      name: `${c}-cpi`,
      namespace,
      contract: props.contract,
      labels: clusterLabel,
      clusterSelector: clusterLabel,
      resources: [
        { kind: 'Secret', name: names.serviceAccount },
        { kind: 'Secret', name: names.credentials },
        { kind: 'ConfigMap', name: names.manifests },
      ],
    });
    new k8s.KubeSecret(this, 'ServiceAccount', {
      metadata: { name: names.serviceAccount, namespace },
      stringData: {
        data: goYamlText({
          apiVersion: 'v1',
          kind: 'ServiceAccount',
          metadata: { name: SERVICE_ACCOUNT, namespace: SYSTEM_NAMESPACE },
        }),
      },
      type: RESOURCE_SET_SECRET_TYPE,
    });
    new k8s.KubeSecret(this, 'Credentials', {
      metadata: { name: names.credentials, namespace },
      stringData: { data: cloudProviderCredentialsManifest(props.server, props.user) },
      type: RESOURCE_SET_SECRET_TYPE,
    });
    new k8s.KubeConfigMap(this, 'Manifests', {
      metadata: { name: names.manifests, namespace },
      data: { data: cloudProviderManifests(props) },
    });
  }
}
