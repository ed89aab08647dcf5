/**
 * Each simulated program, driven through the library's own tool wrappers: what it records, what it does to the
 * site, and how it fails (as the real program fails: a ToolError with the program's stderr).
 */
import { statSync, readFileSync, writeFileSync } from 'node:fs';
import * as YAML from 'yaml';
import { bootstrapCluster, connect, parseDocuments, workspace } from './fixture';
import { HttpKubeClient } from '../../../src/kube';
import type { KubeObject } from '../../../src/kube';
import { createSimulatedSite, LOOPBACK_TLS_CERTIFICATE, SimulatedSite } from '../../../src/testing';
import { ensureKindCluster, ToolError } from '../../../src/tools';

jest.setTimeout(120_000);

let site: SimulatedSite;
let ws: ReturnType<typeof workspace>;
const clients: HttpKubeClient[] = [];
beforeEach(async () => {
  site = await createSimulatedSite();
  ws = workspace();
});
afterEach(async () => {
  clients.splice(0).forEach((c) => c.close());
  await site.close();
  ws.remove();
});
const open = async (kubeconfig: { file: string } | { yaml: string }) => {
  const c = await connect(kubeconfig);
  clients.push(c);
  return c;
};
const failure = async (p: Promise<unknown>): Promise<ToolError> => {
  const error = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ToolError);
  return error as ToolError;
};

describe('simulated kind', () => {
  const options = (name: string) => {
    const configPath = ws.file('kind.yaml');
    writeFileSync(
      configPath,
      'kind: Cluster\napiVersion: kind.x-k8s.io/v1alpha4\nnodes:\n- role: control-plane\n',
    );
    return {
      name,
      kubeconfigPath: ws.file(name, 'generated', `${name}.kind.kubeconfig`),
      nodeImage: 'public.ecr.aws/eks-anywhere/kubernetes-sigs/kind/node:v1.31.14-eks-d-1-31-47',
      configPath,
    };
  };

  test("create writes kind's kubeconfig (0600, kind-<name>, CA data) for a cluster with a Ready control-plane node", async () => {
    const o = options('mgmt-eks-a-cluster');
    await site.kind.createCluster(o);
    expect((statSync(o.kubeconfigPath).mode % 0o1000).toString(8)).toBe('600');
    const config = YAML.parse(readFileSync(o.kubeconfigPath, 'utf8'));
    expect(config['current-context']).toBe('kind-mgmt-eks-a-cluster');
    expect(config.clusters[0].cluster.server).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    expect(Buffer.from(config.clusters[0].cluster['certificate-authority-data'], 'base64').toString()).toBe(
      LOOPBACK_TLS_CERTIFICATE,
    );
    const client = await open({ file: o.kubeconfigPath });
    const nodes = await client.list('v1', 'Node');
    expect(nodes.map((n) => n.metadata.name)).toEqual(['mgmt-eks-a-cluster-control-plane']);
    expect((nodes[0].status as any).conditions.find((c: any) => c.type === 'Ready').status).toBe('True');
    expect((nodes[0].status as any).nodeInfo.kubeletVersion).toBe('v1.31.14');
    const namespaces = (await client.list('v1', 'Namespace')).map((n) => n.metadata.name);
    expect(namespaces).toEqual(expect.arrayContaining(['default', 'kube-system']));
    expect(site.containers().map((c) => [c.name, c.role])).toEqual([
      ['mgmt-eks-a-cluster-control-plane', 'kind-node'],
    ]);
    const port = await site.docker.hostPort('mgmt-eks-a-cluster-control-plane', '6443/tcp');
    expect(config.clusters[0].cluster.server).toBe(`https://127.0.0.1:${port.port}`);
  });

  test('a second create of the same name fails as kind does; ensureKindCluster adopts the existing one', async () => {
    const o = options('boot');
    await site.kind.createCluster(o);
    const error = await failure(site.kind.createCluster(o));
    expect(error.failure).toBe('exit');
    expect(error.stderrTail).toContain('node(s) already exist for a cluster with the name "boot"');
    const adopted = await ensureKindCluster(site.kind, o);
    expect(adopted.created).toBe(false);
    expect(YAML.parse(adopted.kubeconfig!)['current-context']).toBe('kind-boot');
    expect(site.invocations.commands({ program: 'kind' })).toEqual([
      `kind create cluster --name boot --kubeconfig ${o.kubeconfigPath} --image ${o.nodeImage} --config ${o.configPath}`,
      `kind create cluster --name boot --kubeconfig ${o.kubeconfigPath} --image ${o.nodeImage} --config ${o.configPath}`,
      'kind get clusters',
      'kind get kubeconfig --name boot',
    ]);
    expect(site.invocations.all({ program: 'kind' }).map((i) => i.exitCode)).toEqual([0, 1, 0, 0]);
  });

  test('list, get kubeconfig, and a delete that tolerates a missing cluster', async () => {
    expect(await site.kind.getClusters()).toEqual([]);
    await site.kind.createCluster(options('b'));
    await site.kind.createCluster({ ...options('a'), kubeconfigPath: ws.file('a.kubeconfig') });
    expect(await site.kind.getClusters()).toEqual(['a', 'b']);
    const kubeconfig = await site.kind.getKubeconfig('a');
    const client = await open({ yaml: kubeconfig });
    expect((await client.list('v1', 'Node'))[0].metadata.name).toBe('a-control-plane');
    await site.kind.deleteCluster('a');
    await site.kind.deleteCluster('a');
    expect(await site.kind.getClusters()).toEqual(['b']);
    await expect(client.list('v1', 'Node')).rejects.toThrow(/ECONNREFUSED|socket hang up|ECONNRESET/);
    const missing = await failure(site.kind.getKubeconfig('a'));
    expect(missing.stderrTail).toContain("could not locate any control plane nodes for cluster named 'a'");
  });

  test('a config that is not a kind config is refused before anything is created', async () => {
    const o = options('bad');
    writeFileSync(o.configPath, 'kind: Config\napiVersion: v1\n');
    const error = await failure(site.kind.createCluster(o));
    expect(error.stderrTail).toContain('unknown apiVersion/kind');
    expect(await site.kind.getClusters()).toEqual([]);
  });
});

