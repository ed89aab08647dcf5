import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import type { BenchModule } from './harness';
import { resolveClusterBundles, synthesizeCluster } from '../src/manifests';
import {
  readClusterConfig,
  setClusterDefaults,
  type ClusterConfig,
  type VSphereMachineConfig,
} from '../src/spec';
import { loadVersionsBundles, type ResolvedVersionsBundle } from '../src/spec/bundles';

const ROOT = path.resolve(__dirname, '..');
const BUNDLES_DIR = path.resolve(ROOT, '../shared/bundles');
const BUNDLES = path.join(BUNDLES_DIR, 'main-bundle-release.yaml');
const EKSD = path.join(BUNDLES_DIR, 'kubernetes-1-33-eks-30.yaml');
const TYPICAL = path.join(ROOT, 'test/fixtures/spec/valid/vsphere-typical.yaml');
const ENV = { EKSA_VSPHERE_USERNAME: 'bench', EKSA_VSPHERE_PASSWORD: 'bench' };

function typical(): ClusterConfig {
  return readClusterConfig(readFileSync(TYPICAL, 'utf8'), { file: TYPICAL }).config!;
}

/** The typical vSphere cluster with Bottlerocket machines. */
function bottlerocket(): ClusterConfig {
  const base = typical();
  const machines = Object.fromEntries(
    Object.entries(base.machineConfigs ?? {}).map(([name, m]): [string, VSphereMachineConfig] => [
      name,
      {
        ...m,
        spec: { ...m.spec, osFamily: 'bottlerocket', users: [{ name: 'ec2-user', sshAuthorizedKeys: [] }] },
      },
    ]),
  );
  return { ...base, machineConfigs: machines };
}

/** The typical vSphere cluster with `groups` worker groups. */
function wide(groups: number): ClusterConfig {
  const base = typical();
  const group = base.cluster.spec.workerNodeGroupConfigurations![0];
  return {
    ...base,
    cluster: {
      ...base.cluster,
      spec: {
        ...base.cluster.spec,
        workerNodeGroupConfigurations: Array.from({ length: groups }, (_, i) => ({
          ...group,
          name: `md-${i}`,
        })),
      },
    },
  };
}

const configs = {
  typical: setClusterDefaults(typical()),
  bottlerocket: setClusterDefaults(bottlerocket()),
  wide: setClusterDefaults(wide(50)),
};
let bundles: ResolvedVersionsBundle[] = [];

const synth = (config: ClusterConfig) => () => {
  const r = synthesizeCluster({ config, bundles, env: ENV });
  return [r.eksaYaml(), r.capiYaml()];
};

/** vSphere synthesis (Ubuntu, Bottlerocket, many worker groups), objects and YAML, after module load. */
export const vsphereBench: BenchModule = {
  title: 'vsphere: synthesis',
  async setup() {
    const versionsBundles = await loadVersionsBundles({
      bundles: BUNDLES,
      eksdReleases: [EKSD],
      offline: true,
      env: {},
    });
    bundles = await resolveClusterBundles(configs.typical, versionsBundles);
    const count = (c: ClusterConfig) =>
      synthesizeCluster({ config: c, bundles, env: ENV }).capiObjects.length;
    console.log(
      `typical: ${count(configs.typical)} CAPI objects; 50 groups: ${count(configs.wide)} CAPI objects\n`,
    );
  },
  cases: [
    {
      name: 'synth typical Ubuntu (3 CP, etcd 3, 1 group)',
      iterations: 50,
      warmup: 5,
      run: synth(configs.typical),
    },
    { name: 'synth typical Bottlerocket', iterations: 50, warmup: 5, run: synth(configs.bottlerocket) },
    { name: 'synth 50 worker groups', iterations: 10, warmup: 2, run: synth(configs.wide) },
  ],
};
