import { ApiObject, type ApiObjectProps } from 'cdk8s';
import type { Construct } from 'constructs';
import { CAPI_NAMESPACE, DEFAULT_CAPI_CONTRACT, type CapiContract } from '../contract';
import { formatGoDuration, parseGoDurationSeconds } from './go-duration';
import type { IObjectRef } from './object-ref';
import * as capi from '../imports/cluster.x-k8s.io';
import { constructPath, schemaObjectProps } from '../schema-json';

/** Properties for {@link MachineHealthCheck}. */
export interface MachineHealthCheckProps {
  readonly name: string;
  /** @default "eksa-system" */
  readonly namespace?: string;
  /** @default "v1beta2" */
  readonly contract?: CapiContract;
  readonly clusterName: string;
  /** Labels selecting the machines checked. */
  readonly matchLabels: Readonly<Record<string, string>>;
  /** Go duration a machine has to join as a node. @default "10m0s" */
  readonly nodeStartupTimeout?: string;
  /** Go duration a node may stay not Ready (Unknown or False) before its machine is remediated. @default "5m0s" */
  readonly unhealthyMachineTimeout?: string;
  /** Remediation stops when more machines than this are unhealthy (count or percentage). @default "100%" */
  readonly maxUnhealthy?: number | string;
}

/**
 * A `MachineHealthCheck`: remediates machines whose node does not come up or stops being Ready.
 * @see https://cluster-api.sigs.k8s.io/tasks/automated-machine-management/healthchecking
 */
export class MachineHealthCheck extends ApiObject implements IObjectRef {
  public readonly namespace: string;

  constructor(scope: Construct, id: string, props: MachineHealthCheckProps) {
    super(scope, id, machineHealthCheckObject(constructPath(scope, id), props));
    this.namespace = props.namespace ?? CAPI_NAMESPACE;
  }
}

function machineHealthCheckObject(path: string, props: MachineHealthCheckProps): ApiObjectProps {
  const contract = props.contract ?? DEFAULT_CAPI_CONTRACT;
  const startup = seconds(path, 'nodeStartupTimeout', props.nodeStartupTimeout ?? '10m0s');
  const unhealthy = seconds(path, 'unhealthyMachineTimeout', props.unhealthyMachineTimeout ?? '5m0s');
  const maxUnhealthy = props.maxUnhealthy ?? '100%';
  const metadata = { name: props.name, namespace: props.namespace ?? CAPI_NAMESPACE };
  const selector = { matchLabels: { ...props.matchLabels } };
  const conditionStatuses = ['Unknown', 'False'];
  if (contract === 'v1beta2') {
    return schemaObjectProps(capi.MachineHealthCheckV1Beta2, {
      metadata,
      spec: {
        clusterName: props.clusterName,
        selector,
        checks: {
          nodeStartupTimeoutSeconds: startup,
          unhealthyNodeConditions: conditionStatuses.map((status) => ({
            type: 'Ready',
            status,
            timeoutSeconds: unhealthy,
          })),
        },
        remediation: {
          triggerIf: {
            unhealthyLessThanOrEqualTo: maxUnhealthy,
          },
        },
      },
    });
  } else {
    return schemaObjectProps(capi.MachineHealthCheck, {
      metadata,
      spec: {
        clusterName: props.clusterName,
        selector,
        nodeStartupTimeout: formatGoDuration(startup),
        unhealthyConditions: conditionStatuses.map((status) => ({
          type: 'Ready',
          status,
          timeout: formatGoDuration(unhealthy),
        })),
        maxUnhealthy,
      },
    });
  }
}

function seconds(path: string, field: string, text: string): number {
  try {
    return parseGoDurationSeconds(text);
  } catch (e) {
    throw new Error(`MachineHealthCheck '${path}': ${field} ${(e as Error).message}.`);
  }
}