describe('simulated docker', () => {
  test('port answers for published ports and fails for unknown containers; info describes the engine', async () => {
    const missing = await failure(site.docker.hostPort('nope-lb', '6443/tcp'));
    expect(missing.stderrTail).toBe('Error response from daemon: No such container: nope-lb');
    const info = await site.docker.info();
    expect(info.memTotalBytes).toBe(8 * 1024 ** 3);
    expect(site.invocations.commands({ program: 'docker' })).toEqual([
      'docker port nope-lb 6443/tcp',
      "docker info --format '{{json .}}'",
    ]);
  });

  test('an engine that does not answer is reported by info as the real docker CLI reports it', async () => {
    const down = await createSimulatedSite({ docker: { unreachable: true } });
    try {
      await expect(down.docker.info()).rejects.toThrow(
        /the Docker engine is not reachable: Cannot connect to the Docker daemon/,
      );
    } finally {
      await down.close();
    }
  });
});

describe('simulated clusterctl', () => {
  test('init installs the inventory, cert-manager and each provider (namespace, labelled CRDs, Deployment) and runs its controllers', async () => {
    const { client } = await bootstrapCluster(site, ws, 'mgmt');
    clients.push(client);
    const providers = await client.list('clusterctl.cluster.x-k8s.io/v1alpha3', 'Provider');
    expect(
      providers
        .map((p: any) => [p.metadata.namespace, p.metadata.name, p.providerName, p.type, p.version])
        .sort(),
    ).toEqual([
      ['capd-system', 'infrastructure-docker', 'docker', 'InfrastructureProvider', 'v1.13.2'],
      ['capi-kubeadm-bootstrap-system', 'bootstrap-kubeadm', 'kubeadm', 'BootstrapProvider', 'v1.13.2'],
      [
        'capi-kubeadm-control-plane-system',
        'control-plane-kubeadm',
        'kubeadm',
        'ControlPlaneProvider',
        'v1.13.2',
      ],
      ['capi-system', 'cluster-api', 'cluster-api', 'CoreProvider', 'v1.13.2'],
      [
        'etcdadm-bootstrap-provider-system',
        'bootstrap-etcdadm-bootstrap',
        'etcdadm-bootstrap',
        'BootstrapProvider',
        'v1.0.19',
      ],
      [
        'etcdadm-controller-system',
        'bootstrap-etcdadm-controller',
        'etcdadm-controller',
        'BootstrapProvider',
        'v1.0.28',
      ],
    ]);
    expect(
      providers.every((p) => p.metadata.labels?.['clusterctl.cluster.x-k8s.io/core'] === 'inventory'),
    ).toBe(true);
    const crd = await client.get({
      apiVersion: 'apiextensions.k8s.io/v1',
      kind: 'CustomResourceDefinition',
      name: 'kubeadmcontrolplanes.controlplane.cluster.x-k8s.io',
    });
    expect(crd!.metadata.labels).toMatchObject({
      'clusterctl.cluster.x-k8s.io': '',
      'cluster.x-k8s.io/provider': 'control-plane-kubeadm',
      'cluster.x-k8s.io/v1beta2': 'v1beta2',
    });
    const clusterCrd = await client.get<any>({
      apiVersion: 'apiextensions.k8s.io/v1',
      kind: 'CustomResourceDefinition',
      name: 'clusters.cluster.x-k8s.io',
    });
    expect(clusterCrd.spec.versions.map((v: any) => [v.name, v.storage])).toEqual([
      ['v1beta1', false],
      ['v1beta2', true],
    ]);
    expect(
      clusterCrd.spec.versions[1].schema.openAPIV3Schema.properties.spec.properties.managedExternalEtcdRef,
    ).toBeDefined();
    // What EKS-A waits for after init (A1 step 4): each Deployment Available.
    for (const [namespace, name] of [
      ['capi-system', 'capi-controller-manager'],
      ['capi-kubeadm-bootstrap-system', 'capi-kubeadm-bootstrap-controller-manager'],
      ['capi-kubeadm-control-plane-system', 'capi-kubeadm-control-plane-controller-manager'],
      ['capd-system', 'capd-controller-manager'],
      ['etcdadm-bootstrap-provider-system', 'etcdadm-bootstrap-provider-controller-manager'],
      ['etcdadm-controller-system', 'etcdadm-controller-controller-manager'],
      ['cert-manager', 'cert-manager'],
      ['cert-manager', 'cert-manager-cainjector'],
      ['cert-manager', 'cert-manager-webhook'],
    ]) {
      const deployment = await client.waitFor(
        { apiVersion: 'apps/v1', kind: 'Deployment', name, namespace },
        (d: any) =>
          (d?.status?.conditions ?? []).some((c: any) => c.type === 'Available' && c.status === 'True'),
        { timeoutMs: 10_000 },
      );
      expect((deployment!.spec as any).template.spec.containers[0].name).toBe(
        name.startsWith('cert-manager') ? name : 'manager',
      );
    }
    expect(site.clusters().find((c) => c.type === 'kind')!.controllers).toEqual(
      expect.arrayContaining([
        'kube-controller-manager',
        'capi-controller-manager',
        'capi-kubeadm-bootstrap-controller-manager',
        'capi-kubeadm-control-plane-controller-manager',
        'capd-controller-manager',
        'etcdadm-bootstrap-provider-controller-manager',
        'etcdadm-controller-controller-manager',
      ]),
    );
    const [init] = site.invocations.all({ program: 'clusterctl', args: 'init' });
    expect(init.args).toEqual([
      'init',
      '--core',
      'cluster-api:v1.13.2',
      '--bootstrap',
      'kubeadm:v1.13.2',
      '--control-plane',
      'kubeadm:v1.13.2',
      '--infrastructure',
      'docker:v1.13.2',
      '--config',
      ws.file('mgmt', 'generated', 'clusterctl_tmp.yaml'),
      '--bootstrap',
      'etcdadm-bootstrap:v1.0.19',
      '--bootstrap',
      'etcdadm-controller:v1.0.28',
      '--kubeconfig',
      ws.file('mgmt', 'generated', 'mgmt.kind.kubeconfig'),
    ]);
    // clusterctl talked to the cluster over HTTP like any client.
    expect(site.apiServer('mgmt-eks-a-cluster').requests.count({ method: 'POST' })).toBeGreaterThan(20);
  });

  test('a repeated init skips what is installed; an older Cluster API release installs v1beta1-only CRDs', async () => {
    const { kubeconfigPath, client } = await bootstrapCluster(site, ws, 'old', 'v1.10.4');
    clients.push(client);
    const crd = await client.get<any>({
      apiVersion: 'apiextensions.k8s.io/v1',
      kind: 'CustomResourceDefinition',
      name: 'machines.cluster.x-k8s.io',
    });
    expect(crd.spec.versions.map((v: any) => [v.name, v.storage])).toEqual([['v1beta1', true]]);
    const etcdadm = await client.get<any>({
      apiVersion: 'apiextensions.k8s.io/v1',
      kind: 'CustomResourceDefinition',
      name: 'etcdadmclusters.etcdcluster.cluster.x-k8s.io',
    });
    expect(etcdadm.spec.versions.map((v: any) => v.name)).toEqual(['v1alpha3', 'v1beta1']);
    await site.clusterctl.init({
      kubeconfigPath,
      configPath: ws.file('old', 'generated', 'clusterctl_tmp.yaml'),
      bootstrap: [{ name: 'etcdadm-bootstrap', version: 'v1.0.19' }],
    });
    const last = site.invocations.all({ program: 'clusterctl' }).at(-1)!;
    expect(last.exitCode).toBe(0);
    expect(last.stderr).toContain('Skipping installing provider="bootstrap-etcdadm-bootstrap"');
  });

  test('init fails as clusterctl does: missing config, provider not configured, cluster not reachable', async () => {
    const configPath = ws.file('missing.yaml');
    const kubeconfigPath = ws.file('kubeconfig');
    const noConfig = await failure(
      site.clusterctl.init({ kubeconfigPath, configPath, core: { name: 'cluster-api', version: 'v1.13.2' } }),
    );
    expect(noConfig.stderrTail).toContain(
      `failed to read the config file: open ${configPath}: no such file or directory`,
    );
    writeFileSync(configPath, YAML.stringify({ providers: [] }));
    const unknown = await failure(
      site.clusterctl.init({ kubeconfigPath, configPath, core: { name: 'cluster-api', version: 'v1.13.2' } }),
    );
    expect(unknown.stderrTail).toContain(
      'failed to get configuration for the CoreProvider with name cluster-api',
    );
    const components = ws.file('core.yaml');
    writeFileSync(components, '# core\n');
    writeFileSync(
      configPath,
      YAML.stringify({ providers: [{ name: 'cluster-api', type: 'CoreProvider', url: components }] }),
    );
    // A kubeconfig of a cluster that is gone.
    await site.kind.createCluster({
      name: 'gone',
      kubeconfigPath,
      nodeImage: 'kindest/node:v1.31.2',
      configPath: writeKind(),
    });
    await site.kind.deleteCluster('gone');
    const unreachable = await failure(
      site.clusterctl.init({ kubeconfigPath, configPath, core: { name: 'cluster-api', version: 'v1.13.2' } }),
    );
    expect(unreachable.stderrTail).toMatch(
      /^Error: failed to connect to the management cluster: .*(ECONNREFUSED|socket hang up)/,
    );
  });

  test('get kubeconfig prints the <cluster>-kubeconfig value, and fails for a cluster that has none', async () => {
    const { kubeconfigPath, client } = await bootstrapCluster(site, ws, 'k');
    clients.push(client);
    const missing = await failure(
      site.clusterctl.getKubeconfig({ clusterName: 'nope', namespace: 'eksa-system', kubeconfigPath }),
    );
    expect(missing.stderrTail).toContain('secrets "nope-kubeconfig" not found');
    await client.create({
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'w-kubeconfig', namespace: 'eksa-system' },
      data: { value: Buffer.from('apiVersion: v1\nkind: Config\n').toString('base64') },
    });
    expect(
      await site.clusterctl.getKubeconfig({ clusterName: 'w', namespace: 'eksa-system', kubeconfigPath }),
    ).toBe('apiVersion: v1\nkind: Config\n');
  });

  function writeKind(): string {
    const file = ws.file('kind-config.yaml');
    writeFileSync(file, 'kind: Cluster\napiVersion: kind.x-k8s.io/v1alpha4\n');
    return file;
  }
});

