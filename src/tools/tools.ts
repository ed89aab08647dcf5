import { ClusterctlCli, ClusterctlProgram } from './clusterctl-cli';
import { DockerCli, DockerProgram } from './docker-cli';
import { FluxCli, FluxProgram } from './flux-cli';
import { HelmCli, HelmProgram } from './helm-cli';
import { KindCli, KindProgram } from './kind-cli';
import { ToolName } from './preflight';
import { ProgramOptions } from './program';

/** Every external program the workflows drive; the simulated site provides the same shape. */
export interface Tools {
  readonly kind: KindCli;
  readonly clusterctl: ClusterctlCli;
  readonly helm: HelmCli;
  readonly flux: FluxCli;
  readonly docker: DockerCli;
}

export interface ToolsOptions extends Omit<ProgramOptions, 'path'> {
  /** Configured executables; each defaults to its name on PATH. */
  readonly paths?: Partial<Record<ToolName, string>>;
}

/** The real programs, sharing environment, working directory and progress listener. */
export function createTools(options: ToolsOptions = {}): Tools {
  const { paths, ...shared } = options;
  return {
    kind: new KindProgram({ ...shared, path: paths?.kind }),
    clusterctl: new ClusterctlProgram({ ...shared, path: paths?.clusterctl }),
    helm: new HelmProgram({ ...shared, path: paths?.helm }),
    flux: new FluxProgram({ ...shared, path: paths?.flux }),
    docker: new DockerProgram({ ...shared, path: paths?.docker }),
  };
}
