import type { KubeadmFile } from '../capi/kubeadm-config-spec';
import { goYamlText } from '../go-yaml-text';
import { KUBE_API_PORT } from './vsphere-cluster';
import { ROOT_OWNER } from '../kubeadm/constants';

/** Where kubelet picks up the kube-vip static pod on control plane machines. */
export const KUBE_VIP_MANIFEST_PATH = '/etc/kubernetes/manifests/kube-vip.yaml';

/** Properties of the kube-vip static pod. */
export interface KubeVipProps {
  /** The control plane virtual IP kube-vip announces (ARP) and holds through leader election. */
  readonly address: string;
  /** kube-vip image (`vSphere.kubeVip` of the versions bundle). */
  readonly image: string;
  /**
   * The admin kubeconfig on the host, which kube-vip uses for leader election. @default "/etc/kubernetes/admin.conf"
   */
  readonly hostKubeconfig?: string;
}

/**
 * The kube-vip static pod of the control plane: it announces the control plane endpoint address from the
 * current leader, so the API server is reachable before any load balancer exists.
 */
export function kubeVipManifest(props: KubeVipProps): string {
  const env: Array<[string, string]> = [
    ['vip_arp', 'true'],
    ['port', String(KUBE_API_PORT)],
    ['vip_cidr', '32'],
    ['cp_enable', 'true'],
    ['cp_namespace', 'kube-system'],
    ['vip_ddns', 'false'],
    ['vip_leaderelection', 'true'],
    ['vip_leaseduration', '15'],
    ['vip_renewdeadline', '10'],
    ['vip_retryperiod', '2'],
    ['address', props.address],
  ];
  return goYamlText({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { creationTimestamp: null, name: 'kube-vip', namespace: 'kube-system' },
    spec: {
      containers: [
        {
          args: ['manager'],
          env: env.map(([name, value]) => ({ name, value })),
          image: props.image,
          imagePullPolicy: 'IfNotPresent',
          name: 'kube-vip',
          resources: {},
          securityContext: { capabilities: { add: ['NET_ADMIN', 'NET_RAW'] } },
          volumeMounts: [{ mountPath: '/etc/kubernetes/admin.conf', name: 'kubeconfig' }],
        },
      ],
      hostNetwork: true,
      volumes: [
        { hostPath: { path: props.hostKubeconfig ?? '/etc/kubernetes/admin.conf' }, name: 'kubeconfig' },
      ],
    },
    status: {},
  });
}

/** The kube-vip static pod as a kubeadm file. */
export function kubeVipFile(props: KubeVipProps): KubeadmFile {
  return { content: kubeVipManifest(props), owner: ROOT_OWNER, path: KUBE_VIP_MANIFEST_PATH };
}