describe('simulated helm', () => {
  test('template renders the Cilium chart with the given values; an unknown chart fails to download', async () => {
    const text = await site.helm.template({
      chart: 'oci://public.ecr.aws/isovalent/cilium',
      version: '1.15.6-eksa.1',
      namespace: 'kube-system',
      values: {
        operator: { replicas: 1 },
        image: { repository: 'public.ecr.aws/isovalent/cilium', tag: 'v1.15.6-eksa.1' },
      },
    });
    const objects = parseDocuments(text);
    const ds = objects.find((o) => o.kind === 'DaemonSet')!;
    expect(ds.metadata).toMatchObject({ name: 'cilium', namespace: 'kube-system' });
    expect((ds.spec as any).template.spec.containers[0].image).toBe(
      'public.ecr.aws/isovalent/cilium:v1.15.6-eksa.1',
    );
    expect((objects.find((o) => o.kind === 'Deployment')!.spec as any).replicas).toBe(1);
    const [call] = site.invocations.all({ program: 'helm' });
    expect(call.args).toEqual([
      'template',
      'oci://public.ecr.aws/isovalent/cilium',
      '--version',
      '1.15.6-eksa.1',
      '--namespace',
      'kube-system',
      '-f',
      '-',
    ]);
    expect(call.stdin).toBe(true);
    const unknown = await failure(
      site.helm.template({ chart: 'oci://example.com/charts/nope', version: '1.0.0', namespace: 'x' }),
    );
    expect(unknown.stderrTail).toContain(
      'failed to download "oci://example.com/charts/nope" at version "1.0.0"',
    );
  });

  test('upgrade --install applies the release and waits; a second revision supersedes it; uninstall removes it', async () => {
    const kubeconfigPath = ws.file('kind.kubeconfig');
    await site.kind.createCluster({
      name: 'h',
      kubeconfigPath,
      nodeImage: 'kindest/node:v1.31.2',
      configPath: writeKindConfig(),
    });
    const client = await open({ file: kubeconfigPath });
    const release = {
      release: 'eks-anywhere-packages',
      chart: 'oci://public.ecr.aws/eks-anywhere/eks-anywhere-packages',
      version: '0.4.5',
      namespace: 'eksa-packages',
      kubeconfigPath,
      values: { controller: { tag: '0.4.5' } },
      waitTimeoutMs: 30_000,
    };
    await site.helm.upgradeInstall(release);
    const deployment = await client.get<any>({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      name: 'eks-anywhere-packages',
      namespace: 'eksa-packages',
    });
    expect(deployment.status.availableReplicas).toBe(1);
    expect(deployment.metadata.annotations['meta.helm.sh/release-name']).toBe('eks-anywhere-packages');
    await site.helm.upgradeInstall({ ...release, values: { controller: { tag: '0.4.6' } } });
    const secrets = await client.list('v1', 'Secret', {
      namespace: 'eksa-packages',
      labelSelector: 'owner=helm',
    });
    expect(secrets.map((s) => [s.metadata.name, s.metadata.labels?.status]).sort()).toEqual([
      ['sh.helm.release.v1.eks-anywhere-packages.v1', 'superseded'],
      ['sh.helm.release.v1.eks-anywhere-packages.v2', 'deployed'],
    ]);
    expect(
      await site.helm.uninstall({ release: release.release, namespace: release.namespace, kubeconfigPath }),
    ).toBe('uninstalled');
    expect(
      await client.get({
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        name: 'eks-anywhere-packages',
        namespace: 'eksa-packages',
      }),
    ).toBeUndefined();
    expect(
      await site.helm.uninstall({ release: release.release, namespace: release.namespace, kubeconfigPath }),
    ).toBe('not-found');
    expect(site.invocations.commands({ program: 'helm' })[0]).toBe(
      `helm upgrade --install eks-anywhere-packages oci://public.ecr.aws/eks-anywhere/eks-anywhere-packages --version 0.4.5 --namespace eksa-packages --create-namespace --kubeconfig ${kubeconfigPath} --wait --timeout 30s -f -`,
    );
  });

  test("--wait fails with helm's deadline error when the release never becomes ready", async () => {
    const kubeconfigPath = ws.file('kind.kubeconfig');
    await site.kind.createCluster({
      name: 'w',
      kubeconfigPath,
      nodeImage: 'kindest/node:v1.31.2',
      configPath: writeKindConfig(),
    });
    // Stop the cluster's own controllers: no Deployment ever reports available replicas.
    await site.stopController('w', 'kube-controller-manager', 'kind');
    const error = await failure(
      site.helm.upgradeInstall({
        release: 'p',
        chart: 'oci://x/eks-anywhere-packages',
        version: '0.4.5',
        namespace: 'p',
        kubeconfigPath,
        waitTimeoutMs: 300,
      }),
    );
    expect(error.stderrTail).toBe('Error: INSTALLATION FAILED: context deadline exceeded');
  });

  function writeKindConfig(): string {
    const file = ws.file('kind-config.yaml');
    writeFileSync(file, 'kind: Cluster\napiVersion: kind.x-k8s.io/v1alpha4\n');
    return file;
  }
});

