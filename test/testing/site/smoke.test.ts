import { readFileSync, writeFileSync } from 'node:fs';
import * as YAML from 'yaml';
import { applyAll, connect, initProviders, parseDocuments, workspace, writeLayout } from './fixture';
import { createSimulatedSite } from '../../../src/testing';

jest.setTimeout(60_000);

const cond = (type: string) => (c: any) => ((c?.status as any)?.conditions ?? []).some((x: any) => x.type === type && x.status === 'True');

test('smoke: oracle v1beta1 cluster comes up', async () => {
  const site = await createSimulatedSite();
  const ws = workspace();
  const t0 = Date.now();
  try {
    const kindKubeconfig = ws.file('test', 'generated', 'test.kind.kubeconfig');
    writeFileSync(ws.file('kind.yaml'), 'kind: Cluster\napiVersion: kind.x-k8s.io/v1alpha4\n');
    await site.kind.createCluster({ name: 'test-eks-a-cluster', kubeconfigPath: kindKubeconfig, nodeImage: 'kindest/node:v1.30.0', configPath: ws.file('kind.yaml') });
    const config = await writeLayout(ws.file('test'));
    await initProviders(site, kindKubeconfig, config);
    console.log('init', Date.now() - t0);
    const client = await connect({ file: kindKubeconfig });
    await client.apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'eksa-system' } });
    const objects = parseDocuments(readFileSync('../shared/oracle/eksa-docker/pre-valid-config-124.expected.yaml', 'utf8'));
    await applyAll(client, objects);
    const ref = { apiVersion: 'cluster.x-k8s.io/v1beta1', kind: 'Cluster', name: 'test-cluster', namespace: 'eksa-system' };
    await client.waitFor(ref, cond('ControlPlaneInitialized'), { timeoutMs: 20_000 });
    console.log('cp init', Date.now() - t0);
    const raw = await site.clusterctl.getKubeconfig({ clusterName: 'test-cluster', namespace: 'eksa-system', kubeconfigPath: kindKubeconfig });
    const port = await site.docker.hostPort('test-cluster-lb', '6443/tcp');
    const kc = YAML.parse(raw);
    kc.clusters[0].cluster.server = `https://127.0.0.1:${port.port}`;
    delete kc.clusters[0].cluster['certificate-authority-data'];
    kc.clusters[0].cluster['insecure-skip-tls-verify'] = true;
    const workload = await connect({ yaml: YAML.stringify(kc) });
    const manifests = await site.helm.template({ chart: 'oci://public.ecr.aws/isovalent/cilium', version: '1.15.6-eksa.1', namespace: 'kube-system' });
    await applyAll(workload, parseDocuments(manifests));
    await client.waitFor(ref, cond('Ready'), { timeoutMs: 20_000 });
    console.log('ready', Date.now() - t0);
    const md = await client.waitFor({ apiVersion: 'cluster.x-k8s.io/v1beta1', kind: 'MachineDeployment', name: 'test-cluster-md-0', namespace: 'eksa-system' }, (m: any) => m?.status?.readyReplicas === 3, { timeoutMs: 20_000 });
    console.log('md ready', Date.now() - t0, JSON.stringify(md?.status));
    const nodes = await workload.list('v1', 'Node');
    console.log(nodes.map((n) => n.metadata.name));
    console.log(site.invocations.commands());
    client.close();
    workload.close();
  } finally {
    for (const c of site.clusters()) { const rs = site.apiServer(c.name, c.type).requests.entries(); const d = rs.map((r) => r.durationMs).sort((a, b) => a - b); console.log('latency', c.name, d[Math.floor(d.length / 2)], d[Math.floor(d.length * 0.99)], d.reduce((a, b) => a + b, 0)); }
    for (const c of site.clusters()) console.log(c.name, site.apiServer(c.name, c.type).requests.count(), JSON.stringify(site.apiServer(c.name, c.type).requests.entries().reduce((m: any, r) => { const k = r.userAgent + ' ' + r.method; m[k] = (m[k] ?? 0) + 1; return m; }, {})));
    const mgmt = site.apiServer('test-eks-a-cluster');
    const ms = mgmt.engine.readAll('cluster.x-k8s.io/v1beta1', 'Machine', 'eksa-system');
    for (const m of ms) console.log(m.metadata.name, m.status?.phase, m.spec.providerID, JSON.stringify(m.status?.conditions?.map((c: any) => c.type + '=' + c.status)));
    const wl = site.cluster('test-cluster');
    if (wl) for (const n of wl.server.engine.readAll('v1', 'Node')) console.log(n.metadata.name, n.spec.providerID, JSON.stringify(n.status?.conditions?.find((c: any) => c.type === 'Ready')?.status));
    console.log(site.errors.slice(0, 10));
    await site.close();
    ws.remove();
  }
});
