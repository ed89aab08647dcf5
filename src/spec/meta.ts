/** The API version of every EKS Anywhere object a user writes. */
export const EKSA_API_VERSION = 'anywhere.eks.amazonaws.com/v1alpha1';

/** The API group of the EKS Anywhere objects. */
export const EKSA_API_GROUP = 'anywhere.eks.amazonaws.com';

/** Namespace EKS-A puts its objects in when the file names none. */
export const DEFAULT_EKSA_NAMESPACE = 'default';

/** The part of Kubernetes object metadata an EKS-A config file carries. */
export interface EksaObjectMeta {
  /** Object name; the Cluster's name also names the CAPI objects generated for it. */
  readonly name: string;
  /**
   * Namespace of the EKS-A object (not of the CAPI objects, which always live in `eksa-system`).
   * @default "default"
   */
  readonly namespace?: string;
  readonly labels?: Readonly<Record<string, string>>;
  readonly annotations?: Readonly<Record<string, string>>;
}

/** A reference to another EKS-A object of the same config, by kind and name. */
export interface EksaRef<K extends string = string> {
  readonly kind: K;
  readonly name: string;
}

/** The shape every EKS-A object shares. */
export interface EksaObject<K extends string, S> {
  readonly apiVersion: typeof EKSA_API_VERSION;
  readonly kind: K;
  readonly metadata: EksaObjectMeta;
  readonly spec: S;
}
