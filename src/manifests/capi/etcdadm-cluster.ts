import { Construct } from 'constructs';
import { CAPI_NAMESPACE, ETCDADM_API_VERSION } from '../contract';
import { refV1Beta1, type IObjectRef } from './object-ref';
import * as etcd from '../imports/etcdcluster.cluster.x-k8s.io';
import { addRenderedObject } from '../schema-json';

/** Images and host settings of Bottlerocket etcd machines (they run etcd as a container). */
export interface EtcdadmBottlerocketConfig {
  /** The etcd image, `repository:tag`. */
  readonly etcdImage: string;
  /** The kubeadm/etcdadm bootstrap host container image, `repository:tag`. */
  readonly bootstrapImage: string;
  /** The pause image, `repository:tag`. */
  readonly pauseImage: string;
  readonly kernel?: { readonly sysctlSettings: Readonly<Record<string, string>> };
  readonly boot?: { readonly bootKernelParameters: Readonly<Record<string, readonly string[]>> };
}

/** The etcdadm configuration of the etcd machines (contract-neutral; etcdadm has one API version). */
export interface EtcdadmConfigSpec {
  /** Install etcd with etcdadm's built-in steps. @default true */
  readonly etcdadmBuiltin?: boolean;
  /** etcd version, without the `v` (e.g. `3.5.12`); cloud-config machines. */
  readonly etcdVersion: string;
  /** Download URL of the etcd release archive. @default - etcdadm's default download location */
  readonly etcdReleaseUrl?: string;
  /** Where etcdadm installs the etcd binaries (cloud-config machines). @default - etcdadm's default */
  readonly installDir?: string;
  /**
   * Bottlerocket machines: run etcd from these images instead of installing it (no `cloudInitConfig` is rendered).
   * @default - cloud-config install
   */
  readonly bottlerocketConfig?: EtcdadmBottlerocketConfig;
  /** Proxy of the etcd machines. @default - none */
  readonly proxy?: {
    readonly httpProxy?: string;
    readonly httpsProxy?: string;
    readonly noProxy?: readonly string[];
  };
  /** NTP servers of the etcd machines. @default - none */
  readonly ntp?: { readonly enabled?: boolean; readonly servers?: readonly string[] };
  /** Extra CA bundles trusted by Bottlerocket etcd machines. @default - none */
  readonly certBundles?: readonly { readonly name: string; readonly data: string }[];
  /** `--cipher-suites` of etcd. @default - etcd's defaults */
  readonly cipherSuites?: string;
  /** Registry mirror the etcd image is pulled through. @default - none */
  readonly registryMirror?: { readonly endpoint: string; readonly caCert?: string };
  readonly files?: readonly {
    readonly path: string;
    readonly content?: string;
    readonly owner?: string;
    readonly permissions?: string;
  }[];
  readonly preEtcdadmCommands?: readonly string[];
  readonly users?: readonly {
    readonly name: string;
    readonly sshAuthorizedKeys?: readonly string[];
    readonly sudo?: string;
  }[];
  /** @default - cloud-config */
  readonly format?: string;
}

/** Properties for {@link EtcdadmCluster}. */
export interface EtcdadmClusterProps {
  readonly name: string;
  /** @default "eksa-system" */
  readonly namespace?: string;
  /** Number of etcd machines (odd). */
  readonly replicas: number;
  /** The machine template of the etcd machines. */
  readonly machineTemplate: IObjectRef;
  readonly etcdadmConfigSpec: EtcdadmConfigSpec;
  /** Whether `infrastructureTemplate` carries `namespace`. @default true */
  readonly referenceNamespace?: boolean;
}

/**
 * An `EtcdadmCluster` (AWS etcdadm controller): an etcd cluster on its own machines, for unstacked etcd.
 * @see https://github.com/aws/etcdadm-controller
 */
export class EtcdadmCluster extends Construct implements IObjectRef {
  public readonly apiVersion = ETCDADM_API_VERSION;
  public readonly kind = 'EtcdadmCluster';
  public readonly name: string;
  public readonly namespace: string;

  constructor(scope: Construct, id: string, props: EtcdadmClusterProps) {
    super(scope, id);
    this.name = props.name;
    this.namespace = props.namespace ?? CAPI_NAMESPACE;
    if (!Number.isInteger(props.replicas) || props.replicas < 1 || props.replicas % 2 === 0) {
      throw new Error(
        `EtcdadmCluster '${this.node.path}': replicas must be a positive odd integer, got ${props.replicas}.`,
      );
    }
    const c = props.etcdadmConfigSpec;
    addRenderedObject(this, 'Resource', etcd.EtcdadmClusterV1Beta1, etcd.toJson_EtcdadmClusterV1Beta1Props, {
      metadata: { name: this.name, namespace: this.namespace },
      spec: {
        replicas: props.replicas,
        etcdadmConfigSpec: {
          etcdadmBuiltin: c.etcdadmBuiltin ?? true,
          cloudInitConfig: c.bottlerocketConfig
            ? undefined
            : { version: c.etcdVersion, installDir: c.installDir, etcdReleaseUrl: c.etcdReleaseUrl },
          bottlerocketConfig: c.bottlerocketConfig && {
            ...c.bottlerocketConfig,
            kernel: c.bottlerocketConfig.kernel && {
              sysctlSettings: { ...c.bottlerocketConfig.kernel.sysctlSettings },
            },
            boot: c.bottlerocketConfig.boot && {
              bootKernelParameters: Object.fromEntries(
                Object.entries(c.bottlerocketConfig.boot.bootKernelParameters).map(([k, v]) => [k, [...v]]),
              ),
            },
          },
          proxy: c.proxy && { ...c.proxy, noProxy: c.proxy.noProxy && [...c.proxy.noProxy] },
          ntp: c.ntp && { enabled: c.ntp.enabled, servers: c.ntp.servers && [...c.ntp.servers] },
          certBundles: c.certBundles?.map((b) => ({ ...b })),
          cipherSuites: c.cipherSuites,
          registryMirror: c.registryMirror && { ...c.registryMirror },
          files: c.files?.map((f) => ({ ...f })),
          preEtcdadmCommands: c.preEtcdadmCommands && [...c.preEtcdadmCommands],
          users: c.users?.map((u) => ({
            ...u,
            sshAuthorizedKeys: u.sshAuthorizedKeys && [...u.sshAuthorizedKeys],
          })),
          format: c.format as etcd.EtcdadmClusterV1Beta1SpecEtcdadmConfigSpecFormat | undefined,
        },
        infrastructureTemplate: refV1Beta1(props.machineTemplate, props.referenceNamespace),
      },
    });
  }
}
