import * as YAML from 'yaml';
import {
  bool,
  connectTool,
  parseFlags,
  readFileOr,
  required,
  resolvePath,
  str,
  ToolConnection,
} from './argv';
import { isAlreadyExists } from '../../../kube/errors';
import { KubeObject } from '../../../kube/types';
import { timestamp } from '../../controllers/conditions';
import { Json } from '../../controllers/objects';
import { SimulatedGitServer } from '../git-server';
import { ProgramCall, ProgramExit, ProgramOutput } from '../simulated-runner';
import { SiteRuntime } from '../site-runtime';

export const SIMULATED_FLUX_VERSION = 'v2.4.0';

const SOURCE = 'source.toolkit.fluxcd.io/v1';
const KUSTOMIZE = 'kustomize.toolkit.fluxcd.io/v1';
const CONTROLLERS = [
  'source-controller',
  'kustomize-controller',
  'helm-controller',
  'notification-controller',
];

/**
 * Minimal CRDs for the two Flux kinds the workflows touch (names and scope are Flux's; spec and status are kept
 * as given, since the simulated site does not reproduce Flux's schemas).
 */
function fluxCrd(group: string, kind: string, plural: string): KubeObject {
  const open = { type: 'object', 'x-kubernetes-preserve-unknown-fields': true };
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: `${plural}.${group}`, labels: { 'app.kubernetes.io/part-of': 'flux' } },
    spec: {
      group,
      names: { kind, listKind: `${kind}List`, plural, singular: kind.toLowerCase() },
      scope: 'Namespaced',
      versions: [
        {
          name: 'v1',
          served: true,
          storage: true,
          subresources: { status: {} },
          schema: { openAPIV3Schema: { type: 'object', properties: { spec: open, status: open } } },
        },
      ],
    },
  };
}

/**
 * `flux`, simulated: `bootstrap github|git` installs Flux on the cluster (namespace, the four controller
 * Deployments, GitRepository and Kustomization CRDs, the `flux-system` GitRepository, Kustomization and auth
 * Secret) and commits `<path>/flux-system/{gotk-components,gotk-sync,kustomization}.yaml` to the repository on
 * the site's git host; `suspend ks` / `resume ks` set `spec.suspend` (resume then reports the Kustomization Ready
 * at the branch head); `reconcile source git` records the request and the head revision. Objects that are not
 * there fail as flux reports them.
 */
export class FluxSimulator {
  public constructor(
    private readonly runtime: SiteRuntime,
    private readonly git: SimulatedGitServer,
  ) {}

  public async run(call: ProgramCall): Promise<ProgramOutput> {
    const [verb, ...rest] = call.args;
    if (verb === 'version') return { stdout: `flux: ${SIMULATED_FLUX_VERSION}\n` };
    if (verb === 'bootstrap' && (rest[0] === 'github' || rest[0] === 'git')) {
      return this.bootstrap(call, rest[0], rest.slice(1));
    }
    if ((verb === 'suspend' || verb === 'resume') && (rest[0] === 'ks' || rest[0] === 'kustomization')) {
      return this.suspend(call, verb === 'suspend', rest.slice(1));
    }
    if (verb === 'reconcile' && rest[0] === 'source' && rest[1] === 'git') {
      return this.reconcile(call, rest.slice(2));
    }
    throw new ProgramExit(`✗ unknown command "${[verb, ...rest.slice(0, 1)].join(' ')}" for "flux"`);
  }

  private connect(call: ProgramCall, kubeconfig: string): Promise<ToolConnection> {
    return connectTool(
      this.runtime,
      call,
      kubeconfig,
      'flux',
      (r) => `✗ unable to connect to the cluster: ${r}`,
    );
  }

