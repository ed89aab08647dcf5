/**
 * vSphere cluster configs for the provider tests: the spec corpus's valid vSphere config and variants of it that
 * switch on what the oracle cases do not cover (Bottlerocket and its host settings, proxy, registry mirror,
 * failure domains, worker networks, taints, kubelet configurations, NTP). Built by editing the parsed YAML, so
 * each variant says what it changes.
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { parseAllDocuments, stringify } from 'yaml';
import { LOOPBACK_TLS_CERTIFICATE } from '../../src/testing';
import { REPO_ROOT } from '../helpers/cli-runner';
import { loadSynthInput, type SynthInput } from '../helpers/synth-fixtures';

export const VSPHERE_TYPICAL = path.join(REPO_ROOT, 'test/fixtures/spec/valid/vsphere-typical.yaml');

/** A real (generated) ed25519 public key with a comment. */
export const SSH_KEY =
  'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAII3CHiUh6GFajm7QjACbfiLVmHuR4/HJa7H4haYU0Txw ops@example.com';
/** The same key as EKS-A writes it into node configs: without the comment. */
export const SSH_KEY_STRIPPED =
  'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAII3CHiUh6GFajm7QjACbfiLVmHuR4/HJa7H4haYU0Txw';

type Doc = Record<string, any>;

/** The documents of the typical vSphere config, editable. */
export function typicalDocs(): Doc[] {
  return parseAllDocuments(readFileSync(VSPHERE_TYPICAL, 'utf8')).map((d) => d.toJS() as Doc);
}

export function byKind(docs: Doc[], kind: string, name?: string): Doc {
  const doc = docs.find((d) => d.kind === kind && (name === undefined || d.metadata.name === name));
  if (!doc) throw new Error(`no ${kind} ${name ?? ''} in the fixture`);
  return doc;
}

export function machines(docs: Doc[]): Doc[] {
  return docs.filter((d) => d.kind === 'VSphereMachineConfig');
}

export function toText(docs: Doc[]): string {
  return docs.map((d) => stringify(d)).join('---\n');
}

/** Loads edited documents as `synth --no-validate` would (defaults, current bundles). */
export function loadDocs(docs: Doc[]): Promise<SynthInput> {
  return loadSynthInput(VSPHERE_TYPICAL, undefined, undefined, toText(docs));
}

/** Ubuntu with everything the cloud-config path renders. */
export function ubuntuEverything(): Doc[] {
  const docs = typicalDocs();
  const cluster = byKind(docs, 'Cluster');
  cluster.spec.kubernetesVersion = '1.31';
  cluster.spec.proxyConfiguration = {
    httpProxy: 'http://proxy.example.com:3128',
    httpsProxy: 'http://proxy.example.com:3128',
    noProxy: ['10.0.0.0/8', '.corp.example.com'],
  };
  cluster.spec.registryMirrorConfiguration = {
    endpoint: 'mirror.example.com',
    port: '5000',
    caCertContent: LOOPBACK_TLS_CERTIFICATE,
    authenticate: true,
    ociNamespaces: [{ registry: 'public.ecr.aws', namespace: 'eks-anywhere' }],
  };
  cluster.spec.controlPlaneConfiguration.taints = [{ key: 'dedicated', value: 'cp', effect: 'NoSchedule' }];
  cluster.spec.controlPlaneConfiguration.labels = { tier: 'control' };
  cluster.spec.controlPlaneConfiguration.certSans = ['api.example.com'];
  cluster.spec.controlPlaneConfiguration.kubeletConfiguration = { maxPods: 40 };
  cluster.spec.clusterNetwork.nodes = { cidrMaskSize: 24 };
  const group = cluster.spec.workerNodeGroupConfigurations[0];
  group.labels = { pool: 'general' };
  group.taints = [{ key: 'gpu', value: 'true', effect: 'NoExecute' }];
  group.kubeletConfiguration = { maxPods: 110 };
  group.failureDomains = ['fd-a'];
  const dc = byKind(docs, 'VSphereDatacenterConfig');
  dc.spec.failureDomains = [
    {
      name: 'fd-a',
      computeCluster: '/DC1/host/Cluster1',
      resourcePool: '/DC1/host/Cluster1/Resources',
      datastore: '/DC1/datastore/ds1',
      folder: '/DC1/vm/fd-a',
      network: '/DC1/network/fd-a',
    },
    {
      name: 'fd-b',
      computeCluster: '/DC1/host/Cluster2',
      resourcePool: '/DC1/host/Cluster2/Resources',
      datastore: '/DC1/datastore/ds2',
      folder: '/DC1/vm/fd-b',
      network: '/DC1/network/fd-b',
    },
  ];
  for (const m of machines(docs)) {
    m.spec.users = [{ name: 'capv', sshAuthorizedKeys: [SSH_KEY] }];
    m.spec.hostOSConfiguration = { ntpConfiguration: { servers: ['time.example.com', '10.0.0.123'] } };
    m.spec.tags = ['urn:vmomi:InventoryServiceTag:1234:GLOBAL'];
  }
  byKind(docs, 'VSphereMachineConfig', 'prod-wn').spec.networks = ['/DC1/network/a', '/DC1/network/b'];
  return docs;
}

/** Bottlerocket machines with host settings, external etcd, proxy and a registry mirror with a CA. */
export function bottlerocketEverything(): Doc[] {
  const docs = typicalDocs();
  const cluster = byKind(docs, 'Cluster');
  cluster.spec.kubernetesVersion = '1.30';
  cluster.spec.proxyConfiguration = {
    httpProxy: 'http://proxy.example.com:3128',
    httpsProxy: 'http://proxy.example.com:3129',
    noProxy: ['.corp.example.com'],
  };
  cluster.spec.registryMirrorConfiguration = {
    endpoint: 'mirror.example.com',
    caCertContent: LOOPBACK_TLS_CERTIFICATE,
  };
  cluster.spec.controlPlaneConfiguration.kubeletConfiguration = {
    maxPods: 60,
    clusterDNSIPs: ['10.96.0.10'],
  };
  for (const m of machines(docs)) {
    m.spec.osFamily = 'bottlerocket';
    m.spec.users = [{ name: 'ec2-user', sshAuthorizedKeys: [SSH_KEY] }];
    m.spec.template = '/DC1/vm/Templates/bottlerocket-kube-v1.30';
    m.spec.hostOSConfiguration = {
      ntpConfiguration: { servers: ['time.example.com'] },
      certBundles: [{ name: 'corp-ca', data: LOOPBACK_TLS_CERTIFICATE }],
      bottlerocketConfiguration: {
        kubernetes: { maxPods: 90, allowedUnsafeSysctls: ['net.core.somaxconn'] },
        kernel: { sysctlSettings: { 'vm.max_map_count': '262144' } },
        boot: { bootKernelParameters: { console: ['tty0', 'ttyS0,115200n8'] } },
      },
    };
  }
  return docs;
}
