import { MINUTE, OperationOptions, Program, ProgramOptions } from './program';
import { MaybeSecret, secret } from './secret';

interface FluxBootstrapCommon {
  /** The cluster to install Flux into. */
  readonly kubeconfigPath: string;
  /** `clusterConfigPath` of the FluxConfig (default `clusters/<management cluster>`). */
  readonly path: string;
  /** @default flux's default (`main`) */
  readonly branch?: string;
  /** Flux's system namespace. @default flux's default (`flux-system`) */
  readonly namespace?: string;
}

export interface FluxBootstrapGithubOptions extends FluxBootstrapCommon {
  readonly owner: string;
  readonly repository: string;
  /** The owner is a user, not an organisation. */
  readonly personal?: boolean;
  /** GitHub personal access token (secret; passed as GITHUB_TOKEN). */
  readonly token: string;
}

export interface FluxBootstrapGitOptions extends FluxBootstrapCommon {
  /** `ssh://…` repository URL. */
  readonly url: string;
  readonly privateKeyFile: string;
  /** Passphrase of the private key (secret). */
  readonly password?: string;
  /** known_hosts file for the git host (passed as SSH_KNOWNHOSTS). */
  readonly knownHostsFile?: string;
  /** `rsa`, `ecdsa` or `ed25519`. @default flux's default */
  readonly sshKeyAlgorithm?: string;
}

/** A Flux object by name. */
export interface FluxObjectRef {
  readonly name: string;
  readonly namespace: string;
  readonly kubeconfigPath: string;
}

/** The flux operations the workflows use. */
export interface FluxCli {
  bootstrapGithub(options: FluxBootstrapGithubOptions, op?: OperationOptions): Promise<void>;
  bootstrapGit(options: FluxBootstrapGitOptions, op?: OperationOptions): Promise<void>;
  /** `flux suspend ks` (EKS-A pauses GitOps before an upgrade). */
  suspendKustomization(ref: FluxObjectRef, op?: OperationOptions): Promise<void>;
  resumeKustomization(ref: FluxObjectRef, op?: OperationOptions): Promise<void>;
  reconcileSourceGit(ref: FluxObjectRef, op?: OperationOptions): Promise<void>;
}

/** `flux`, the real program. */
export class FluxProgram extends Program implements FluxCli {
  constructor(options: ProgramOptions = {}) {
    super('flux', options);
  }

  async bootstrapGithub(options: FluxBootstrapGithubOptions, op?: OperationOptions): Promise<void> {
    const args = [
      'bootstrap',
      'github',
      '--repository',
      options.repository,
      '--owner',
      options.owner,
      '--path',
      options.path,
    ];
    if (options.personal) {
      args.push('--personal');
    }
    pushCommon(args, options);
    await this.exec(
      args,
      { env: { GITHUB_TOKEN: secret(options.token) }, defaultTimeoutMs: 15 * MINUTE },
      op,
    );
  }

  async bootstrapGit(options: FluxBootstrapGitOptions, op?: OperationOptions): Promise<void> {
    const args: MaybeSecret[] = [
      'bootstrap',
      'git',
      '--url',
      options.url,
      '--path',
      options.path,
      '--private-key-file',
      options.privateKeyFile,
    ];
    if (options.password !== undefined) {
      args.push('--password', secret(options.password));
    }
    if (options.sshKeyAlgorithm) {
      args.push('--ssh-key-algorithm', options.sshKeyAlgorithm);
    }
    pushCommon(args, options);
    // Without --silent flux asks for confirmation on stdin.
    args.push('--silent');
    await this.exec(
      args,
      {
        env: options.knownHostsFile ? { SSH_KNOWNHOSTS: options.knownHostsFile } : undefined,
        defaultTimeoutMs: 15 * MINUTE,
      },
      op,
    );
  }

  async suspendKustomization(ref: FluxObjectRef, op?: OperationOptions): Promise<void> {
    await this.exec(objectArgs(['suspend', 'ks'], ref), { defaultTimeoutMs: 2 * MINUTE }, op);
  }

  async resumeKustomization(ref: FluxObjectRef, op?: OperationOptions): Promise<void> {
    // resume waits for the kustomization to reconcile.
    await this.exec(objectArgs(['resume', 'ks'], ref), { defaultTimeoutMs: 10 * MINUTE }, op);
  }

  async reconcileSourceGit(ref: FluxObjectRef, op?: OperationOptions): Promise<void> {
    await this.exec(objectArgs(['reconcile', 'source', 'git'], ref), { defaultTimeoutMs: 10 * MINUTE }, op);
  }
}

function pushCommon(args: MaybeSecret[], options: FluxBootstrapCommon): void {
  if (options.branch) {
    args.push('--branch', options.branch);
  }
  if (options.namespace) {
    args.push('--namespace', options.namespace);
  }
  args.push('--kubeconfig', options.kubeconfigPath);
}

function objectArgs(verb: string[], ref: FluxObjectRef): string[] {
  return [...verb, ref.name, '--namespace', ref.namespace, '--kubeconfig', ref.kubeconfigPath];
}
