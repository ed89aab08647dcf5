/**
 * The simulated providers take a docker-provider cluster synthesized by our own synthesis from nothing to
 * Available, roll it on a Kubernetes version change (external etcd, then the control plane, then the workers, within
 * maxSurge), and delete it — in both CAPI contracts, reading each contract's own status fields.
 *
 * The steps are those of EKS-A's create workflow (research/eksa.md A1): kind bootstrap cluster, clusterctl init,
 * apply, wait for external etcd and ControlPlaneInitialized, read `<c>-kubeconfig` and point it at the load
 * balancer's published port (`docker port <c>-lb 6443/tcp`), install Cilium, wait for the cluster to be ready.
 */
import { writeFileSync } from 'node:fs';
import * as YAML from 'yaml';
import { applyAll, connect, initProviders, parseDocuments, workspace, writeLayout } from './fixture';
import { synthDocker } from './synth';
import type { HttpKubeClient, KubeObject } from '../../../src/kube';
import type { CapiContract } from '../../../src/manifests';
import { createSimulatedSite, SimulatedSite, StoreEvent } from '../../../src/testing';

jest.setTimeout(240_000);

const NS = 'eksa-system';
const NAME = 'dev';
const SIZE = { controlPlane: 3, etcd: 3, workers: 3, workerMaxSurge: 1, workerMaxUnavailable: 0 } as const;

type Role = 'etcd' | 'controlPlane' | 'worker';
const roleOf = (m: KubeObject): Role =>
  'cluster.x-k8s.io/etcd-cluster' in (m.metadata.labels ?? {})
    ? 'etcd'
    : 'cluster.x-k8s.io/control-plane' in (m.metadata.labels ?? {})
      ? 'controlPlane'
      : 'worker';
const condition = (o: KubeObject | undefined, type: string) =>
  ((o?.status as any)?.conditions ?? []).find((c: any) => c.type === type)?.status;

/** What each contract calls things (research/capi.md §5). */
const CONTRACTS = {
  v1beta1: {
    core: 'cluster.x-k8s.io/v1beta1',
    controlPlane: 'controlplane.cluster.x-k8s.io/v1beta1',
    etcd: 'etcdcluster.cluster.x-k8s.io/v1beta1',
    initialized: (c: KubeObject | undefined) => condition(c, 'ControlPlaneInitialized') === 'True',
    ready: (c: KubeObject | undefined) => condition(c, 'Ready') === 'True',
    kcpUpToDate: (k: KubeObject) => (k.status as any)?.updatedReplicas,
    mdUpToDate: (m: KubeObject) => (m.status as any)?.updatedReplicas,
    nodeName: (m: KubeObject) => (m.status as any)?.nodeRef?.name,
  },
  v1beta2: {
    core: 'cluster.x-k8s.io/v1beta2',
    controlPlane: 'controlplane.cluster.x-k8s.io/v1beta2',
    etcd: 'etcdcluster.cluster.x-k8s.io/v1beta1',
    initialized: (c: KubeObject | undefined) =>
      (c?.status as any)?.initialization?.controlPlaneInitialized === true,
    ready: (c: KubeObject | undefined) => condition(c, 'Available') === 'True',
    kcpUpToDate: (k: KubeObject) => (k.status as any)?.upToDateReplicas,
    mdUpToDate: (m: KubeObject) => (m.status as any)?.upToDateReplicas,
    nodeName: (m: KubeObject) => (m.status as any)?.nodeRef?.name,
  },
} as const;

