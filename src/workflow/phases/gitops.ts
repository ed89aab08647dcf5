import * as path from 'node:path';
import { fluxBootstrapRequest, gitOpsCredentialsFromEnv } from '../../manifests/addons/flux-bootstrap';
import { fluxSettingsOf } from '../../manifests/addons/flux-settings';
import { gitOpsCreateCommit } from '../../manifests/addons/gitops-repository';
import { errorText } from '../../tools/error-text';
import type { ClusterInputs, KubeconfigText } from '../inputs';
import { runPhase, type PhaseOptions } from '../phase-run';
import type { Site } from '../site';

export interface GitOpsInputs extends ClusterInputs {
  /** The cluster's own kubeconfig (Flux is installed into it). */
  readonly workloadKubeconfig: KubeconfigText;
}

export interface GitOpsOutputs {
  /**
   * `bootstrapped`; `present` (Flux runs already); `skipped` (no `gitOpsRef`, or a workload cluster, whose
   * management cluster's Flux syncs the repository); `failed` (a warning: the cluster works without GitOps).
   */
  readonly state: 'bootstrapped' | 'present' | 'skipped' | 'failed';
  /** Why it failed, when it did (never secret). */
  readonly warning?: string;
  /** Where the repository files of the cluster were written, relative to the working directory. */
  readonly repositoryFilesDir?: string;
}

/**
 * Phase 6: the GitOps manager (EKS-A A1.10). With a `gitOpsRef`, the repository files EKS-A commits (the
 * cluster's config and kustomizations, Flux's patches) are written under `<c>/generated/gitops/`, and Flux is
 * bootstrapped into the cluster (`flux bootstrap github|git`). A failure is a warning, as in EKS-A.
 */
export function gitOps(site: Site, inputs: GitOpsInputs, options: PhaseOptions = {}): Promise<GitOpsOutputs> {
  return runPhase(site, 'GitOps', inputs, options, {}, async (run, prepared) => {
    run.secret(inputs.workloadKubeconfig);
    const settings = fluxSettingsOf(prepared.config);
    if (!settings) {
      await run.step('flux-bootstrap', async (control) => control.skipped('no gitOpsRef'));
      return { state: 'skipped' };
    }
    const repositoryFilesDir = await run.step('write-repository-files', async (control) => {
      const commit = gitOpsCreateCommit(prepared.config, prepared.root, prepared.synthesized.eksaYaml());
      if (!commit) {
        control.skipped('nothing to commit');
        return undefined;
      }
      for (const [file, content] of Object.entries(commit.files)) {
        await site.files.writeText(path.join(prepared.paths.gitOpsDir, file), content);
      }
      control.note(
        `${Object.keys(commit.files).length} files under ${prepared.paths.gitOpsDir} (commit them to the repository: ${commit.message})`,
      );
      return prepared.paths.gitOpsDir;
    });
    return run.step('flux-bootstrap', async (control) => {
      try {
        const kubeconfigPath = await kubeconfigFile(site, prepared.paths, inputs.workloadKubeconfig);
        const request = fluxBootstrapRequest(prepared.config, {
          kubeconfigPath: site.files.resolve(kubeconfigPath),
          credentials: gitOpsCredentialsFromEnv(site.env),
        });
        if (!request) {
          control.skipped('a workload cluster: its management cluster syncs the repository');
          return { state: 'skipped', ...(repositoryFilesDir ? { repositoryFilesDir } : {}) };
        }
        const connection = await run.connect('workload', { file: kubeconfigPath });
        const running = await connection.client.get({
          apiVersion: 'apps/v1',
          kind: 'Deployment',
          namespace: settings.systemNamespace,
          name: 'source-controller',
        });
        if (running) {
          control.skipped(`Flux runs in ${settings.systemNamespace} already`);
          return { state: 'present', ...(repositoryFilesDir ? { repositoryFilesDir } : {}) };
        }
        if (request.provider === 'github') {
          run.secret(request.options.token);
          await run.during('flux bootstrap github', () =>
            site.tools.flux.bootstrapGithub(request.options, { signal: site.signal }),
          );
        } else {
          run.secret(request.options.password);
          await run.during('flux bootstrap git', () =>
            site.tools.flux.bootstrapGit(request.options, { signal: site.signal }),
          );
        }
        control.note(`flux bootstrap ${request.provider}, path ${settings.clusterConfigPath}`);
        return { state: 'bootstrapped', ...(repositoryFilesDir ? { repositoryFilesDir } : {}) };
      } catch (error) {
        const warning = run.redact(errorText(error));
        control.warning(`GitOps is not set up (the cluster works without it): ${warning}`);
        return { state: 'failed', warning, ...(repositoryFilesDir ? { repositoryFilesDir } : {}) };
      }
    });
  });
}

/** The kubeconfig as a file for a program: the file the create wrote, or the input written to `generated/`. */
export async function kubeconfigFile(
  site: Site,
  paths: { readonly kubeconfig: string; readonly generatedKubeconfig: string },
  text: string,
): Promise<string> {
  for (const file of [paths.kubeconfig, paths.generatedKubeconfig]) {
    if ((await site.files.readText(file)) === text) return file;
  }
  await site.files.writeText(paths.generatedKubeconfig, text, { secret: true });
  return paths.generatedKubeconfig;
}
