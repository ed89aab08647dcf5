import { DockerProgram } from './docker-cli';
import { errorText } from './error-text';
import { findExecutable } from './executable-path';
import { runProcess, ToolError } from './process-runner';
import { isAtLeast, maxVersion, parseToolVersion } from './version';

/** The external programs the library runs. */
export type ToolName = 'kind' | 'clusterctl' | 'helm' | 'flux' | 'docker';

export const TOOL_NAMES: readonly ToolName[] = ['docker', 'kind', 'clusterctl', 'helm', 'flux'];

/** A program a run needs, and how recent it must be. */
export interface ToolRequirement {
  readonly tool: ToolName;
  /** @default MINIMUM_TOOL_VERSIONS[tool] */
  readonly minVersion?: string;
  /** Why the run needs it, or needs this version; shown with a problem. */
  readonly reason?: string;
}

/**
 * The oldest versions the wrappers' flags and the workflows' assumptions hold for (reasons in
 * {@link MINIMUM_VERSION_REASONS}).
 */
export const MINIMUM_TOOL_VERSIONS: Readonly<Record<ToolName, string>> = {
  kind: 'v0.20.0',
  clusterctl: 'v1.11.0',
  helm: 'v3.8.0',
  flux: 'v2.0.0',
  docker: '20.0.0',
};

export const MINIMUM_VERSION_REASONS: Readonly<Record<ToolName, string>> = {
  kind: 'the oldest kind these wrappers are written for (create/delete/get flags and kind.x-k8s.io/v1alpha4 config)',
  clusterctl:
    'the CAPI v1beta2 contract (clusterctl ≥ v1.11 reads v1beta2 status and runs its move checks on it)',
  helm: 'charts are pulled from OCI registries (oci://), generally available from helm v3.8.0',
  flux: 'Flux v2 GA command set (bootstrap github/git, suspend/resume ks, reconcile source git)',
  docker: "EKS-A's own minimum: Docker 20.x or above",
};

/** Kubernetes 1.36 node images need kind ≥ v0.32.0 (kubeadm v1beta4; aws/eks-anywhere-build-tooling#5462). */
export const KIND_FOR_KUBERNETES_1_36 = 'v0.32.0';

/** clusterctl for management clusters still on the v1beta1 contract (honours `block-move`, added in v1.6). */
export const CLUSTERCTL_FOR_V1BETA1 = 'v1.6.0';

/** EKS-A warns below this much Docker memory (`recommendedTotalMemory`, pkg/validations/docker.go). */
export const RECOMMENDED_DOCKER_MEMORY_BYTES = 6_200_000_000;

/** How to get a tool. */
export interface InstallHint {
  /** The official install page. */
  readonly url: string;
  /** A command that installs the needed version on this platform, when there is a simple one. */
  readonly command?: string;
  readonly note?: string;
}

/** The official install instructions for `tool`, with a command for `version` on this OS and CPU. */
export function installHint(tool: ToolName, version: string): InstallHint {
  const os = process.platform === 'darwin' ? 'darwin' : 'linux';
  const arch = process.arch === 'arm64' ? 'arm64' : 'amd64';
  const v = version.startsWith('v') ? version : `v${version}`;
  switch (tool) {
    case 'kind':
      return {
        url: 'https://kind.sigs.k8s.io/docs/user/quick-start/#installation',
        command: `curl -Lo ./kind https://kind.sigs.k8s.io/dl/${v}/kind-${os}-${arch} && chmod +x ./kind && sudo mv ./kind /usr/local/bin/kind`,
      };
    case 'clusterctl':
      return {
        url: 'https://cluster-api.sigs.k8s.io/user/quick-start#install-clusterctl',
        command: `curl -L https://github.com/kubernetes-sigs/cluster-api/releases/download/${v}/clusterctl-${os}-${arch} -o clusterctl && sudo install -m 0755 clusterctl /usr/local/bin/clusterctl`,
        note: "moving with filterCluster needs EKS-A's clusterctl build (--filter-cluster is not upstream)",
      };
    case 'helm':
      return {
        url: 'https://helm.sh/docs/intro/install/',
        command: 'curl -fsSL https://raw.githubusercontent.com/helm/helm/main/scripts/get-helm-3 | bash',
      };
    case 'flux':
      return {
        url: 'https://fluxcd.io/flux/installation/#install-the-flux-cli',
        command: 'curl -s https://fluxcd.io/install.sh | sudo bash',
        note: 'flux bootstrap installs controllers of its own version: use the Flux version of the versions bundle',
      };
    case 'docker':
      return {
        url: 'https://docs.docker.com/engine/install/',
        note: 'the Docker engine must be running and reachable by the current user',
      };
  }
}

