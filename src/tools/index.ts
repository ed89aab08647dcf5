// One wrapper per external program (kind, clusterctl, helm, flux, docker), the process runner under them, and the
// preflight that checks the programs before anything is created.
export { findExecutable } from './executable-path';
export type { ExecutableLookup } from './executable-path';
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
export { isSecret, REDACTED, Redactor, revealed, secret } from './secret';
export type { MaybeSecret, SecretValue } from './secret';
