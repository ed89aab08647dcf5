import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import * as YAML from 'yaml';
import { parseFlags, readFileOr, required, resolvePath, str } from './argv';
import { semverOf } from '../../controllers/facts';
import { mergeKubeconfig } from '../kubeconfig-file';
import { registerNode } from '../machine-boot';
import { SimulatedCluster } from '../simulated-cluster';
import { ProgramCall, ProgramExit, ProgramOutput } from '../simulated-runner';
import { SiteRuntime } from '../site-runtime';

/** Reported by `kind version`: new enough for every Kubernetes version of the bundles (1.36 needs v0.32.0). */
export const SIMULATED_KIND_VERSION = 'v0.32.0';
/** What a kind cluster runs when its node image names no version. */
const DEFAULT_KIND_KUBERNETES = 'v1.31.2';

/**
 * `kind`, simulated: `create cluster` starts a simulated API server with one Ready control-plane Node (kind ships
 * its CNI), a `<name>-control-plane` container publishing 6443 on 127.0.0.1, and writes the `kind-<name>`
 * kubeconfig (CA data, as kind writes it) into `--kubeconfig`, merged with what the file holds; a second create of
 * the same name fails as kind does. `delete cluster` succeeds for a cluster that does not exist. `get clusters`
 * and `get kubeconfig` answer as kind does.
 */
export class KindSimulator {
  /** The kubeconfig kind writes for a cluster (`kind-<name>` entries, CA data, https://127.0.0.1:<port>). */
  public static kubeconfigOf(cluster: SimulatedCluster): string {
    const name = `kind-${cluster.name}`;
    return cluster.server.kubeconfig({ clusterName: name, userName: name, contextName: name });
  }

  public constructor(private readonly runtime: SiteRuntime) {}

  public async run(call: ProgramCall): Promise<ProgramOutput> {
    const [verb, noun, ...rest] = call.args;
    if (verb === 'version') return { stdout: `kind ${SIMULATED_KIND_VERSION} go1.23.4 linux/amd64\n` };
    if (verb === 'create' && noun === 'cluster') return this.create(call, rest);
    if (verb === 'delete' && noun === 'cluster') return this.delete(rest);
    if (verb === 'get' && noun === 'clusters') return this.list(rest);
    if (verb === 'get' && noun === 'kubeconfig') return this.kubeconfig(rest);
    throw new ProgramExit(`ERROR: unknown command "${[verb, noun].filter(Boolean).join(' ')}" for "kind"`);
  }