/** What a run needs, from facts about the cluster. */
export interface ToolRequirementsInput {
  /** The cluster's Kubernetes version (`1.36`); 1.36 and later need a newer kind. */
  readonly kubernetesVersion?: string;
  /** @default 'v1beta2' */
  readonly capiContract?: 'v1beta1' | 'v1beta2';
  /** Flux bootstrap is configured (`gitOpsRef`). @default false */
  readonly gitOps?: boolean;
  /** Helm renders Cilium and installs curated packages. @default true */
  readonly helm?: boolean;
}

/** The requirements of a create/upgrade/delete with a bootstrap cluster. */
export function toolRequirements(input: ToolRequirementsInput = {}): ToolRequirement[] {
  const requirements: ToolRequirement[] = [
    { tool: 'docker', reason: 'kind runs the bootstrap cluster in Docker' },
    { tool: 'kind', reason: 'the bootstrap cluster' },
  ];
  const k8s = input.kubernetesVersion ? parseToolVersion(input.kubernetesVersion) : undefined;
  if (k8s && (k8s.major > 1 || (k8s.major === 1 && k8s.minor >= 36))) {
    requirements.push({
      tool: 'kind',
      minVersion: KIND_FOR_KUBERNETES_1_36,
      reason: `Kubernetes ${input.kubernetesVersion} needs kind ≥ ${KIND_FOR_KUBERNETES_1_36}, the first release that generates kubeadm v1beta4 config for 1.36`,
    });
  }
  requirements.push(
    input.capiContract === 'v1beta1'
      ? {
          tool: 'clusterctl',
          minVersion: CLUSTERCTL_FOR_V1BETA1,
          reason: 'Cluster API providers (v1beta1 contract)',
        }
      : { tool: 'clusterctl', reason: 'Cluster API providers (v1beta2 contract)' },
  );
  if (input.helm !== false) {
    requirements.push({ tool: 'helm', reason: 'Cilium and curated packages' });
  }
  if (input.gitOps) {
    requirements.push({ tool: 'flux', reason: 'GitOps is configured' });
  }
  return requirements;
}

export interface PreflightOptions {
  /** Configured executables (a path, or another name on PATH). */
  readonly paths?: Partial<Record<ToolName, string>>;
  /** Environment for lookups and version commands. @default process.env */
  readonly env?: Readonly<Record<string, string | undefined>>;
  readonly cwd?: string;
  readonly signal?: AbortSignal;
  /** Each version command's limit. @default 30 s */
  readonly timeoutMs?: number;
  /** Below this Docker memory a warning is given. @default RECOMMENDED_DOCKER_MEMORY_BYTES */
  readonly recommendedDockerMemoryBytes?: number;
}

/** What was found for one tool. */
export interface ToolCheck {
  readonly tool: ToolName;
  readonly minVersion: string;
  readonly executable?: string;
  readonly version?: string;
  readonly ok: boolean;
}

export type PreflightProblemKind = 'missing' | 'too-old' | 'unknown-version' | 'not-working';

export interface PreflightProblem {
  readonly tool: ToolName;
  readonly kind: PreflightProblemKind;
  readonly minVersion: string;
  readonly found?: string;
  readonly executable?: string;
  /** One line: what is wrong. */
  readonly message: string;
  readonly reasons: readonly string[];
  readonly install: InstallHint;
}

export interface PreflightReport {
  readonly checks: readonly ToolCheck[];
  readonly problems: readonly PreflightProblem[];
  readonly warnings: readonly string[];
}

/** A preflight, real or simulated; the workflows take one of these. */
export type Preflight = (
  requirements: readonly ToolRequirement[],
  options?: PreflightOptions,
) => Promise<PreflightReport>;

