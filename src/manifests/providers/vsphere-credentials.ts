import { k8s } from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import type { IObjectRef } from '../capi/object-ref';
import { CAPI_NAMESPACE } from '../contract';

/** vCenter user CAPV (and, unless overridden, the cloud provider) works as. */
export const EKSA_VSPHERE_USERNAME = 'EKSA_VSPHERE_USERNAME';
export const EKSA_VSPHERE_PASSWORD = 'EKSA_VSPHERE_PASSWORD';
/** A separate vCenter user for the cloud provider (CPI); used only when the user name is not empty. */
export const EKSA_VSPHERE_CP_USERNAME = 'EKSA_VSPHERE_CP_USERNAME';
export const EKSA_VSPHERE_CP_PASSWORD = 'EKSA_VSPHERE_CP_PASSWORD';

/** Every environment variable that holds vSphere credentials. */
export const VSPHERE_CREDENTIAL_ENV_VARS: readonly string[] = [
  EKSA_VSPHERE_USERNAME,
  EKSA_VSPHERE_PASSWORD,
  EKSA_VSPHERE_CP_USERNAME,
  EKSA_VSPHERE_CP_PASSWORD,
];

/** A vCenter user name and password. Never logged. */
export interface VSphereUser {
  readonly username: string;
  readonly password: string;
}

/** The vCenter users a cluster needs: CAPV's and the cloud provider's. */
export interface VSphereCredentials {
  readonly capv: VSphereUser;
  readonly cloudProvider: VSphereUser;
}

/**
 * The credentials from the environment, as EKS-A reads them (`config.NewVsphereUserConfig`): unset variables are
 * empty; the cloud provider uses the CP user only when `EKSA_VSPHERE_CP_USERNAME` is not empty.
 */
export function vsphereCredentialsFrom(
  env: Readonly<Record<string, string | undefined>>,
): VSphereCredentials {
  const capv = { username: env[EKSA_VSPHERE_USERNAME] ?? '', password: env[EKSA_VSPHERE_PASSWORD] ?? '' };
  const cpUser = env[EKSA_VSPHERE_CP_USERNAME] ?? '';
  return {
    capv,
    cloudProvider: cpUser ? { username: cpUser, password: env[EKSA_VSPHERE_CP_PASSWORD] ?? '' } : capv,
  };
}

/** Base64 of a credential; an empty credential has no value (EKS-A's template renders it as null). */
export function credentialData(value: string): string | undefined {
  return value ? Buffer.from(value, 'utf8').toString('base64') : undefined;
}

/** Properties for {@link VSphereCredentialsSecret}. */
export interface VSphereCredentialsSecretProps {
  /** `<cluster>-vsphere-credentials`. */
  readonly name: string;
  /** @default "eksa-system" */
  readonly namespace?: string;
  readonly user: VSphereUser;
}

/**
 * The Secret CAPV's `VSphereCluster.identityRef` names: `username` and `password` of the vCenter user, labelled so
 * `clusterctl move` takes it along. Its manifest is secret: write it only to 0600 files.
 */
export class VSphereCredentialsSecret extends Construct implements IObjectRef {
  public readonly apiVersion = 'v1';
  public readonly kind = 'Secret';
  public readonly name: string;
  public readonly namespace: string;

  constructor(scope: Construct, id: string, props: VSphereCredentialsSecretProps) {
    super(scope, id);
    this.name = props.name;
    this.namespace = props.namespace ?? CAPI_NAMESPACE;
    const data: Record<string, string> = {};
    const username = credentialData(props.user.username);
    const password = credentialData(props.user.password);
    if (username !== undefined) data.username = username;
    if (password !== undefined) data.password = password;
    new k8s.KubeSecret(this, 'Resource', {
      metadata: {
        name: this.name,
        namespace: this.namespace,
        labels: { 'clusterctl.cluster.x-k8s.io/move': 'true' },
      },
      data,
    });
  }
}