describe('simulated flux', () => {
  test('bootstrap github installs Flux, commits the sync manifests, and keeps the token out of the log', async () => {
    const kubeconfigPath = ws.file('kind.kubeconfig');
    const configPath = ws.file('kind-config.yaml');
    writeFileSync(configPath, 'kind: Cluster\napiVersion: kind.x-k8s.io/v1alpha4\n');
    await site.kind.createCluster({
      name: 'f',
      kubeconfigPath,
      nodeImage: 'kindest/node:v1.31.2',
      configPath,
    });
    const token = 'ghp_not-a-real-token-0123456789';
    await site.flux.bootstrapGithub({
      kubeconfigPath,
      owner: 'acme',
      repository: 'fleet',
      path: 'clusters/mgmt',
      branch: 'main',
      personal: true,
      token,
    });
    const repo = site.git.repository('https://github.com/acme/fleet');
    expect(Object.keys(repo.files('main'))).toEqual([
      'clusters/mgmt/flux-system/gotk-components.yaml',
      'clusters/mgmt/flux-system/gotk-sync.yaml',
      'clusters/mgmt/flux-system/kustomization.yaml',
    ]);
    const sync = parseDocuments(repo.files('main')['clusters/mgmt/flux-system/gotk-sync.yaml']);
    expect((sync.find((o) => o.kind === 'Kustomization')!.spec as any).path).toBe('./clusters/mgmt');
    const client = await open({ file: kubeconfigPath });
    const ks = await client.get<KubeObject>({
      apiVersion: 'kustomize.toolkit.fluxcd.io/v1',
      kind: 'Kustomization',
      name: 'flux-system',
      namespace: 'flux-system',
    });
    expect((ks!.status as any).conditions[0]).toMatchObject({ type: 'Ready', status: 'True' });
    const [call] = site.invocations.all({ program: 'flux' });
    expect(call.env).toEqual(['GITHUB_TOKEN']);
    expect(JSON.stringify(site.invocations.all())).not.toContain(token);
    const secrets = await client.list('v1', 'Secret', { namespace: 'flux-system' });
    expect(JSON.stringify(secrets)).not.toContain(Buffer.from(token).toString('base64'));

    const ref = { name: 'flux-system', namespace: 'flux-system', kubeconfigPath };
    await site.flux.suspendKustomization(ref);
    expect(
      (await client.get<any>({
        apiVersion: 'kustomize.toolkit.fluxcd.io/v1',
        kind: 'Kustomization',
        name: 'flux-system',
        namespace: 'flux-system',
      }))!.spec.suspend,
    ).toBe(true);
    repo.commit(
      'main',
      { 'clusters/mgmt/mgmt/eksa-system/eksa-cluster.yaml': 'kind: Cluster\n' },
      'Update cluster',
    );
    await site.flux.reconcileSourceGit(ref);
    const source = await client.get<any>({
      apiVersion: 'source.toolkit.fluxcd.io/v1',
      kind: 'GitRepository',
      name: 'flux-system',
      namespace: 'flux-system',
    });
    expect(source.status.artifact.revision).toBe(`main@sha1:${repo.head('main')!.sha}`);
    expect(source.metadata.annotations['reconcile.fluxcd.io/requestedAt']).toBeDefined();
    await site.flux.resumeKustomization(ref);
    const resumed = await client.get<any>({
      apiVersion: 'kustomize.toolkit.fluxcd.io/v1',
      kind: 'Kustomization',
      name: 'flux-system',
      namespace: 'flux-system',
    });
    expect(resumed.spec.suspend).toBeUndefined();
    expect(resumed.status.lastAppliedRevision).toBe(`main@sha1:${repo.head('main')!.sha}`);
    expect(site.invocations.commands({ program: 'flux' }).map((c) => c.split(' --')[0])).toEqual([
      'flux bootstrap github',
      'flux suspend ks flux-system',
      'flux reconcile source git flux-system',
      'flux resume ks flux-system',
    ]);
    const missing = await failure(site.flux.suspendKustomization({ ...ref, name: 'nope' }));
    expect(missing.stderrTail).toContain('"nope" not found');
  });
});

describe('tool faults', () => {
  test("a failing run surfaces as the real wrapper's ToolError, with the injected stderr, and is logged as faulted", async () => {
    site.toolFaults.add({
      program: 'kind',
      args: 'get clusters',
      stderr: 'ERROR: failed to list clusters: boom',
      nth: 2,
    });
    expect(await site.kind.getClusters()).toEqual([]);
    const error = await failure(site.kind.getClusters());
    expect(error.stderrTail).toBe('ERROR: failed to list clusters: boom');
    expect(error.command).toBe('kind get clusters');
    expect(await site.kind.getClusters()).toEqual([]);
    expect(site.invocations.all({ program: 'kind' }).map((i) => [i.exitCode, i.faulted ?? false])).toEqual([
      [0, false],
      [1, true],
      [0, false],
    ]);
  });

  test('a run that outlives its timeout is stopped as the real runner stops it', async () => {
    site.toolFaults.add({ program: 'docker', args: 'info', delayMs: 5_000 });
    const error = await failure(site.docker.info({ timeoutMs: 50 }));
    expect(error.failure).toBe('timeout');
  });
});