  private async create(call: ProgramCall, args: string[]): Promise<ProgramOutput> {
    const flags = parseFlags(
      args,
      {
        name: { type: 'string' },
        kubeconfig: { type: 'string' },
        image: { type: 'string' },
        config: { type: 'string' },
        wait: { type: 'string' },
        retain: { type: 'boolean' },
      },
      'ERROR: ',
    );
    const name = str(flags, 'name') ?? 'kind';
    if (this.runtime.cluster('kind', name) || this.runtime.docker.get(`${name}-control-plane`)) {
      throw new ProgramExit(
        `ERROR: failed to create cluster: node(s) already exist for a cluster with the name "${name}"`,
      );
    }
    const configPath = str(flags, 'config');
    if (configPath) {
      const text = await readFileOr(
        resolvePath(call, configPath),
        (r) => `ERROR: failed to create cluster: error reading file: ${r}`,
      );
      let config: { kind?: string; apiVersion?: string } | null;
      try {
        config = YAML.parse(text) as typeof config;
      } catch {
        throw new ProgramExit('ERROR: failed to create cluster: unable to decode config: not valid YAML');
      }
      if (config?.kind !== 'Cluster' || config.apiVersion !== 'kind.x-k8s.io/v1alpha4') {
        throw new ProgramExit(
          `ERROR: failed to create cluster: unknown apiVersion/kind: ${config?.apiVersion ?? ''}, Kind=${config?.kind ?? ''}`,
        );
      }
    }
    const image = str(flags, 'image') ?? `kindest/node:${DEFAULT_KIND_KUBERNETES}`;
    const version = semverOf(image.slice(image.lastIndexOf(':') + 1)) ?? DEFAULT_KIND_KUBERNETES;
    call.progress(`Creating cluster "${name}" ...`);
    call.progress(` ✓ Ensuring node image (${image}) 🖼`);
    const cluster = await this.runtime.startCluster({
      name,
      type: 'kind',
      kubernetesVersion: version,
      endpointContainer: `${name}-control-plane`,
      builtInCni: true,
    });
    const container = this.runtime.docker.run({
      name: `${name}-control-plane`,
      image,
      role: 'kind-node',
      clusterName: name,
      ports: { '6443/tcp': { hostIp: '127.0.0.1', port: cluster.server.port } },
      labels: { 'io.x-k8s.kind.cluster': name, 'io.x-k8s.kind.role': 'control-plane' },
    });
    this.runtime.emit({ type: 'container', container });
    call.progress(' ✓ Preparing nodes 📦');
    await this.runtime.timers.sleep(this.runtime.speed.containerStartMs);
    call.progress(' ✓ Writing configuration 📜');
    await this.runtime.timers.sleep(this.runtime.speed.bootstrapMs);
    await registerNode(this.runtime, cluster, container, { controlPlane: true, kubeletVersion: version });
    const running = this.runtime.docker.setState(container.name, 'bootstrapped');
    if (running) this.runtime.emit({ type: 'container', container: running });
    call.progress(' ✓ Starting control-plane 🕹️');
    call.progress(' ✓ Installing CNI 🔌');
    call.progress(' ✓ Installing StorageClass 💾');
    const kubeconfigPath = str(flags, 'kubeconfig');
    if (kubeconfigPath) {
      const file = resolvePath(call, kubeconfigPath);
      await fs.mkdir(path.dirname(file), { recursive: true });
      const existing = await fs.readFile(file, 'utf8').catch(() => undefined);
      await fs.writeFile(file, mergeKubeconfig(existing, KindSimulator.kubeconfigOf(cluster)), {
        mode: 0o600,
      });
      await fs.chmod(file, 0o600);
    }
    call.progress(`Set kubectl context to "kind-${name}"`);
    return {};
  }

  private async delete(args: string[]): Promise<ProgramOutput> {
    const flags = parseFlags(args, { name: { type: 'string' }, kubeconfig: { type: 'string' } }, 'ERROR: ');
    const name = str(flags, 'name') ?? 'kind';
    const cluster = this.runtime.cluster('kind', name);
    if (cluster) await this.runtime.stopCluster(cluster);
    for (const c of this.runtime.docker.list({ clusterName: name, role: 'kind-node' })) {
      this.runtime.docker.remove(c.name);
      this.runtime.emit({ type: 'container', container: c });
    }
    return { stderr: `Deleting cluster "${name}" ...\n` };
  }

  private list(args: string[]): ProgramOutput {
    parseFlags(args, {}, 'ERROR: ');
    const names = this.runtime
      .clusters('kind')
      .map((c) => c.name)
      .sort();
    return names.length === 0 ? { stderr: 'No kind clusters found.\n' } : { stdout: `${names.join('\n')}\n` };
  }

  private kubeconfig(args: string[]): ProgramOutput {
    const flags = parseFlags(args, { name: { type: 'string' }, internal: { type: 'boolean' } }, 'ERROR: ');
    const name = required(flags, 'name', 'ERROR: ');
    const cluster = this.runtime.cluster('kind', name);
    if (!cluster) {
      throw new ProgramExit(
        `ERROR: could not locate any control plane nodes for cluster named '${name}'. Use the --name option to select a different cluster`,
      );
    }
    return { stdout: KindSimulator.kubeconfigOf(cluster) };
  }
}
