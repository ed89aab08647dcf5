import { k8s } from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { CAPI_NAMESPACE } from '../contract';
import type { IObjectRef } from './object-ref';
import type { RegistryCredentials } from '../kubeadm/registry-mirror';

/** Properties for {@link RegistryCredentialsSecret}. */
export interface RegistryCredentialsSecretProps {
  /** @default "registry-credentials" */
  readonly name?: string;
  /** @default "eksa-system" */
  readonly namespace?: string;
  readonly credentials: RegistryCredentials;
}

/**
 * The registry mirror credentials EKS-A keeps for the controllers (`eksa-system/registry-credentials`), labelled
 * so `clusterctl move` takes it along. Its manifest is secret: write it only to 0600 files.
 */
export class RegistryCredentialsSecret extends Construct implements IObjectRef {
  public readonly apiVersion = 'v1';
  public readonly kind = 'Secret';
  public readonly name: string;
  public readonly namespace: string;

  constructor(scope: Construct, id: string, props: RegistryCredentialsSecretProps) {
    super(scope, id);
    this.name = props.name ?? 'registry-credentials';
    this.namespace = props.namespace ?? CAPI_NAMESPACE;
    const b64 = (text: string) => Buffer.from(text, 'utf8').toString('base64');
    new k8s.KubeSecret(this, 'Resource', {
      metadata: {
        name: this.name,
        namespace: this.namespace,
        labels: { 'clusterctl.cluster.x-k8s.io/move': 'true' },
      },
      data: { username: b64(props.credentials.username), password: b64(props.credentials.password) },
    });
  }
}
