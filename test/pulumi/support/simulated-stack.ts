import { randomUUID } from 'node:crypto';
import { EksaCluster, registerSite, type EksaClusterArgs } from '../../../src/pulumi';
import { PulumiTestEngine, type MockResourceProvider } from '../../../src/testing';
import { FAST_TIMEOUTS } from '../../workflow/support/configs';
import { InstantSite, OFFLINE_BUNDLES, type InstantSiteOptions } from '../../workflow/support/instant-site';
import { sourceRequire } from '../fixtures/source-require';

/**
 * The offline bundles with their file list as an array of this realm: under jest, an array made by Node's own `fs`
 * belongs to another realm, and the Pulumi SDK (loaded in jest's) serializes it as an object (`instanceof Array`).
 */
export const OFFLINE_BUNDLES_HERE = { ...OFFLINE_BUNDLES, eksdReleases: [...OFFLINE_BUNDLES.eksdReleases] };

/**
 * A Pulumi stack on the simulated site: an in-process engine (PulumiTestEngine) that runs the serialized phase
 * handlers, and the simulated site they run on, registered under a ref of its own (`registerSite`), which the
 * stack's EksaCluster passes as `siteRef`.
 */
export class SimulatedStack {
  public static async create(
    options: InstantSiteOptions & { mocks?: Record<string, MockResourceProvider> } = {},
  ): Promise<SimulatedStack> {
    return new SimulatedStack(await InstantSite.create(options), options.mocks);
  }

  public readonly ref = `simulated-${randomUUID()}`;
  public readonly engine: PulumiTestEngine;
  /** The working directories the resources asked for (the simulated site keeps every file under its own). */
  public readonly workDirs = new Set<string>();
  private readonly unregister: () => void;

  private constructor(
    public readonly sim: InstantSite,
    mocks?: Record<string, MockResourceProvider>,
  ) {
    // Every provider call gets the site with the handler's logger, as a real run's site would have.
    this.unregister = registerSite(this.ref, ({ logger, workDir }) => {
      this.workDirs.add(workDir);
      return { ...sim.site, logger };
    });
    this.engine = new PulumiTestEngine({ requireModule: sourceRequire(), ...(mocks ? { mocks } : {}) });
  }

  /** EksaCluster arguments for this site: offline bundles, short waits, the site ref. */
  public args(overrides: Partial<EksaClusterArgs> & Pick<EksaClusterArgs, 'config'>): EksaClusterArgs {
    return { bundles: OFFLINE_BUNDLES_HERE, timeouts: FAST_TIMEOUTS, siteRef: this.ref, ...overrides };
  }

  /** A program declaring one EksaCluster. */
  public cluster(name: string, args: EksaClusterArgs): () => { kubeconfig: unknown; endpoint: unknown } {
    return () => {
      const cluster = new EksaCluster(name, args);
      return { kubeconfig: cluster.kubeconfig, endpoint: cluster.endpoint };
    };
  }

  public async close(): Promise<void> {
    this.unregister();
    await this.sim.close();
  }
}