describe.each(['v1beta2', 'v1beta1'] as CapiContract[])(
  'docker cluster on the simulated site, contract %s',
  (contract) => {
    const api = CONTRACTS[contract];
    const ref = (kind: string, name: string, apiVersion: string = api.core) => ({
      apiVersion,
      kind,
      name,
      namespace: NS,
    });
    let site: SimulatedSite;
    let ws: ReturnType<typeof workspace>;
    let mgmt: HttpKubeClient;
    let workload: HttpKubeClient;
    let applied: KubeObject[];
    let workloadPort: number;

    beforeAll(async () => {
      site = await createSimulatedSite();
      ws = workspace();
    });
    afterAll(async () => {
      mgmt?.close();
      workload?.close();
      await site.close();
      ws.remove();
    });

    test('goes from nothing to Available: kind, clusterctl init, apply, etcd, control plane, kubeconfig, CNI, machines', async () => {
      const kindKubeconfig = ws.file(NAME, 'generated', `${NAME}.kind.kubeconfig`);
      writeFileSync(ws.file('kind.yaml'), 'kind: Cluster\napiVersion: kind.x-k8s.io/v1alpha4\n');
      await site.kind.createCluster({
        name: `${NAME}-eks-a-cluster`,
        kubeconfigPath: kindKubeconfig,
        nodeImage: 'public.ecr.aws/eks-anywhere/kubernetes-sigs/kind/node:v1.30.14-eks-d-1-30-58',
        configPath: ws.file('kind.yaml'),
      });
      await initProviders(site, kindKubeconfig, await writeLayout(ws.file(NAME)));
      mgmt = await connect({ file: kindKubeconfig });
      await mgmt.apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: NS } });
      applied = await synthDocker({ name: NAME, kubernetesVersion: '1.30', contract, ...SIZE });
      expect(applied.find((o) => o.kind === 'Cluster')?.apiVersion).toBe(api.core);
      await applyAll(mgmt, applied);

      // External etcd first (EKS-A waits for ManagedEtcdReady), then the control plane initializes.
      const etcd = await mgmt.waitFor(
        ref('EtcdadmCluster', `${NAME}-etcd`, api.etcd),
        (e: any) => e?.status?.ready === true,
        {
          timeoutMs: 60_000,
        },
      );
      expect((etcd?.status as any).endpoints.split(',')).toHaveLength(3);
      const cluster = await mgmt.waitFor(ref('Cluster', NAME), api.initialized, { timeoutMs: 60_000 });
      expect(api.ready(cluster)).toBe(false); // no CNI yet: nodes are NotReady

      // The kubeconfig as EKS-A writes it: the Secret's server is the load balancer's container address, which the
      // host cannot reach; `docker port` gives the published port.
      const raw = await site.clusterctl.getKubeconfig({
        clusterName: NAME,
        namespace: NS,
        kubeconfigPath: kindKubeconfig,
      });
      const kubeconfig = YAML.parse(raw);
      expect(kubeconfig['current-context']).toBe(`${NAME}-admin@${NAME}`);
      expect(kubeconfig.clusters[0].cluster.server).toMatch(/^https:\/\/127\.18\.\d+\.\d+:6443$/);
      const port = await site.docker.hostPort(`${NAME}-lb`, '6443/tcp');
      workloadPort = port.port;
      kubeconfig.clusters[0].cluster.server = `https://127.0.0.1:${port.port}`;
      delete kubeconfig.clusters[0].cluster['certificate-authority-data'];
      kubeconfig.clusters[0].cluster['insecure-skip-tls-verify'] = true;
      workload = await connect({ yaml: YAML.stringify(kubeconfig) });
      const notReady = await workload.list('v1', 'Node');
      expect(notReady.length).toBeGreaterThan(0);
      expect(notReady.every((n) => condition(n, 'Ready') === 'False')).toBe(true);

      const cilium = await site.helm.template({
        chart: 'oci://public.ecr.aws/isovalent/cilium',
        version: '1.15.6-eksa.1',
        namespace: 'kube-system',
      });
      await applyAll(workload, parseDocuments(cilium));

      const ready = await mgmt.waitFor(ref('Cluster', NAME), api.ready, { timeoutMs: 60_000 });
      const kcp = await mgmt.waitFor(
        ref('KubeadmControlPlane', NAME, api.controlPlane),
        (k: any) => k?.status?.readyReplicas === 3,
        { timeoutMs: 60_000 },
      );
      const md = await mgmt.waitFor(
        ref('MachineDeployment', `${NAME}-md-0`),
        (m: any) => m?.status?.readyReplicas === 3,
        {
          timeoutMs: 60_000,
        },
      );
      expect((kcp!.status as any).version).toBe((kcp!.spec as any).version);
      expect(api.kcpUpToDate(kcp!)).toBe(3);
      expect(api.mdUpToDate(md!)).toBe(3);
      if (contract === 'v1beta1') {
        expect(ready!.status as any).toMatchObject({
          infrastructureReady: true,
          controlPlaneReady: true,
          phase: 'Provisioned',
        });
        expect((ready!.status as any).initialization).toBeUndefined();
        expect(condition(ready, 'ManagedEtcdReady')).toBe('True');
      } else {
        expect((ready!.status as any).initialization).toEqual({
          infrastructureProvisioned: true,
          controlPlaneInitialized: true,
        });
        expect((ready!.status as any).infrastructureReady).toBeUndefined();
        expect((ready!.status as any).workers).toMatchObject({ desiredReplicas: 3, readyReplicas: 3 });
      }

      const machines = await mgmt.list(api.core, 'Machine', { namespace: NS });
      expect(machines.map(roleOf).sort()).toEqual([
        ...Array(3).fill('controlPlane'),
        ...Array(3).fill('etcd'),
        ...Array(3).fill('worker'),
      ]);
      const nodes = await workload.list('v1', 'Node');
      const nodeMachines = machines.filter((m) => roleOf(m) !== 'etcd');
      expect(nodeMachines.map(api.nodeName).sort()).toEqual(nodes.map((n) => n.metadata.name).sort());
      expect(machines.filter((m) => roleOf(m) === 'etcd').every((m) => api.nodeName(m) === undefined)).toBe(
        true,
      );
      expect(nodes.every((n) => condition(n, 'Ready') === 'True')).toBe(true);
      expect(site.errors).toEqual([]);
    });

    test('rolls on a Kubernetes version change: new templates; etcd, then control plane, then workers; within maxSurge', async () => {
      const before = await mgmt.list(api.core, 'Machine', { namespace: NS });
      const oldNames = new Set(before.map((m) => m.metadata.name));
      const upgraded = await synthDocker({
        name: NAME,
        kubernetesVersion: '1.31',
        contract,
        previous: applied as any,
        ...SIZE,
      });
      const templates = (objects: KubeObject[]) =>
        objects
          .filter((o) => o.kind.endsWith('Template'))
          .map((o) => o.metadata.name!)
          .sort();
      expect(templates(applied)).toEqual([
        `${NAME}-control-plane-1`,
        `${NAME}-etcd-1`,
        `${NAME}-md-0-1`,
        `${NAME}-md-0-1`,
      ]);
      expect(templates(upgraded)).toEqual([
        `${NAME}-control-plane-2`,
        `${NAME}-etcd-2`,
        `${NAME}-md-0-2`,
        `${NAME}-md-0-2`,
      ]);

      // Every change of a Machine, in order, straight from the store.
      const events: { type: string; name: string; role: Role; deleting: boolean; available: boolean }[] = [];
      const stop = site.apiServer(`${NAME}-eks-a-cluster`, 'kind').onChange((e: StoreEvent) => {
        if (e.key !== 'cluster.x-k8s.io/machines') return;
        events.push({
          type: e.type,
          name: e.object.metadata.name,
          role: roleOf(e.object as KubeObject),
          deleting: e.object.metadata.deletionTimestamp !== undefined,
          available: condition(e.object as KubeObject, 'NodeHealthy') === 'True',
        });
      });
      try {
        // EKS-A's order with external etcd (research/eksa.md A4, A6): the control plane is paused while etcd rolls.
        const kcpObject = upgraded.find((o) => o.kind === 'KubeadmControlPlane')!;
        const paused = {
          ...kcpObject,
          metadata: {
            ...kcpObject.metadata,
            annotations: {
              ...(kcpObject.metadata.annotations as Record<string, string>),
              'cluster.x-k8s.io/paused': 'true',
            },
          },
        };
        await applyAll(
          mgmt,
          upgraded.map((o) => (o === kcpObject ? paused : o)),
        );
        const etcd = await mgmt.waitFor(
          ref('EtcdadmCluster', `${NAME}-etcd`, api.etcd),
          (e: any) => e?.status?.ready === true,
          { timeoutMs: 120_000 },
        );
        expect(events.filter((e) => e.role === 'controlPlane' && e.type === 'ADDED')).toEqual([]);
        expect((etcd!.status as any).endpoints.split(',')).toHaveLength(3);
        await mgmt.apply(kcpObject);
        const newVersion = (kcpObject.spec as any).version;
        expect(newVersion).toMatch(/^v1\.31\./);
        await mgmt.waitFor(
          ref('KubeadmControlPlane', NAME, api.controlPlane),
          (k: any) =>
            k?.status?.version === newVersion &&
            k?.status?.replicas === 3 &&
            k?.status?.readyReplicas === 3 &&
            api.kcpUpToDate(k) === 3,
          { timeoutMs: 120_000 },
        );
        await mgmt.waitFor(
          ref('MachineDeployment', `${NAME}-md-0`),
          (m: any) => m?.status?.replicas === 3 && m?.status?.readyReplicas === 3 && api.mdUpToDate(m) === 3,
          { timeoutMs: 120_000 },
        );
        await mgmt.waitFor(ref('Cluster', NAME), api.ready, { timeoutMs: 60_000 });
      } finally {
        stop();
      }

      const after = await mgmt.list(api.core, 'Machine', { namespace: NS });
      expect(after).toHaveLength(9);
      expect(after.some((m) => oldNames.has(m.metadata.name))).toBe(false);
      const added = (role: Role) =>
        events
          .map((e, i) => ({ ...e, i }))
          .filter((e) => e.type === 'ADDED' && e.role === role && !oldNames.has(e.name));
      const removed = (role: Role) =>
        events
          .map((e, i) => ({ ...e, i }))
          .filter((e) => e.type === 'DELETED' && e.role === role && oldNames.has(e.name));
      for (const role of ['etcd', 'controlPlane', 'worker'] as Role[]) {
        expect(added(role)).toHaveLength(3);
        expect(removed(role)).toHaveLength(3);
      }
      // Order: the control plane starts rolling only after etcd finished, the workers only after the control plane.
      const last = (xs: { i: number }[]) => Math.max(...xs.map((x) => x.i));
      const first = (xs: { i: number }[]) => Math.min(...xs.map((x) => x.i));
      expect(first(added('controlPlane'))).toBeGreaterThan(last(removed('etcd')));
      expect(first(added('worker'))).toBeGreaterThan(last(removed('controlPlane')));

      // Surge: never more than desired + maxSurge machines of a role exist (KCP and etcdadm surge by one); with
      // maxUnavailable 0, never fewer than 3 workers with a healthy node.
      const live = new Map<string, (typeof events)[number]>();
      for (const name of oldNames) {
        const m = before.find((b) => b.metadata.name === name)!;
        live.set(name!, {
          type: 'ADDED',
          name: name!,
          role: roleOf(m),
          deleting: false,
          available: roleOf(m) !== 'etcd',
        });
      }
      const peaks: Record<Role, number> = { etcd: 0, controlPlane: 0, worker: 0 };
      let fewestAvailableWorkers = Infinity;
      for (const e of events) {
        if (e.type === 'DELETED') live.delete(e.name);
        else live.set(e.name, e);
        const all = [...live.values()];
        for (const role of Object.keys(peaks) as Role[]) {
          peaks[role] = Math.max(peaks[role], all.filter((m) => m.role === role).length);
        }
        fewestAvailableWorkers = Math.min(
          fewestAvailableWorkers,
          all.filter((m) => m.role === 'worker' && m.available && !m.deleting).length,
        );
      }
      expect(peaks).toEqual({ etcd: 4, controlPlane: 4, worker: 3 + SIZE.workerMaxSurge });
      expect(fewestAvailableWorkers).toBeGreaterThanOrEqual(3 - SIZE.workerMaxUnavailable);

      const nodes = await workload.list('v1', 'Node');
      expect(nodes).toHaveLength(6);
      expect(nodes.every((n) => String((n.status as any).nodeInfo.kubeletVersion).startsWith('v1.31.'))).toBe(
        true,
      );
      applied = upgraded;
      expect(site.errors).toEqual([]);
    });

    test('is deleted: machines, infrastructure and etcd go through their finalizers and the workload server stops', async () => {
      await mgmt.delete(ref('Cluster', NAME));
      await mgmt.waitForDeletion(ref('Cluster', NAME), { timeoutMs: 120_000 });
      for (const [apiVersion, kind] of [
        [api.core, 'Machine'],
        [api.core, 'MachineSet'],
        [api.core, 'MachineDeployment'],
        [api.controlPlane, 'KubeadmControlPlane'],
        [api.etcd, 'EtcdadmCluster'],
        ['infrastructure.cluster.x-k8s.io/v1beta2', 'DockerMachine'],
        ['infrastructure.cluster.x-k8s.io/v1beta2', 'DockerCluster'],
        ['infrastructure.cluster.x-k8s.io/v1beta2', 'DockerMachineTemplate'],
        [
          contract === 'v1beta2'
            ? 'bootstrap.cluster.x-k8s.io/v1beta2'
            : 'bootstrap.cluster.x-k8s.io/v1beta1',
          'KubeadmConfigTemplate',
        ],
        [
          contract === 'v1beta2'
            ? 'bootstrap.cluster.x-k8s.io/v1beta2'
            : 'bootstrap.cluster.x-k8s.io/v1beta1',
          'KubeadmConfig',
        ],
        ['bootstrap.cluster.x-k8s.io/v1beta1', 'EtcdadmConfig'],
        [api.core, 'MachineHealthCheck'],
      ]) {
        expect({
          kind,
          left: (await mgmt.list(apiVersion, kind, { namespace: NS })).map((o) => o.metadata.name),
        }).toEqual({
          kind,
          left: [],
        });
      }
      expect(site.containers().filter((c) => c.clusterName === NAME)).toEqual([]);
      expect(site.cluster(NAME, 'workload')).toBeUndefined();
      await expect(workload.list('v1', 'Node')).rejects.toThrow(/ECONNREFUSED|socket hang up|ECONNRESET/);
      expect(site.clusters().map((c) => c.name)).toEqual([`${NAME}-eks-a-cluster`]);
      void workloadPort;
      expect(site.errors).toEqual([]);
    });
  },
);
