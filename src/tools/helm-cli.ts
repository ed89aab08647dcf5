import { ToolError } from './process-runner';
import { MINUTE, OperationOptions, Program, ProgramOptions } from './program';

/** Chart values: any JSON-compatible object (the values set itself belongs to the caller). */
export type HelmValues = Readonly<Record<string, unknown>>;

export interface HelmTemplateOptions {
  /** e.g. `oci://public.ecr.aws/isovalent/cilium` (the bundle's Cilium helmChart as an OCI URI). */
  readonly chart: string;
  readonly version: string;
  /** EKS-A renders Cilium into `kube-system`. */
  readonly namespace: string;
  readonly values?: HelmValues;
  /** @default helm's `release-name` */
  readonly releaseName?: string;
  /** The target cluster's Kubernetes version, for charts that check `.Capabilities.KubeVersion`. */
  readonly kubeVersion?: string;
  /** For registry mirrors with self-signed certificates. @default false */
  readonly insecureSkipTlsVerify?: boolean;
}

export interface HelmUpgradeInstallOptions {
  readonly release: string;
  readonly chart: string;
  readonly version: string;
  /** EKS-A installs the curated packages controller into `eksa-packages`. */
  readonly namespace: string;
  readonly kubeconfigPath: string;
  /** May hold credentials: passed on stdin, never written to a file or the command line. */
  readonly values?: HelmValues;
  /** @default true */
  readonly createNamespace?: boolean;
  /** Let helm wait for the release's resources, up to this long. @default no wait */
  readonly waitTimeoutMs?: number;
  readonly insecureSkipTlsVerify?: boolean;
}

export interface HelmUninstallOptions {
  readonly release: string;
  readonly namespace: string;
  readonly kubeconfigPath: string;
}

/** The helm operations the workflows use. */
export interface HelmCli {
  /** Renders a chart to manifests (multi-document YAML). */
  template(options: HelmTemplateOptions, op?: OperationOptions): Promise<string>;
  upgradeInstall(options: HelmUpgradeInstallOptions, op?: OperationOptions): Promise<void>;
  /** Removes a release; a release that is not there is reported, not an error. */
  uninstall(options: HelmUninstallOptions, op?: OperationOptions): Promise<'uninstalled' | 'not-found'>;
}

/**
 * A chart published as an OCI image in the versions bundle (`cilium.helmChart`, `packageController.helmChart`:
 * `registry/path/name:tag`) as helm addresses it: `oci://registry/path/name` and `--version tag`.
 */
export function ociChart(imageUri: string): { readonly chart: string; readonly version: string } {
  const withoutScheme = imageUri.replace(/^oci:\/\//, '');
  const lastSlash = withoutScheme.lastIndexOf('/');
  const colon = withoutScheme.lastIndexOf(':');
  if (colon <= lastSlash || colon === withoutScheme.length - 1) {
    throw new Error(`'${imageUri}' has no tag: a chart image needs one (registry/path/name:tag)`);
  }
  return { chart: `oci://${withoutScheme.slice(0, colon)}`, version: withoutScheme.slice(colon + 1) };
}

// helm < 3.8 needed this for oci:// charts; later versions ignore it. EKS-A sets it too.
const OCI_ENV = { HELM_EXPERIMENTAL_OCI: '1' };

/** `helm`, the real program. */
export class HelmProgram extends Program implements HelmCli {
  constructor(options: ProgramOptions = {}) {
    super('helm', options);
  }

  async template(options: HelmTemplateOptions, op?: OperationOptions): Promise<string> {
    const args = ['template'];
    if (options.releaseName) {
      args.push(options.releaseName);
    }
    args.push(options.chart, '--version', options.version, '--namespace', options.namespace);
    if (options.kubeVersion) {
      args.push('--kube-version', options.kubeVersion);
    }
    if (options.insecureSkipTlsVerify) {
      args.push('--insecure-skip-tls-verify');
    }
    args.push('-f', '-');
    const result = await this.exec(
      args,
      { env: OCI_ENV, stdin: valuesYaml(options.values), defaultTimeoutMs: 5 * MINUTE },
      op,
    );
    return result.stdout;
  }

  async upgradeInstall(options: HelmUpgradeInstallOptions, op?: OperationOptions): Promise<void> {
    const args = [
      'upgrade',
      '--install',
      options.release,
      options.chart,
      '--version',
      options.version,
      '--namespace',
      options.namespace,
    ];
    if (options.createNamespace !== false) {
      args.push('--create-namespace');
    }
    args.push('--kubeconfig', options.kubeconfigPath);
    if (options.waitTimeoutMs !== undefined) {
      args.push('--wait', '--timeout', `${Math.ceil(options.waitTimeoutMs / 1000)}s`);
    }
    if (options.insecureSkipTlsVerify) {
      args.push('--insecure-skip-tls-verify');
    }
    args.push('-f', '-');
    await this.exec(
      args,
      {
        env: OCI_ENV,
        stdin: valuesYaml(options.values),
        // Leave helm's own --wait room to report before we stop it.
        defaultTimeoutMs: (options.waitTimeoutMs ?? 0) + 10 * MINUTE,
      },
      op,
    );
  }

  async uninstall(
    options: HelmUninstallOptions,
    op?: OperationOptions,
  ): Promise<'uninstalled' | 'not-found'> {
    try {
      await this.exec(
        [
          'uninstall',
          options.release,
          '--namespace',
          options.namespace,
          '--kubeconfig',
          options.kubeconfigPath,
        ],
        { defaultTimeoutMs: 10 * MINUTE },
        op,
      );
      return 'uninstalled';
    } catch (error) {
      // helm 3: "Error: uninstall: Release not loaded: <name>: release: not found"
      if (
        error instanceof ToolError &&
        error.failure === 'exit' &&
        /release: not found/.test(error.stderrTail)
      ) {
        return 'not-found';
      }
      throw error;
    }
  }
}

/** Values as YAML for `-f -`. JSON is valid YAML and keeps strings such as "on" or "1.30" exactly as given. */
function valuesYaml(values: HelmValues | undefined): string {
  return `${JSON.stringify(values ?? {}, null, 2)}\n`;
}