/** Some required tools are missing, too old or not working; nothing has been created. */
export class PreflightError extends Error {
  constructor(public readonly report: PreflightReport) {
    super(formatPreflightProblems(report.problems));
    this.name = 'PreflightError';
  }

  get problems(): readonly PreflightProblem[] {
    return this.report.problems;
  }
}

/**
 * Checks every required program at once: present on PATH (or at its configured path), its version readable and
 * recent enough, the Docker engine reachable. Throws a {@link PreflightError} naming each problem, the version
 * found, the minimum and how to install; otherwise returns what was found (with warnings, e.g. little Docker
 * memory). Run it before anything is created.
 */
export async function preflight(
  requirements: readonly ToolRequirement[],
  options: PreflightOptions = {},
): Promise<PreflightReport> {
  const report = await checkTools(requirements, options);
  if (report.problems.length > 0) {
    throw new PreflightError(report);
  }
  return report;
}

/** Like {@link preflight}, but returns problems in the report instead of throwing. */
export async function checkTools(
  requirements: readonly ToolRequirement[],
  options: PreflightOptions = {},
): Promise<PreflightReport> {
  const merged = mergeRequirements(requirements);
  const results = await Promise.all(merged.map((r) => checkTool(r, options)));
  return {
    checks: results.map((r) => r.check),
    problems: results.flatMap((r) => r.problems),
    warnings: results.flatMap((r) => r.warnings),
  };
}

interface MergedRequirement {
  readonly tool: ToolName;
  readonly minVersion: string;
  readonly reasons: string[];
}

function mergeRequirements(requirements: readonly ToolRequirement[]): MergedRequirement[] {
  const byTool = new Map<ToolName, { given?: string; reasons: string[] }>();
  for (const r of requirements) {
    const entry = byTool.get(r.tool) ?? { reasons: [] };
    // The highest explicit minimum wins; the default applies only when nobody gave one.
    const given =
      r.minVersion === undefined
        ? entry.given
        : entry.given
          ? maxVersion(entry.given, r.minVersion)
          : r.minVersion;
    byTool.set(r.tool, { given, reasons: r.reason ? [...entry.reasons, r.reason] : entry.reasons });
  }
  return TOOL_NAMES.filter((t) => byTool.has(t)).map((tool) => {
    const entry = byTool.get(tool)!;
    return { tool, minVersion: entry.given ?? MINIMUM_TOOL_VERSIONS[tool], reasons: entry.reasons };
  });
}

interface CheckResult {
  readonly check: ToolCheck;
  readonly problems: PreflightProblem[];
  readonly warnings: string[];
}

const VERSION_ARGS: Readonly<Record<ToolName, readonly string[]>> = {
  kind: ['version'],
  clusterctl: ['version', '-o', 'json'],
  helm: ['version', '--short'],
  flux: ['version', '--client'],
  docker: ['version', '--format', '{{.Client.Version}}'],
};

