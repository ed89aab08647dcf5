/**
 * What the workflow hands the helm wrapper. The shapes match the `tools` layer's `HelmTemplateOptions` and
 * `HelmUpgradeInstallOptions` (minus the kubeconfig, which only the workflow knows) without importing it: manifests
 * sit below tools.
 */

/** Chart values: JSON-compatible data, passed to helm as a values file on stdin. */
export type HelmValues = Readonly<Record<string, unknown>>;

/** A chart published as an OCI artifact, as helm addresses it. */
export interface HelmChartReference {
  /** `oci://registry/path/name`. */
  readonly chart: string;
  /** The artifact's tag, e.g. `1.19.4-1` (no leading `v` for the bundle's charts). */
  readonly version: string;
}

/** A `helm template` run. */
export interface HelmTemplateRequest extends HelmChartReference {
  readonly namespace: string;
  readonly values: HelmValues;
  /** @default helm's `release-name` */
  readonly releaseName?: string;
  /** `major.minor` of the target cluster, for charts that check `.Capabilities.KubeVersion`. */
  readonly kubeVersion?: string;
  /** Set when a registry mirror is configured with `insecureSkipVerify`. */
  readonly insecureSkipTlsVerify?: boolean;
}

/** A `helm upgrade --install` run. */
export interface HelmInstallRequest extends HelmChartReference {
  readonly release: string;
  readonly namespace: string;
  /** May hold credentials: the helm wrapper passes values on stdin, never in a file or argument. */
  readonly values: HelmValues;
  /** @default true */
  readonly createNamespace?: boolean;
  /** `--skip-crds`: the chart's CRDs are already installed (a second release of the same chart). */
  readonly skipCrds?: boolean;
  readonly insecureSkipTlsVerify?: boolean;
}

/**
 * The helm address of a chart published in the versions bundle as an image reference (`registry/path/name:tag`):
 * `oci://registry/path/name` and `--version tag`.
 * @throws Error when the reference has no tag.
 */
export function ociChartReference(imageUri: string): HelmChartReference {
  const withoutScheme = imageUri.replace(/^oci:\/\//, '');
  const at = withoutScheme.indexOf('@');
  const ref = at >= 0 ? withoutScheme.slice(0, at) : withoutScheme;
  const lastSlash = ref.lastIndexOf('/');
  const colon = ref.lastIndexOf(':');
  if (colon <= lastSlash || colon === ref.length - 1) {
    throw new Error(`chart '${imageUri}' has no tag: a chart reference needs one (registry/path/name:tag)`);
  }
  return { chart: `oci://${ref.slice(0, colon)}`, version: ref.slice(colon + 1) };
}
