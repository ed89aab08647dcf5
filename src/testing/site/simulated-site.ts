import { ChartRenderer, DEFAULT_CHARTS } from './charts';
import { SimulatedContainer } from './docker-engine';
import { SimulatedGitServer } from './git-server';
import { InvocationLog } from './invocation-log';
import { ClusterctlSimulator } from './programs/clusterctl-program';
import { DockerSimulator, SimulatedDockerInfo } from './programs/docker-program';
import { FluxSimulator } from './programs/flux-program';
import { HelmSimulator } from './programs/helm-program';
import { KindSimulator } from './programs/kind-program';
import { SimulatedProvider } from './provider-catalog';
import { SimulatedCluster, SimulatedClusterType } from './simulated-cluster';
import { simulatedPreflight } from './simulated-preflight';
import { createSimulatedRunner } from './simulated-runner';
import { SiteError, SiteRuntime } from './site-runtime';
import { resolveSpeed, SimulationSpeed, SpeedOption } from './speed';
import { ToolFaultRule, ToolFaults } from './tool-faults';
import { ClusterctlCli, ClusterctlProgram } from '../../tools/clusterctl-cli';
import { DockerCli, DockerProgram } from '../../tools/docker-cli';
import { FluxCli, FluxProgram } from '../../tools/flux-cli';
import { HelmCli, HelmProgram } from '../../tools/helm-cli';
import { KindCli, KindProgram } from '../../tools/kind-cli';
import { Preflight, ToolName } from '../../tools/preflight';
import { ProcessRunner } from '../../tools/process-runner';
import { Tools } from '../../tools/tools';
import { SimulatedApiServer, SimulatedController } from '../api-server/server';
import { KubeControllerManager } from '../controllers/kube-controller-manager';

export interface SimulatedSiteOptions {
  /** How fast things happen. @default 'instant' */
  readonly speed?: SpeedOption;
  /** The Docker engine `docker info` describes. */
  readonly docker?: SimulatedDockerInfo;
  /** Charts the simulated helm renders, by chart name, in addition to `cilium` and `eks-anywhere-packages`. */
  readonly charts?: Readonly<Record<string, ChartRenderer>>;
  /** Tool faults in force from the start (more can be added with `site.toolFaults.add`). */
  readonly toolFaults?: readonly ToolFaultRule[];
  /** Programs `site.preflight` reports as not installed (the site's tools still answer if called). @default none */
  readonly missingPrograms?: readonly ToolName[];
}

/** A cluster of the site, as tests see it. */
export interface SimulatedClusterInfo {
  readonly name: string;
  readonly type: SimulatedClusterType;
  /** `https://127.0.0.1:<port>`. */
  readonly url: string;
  readonly kubernetesVersion: string;
  /** Whether its API answers (a workload cluster's only once its first control-plane machine initialized). */
  readonly serving: boolean;
  /** The simulated controllers running in it. */
  readonly controllers: readonly string[];
}

/**
 * The simulated site: kind, clusterctl, helm, flux and docker as the library's own tool wrappers driven by
 * simulated programs (so a workflow runs against it unchanged), the clusters they create, and what tests need to
 * look inside: the invocation log, fault injection, the git host, the containers, recorded controller errors.
 */
export interface SimulatedSite extends Tools {
  /** The five tools, to hand to a workflow. */
  readonly tools: Tools;
  readonly kind: KindCli;
  readonly clusterctl: ClusterctlCli;
  readonly helm: HelmCli;
  readonly flux: FluxCli;
  readonly docker: DockerCli;
  /** The process runner behind the tools, for building other wrappers (e.g. with a custom program path). */
  readonly runner: ProcessRunner;
  /**
   * A preflight of the simulated programs, for a workflow's `Site` (the real one looks on PATH): each program's
   * version through {@link runner}, checked against the minimum; `missingPrograms` are reported as not found.
   */
  readonly preflight: Preflight;
  /** Every program run, in order. */
  readonly invocations: InvocationLog;
  /** Make program runs fail or hang (API servers have their own `faults`). */
  readonly toolFaults: ToolFaults;
  /** The git host `flux bootstrap` pushes to. */
  readonly git: SimulatedGitServer;
  readonly speed: SimulationSpeed;
  /** Failed reconcile passes and background steps (empty when everything went as modelled). */
  readonly errors: readonly SiteError[];
  /** Running clusters. */
  clusters(): SimulatedClusterInfo[];
  /** A running cluster by name (a type disambiguates a kind and a workload cluster of the same name). */
  cluster(name: string, type?: SimulatedClusterType): SimulatedCluster | undefined;
  /** The API server of a running cluster; throws when there is none. */
  apiServer(name: string, type?: SimulatedClusterType): SimulatedApiServer;
  /** An admin kubeconfig reaching a running cluster from the host (https://127.0.0.1:<port>, CA data). */
  kubeconfig(name: string, type?: SimulatedClusterType): string;
  /** The simulated Docker engine's containers. */
  containers(): SimulatedContainer[];
  /** Stops one simulated controller of a cluster, as if its pod died; its Deployment turns unavailable. */
  stopController(clusterName: string, controller: string, type?: SimulatedClusterType): Promise<void>;
  /** Starts a controller stopped with {@link stopController} again. */
  startController(clusterName: string, controller: string, type?: SimulatedClusterType): Promise<void>;
  /** Stops every server, controller and timer. */
  close(): Promise<void>;
}

