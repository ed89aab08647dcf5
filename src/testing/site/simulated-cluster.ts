import { FaultHandle } from '../api-server/faults';
import { SimulatedApiServer } from '../api-server/server';

/** A kind cluster (the bootstrap cluster) or a workload cluster the simulated providers built. */
export type SimulatedClusterType = 'kind' | 'workload';

/**
 * One simulated Kubernetes cluster: its API server and what the site knows about it. A workload cluster's server
 * listens from the moment its load balancer exists (the port is published then), but resets every connection
 * until the first control-plane machine has run `kubeadm init`, as haproxy with no backend does.
 */
export class SimulatedCluster {
  private unreachable?: FaultHandle;
  private stoppedFlag = false;
  /** Called when {@link serving} changes (the site turns it into an event). */
  public onServingChange?: () => void;

  public constructor(
    public readonly name: string,
    public readonly type: SimulatedClusterType,
    public readonly server: SimulatedApiServer,
    /** The version its API server reports (and its nodes run), e.g. `v1.31.2`. */
    public readonly kubernetesVersion: string,
    /** The container whose published port serves the API: `<name>-control-plane` (kind) or `<name>-lb`. */
    public readonly endpointContainer: string,
    /** Whether nodes are Ready without a CNI installed by the user (kind ships kindnetd). */
    public readonly builtInCni: boolean,
  ) {}

  /** Whether clients get answers (the API server behind the endpoint is up). */
  public get serving(): boolean {
    return !this.stoppedFlag && this.unreachable === undefined;
  }

  public get stopped(): boolean {
    return this.stoppedFlag;
  }

  /** Lets connections through, or resets them all. */
  public setServing(serving: boolean): void {
    if (serving && this.unreachable) {
      this.unreachable.remove();
      this.unreachable = undefined;
      this.onServingChange?.();
    } else if (!serving && !this.unreachable) {
      this.unreachable = this.server.faults.add({ path: /.*/, reset: true, times: Infinity });
      this.onServingChange?.();
    }
  }

  public async stop(): Promise<void> {
    if (this.stoppedFlag) return;
    this.stoppedFlag = true;
    await this.server.stop();
  }

  public toString(): string {
    return `${this.type} cluster ${this.name} (${this.server.url})`;
  }
}
