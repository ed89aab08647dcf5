import { ApiObject } from 'cdk8s';
import type { Construct } from 'constructs';
import type { IObjectRef } from '../capi/object-ref';
import { CAPI_NAMESPACE } from '../contract';
import * as infra from '../imports/infrastructure.cluster.x-k8s.io';
import { constructPath, schemaObjectProps, type SchemaJson } from '../schema-json';

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
export class DockerMachineTemplate extends ApiObject implements IObjectRef {
  public readonly namespace: string;

  constructor(scope: Construct, id: string, props: DockerMachineTemplateProps) {
    if (!props.customImage) {
      throw new Error(`DockerMachineTemplate '${constructPath(scope, id)}': customImage must not be empty.`);
    }
    const namespace = props.namespace ?? CAPI_NAMESPACE;
    super(
      scope,
      id,
      schemaObjectProps(infra.DockerMachineTemplateV1Beta2, {
        metadata: { name: props.name, namespace },
        spec: dockerMachineTemplateSpec(props),
      }),
    );
    this.namespace = namespace;
  }
}
