/** What a simulated container stands for. */
export type ContainerRole = 'kind-node' | 'load-balancer' | 'machine';

/**
 * Where a container is in its life: `created` (docker run returned), `running` (its processes are up),
 * `bootstrapped` (a machine ran its kubeadm / etcdadm bootstrap; kind nodes and load balancers skip this).
 */
export type ContainerState = 'created' | 'running' | 'bootstrapped';

/** A port published on the host, as `docker port` reports it. */
export interface PublishedPort {
  readonly hostIp: string;
  readonly port: number;
}

/** A container of the simulated Docker engine. */
export interface SimulatedContainer {
  readonly name: string;
  readonly image: string;
  readonly role: ContainerRole;
  /** The kind cluster or CAPI Cluster the container belongs to. */
  readonly clusterName: string;
  /** Its address on the simulated kind network. */
  readonly ipAddress: string;
  /** Published ports by container port (`6443/tcp`). */
  readonly ports: Readonly<Record<string, PublishedPort>>;
  readonly labels: Readonly<Record<string, string>>;
  readonly createdAt: Date;
  readonly state: ContainerState;
}

export interface RunContainerSpec {
  readonly name: string;
  readonly image: string;
  readonly role: ContainerRole;
  readonly clusterName: string;
  readonly ports?: Readonly<Record<string, PublishedPort>>;
  readonly labels?: Readonly<Record<string, string>>;
}

/** The network the containers share; see {@link SimulatedDockerEngine}. */
export const SIMULATED_KIND_NETWORK = '127.18.0.0/16';

/**
 * The containers of the simulated site: kind nodes, CAPD load balancers and machines. Addresses come from
 * {@link SIMULATED_KIND_NETWORK}, which stands in for docker's `kind` network (172.18.0.0/16). It lies inside the
 * loopback range on purpose: a client on the host that uses a container address directly (a kubeconfig whose
 * server was not rewritten to the published port, as EKS-A does with `docker port <c>-lb 6443/tcp`) gets
 * ECONNREFUSED at once, as it would with Docker Desktop, instead of hanging on an unroutable address. The
 * simulated controllers, which run "inside" the network, reach those addresses through {@link SiteNetwork}.
 */
export class SimulatedDockerEngine {
  private readonly containers = new Map<string, SimulatedContainer>();
  private nextAddress = 2;

  /** Starts a container; fails as docker does when the name is taken. */
  public run(spec: RunContainerSpec): SimulatedContainer {
    if (this.containers.has(spec.name)) {
      throw new Error(
        `Conflict. The container name "/${spec.name}" is already in use by another container. You have to remove (or rename) that container to be able to reuse that name.`,
      );
    }
    const n = this.nextAddress++;
    const container: SimulatedContainer = {
      name: spec.name,
      image: spec.image,
      role: spec.role,
      clusterName: spec.clusterName,
      ipAddress: `127.18.${Math.floor(n / 254)}.${(n % 254) + 1}`,
      ports: { ...spec.ports },
      labels: { ...spec.labels },
      createdAt: new Date(),
      state: 'created',
    };
    this.containers.set(spec.name, container);
    return container;
  }

  /** Moves a container to a new state; returns the updated container (undefined when it is gone). */
  public setState(name: string, state: ContainerState): SimulatedContainer | undefined {
    const container = this.containers.get(name);
    if (!container) return undefined;
    const updated = { ...container, state };
    this.containers.set(name, updated);
    return updated;
  }

  public get(name: string): SimulatedContainer | undefined {
    return this.containers.get(name);
  }

  /** Containers, optionally only those of one cluster or role. */
  public list(filter: { clusterName?: string; role?: ContainerRole } = {}): SimulatedContainer[] {
    return [...this.containers.values()].filter(
      (c) =>
        (filter.clusterName === undefined || c.clusterName === filter.clusterName) &&
        (filter.role === undefined || c.role === filter.role),
    );
  }

  /** Removes a container; false when there was none. */
  public remove(name: string): boolean {
    return this.containers.delete(name);
  }

  /** The container with this address, if any. */
  public byAddress(ipAddress: string): SimulatedContainer | undefined {
    return [...this.containers.values()].find((c) => c.ipAddress === ipAddress);
  }
}
