import * as YAML from 'yaml';
import { bool, connectTool, parseFlags, required, str, ToolConnection } from './argv';
import { isNotFound } from '../../../kube/errors';
import { KubeObject } from '../../../kube/types';
import { errorText } from '../../../tools/error-text';
import { Json } from '../../controllers/objects';
import { ChartRenderer } from '../charts';
import { ProgramCall, ProgramExit, ProgramOutput } from '../simulated-runner';
import { SiteRuntime } from '../site-runtime';

export const SIMULATED_HELM_VERSION = 'v3.16.4';

/** What helm keeps about a release in its Secret (the real one stores a gzipped protobuf; this is JSON). */
interface ReleaseRecord {
  readonly name: string;
  readonly namespace: string;
  readonly chart: string;
  readonly version: string;
  readonly revision: number;
  readonly objects: readonly { apiVersion: string; kind: string; name: string; namespace?: string }[];
}

const RELEASE_TYPE = 'helm.sh/release.v1';

/**
 * `helm`, simulated: charts are rendered by {@link ChartRenderer}s chosen by the chart's name (Cilium and the
 * curated packages controller are built in; tests may add more). `template` prints the rendered documents;
 * `upgrade --install` applies them server-side (field manager `helm`), removes what the previous revision had and
 * this one does not, records the revision in a `sh.helm.release.v1.<release>.v<n>` Secret and, with `--wait`,
 * waits for Deployments and DaemonSets to be ready; `uninstall` deletes the release's objects and Secrets.
 * Values are read from stdin (`-f -`) as the real wrappers pass them.
 */
export class HelmSimulator {
  public constructor(
    private readonly runtime: SiteRuntime,
    private readonly charts: Readonly<Record<string, ChartRenderer>>,
  ) {}

  public async run(call: ProgramCall): Promise<ProgramOutput> {
    const [verb, ...rest] = call.args;
    switch (verb) {
      case 'version':
        return { stdout: `${SIMULATED_HELM_VERSION}+g7877b45\n` };
      case 'template':
        return this.template(call, rest);
      case 'upgrade':
        return this.upgrade(call, rest);
      case 'uninstall':
        return this.uninstall(call, rest);
      default:
        throw new ProgramExit(`Error: unknown command "${verb ?? ''}" for "helm"`);
    }
  }

  private render(
    call: ProgramCall,
    chart: string,
    version: string,
    release: string,
    namespace: string,
    kubeVersion?: string,
  ): KubeObject[] {
    const name = chart.replace(/\/+$/, '').split('/').pop() ?? chart;
    const renderer = this.charts[name];
    if (!renderer) {
      throw new ProgramExit(`Error: failed to download "${chart}" at version "${version}": not found`);
    }
    let values: Json = {};
    if (call.stdin !== undefined && call.stdin.trim() !== '') {
      try {
        values = YAML.parse(call.stdin) ?? {};
      } catch (error) {
        throw new ProgramExit(`Error: failed to parse values from stdin: ${errorText(error)}`);
      }
    }
    return renderer({ release, namespace, version, values, kubeVersion });
  }

  private async template(call: ProgramCall, args: string[]): Promise<ProgramOutput> {
    const flags = parseFlags(args, {
      version: { type: 'string' },
      namespace: { type: 'string' },
      'kube-version': { type: 'string' },
      'insecure-skip-tls-verify': { type: 'boolean' },
      values: { type: 'string', short: 'f', multiple: true },
    });
    const [first, second] = flags.positionals;
    const release = second === undefined ? 'release-name' : first;
    const chart = second ?? first;
    if (!chart) throw new ProgramExit('Error: "helm template" requires at least 1 argument');
    const namespace = str(flags, 'namespace') ?? 'default';
    const objects = this.render(
      call,
      chart,
      str(flags, 'version') ?? '',
      release,
      namespace,
      str(flags, 'kube-version'),
    );
    const name = chart.split('/').pop();
    const docs = objects.map(
      (o) =>
        `# Source: ${name}/templates/${o.kind.toLowerCase()}-${o.metadata.name}.yaml\n${YAML.stringify(o)}`,
    );
    return { stdout: docs.map((d) => `---\n${d}`).join('') };
  }

