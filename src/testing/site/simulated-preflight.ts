import { errorText } from '../../tools/error-text';
import {
  installHint,
  MINIMUM_TOOL_VERSIONS,
  Preflight,
  PreflightProblem,
  TOOL_NAMES,
  ToolCheck,
  ToolName,
  ToolRequirement,
} from '../../tools/preflight';
import { ProcessRunner } from '../../tools/process-runner';
import { isAtLeast, maxVersion, parseToolVersion } from '../../tools/version';

/** Where the simulated programs "are installed" (what a check reports as the executable). */
export const SIMULATED_BIN = '/simulated/bin';

/**
 * The site's preflight, for a workflow run on the simulated site: the real preflight looks programs up on PATH
 * and spawns them, which cannot reach the simulated ones. This one asks each required program for its version
 * through the site's runner (so the run is in `site.invocations` and tool faults apply: a failing `version` is a
 * `not-working` problem), compares it with the minimum as the real one does (the highest minimum given, else
 * {@link MINIMUM_TOOL_VERSIONS}), and reports the programs named in `missing` as not found. It returns the report
 * and never throws; the workflow decides (as with the real `checkTools`).
 */
export function simulatedPreflight(runner: ProcessRunner, missing: ReadonlySet<ToolName>): Preflight {
  return async (requirements: readonly ToolRequirement[], options = {}) => {
    const merged = mergeRequirements(requirements);
    const results = await Promise.all(merged.map((r) => check(runner, missing, r, options.signal)));
    return {
      checks: results.map((r) => r.check),
      problems: results.flatMap((r) => (r.problem ? [r.problem] : [])),
      warnings: [],
    };
  };
}

interface Merged {
  readonly tool: ToolName;
  readonly minVersion: string;
  readonly reasons: string[];
}

function mergeRequirements(requirements: readonly ToolRequirement[]): Merged[] {
  const byTool = new Map<ToolName, { given?: string; reasons: string[] }>();
  for (const r of requirements) {
    const entry = byTool.get(r.tool) ?? { reasons: [] };
    const given =
      r.minVersion === undefined
        ? entry.given
        : entry.given
          ? maxVersion(entry.given, r.minVersion)
          : r.minVersion;
    byTool.set(r.tool, { given, reasons: r.reason ? [...entry.reasons, r.reason] : entry.reasons });
  }
  return TOOL_NAMES.filter((t) => byTool.has(t)).map((tool) => ({
    tool,
    minVersion: byTool.get(tool)!.given ?? MINIMUM_TOOL_VERSIONS[tool],
    reasons: byTool.get(tool)!.reasons,
  }));
}

const VERSION_ARGS: Readonly<Record<ToolName, readonly string[]>> = {
  kind: ['version'],
  clusterctl: ['version', '-o', 'json'],
  helm: ['version', '--short'],
  flux: ['version', '--client'],
  docker: ['version', '--format', '{{.Client.Version}}'],
};

async function check(
  runner: ProcessRunner,
  missing: ReadonlySet<ToolName>,
  req: Merged,
  signal: AbortSignal | undefined,
): Promise<{ check: ToolCheck; problem?: PreflightProblem }> {
  const executable = `${SIMULATED_BIN}/${req.tool}`;
  const failed = (kind: PreflightProblem['kind'], message: string, found?: string) => ({
    check: {
      tool: req.tool,
      minVersion: req.minVersion,
      ok: false,
      ...(found ? { executable, version: found } : {}),
    },
    problem: {
      tool: req.tool,
      kind,
      minVersion: req.minVersion,
      message,
      reasons: req.reasons,
      install: installHint(req.tool, req.minVersion),
      ...(found ? { found } : {}),
      ...(kind === 'missing' ? {} : { executable }),
    },
  });
  if (missing.has(req.tool)) return failed('missing', `${req.tool}: not found on PATH (simulated site)`);
  let stdout: string;
  try {
    stdout = (await runner({ program: req.tool, args: [...VERSION_ARGS[req.tool]], signal })).stdout;
  } catch (error) {
    return failed(
      'not-working',
      `${req.tool}: ${executable} failed to report its version: ${errorText(error)}`,
    );
  }
  const found = versionOf(req.tool, stdout);
  if (!found) return failed('unknown-version', `${req.tool}: cannot read a version from '${stdout.trim()}'`);
  if (!isAtLeast(found, req.minVersion)) {
    return failed(
      'too-old',
      `${req.tool}: found ${found} (${executable}), need ${req.minVersion} or newer`,
      found,
    );
  }
  return { check: { tool: req.tool, minVersion: req.minVersion, executable, version: found, ok: true } };
}

function versionOf(tool: ToolName, stdout: string): string | undefined {
  if (tool === 'clusterctl') {
    try {
      return parseToolVersion(String(JSON.parse(stdout)?.clusterctl?.gitVersion))?.text;
    } catch {
      return undefined;
    }
  }
  return parseToolVersion(stdout.replace(/^kind\s+/, ''))?.text;
}