  private async bootstrap(
    call: ProgramCall,
    provider: 'github' | 'git',
    args: string[],
  ): Promise<ProgramOutput> {
    const flags = parseFlags(
      args,
      {
        repository: { type: 'string' },
        owner: { type: 'string' },
        personal: { type: 'boolean' },
        url: { type: 'string' },
        'private-key-file': { type: 'string' },
        password: { type: 'string' },
        'ssh-key-algorithm': { type: 'string' },
        path: { type: 'string' },
        branch: { type: 'string' },
        namespace: { type: 'string' },
        kubeconfig: { type: 'string' },
        silent: { type: 'boolean', short: 's' },
      },
      '✗ ',
    );
    const branch = str(flags, 'branch') ?? 'main';
    const namespace = str(flags, 'namespace') ?? 'flux-system';
    const repoPath = required(flags, 'path', '✗ ')
      .replace(/^\.?\/+/, '')
      .replace(/\/+$/, '');
    let url: string;
    if (provider === 'github') {
      if (!call.env.GITHUB_TOKEN) throw new ProgramExit('✗ GITHUB_TOKEN environment variable not set');
      const owner = required(flags, 'owner', '✗ ');
      const repository = required(flags, 'repository', '✗ ');
      url = `https://github.com/${owner}/${repository}`;
      call.progress('► connecting to github.com');
      call.progress(this.git.has(url) ? `✔ repository "${url}" found` : `✔ repository "${url}" created`);
    } else {
      url = required(flags, 'url', '✗ ');
      const key = required(flags, 'private-key-file', '✗ ');
      await readFileOr(resolvePath(call, key), (r) => `✗ failed to read private key file: ${r}`);
      if (!bool(flags, 'silent')) throw new ProgramExit('✗ confirmation required: run with --silent');
      call.progress(`► cloning branch "${branch}" from Git repository "${url}"`);
    }
    const connection = await this.connect(call, required(flags, 'kubeconfig', '✗ '));
    try {
      const client = connection.client;
      const components: KubeObject[] = [
        {
          apiVersion: 'v1',
          kind: 'Namespace',
          metadata: { name: namespace, labels: { 'app.kubernetes.io/part-of': 'flux' } },
        },
        fluxCrd('source.toolkit.fluxcd.io', 'GitRepository', 'gitrepositories'),
        fluxCrd('kustomize.toolkit.fluxcd.io', 'Kustomization', 'kustomizations'),
        ...CONTROLLERS.map((name) => controllerDeployment(name, namespace)),
      ];
      for (const o of components) await createIfMissing(client, o);
      await client.waitForCrdsEstablished(
        ['gitrepositories.source.toolkit.fluxcd.io', 'kustomizations.kustomize.toolkit.fluxcd.io'],
        { timeoutMs: 60_000 },
      );
      const sync: KubeObject[] = [
        {
          apiVersion: SOURCE,
          kind: 'GitRepository',
          metadata: { name: 'flux-system', namespace },
          spec: { interval: '1m0s', ref: { branch }, secretRef: { name: 'flux-system' }, url },
        },
        {
          apiVersion: KUSTOMIZE,
          kind: 'Kustomization',
          metadata: { name: 'flux-system', namespace },
          spec: {
            interval: '10m0s',
            path: `./${repoPath}`,
            prune: true,
            sourceRef: { kind: 'GitRepository', name: 'flux-system' },
          },
        },
      ];
      const repo = this.git.repository(url);
      const commit = repo.commit(
        branch,
        {
          [`${repoPath}/flux-system/gotk-components.yaml`]: components
            .map((o) => `---\n${YAML.stringify(o)}`)
            .join(''),
          [`${repoPath}/flux-system/gotk-sync.yaml`]: sync.map((o) => `---\n${YAML.stringify(o)}`).join(''),
          [`${repoPath}/flux-system/kustomization.yaml`]: YAML.stringify({
            apiVersion: 'kustomize.config.k8s.io/v1beta1',
            kind: 'Kustomization',
            resources: ['gotk-components.yaml', 'gotk-sync.yaml'],
          }),
        },
        'Add Flux sync manifests',
      );
      call.progress(`✔ committed component manifests to "${branch}" ("${commit.sha}")`);
      await createIfMissing(client, {
        apiVersion: 'v1',
        kind: 'Secret',
        metadata: { name: 'flux-system', namespace },
        // Flux keeps a deploy key here; the simulated one holds no credential.
        data: { identity: Buffer.from('simulated deploy key').toString('base64') },
      });
      for (const o of sync) {
        await createIfMissing(client, o);
        await this.markReady(connection, o.kind, o.metadata.name!, namespace, `${branch}@sha1:${commit.sha}`);
      }
      call.progress('✔ reconciled sync configuration');
      call.progress('✔ all components are healthy');
      return {};
    } finally {
      connection.close();
    }
  }

