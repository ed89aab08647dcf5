import { MINUTE, OperationOptions, Program, ProgramOptions } from './program';

/** A container port published on the host. */
export interface DockerHostPort {
  /** The address docker bound, e.g. `0.0.0.0` or `127.0.0.1`. */
  readonly hostIp: string;
  readonly port: number;
}

/** What `docker info` says about the engine. */
export interface DockerEngineInfo {
  readonly serverVersion: string;
  /** Memory available to containers (Docker Desktop: the VM's memory). */
  readonly memTotalBytes: number;
  /** `1` or `2`, when the engine reports it. */
  readonly cgroupVersion?: string;
  readonly operatingSystem?: string;
}

/** The docker operations the workflows use. */
export interface DockerCli {
  /**
   * Where a container port is published (`docker port <container> <port>`). The docker provider uses
   * `<cluster>-lb` and `6443/tcp` to point the kubeconfig at the load balancer's host port.
   */
  hostPort(container: string, containerPort: string, op?: OperationOptions): Promise<DockerHostPort>;
  /** Fails when the engine is not reachable. */
  info(op?: OperationOptions): Promise<DockerEngineInfo>;
}

/** `docker`, the real program. */
export class DockerProgram extends Program implements DockerCli {
  constructor(options: ProgramOptions = {}) {
    super('docker', options);
  }

  async hostPort(container: string, containerPort: string, op?: OperationOptions): Promise<DockerHostPort> {
    const result = await this.exec(['port', container, containerPort], { defaultTimeoutMs: MINUTE }, op);
    return parseDockerPort(result.stdout, `${container} ${containerPort}`);
  }

  async info(op?: OperationOptions): Promise<DockerEngineInfo> {
    const result = await this.exec(['info', '--format', '{{json .}}'], { defaultTimeoutMs: MINUTE }, op);
    return parseDockerInfo(result.stdout);
  }
}

/**
 * Parses `docker port` output: one `ip:port` line per binding (`0.0.0.0:32768`, `[::]:32768`). The first IPv4
 * binding wins, as the server address EKS-A writes is `127.0.0.1:<port>`.
 */
export function parseDockerPort(stdout: string, what: string): DockerHostPort {
  const bindings = stdout
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l.length > 0)
    .map((l) => {
      const colon = l.lastIndexOf(':');
      return { hostIp: l.slice(0, colon).replace(/^\[|\]$/g, ''), port: Number(l.slice(colon + 1)) };
    })
    .filter((b) => Number.isInteger(b.port) && b.port > 0);
  const chosen = bindings.find((b) => !b.hostIp.includes(':')) ?? bindings[0];
  if (!chosen) {
    throw new Error(`docker port ${what}: no published port in output '${stdout.trim()}'`);
  }
  return chosen;
}

/** Parses `docker info --format '{{json .}}'`. */
export function parseDockerInfo(stdout: string): DockerEngineInfo {
  let info: Record<string, unknown>;
  try {
    info = JSON.parse(stdout) as Record<string, unknown>;
  } catch {
    throw new Error(`docker info: output is not JSON: '${stdout.trim().slice(0, 200)}'`);
  }
  // With the engine down, docker prints the client half and puts the error in ServerErrors.
  const serverErrors = info.ServerErrors;
  if (Array.isArray(serverErrors) && serverErrors.length > 0) {
    throw new Error(`docker info: the Docker engine is not reachable: ${serverErrors.join('; ')}`);
  }
  if (typeof info.ServerVersion !== 'string' || typeof info.MemTotal !== 'number') {
    throw new Error('docker info: ServerVersion or MemTotal missing from the output');
  }
  return {
    serverVersion: info.ServerVersion,
    memTotalBytes: info.MemTotal,
    cgroupVersion: typeof info.CgroupVersion === 'string' ? info.CgroupVersion : undefined,
    operatingSystem: typeof info.OperatingSystem === 'string' ? info.OperatingSystem : undefined,
  };
}
