import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import type { BenchModule } from './harness';
import {
  parseClusterConfig,
  readClusterConfig,
  setClusterDefaults,
  validateClusterConfig,
} from '../src/spec';

const VALID = path.resolve(__dirname, '../test/fixtures/spec/valid');
const docker = readFileSync(path.join(VALID, 'docker-typical.yaml'), 'utf8');
const vsphere = readFileSync(path.join(VALID, 'vsphere-typical.yaml'), 'utf8');
const full = readFileSync(path.join(VALID, 'docker-full.yaml'), 'utf8');
// A large config: the vSphere cluster with 50 worker groups (each with its own machine config).
const wide = (() => {
  const [cluster, ...rest] = vsphere.split('---\n');
  const groups = Array.from(
    { length: 50 },
    (_, i) =>
      `  - count: 2\n    machineGroupRef:\n      kind: VSphereMachineConfig\n      name: prod-wn\n    name: md-${i}\n    labels:\n      pool: p${i}\n`,
  ).join('');
  return [
    cluster.replace(
      /  workerNodeGroupConfigurations:\n[\s\S]*$/,
      `  workerNodeGroupConfigurations:\n${groups}`,
    ),
    ...rest,
  ].join('---\n');
})();
const SUPPORTED = ['1.30', '1.31', '1.32', '1.33', '1.34', '1.35', '1.36'];

/** Parse, default and validate: what `eksa-iac validate` and every synth do before anything else. */
export const specBench: BenchModule = {
  title: 'spec: parse, defaults, validate',
  cases: [
    { name: 'parse docker-typical (2 objects)', iterations: 200, run: () => parseClusterConfig(docker) },
    { name: 'parse vsphere-typical (5 objects)', iterations: 200, run: () => parseClusterConfig(vsphere) },
    {
      name: 'parse docker-full (5 objects, most fields)',
      iterations: 200,
      run: () => parseClusterConfig(full),
    },
    { name: 'parse vsphere, 50 worker groups', iterations: 50, run: () => readClusterConfig(wide) },
    {
      name: 'parse + defaults + validate vsphere-typical',
      iterations: 200,
      run: () =>
        validateClusterConfig(setClusterDefaults(parseClusterConfig(vsphere)), {
          supportedKubernetesVersions: SUPPORTED,
        }),
    },
    {
      name: 'parse + defaults + validate, 50 worker groups',
      iterations: 50,
      run: () =>
        validateClusterConfig(setClusterDefaults(parseClusterConfig(wide)), {
          supportedKubernetesVersions: SUPPORTED,
        }),
    },
  ],
};