async function checkTool(req: MergedRequirement, options: PreflightOptions): Promise<CheckResult> {
  const env = options.env ?? process.env;
  const program = options.paths?.[req.tool] ?? req.tool;
  const problem = (
    kind: PreflightProblemKind,
    message: string,
    extra: { found?: string; executable?: string } = {},
  ): PreflightProblem => ({
    tool: req.tool,
    kind,
    minVersion: req.minVersion,
    message,
    reasons: req.reasons,
    install: installHint(req.tool, req.minVersion),
    ...extra,
  });
  const failed = (p: PreflightProblem, executable?: string, version?: string): CheckResult => ({
    check: { tool: req.tool, minVersion: req.minVersion, executable, version, ok: false },
    problems: [p],
    warnings: [],
  });

  const lookup = await findExecutable(program, { pathEnv: env.PATH, cwd: options.cwd });
  if (lookup.path === undefined) {
    const where = program.includes('/')
      ? `not found at ${lookup.searched[0]}`
      : `not found on PATH (${env.PATH ?? ''})`;
    return failed(problem('missing', `${req.tool}: ${where}`));
  }
  const executable = lookup.path;

  let output: string;
  try {
    const result = await runProcess({
      program: executable,
      args: VERSION_ARGS[req.tool],
      env: { ...env },
      inheritEnv: false,
      cwd: options.cwd,
      signal: options.signal,
      timeoutMs: options.timeoutMs ?? 30_000,
    });
    output = result.stdout;
  } catch (error) {
    if (error instanceof ToolError && error.failure === 'aborted') {
      throw error;
    }
    return failed(
      problem('not-working', `${req.tool}: ${executable} failed to report its version: ${errorText(error)}`, {
        executable,
      }),
      executable,
    );
  }

  const found = versionFrom(req.tool, output);
  if (found === undefined) {
    return failed(
      problem(
        'unknown-version',
        `${req.tool}: cannot read a version from \`${req.tool} ${VERSION_ARGS[req.tool].join(' ')}\` (${executable}): '${output.trim().slice(0, 200)}'`,
        { executable },
      ),
      executable,
    );
  }
  if (!isAtLeast(found, req.minVersion)) {
    return failed(
      problem('too-old', `${req.tool}: found ${found} (${executable}), need ${req.minVersion} or newer`, {
        found,
        executable,
      }),
      executable,
      found,
    );
  }

  const warnings: string[] = [];
  if (req.tool === 'docker') {
    try {
      const info = await new DockerProgram({ path: executable, env, cwd: options.cwd }).info({
        signal: options.signal,
        timeoutMs: options.timeoutMs ?? 30_000,
      });
      const recommended = options.recommendedDockerMemoryBytes ?? RECOMMENDED_DOCKER_MEMORY_BYTES;
      if (info.memTotalBytes < recommended) {
        warnings.push(
          `docker: the engine has ${formatGb(info.memTotalBytes)} of memory; EKS-A recommends at least ${formatGb(recommended)} for a bootstrap and a docker-provider cluster`,
        );
      }
    } catch (error) {
      if (error instanceof ToolError && error.failure === 'aborted') {
        throw error;
      }
      return failed(
        problem('not-working', `docker: the Docker engine is not reachable: ${errorText(error)}`, {
          found,
          executable,
        }),
        executable,
        found,
      );
    }
  }
  return {
    check: { tool: req.tool, minVersion: req.minVersion, executable, version: found, ok: true },
    problems: [],
    warnings,
  };
}

/** The version a tool printed, or undefined when none can be read. */
function versionFrom(tool: ToolName, stdout: string): string | undefined {
  if (tool === 'clusterctl') {
    try {
      const parsed = JSON.parse(stdout) as { clusterctl?: { gitVersion?: unknown } };
      const gitVersion = parsed.clusterctl?.gitVersion;
      if (typeof gitVersion === 'string' && parseToolVersion(gitVersion)) {
        return parseToolVersion(gitVersion)!.text;
      }
    } catch {
      // Not JSON: fall back to the first version in the text.
    }
  }
  if (tool === 'kind') {
    // "kind v0.32.0 go1.26.0 linux/amd64": skip the Go version.
    const match = /kind\s+(v?\d+\.\d+(?:\.\d+)?\S*)/.exec(stdout);
    if (match) {
      return parseToolVersion(match[1])?.text;
    }
  }
  return parseToolVersion(stdout)?.text;
}

function formatGb(bytes: number): string {
  return `${(bytes / 1e9).toFixed(1)} GB`;
}

/** The error text: every problem, what was found, the minimum, why, and how to install. */
export function formatPreflightProblems(problems: readonly PreflightProblem[]): string {
  const lines = [
    `preflight: ${problems.length} required program${problems.length === 1 ? ' is' : 's are'} missing, too old or not working; nothing was created`,
  ];
  for (const p of problems) {
    lines.push(`  - ${p.message}`);
    lines.push(
      `    needed: ${p.tool} ${p.minVersion} or newer${p.reasons.length > 0 ? ` (${p.reasons.join('; ')})` : ''}`,
    );
    lines.push(`    install: ${p.install.url}`);
    if (p.install.command) {
      lines.push(`      ${p.install.command}`);
    }
    if (p.install.note) {
      lines.push(`    note: ${p.install.note}`);
    }
  }
  return lines.join('\n');
}
