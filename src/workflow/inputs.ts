import type { WorkflowTimeouts } from './timeouts';
import type { CapiContract } from '../manifests/contract';
import type { ClusterConfig } from '../spec/cluster-config';

/** Where the versions bundles come from (the options of `loadVersionsBundles` that are plain data). */
export interface BundlesInput {
  /** Bundles manifest: a path (relative to the working directory) or an http(s) URL. @default the EKS-A release's */
  readonly bundles?: string;
  /** EKS-D Release files, matched to versions bundles by file name. */
  readonly eksdReleases?: readonly string[];
  /** EKS-A version whose bundles are used when `bundles` is not given. @default DEFAULT_EKSA_VERSION */
  readonly eksaVersion?: string;
  readonly cacheDir?: string;
  /** Never download. @default false ($EKSA_IAC_OFFLINE) */
  readonly offline?: boolean;
  readonly releaseManifestUrl?: string;
}

/**
 * What every phase is given: the cluster and how to render it. Plain JSON, so that a Pulumi resource per phase can
 * take it as inputs; each phase validates it again before it changes anything.
 */
export interface ClusterInputs {
  /** The EKS-A config (the objects of one config file: `parseClusterConfig`, or written in code). */
  readonly config: ClusterConfig;
  readonly bundles?: BundlesInput;
  /** The CAPI contract of the management cluster. @default "v1beta2" */
  readonly contract?: CapiContract;
  /** @default EKS-A's (DEFAULT_TIMEOUTS) */
  readonly timeouts?: Partial<WorkflowTimeouts>;
  /** Enabled EKS-A feature flags (`API_SERVER_EXTRA_ARGS_ENABLED`, …). @default [] */
  readonly featureFlags?: readonly string[];
}

/**
 * A kubeconfig passed between phases: its text, which is secret. The Pulumi layer marks every field of this type
 * as a secret output.
 */
export type KubeconfigText = string;

/** How the workflow moves CAPI objects between management clusters. */
export type MoveMethod = 'native' | 'clusterctl';
