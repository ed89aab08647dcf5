/** The one TLS cipher suite EKS-A allows on every control plane component, kubelet and etcd. */
export const TLS_CIPHER_SUITES = 'TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256';

/** containerd's CRI socket on EKS-A node images. */
export const CONTAINERD_SOCKET = '/var/run/containerd/containerd.sock';

/** Owner of every file EKS-A writes through kubeadm. */
export const ROOT_OWNER = 'root:root';

/** Where kubeadm reads patches from (kubelet configuration patches). */
export const KUBEADM_PATCHES_DIR = '/etc/kubernetes/patches';
