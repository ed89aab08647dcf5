import { Construct } from 'constructs';
import type { IObjectRef } from '../capi/object-ref';
import { CAPI_NAMESPACE } from '../contract';
import { addSchemaObject, type SchemaJson } from '../schema-json';
import * as infra from '../imports/infrastructure.cluster.x-k8s.io';

/** A host path mounted into the node container. */
export interface DockerMount {
  readonly hostPath: string;
  readonly containerPath: string;
  /** @default false */
  readonly readOnly?: boolean;
}

/** Properties for {@link DockerMachineTemplate}. */
export interface DockerMachineTemplateProps {
  /** Name, `<base>-N` (templates are immutable; see `templateName`). */
  readonly name: string;
  /** @default "eksa-system" */
  readonly namespace?: string;
  /** The kind node image (EKS-D `kindNode` of the versions bundle). */
  readonly customImage: string;
  /** @default - the docker socket (`/var/run/docker.sock`), as EKS-A mounts it */
  readonly extraMounts?: readonly DockerMount[];
}

/** The docker socket, mounted into every node container so the nodes can run CAPD workloads. */
export const DOCKER_SOCKET_MOUNT: DockerMount = {
  containerPath: '/var/run/docker.sock',
  hostPath: '/var/run/docker.sock',
};

/** The `spec` of a DockerMachineTemplate with these props, as JSON. */
export function dockerMachineTemplateSpec(
  props: Omit<DockerMachineTemplateProps, 'name' | 'namespace'>,
): SchemaJson<infra.DockerMachineTemplateV1Beta2Spec> {
  return {
    template: {
      spec: {
        extraMounts: (props.extraMounts ?? [DOCKER_SOCKET_MOUNT]).map((m) => ({ ...m })),
        customImage: props.customImage,
      },
    },
  };
}

/**
 * A CAPD `DockerMachineTemplate`: the node container image and mounts of a group of machines
 * (`infrastructure.cluster.x-k8s.io/v1beta2` under both contracts).
 */
export class DockerMachineTemplate extends Construct implements IObjectRef {
  public readonly apiVersion = infra.DockerMachineTemplateV1Beta2.GVK.apiVersion;
  public readonly kind = 'DockerMachineTemplate';
  public readonly name: string;
  public readonly namespace: string;

  constructor(scope: Construct, id: string, props: DockerMachineTemplateProps) {
    super(scope, id);
    this.name = props.name;
    this.namespace = props.namespace ?? CAPI_NAMESPACE;
    if (!props.customImage) {
      throw new Error(`DockerMachineTemplate '${this.node.path}': customImage must not be empty.`);
    }
    addSchemaObject(this, 'Resource', infra.DockerMachineTemplateV1Beta2, {
      metadata: { name: this.name, namespace: this.namespace },
      spec: dockerMachineTemplateSpec(props),
    });
  }
}