/** Starts an empty simulated site (no cluster until `kind create cluster`). */
export async function createSimulatedSite(options: SimulatedSiteOptions = {}): Promise<SimulatedSite> {
  const speed = resolveSpeed(options.speed);
  const stopped = new Map<SimulatedCluster, Set<string>>();
  /** Every controller a cluster should run, by name, so a stopped one can be started again. */
  const factories = new Map<SimulatedCluster, Map<string, () => SimulatedController>>();
  const internals = new Map<SimulatedCluster, KubeControllerManager>();
  const runtime: SiteRuntime = new SiteRuntime(speed, (rt, cluster) => {
    const kcm = new KubeControllerManager(rt, cluster, (namespace, name) =>
      isStoppedDeployment(cluster, namespace, name),
    );
    internals.set(cluster, kcm);
    return [kcm];
  });
  const deploymentsOf = new Map<SimulatedCluster, Map<string, string>>();
  function isStoppedDeployment(cluster: SimulatedCluster, namespace: string, name: string): boolean {
    const names = stopped.get(cluster);
    return names !== undefined && names.has(name) && deploymentsOf.get(cluster)?.get(name) === namespace;
  }

  const startProvider = async (cluster: SimulatedCluster, provider: SimulatedProvider): Promise<void> => {
    const controllers = provider.controllers(runtime, cluster);
    const known = factories.get(cluster) ?? new Map<string, () => SimulatedController>();
    factories.set(cluster, known);
    const deployments = deploymentsOf.get(cluster) ?? new Map<string, string>();
    deploymentsOf.set(cluster, deployments);
    deployments.set(provider.deployment, provider.namespace);
    for (const controller of controllers) {
      known.set(controller.name, () =>
        provider.controllers(runtime, cluster).find((c) => c.name === controller.name)!,
      );
      if (
        !cluster.server.controllerNames.includes(controller.name) &&
        !stopped.get(cluster)?.has(controller.name)
      ) {
        await cluster.server.addController(controller);
      }
    }
  };

  const git = new SimulatedGitServer();
  const kind = new KindSimulator(runtime);
  const clusterctl = new ClusterctlSimulator(runtime, startProvider);
  const helm = new HelmSimulator(runtime, { ...DEFAULT_CHARTS, ...options.charts });
  const flux = new FluxSimulator(runtime, git);
  const docker = new DockerSimulator(runtime, options.docker);
  for (const rule of options.toolFaults ?? []) runtime.toolFaults.add(rule);
  const runner = createSimulatedRunner(
    {
      kind: (call) => kind.run(call),
      clusterctl: (call) => clusterctl.run(call),
      helm: (call) => helm.run(call),
      flux: (call) => flux.run(call),
      docker: (call) => docker.run(call),
    },
    runtime.invocations,
    runtime.toolFaults,
  );
  const tools: Tools = {
    kind: new KindProgram({ runner }),
    clusterctl: new ClusterctlProgram({ runner }),
    helm: new HelmProgram({ runner }),
    flux: new FluxProgram({ runner }),
    docker: new DockerProgram({ runner }),
  };

  const find = (name: string, type?: SimulatedClusterType): SimulatedCluster | undefined =>
    type ? runtime.cluster(type, name) : (runtime.cluster('workload', name) ?? runtime.cluster('kind', name));
  const mustFind = (name: string, type?: SimulatedClusterType): SimulatedCluster => {
    const cluster = find(name, type);
    if (!cluster) {
      const running = runtime.clusters().map((c) => `${c.type} ${c.name}`);
      throw new Error(
        `no running ${type ?? ''} cluster named ${name} on the simulated site (running: ${running.join(', ') || 'none'})`,
      );
    }
    return cluster;
  };

  return {
    tools,
    ...tools,
    runner,
    preflight: simulatedPreflight(runner, new Set(options.missingPrograms ?? [])),
    invocations: runtime.invocations,
    toolFaults: runtime.toolFaults,
    git,
    speed,
    errors: runtime.errors,
    clusters: () =>
      runtime.clusters().map((c) => ({
        name: c.name,
        type: c.type,
        url: c.server.url,
        kubernetesVersion: c.kubernetesVersion,
        serving: c.serving,
        controllers: c.server.controllerNames,
      })),
    cluster: find,
    apiServer: (name, type) => mustFind(name, type).server,
    kubeconfig: (name, type) => mustFind(name, type).server.kubeconfig(),
    containers: () => runtime.docker.list(),
    stopController: async (clusterName, controller, type) => {
      const cluster = mustFind(clusterName, type);
      if (!cluster.server.controllerNames.includes(controller)) {
        throw new Error(
          `${cluster} runs no controller ${controller} (running: ${cluster.server.controllerNames.join(', ')})`,
        );
      }
      const names = stopped.get(cluster) ?? new Set<string>();
      stopped.set(cluster, names);
      names.add(controller);
      await cluster.server.removeController(controller);
      internals.get(cluster)?.trigger();
    },
    startController: async (clusterName, controller, type) => {
      const cluster = mustFind(clusterName, type);
      const factory = factories.get(cluster)?.get(controller);
      if (!factory || !stopped.get(cluster)?.has(controller)) {
        throw new Error(`${cluster} has no stopped controller ${controller}`);
      }
      stopped.get(cluster)!.delete(controller);
      await cluster.server.addController(factory());
      internals.get(cluster)?.trigger();
    },
    close: () => runtime.close(),
  };
}

export type { InvocationLog };
