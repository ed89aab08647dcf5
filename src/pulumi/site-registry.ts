import type { ToolName } from '../tools/preflight';
import type { WorkflowLogger } from '../workflow/logger';
import type { Site } from '../workflow/site';

/** What a handler asks of a registered site for one provider call. */
export interface SiteRequest {
  /** The resource's working directory as given (`site.workDir`, default `.`). */
  readonly workDir: string;
  /** The resource's configured executables (`site.toolPaths`). */
  readonly toolPaths: Readonly<Partial<Record<ToolName, string>>>;
  /**
   * The handler's redacting logger: a site built for the call must report through it, so that progress lines
   * reach the Pulumi log with secrets removed.
   */
  readonly logger: WorkflowLogger;
}

/** Builds the Site one provider call runs on. */
export type SiteFactory = (request: SiteRequest) => Site;

// On globalThis under a registered symbol, so that two copies of this module in one process (the TypeScript
// sources a test imports and the compiled package a handler requires, or two installed versions) share one table.
const REGISTRY_KEY = Symbol.for('eksa-iac.pulumi.site-registry');

function registry(): Map<string, SiteFactory> {
  const holder = globalThis as { [REGISTRY_KEY]?: Map<string, SiteFactory> };
  holder[REGISTRY_KEY] ??= new Map();
  return holder[REGISTRY_KEY];
}

/**
 * A testing aid: makes `factory` the site of every phase resource whose `site.ref` (EksaCluster's `siteRef`) is
 * `ref`, for handlers running **in this process**, i.e. under an in-process engine such as `PulumiTestEngine`
 * with the simulated site of `eksa-iac/testing`. A serialized handler captures nothing, so this table is how it
 * reaches an object of the test.
 *
 * It never affects a real run: there the handlers run in Pulumi's provider process, where nothing is registered,
 * and a resource with a `site.ref` fails its check (before anything is created) saying so. Resources without a
 * ref always use the real tools on this machine.
 *
 * Returns a function that removes the registration.
 */
export function registerSite(ref: string, factory: SiteFactory): () => void {
  if (typeof ref !== 'string' || ref.length === 0) {
    throw new Error('registerSite: ref must be a non-empty string');
  }
  const table = registry();
  if (table.has(ref)) {
    throw new Error(`registerSite: a site is registered as '${ref}' already; give each test its own ref`);
  }
  table.set(ref, factory);
  return () => {
    if (table.get(ref) === factory) table.delete(ref);
  };
}

/** The factory registered as `ref`, if any. */
export function registeredSite(ref: string): SiteFactory | undefined {
  return registry().get(ref);
}

/** The refs registered in this process (for messages). */
export function registeredSiteRefs(): string[] {
  return [...registry().keys()];
}