  private connect(call: ProgramCall, kubeconfig: string): Promise<ToolConnection> {
    return connectTool(
      this.runtime,
      call,
      kubeconfig,
      'helm',
      (r) => `Error: Kubernetes cluster unreachable: ${r}`,
    );
  }

  private async upgrade(call: ProgramCall, args: string[]): Promise<ProgramOutput> {
    const flags = parseFlags(args, {
      install: { type: 'boolean', short: 'i' },
      version: { type: 'string' },
      namespace: { type: 'string', short: 'n' },
      'create-namespace': { type: 'boolean' },
      kubeconfig: { type: 'string' },
      wait: { type: 'boolean' },
      timeout: { type: 'string' },
      'insecure-skip-tls-verify': { type: 'boolean' },
      values: { type: 'string', short: 'f', multiple: true },
    });
    const [release, chart] = flags.positionals;
    if (!release || !chart) throw new ProgramExit('Error: "helm upgrade" requires 2 arguments');
    const namespace = str(flags, 'namespace') ?? 'default';
    const version = str(flags, 'version') ?? '';
    const connection = await this.connect(call, required(flags, 'kubeconfig'));
    const installing = !(await this.latest(connection, release, namespace));
    const failed = (reason: string) =>
      new ProgramExit(`Error: ${installing ? 'INSTALLATION' : 'UPGRADE'} FAILED: ${reason}`);
    try {
      const client = connection.client;
      const previous = await this.latest(connection, release, namespace);
      if (!previous && !bool(flags, 'install')) {
        throw new ProgramExit(`Error: UPGRADE FAILED: "${release}" has no deployed releases`);
      }
      const ns = await client.get({ apiVersion: 'v1', kind: 'Namespace', name: namespace });
      if (!ns) {
        if (!bool(flags, 'create-namespace')) {
          throw failed(`create: failed to create: namespaces "${namespace}" not found`);
        }
        await client.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespace } });
      }
      const objects = this.render(call, chart, version, release, namespace);
      const applied: ReleaseRecord['objects'][number][] = [];
      for (const object of objects) {
        const resource = await client.resource(object.apiVersion, object.kind);
        const placed: KubeObject = resource.namespaced
          ? { ...object, metadata: { ...object.metadata, namespace: object.metadata.namespace ?? namespace } }
          : object;
        const labelled: KubeObject = {
          ...placed,
          metadata: {
            ...placed.metadata,
            labels: { ...placed.metadata.labels, 'app.kubernetes.io/managed-by': 'Helm' },
            annotations: {
              ...placed.metadata.annotations,
              'meta.helm.sh/release-name': release,
              'meta.helm.sh/release-namespace': namespace,
            },
          },
        };
        try {
          await client.apply(labelled, { fieldManager: 'helm' });
        } catch (error) {
          throw failed(errorText(error));
        }
        applied.push({
          apiVersion: placed.apiVersion,
          kind: placed.kind,
          name: placed.metadata.name!,
          namespace: placed.metadata.namespace,
        });
      }
      const key = (o: ReleaseRecord['objects'][number]) =>
        `${o.apiVersion}/${o.kind}/${o.namespace ?? ''}/${o.name}`;
      const kept = new Set(applied.map(key));
      for (const old of previous?.record.objects ?? []) {
        if (!kept.has(key(old))) await client.delete(old).catch(() => false);
      }
      const revision = (previous?.record.revision ?? 0) + 1;
      if (previous) {
        await client.mergePatch(
          { apiVersion: 'v1', kind: 'Secret', name: previous.secret.metadata.name!, namespace },
          { metadata: { labels: { status: 'superseded' } } },
        );
      }
      const record: ReleaseRecord = { name: release, namespace, chart, version, revision, objects: applied };
      await client.create({
        apiVersion: 'v1',
        kind: 'Secret',
        type: RELEASE_TYPE,
        metadata: {
          name: `sh.helm.release.v1.${release}.v${revision}`,
          namespace,
          labels: { owner: 'helm', name: release, status: 'deployed', version: String(revision) },
        },
        data: { release: Buffer.from(JSON.stringify(record)).toString('base64') },
      });
      if (bool(flags, 'wait')) {
        const timeoutMs = parseDuration(str(flags, 'timeout') ?? '5m0s');
        if (!(await this.waitReady(connection, applied, timeoutMs, call.signal))) {
          throw failed('context deadline exceeded');
        }
      }
      return {
        stdout: `${installing ? `Release "${release}" does not exist. Installing it now.\n` : `Release "${release}" has been upgraded. Happy Helming!\n`}NAME: ${release}\nNAMESPACE: ${namespace}\nSTATUS: deployed\nREVISION: ${revision}\n`,
      };
    } finally {
      connection.close();
    }
  }

  private async uninstall(call: ProgramCall, args: string[]): Promise<ProgramOutput> {
    const flags = parseFlags(args, {
      namespace: { type: 'string', short: 'n' },
      kubeconfig: { type: 'string' },
      wait: { type: 'boolean' },
    });
    const [release] = flags.positionals;
    if (!release) throw new ProgramExit('Error: "helm uninstall" requires at least 1 argument');
    const namespace = str(flags, 'namespace') ?? 'default';
    const connection = await this.connect(call, required(flags, 'kubeconfig'));
    try {
      const latest = await this.latest(connection, release, namespace);
      if (!latest) {
        throw new ProgramExit(`Error: uninstall: Release not loaded: ${release}: release: not found`);
      }
      for (const o of latest.record.objects) await connection.client.delete(o).catch(() => false);
      for (const secret of await this.releaseSecrets(connection, release, namespace)) {
        await connection.client.delete({
          apiVersion: 'v1',
          kind: 'Secret',
          name: secret.metadata.name!,
          namespace,
        });
      }
      return { stdout: `release "${release}" uninstalled\n` };
    } finally {
      connection.close();
    }
  }

  private async releaseSecrets(
    connection: ToolConnection,
    release: string,
    namespace: string,
  ): Promise<KubeObject[]> {
    try {
      return (
        await connection.client.list('v1', 'Secret', {
          namespace,
          labelSelector: `owner=helm,name=${release}`,
        })
      ).filter((s) => (s as Json).type === RELEASE_TYPE);
    } catch (error) {
      if (isNotFound(error)) return [];
      throw error;
    }
  }

  private async latest(
    connection: ToolConnection,
    release: string,
    namespace: string,
  ): Promise<{ secret: KubeObject; record: ReleaseRecord } | undefined> {
    const secrets = await this.releaseSecrets(connection, release, namespace);
    const records = secrets.map((secret) => ({
      secret,
      record: JSON.parse(
        Buffer.from(String((secret.data as Json).release), 'base64').toString('utf8'),
      ) as ReleaseRecord,
    }));
    return records.sort((a, b) => b.record.revision - a.record.revision)[0];
  }

  /** helm's --wait for what the simulation models: Deployments available, DaemonSets ready on every node. */
  private async waitReady(
    connection: ToolConnection,
    objects: ReleaseRecord['objects'],
    timeoutMs: number,
    signal: AbortSignal,
  ): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      let ready = true;
      for (const o of objects) {
        if (o.kind !== 'Deployment' && o.kind !== 'DaemonSet') continue;
        const live = await connection.client.get(o);
        const status = (live?.status as Json) ?? {};
        const current = status.observedGeneration === live?.metadata.generation;
        if (o.kind === 'Deployment') {
          ready &&= current && (status.availableReplicas ?? 0) >= ((live?.spec as Json)?.replicas ?? 1);
        } else {
          ready &&=
            current &&
            status.desiredNumberScheduled > 0 &&
            status.numberReady === status.desiredNumberScheduled;
        }
      }
      if (ready) return true;
      if (Date.now() >= deadline || signal.aborted) return false;
      await this.runtime.timers.sleep(Math.max(5, this.runtime.speed.reactionMs));
    }
  }
}

/** A Go duration (`5m0s`, `300s`, `1h`) in milliseconds. */
export function parseDuration(text: string): number {
  let ms = 0;
  const re = /(\d+(?:\.\d+)?)(ms|h|m|s)/g;
  let matched = false;
  for (const m of text.matchAll(re)) {
    matched = true;
    const n = Number(m[1]);
    ms += m[2] === 'h' ? n * 3_600_000 : m[2] === 'm' ? n * 60_000 : m[2] === 's' ? n * 1000 : n;
  }
  if (!matched) {
    throw new ProgramExit(
      `Error: invalid argument "${text}" for "--timeout" flag: time: invalid duration "${text}"`,
    );
  }
  return ms;
}