  private async suspend(call: ProgramCall, suspend: boolean, args: string[]): Promise<ProgramOutput> {
    const flags = parseFlags(
      args,
      { namespace: { type: 'string', short: 'n' }, kubeconfig: { type: 'string' } },
      '✗ ',
    );
    const [name] = flags.positionals;
    if (!name) throw new ProgramExit('✗ Kustomization name is required');
    const namespace = str(flags, 'namespace') ?? 'flux-system';
    const connection = await this.connect(call, required(flags, 'kubeconfig', '✗ '));
    try {
      const ref = { apiVersion: KUSTOMIZE, kind: 'Kustomization', name, namespace };
      const object = await this.getFlux(connection, ref);
      call.progress(
        `► ${suspend ? 'suspending' : 'resuming'} kustomization ${name} in ${namespace} namespace`,
      );
      await connection.client.mergePatch(ref, { spec: { suspend: suspend ? true : null } });
      if (suspend) {
        call.progress('✔ kustomization suspended');
      } else {
        const source = (object.spec as Json)?.sourceRef;
        const repo = source?.name
          ? await connection.client.get({
              apiVersion: SOURCE,
              kind: 'GitRepository',
              name: source.name,
              namespace,
            })
          : undefined;
        const revision = (repo?.status as Json)?.artifact?.revision ?? '';
        call.progress('✔ kustomization resumed');
        call.progress('◎ waiting for Kustomization reconciliation');
        await this.markReady(connection, 'Kustomization', name, namespace, revision);
        call.progress(`✔ applied revision ${revision}`);
      }
      return {};
    } finally {
      connection.close();
    }
  }

  private async reconcile(call: ProgramCall, args: string[]): Promise<ProgramOutput> {
    const flags = parseFlags(
      args,
      { namespace: { type: 'string', short: 'n' }, kubeconfig: { type: 'string' } },
      '✗ ',
    );
    const [name] = flags.positionals;
    if (!name) throw new ProgramExit('✗ source name is required');
    const namespace = str(flags, 'namespace') ?? 'flux-system';
    const connection = await this.connect(call, required(flags, 'kubeconfig', '✗ '));
    try {
      const ref = { apiVersion: SOURCE, kind: 'GitRepository', name, namespace };
      const object = await this.getFlux(connection, ref);
      const spec = (object.spec as Json) ?? {};
      if (spec.suspend === true) throw new ProgramExit('✗ resource is suspended');
      call.progress('► annotating GitRepository ' + `${name} in ${namespace} namespace`);
      const at = timestamp();
      await connection.client.mergePatch(ref, {
        metadata: { annotations: { 'reconcile.fluxcd.io/requestedAt': at } },
      });
      const branch = spec.ref?.branch ?? 'main';
      const head = this.git.has(spec.url) ? this.git.repository(spec.url).head(branch) : undefined;
      const revision = head ? `${branch}@sha1:${head.sha}` : '';
      call.progress('◎ waiting for GitRepository reconciliation');
      await this.markReady(connection, 'GitRepository', name, namespace, revision, at);
      call.progress(`✔ fetched revision ${revision}`);
      return {};
    } finally {
      connection.close();
    }
  }

  private async getFlux(
    connection: ToolConnection,
    ref: { apiVersion: string; kind: string; name: string; namespace: string },
  ): Promise<KubeObject> {
    let object: KubeObject | undefined;
    try {
      object = await connection.client.get(ref);
    } catch {
      object = undefined;
    }
    if (!object) {
      throw new ProgramExit(
        `✗ ${ref.kind.toLowerCase()}s.${ref.apiVersion.split('/')[0]} "${ref.name}" not found`,
      );
    }
    return object;
  }

  /** What the Flux controllers would report after reconciling: Ready at the given revision. */
  private async markReady(
    connection: ToolConnection,
    kind: string,
    name: string,
    namespace: string,
    revision: string,
    handledAt?: string,
  ): Promise<void> {
    const apiVersion = kind === 'GitRepository' ? SOURCE : KUSTOMIZE;
    const status: Json = {
      observedGeneration: (await connection.client.get({ apiVersion, kind, name, namespace }))?.metadata
        .generation,
      conditions: [
        {
          type: 'Ready',
          status: 'True',
          reason: 'Succeeded',
          message:
            kind === 'GitRepository'
              ? `stored artifact for revision '${revision}'`
              : `Applied revision: ${revision}`,
          lastTransitionTime: timestamp(),
        },
      ],
      ...(kind === 'GitRepository' ? { artifact: { revision } } : { lastAppliedRevision: revision }),
      ...(handledAt ? { lastHandledReconcileAt: handledAt } : {}),
    };
    await connection.client.mergePatch({ apiVersion, kind, name, namespace }, { status }, { status: true });
  }
}

function controllerDeployment(name: string, namespace: string): KubeObject {
  const labels = { app: name, 'app.kubernetes.io/part-of': 'flux', 'app.kubernetes.io/component': name };
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace, labels },
    spec: {
      replicas: 1,
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels },
        spec: {
          containers: [{ name: 'manager', image: `ghcr.io/fluxcd/${name}:${SIMULATED_FLUX_VERSION}` }],
        },
      },
    },
  };
}

async function createIfMissing(client: ToolConnection['client'], object: KubeObject): Promise<void> {
  try {
    await client.create(object);
  } catch (error) {
    if (!isAlreadyExists(error)) throw error;
  }
}
