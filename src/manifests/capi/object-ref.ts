import type { CapiContract } from '../contract';

/**
 * What another object needs to point at a Kubernetes object: its apiVersion, kind, name and namespace. Every
 * construct of this library implements it, so constructs are wired by passing one to another.
 */
export interface IObjectRef {
  readonly apiVersion: string;
  readonly kind: string;
  readonly name: string;
  readonly namespace?: string;
}

/** A v1beta2 contract reference: the API group, not the version (the version is discovered). */
export interface ContractRefV1Beta2 {
  readonly apiGroup: string;
  readonly kind: string;
  readonly name: string;
}

/** A v1beta1 contract reference (a `corev1.ObjectReference`). */
export interface ContractRefV1Beta1 {
  readonly apiVersion: string;
  readonly kind: string;
  readonly name: string;
  readonly namespace?: string;
}

/** API group of an apiVersion (`""` for the core group). */
export function apiGroupOf(apiVersion: string): string {
  const slash = apiVersion.indexOf('/');
  return slash < 0 ? '' : apiVersion.slice(0, slash);
}

/** A v1beta2 reference to `ref`. */
export function refV1Beta2(ref: IObjectRef): ContractRefV1Beta2 {
  return { apiGroup: apiGroupOf(ref.apiVersion), kind: ref.kind, name: ref.name };
}

/** A v1beta1 reference to `ref`; `withNamespace: false` leaves the namespace out (the referrer's is implied). */
export function refV1Beta1(ref: IObjectRef, withNamespace = true): ContractRefV1Beta1 {
  return {
    apiVersion: ref.apiVersion,
    kind: ref.kind,
    name: ref.name,
    namespace: withNamespace ? ref.namespace : undefined,
  };
}

/** The reference shape a contract uses. */
export function contractRef(
  ref: IObjectRef,
  contract: CapiContract,
): ContractRefV1Beta1 | ContractRefV1Beta2 {
  return contract === 'v1beta2' ? refV1Beta2(ref) : refV1Beta1(ref);
}
