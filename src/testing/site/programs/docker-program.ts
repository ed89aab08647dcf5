import { parseFlags, str } from './argv';
import { ProgramCall, ProgramExit, ProgramOutput } from '../simulated-runner';
import { SiteRuntime } from '../site-runtime';

/** What the simulated Docker engine reports about itself. */
export interface SimulatedDockerInfo {
  /** @default "28.0.1" */
  readonly serverVersion?: string;
  /** @default 8 GiB */
  readonly memTotalBytes?: number;
  /** The engine does not answer (`docker info` reports a server error, every other command fails). @default false */
  readonly unreachable?: boolean;
}

const CLIENT_VERSION = '28.0.1';

/**
 * `docker`, simulated: `port <container> <port>` answers from the simulated engine's containers (the load balancer
 * of a workload cluster publishes its API server's port), `info --format '{{json .}}'` and `version` describe the
 * engine.
 */
export class DockerSimulator {
  public constructor(
    private readonly runtime: SiteRuntime,
    private readonly info: SimulatedDockerInfo = {},
  ) {}

  public async run(call: ProgramCall): Promise<ProgramOutput> {
    const [verb, ...rest] = call.args;
    const down =
      'Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?';
    if (verb === 'version') {
      const flags = parseFlags(rest, { format: { type: 'string' } });
      return {
        stdout: str(flags, 'format') ? `${CLIENT_VERSION}\n` : `Client:\n Version: ${CLIENT_VERSION}\n`,
      };
    }
    if (verb === 'info') {
      parseFlags(rest, { format: { type: 'string' } });
      if (this.info.unreachable) {
        return {
          stdout: `${JSON.stringify({ ServerErrors: [down], ClientInfo: { Version: CLIENT_VERSION } })}\n`,
        };
      }
      return {
        stdout: `${JSON.stringify({
          ServerVersion: this.info.serverVersion ?? '28.0.1',
          MemTotal: this.info.memTotalBytes ?? 8 * 1024 ** 3,
          CgroupVersion: '2',
          OperatingSystem: 'Simulated Docker Engine (eksa-iac testing)',
          Containers: this.runtime.docker.list().length,
        })}\n`,
      };
    }
    if (this.info.unreachable) throw new ProgramExit(down);
    if (verb === 'port') {
      const flags = parseFlags(rest, {});
      const [name, port] = flags.positionals;
      const container = name ? this.runtime.docker.get(name) : undefined;
      if (!container) throw new ProgramExit(`Error response from daemon: No such container: ${name ?? ''}`);
      const wanted = port?.includes('/') ? port : `${port}/tcp`;
      const entries = Object.entries(container.ports).filter(([p]) => port === undefined || p === wanted);
      if (entries.length === 0) {
        throw new ProgramExit(`Error: No public port '${wanted}' published for ${name}`);
      }
      const lines = entries.flatMap(([p, b]) =>
        port === undefined
          ? [`${p} -> ${b.hostIp}:${b.port}`]
          : b.hostIp === '0.0.0.0'
            ? [`0.0.0.0:${b.port}`, `[::]:${b.port}`]
            : [`${b.hostIp}:${b.port}`],
      );
      return { stdout: `${lines.join('\n')}\n` };
    }
    throw new ProgramExit(`docker: '${verb ?? ''}' is not a docker command.\nSee 'docker --help'`);
  }
}
