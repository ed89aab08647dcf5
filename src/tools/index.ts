// One wrapper per external program (kind, clusterctl, helm, flux, docker), the process runner under them, the
// renderers of the files those programs read, and the preflight that checks the programs before anything is created.

// Running programs
export { findExecutable } from './executable-path';
export type { ExecutableLookup } from './executable-path';
export { errorText } from './error-text';
export { displayCommand, formatDuration, runProcess, ToolError } from './process-runner';
export type {
  OutputListener,
  OutputStream,
  ProcessResult,
  ProcessRunner,
  ProcessSpec,
  ToolErrorDetails,
  ToolFailure,
} from './process-runner';
export { Program } from './program';
export type { CallSpec, OperationOptions, ProgramOptions } from './program';
export { isSecret, REDACTED, Redactor, revealed, secret } from './secret';
export type { MaybeSecret, SecretValue } from './secret';
export { compareToolVersions, isAtLeast, maxVersion, parseToolVersion } from './version';
export type { ToolVersion } from './version';

// Retrying
export {
  CLUSTERCTL_BACKUP_RETRY_POLICY,
  CLUSTERCTL_MOVE_RETRY_POLICY,
  RetryExhaustedError,
  retryWhenMessageContains,
  retryWithPolicy,
  systemClock,
} from './retry-policy';
export type { Clock, RetryEvent, RetryOptions, RetryPolicy } from './retry-policy';

// The programs
export { ensureKindCluster, KindProgram, kindClusterName } from './kind-cli';
export type { EnsureKindClusterResult, KindCli, KindCreateClusterOptions } from './kind-cli';
export { backupWithRetry, ClusterctlProgram, moveWithRetry } from './clusterctl-cli';
export type {
  ClusterctlBackupOptions,
  ClusterctlCli,
  ClusterctlGetKubeconfigOptions,
  ClusterctlInitOptions,
  ClusterctlInstalledProvider,
  ClusterctlMoveOptions,
  ClusterctlProvider,
  ClusterctlRestoreOptions,
  ClusterctlUpgradeOptions,
  MoveRetryOptions,
} from './clusterctl-cli';
export { HelmProgram, ociChart } from './helm-cli';
export type {
  HelmCli,
  HelmTemplateOptions,
  HelmUninstallOptions,
  HelmUpgradeInstallOptions,
  HelmValues,
} from './helm-cli';
export { FluxProgram } from './flux-cli';
export type { FluxBootstrapGitOptions, FluxBootstrapGithubOptions, FluxCli, FluxObjectRef } from './flux-cli';
export { DockerProgram, parseDockerInfo, parseDockerPort } from './docker-cli';
export type { DockerCli, DockerEngineInfo, DockerHostPort } from './docker-cli';
export { createTools } from './tools';
export type { Tools, ToolsOptions } from './tools';

// Files the programs read
export { KIND_NODE_PATHS, renderKindConfig, renderRegistryMirrorHosts } from './kind-config';
export type {
  CertsDirFile,
  KindConfigInput,
  KindKubeDistroImages,
  KindMount,
  MirroredRegistry,
  RegistryMirrorInput,
  RepositoryTag,
} from './kind-config';
export { providerFolder, renderClusterctlLayout, writeClusterctlLayout } from './clusterctl-layout';
export type {
  ClusterctlImageOverride,
  ClusterctlLayout,
  ClusterctlLayoutInput,
  ClusterctlProviderSource,
  ClusterctlProviderType,
  LayoutFile,
  ManifestSource,
} from './clusterctl-layout';
export { RenderInputError } from './render-input-error';

// Preflight
export {
  checkTools,
  CLUSTERCTL_FOR_V1BETA1,
  formatPreflightProblems,
  installHint,
  KIND_FOR_KUBERNETES_1_36,
  MINIMUM_TOOL_VERSIONS,
  MINIMUM_VERSION_REASONS,
  preflight,
  PreflightError,
  RECOMMENDED_DOCKER_MEMORY_BYTES,
  TOOL_NAMES,
  toolRequirements,
} from './preflight';
export type {
  InstallHint,
  Preflight,
  PreflightOptions,
  PreflightProblem,
  PreflightProblemKind,
  PreflightReport,
  ToolCheck,
  ToolName,
  ToolRequirement,
  ToolRequirementsInput,
} from './preflight';
