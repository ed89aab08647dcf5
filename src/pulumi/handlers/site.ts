import * as path from 'node:path';
import { preflight, TOOL_NAMES, type ToolName } from '../../tools/preflight';
import type { WorkflowLogger } from '../../workflow/logger';
import { createLocalSite, type Site } from '../../workflow/site';
import type { HandlerLogger } from '../redacting-logger';
import type { SiteInputs } from '../resources/phase-schema';
import { registeredSite, registeredSiteRefs } from '../site-registry';

/** How a handler opens its site. */
export interface OpenSiteOptions {
  /**
   * Stop the run when the provider process is interrupted (Ctrl-C: the engine sends SIGINT, then SIGKILL 5 s
   * later), so that the step in progress fails and is recorded instead of being killed mid-way. For create,
   * update and delete; never for check.
   * @default false
   */
  readonly interruptible?: boolean;
  /** The resource type, which the workflow puts in front of its lines and the handler logger already shows. */
  readonly type?: string;
}

/**
 * The Site a phase runs on: the site registered under `site.ref` (a testing aid, see `registerSite`), or by default
 * the real programs, HTTP clients and files of this machine under the working directory. Either way the site
 * reports through the handler's redacting logger.
 */
export function openSite(
  inputs: SiteInputs | undefined,
  logger: HandlerLogger,
  options: OpenSiteOptions = {},
): Site {
  const workDir = inputs?.workDir ?? '.';
  const toolPaths = inputs?.toolPaths ?? {};
  const workflowLogger = toWorkflowLogger(logger, options.type);
  if (inputs?.ref !== undefined) {
    const factory = registeredSite(inputs.ref);
    if (!factory) throw new Error(unregisteredRefMessage(inputs.ref));
    return factory({ workDir, toolPaths, logger: workflowLogger });
  }
  return createLocalSite({
    workDir: path.resolve(workDir),
    toolOptions: { paths: toolPaths },
    // The configured executables are the ones checked.
    preflight: (requirements, preflightOptions) =>
      preflight(requirements, { ...preflightOptions, paths: toolPaths }),
    logger: workflowLogger,
    ...(options.interruptible ? { signal: interruptSignal() } : {}),
  });
}

/** What is wrong with a resource's site inputs (for `check`, so that nothing is created with them). */
export function siteProblems(inputs: SiteInputs | undefined): string[] {
  const problems: string[] = [];
  if (inputs === undefined || inputs === null) return problems;
  if (inputs.workDir !== undefined && (typeof inputs.workDir !== 'string' || inputs.workDir.length === 0)) {
    problems.push('workDir must be a non-empty path');
  }
  for (const [tool, executable] of Object.entries(inputs.toolPaths ?? {})) {
    if (!TOOL_NAMES.includes(tool as ToolName)) {
      problems.push(`toolPaths.${tool}: not a program eksa-iac runs (it runs ${TOOL_NAMES.join(', ')})`);
    } else if (typeof executable !== 'string' || executable.length === 0) {
      problems.push(`toolPaths.${tool}: give a path or a program name`);
    }
  }
  if (inputs.ref !== undefined && !registeredSite(inputs.ref)) {
    problems.push(unregisteredRefMessage(inputs.ref));
  }
  return problems;
}

function unregisteredRefMessage(ref: string): string {
  const known = registeredSiteRefs();
  return (
    `ref '${ref}' names no site registered in this process (registered: ${known.join(', ') || 'none'}). ` +
    'Site refs are a testing aid for in-process engines (registerSite with PulumiTestEngine); remove siteRef to ' +
    'run with the real tools'
  );
}

/**
 * The workflow's logger over the handler's. The workflow labels its lines `<Phase> <cluster>: …`; the handler
 * logger prefixes `[eksa-iac] <Type>: ` already, so the phase name is not repeated.
 */
export function toWorkflowLogger(logger: HandlerLogger, type?: string): WorkflowLogger {
  const prefix = type ? `${type} ` : undefined;
  const strip = (message: string): string =>
    prefix !== undefined && message.startsWith(prefix) ? message.slice(prefix.length) : message;
  return {
    info: (m) => logger.info(strip(m)),
    warn: (m) => logger.warn(strip(m)),
    error: (m) => logger.error(strip(m)),
    debug: (m) => logger.debug(strip(m)),
  };
}

let interrupted: AbortController | undefined;

/** Aborted when this process receives SIGINT or SIGTERM (installed on first use, in the provider process only). */
function interruptSignal(): AbortSignal {
  if (!interrupted) {
    const controller = new AbortController();
    const abort = (signal: string) =>
      controller.abort(
        new Error(`interrupted (${signal}): the step in progress was stopped; run pulumi up again to resume`),
      );
    process.once('SIGINT', () => abort('SIGINT'));
    process.once('SIGTERM', () => abort('SIGTERM'));
    interrupted = controller;
  }
  return interrupted.signal;
}
