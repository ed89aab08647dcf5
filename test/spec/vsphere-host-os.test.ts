/**
 * Host OS settings of VSphereMachineConfig (EKS-A's `validateHostOSConfig`): CA bundles and Bottlerocket settings
 * only on Bottlerocket, and their shape. The bad-input corpus has one file per rule; these tests cover the valid
 * case, the rule without a corpus file, and several problems at once.
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { parseAllDocuments, stringify } from 'yaml';
import { parseClusterConfig, setClusterDefaults, validateClusterConfig } from '../../src/spec';
import { LOOPBACK_TLS_CERTIFICATE } from '../../src/testing';

const TYPICAL = path.resolve(__dirname, '../fixtures/spec/valid/vsphere-typical.yaml');

function bottlerocketConfig(hostOs: Record<string, unknown>) {
  const docs = parseAllDocuments(readFileSync(TYPICAL, 'utf8')).map((d) => d.toJS());
  for (const d of docs.filter((x) => x.kind === 'VSphereMachineConfig')) {
    d.spec.osFamily = 'bottlerocket';
    d.spec.users[0].name = 'ec2-user';
    d.spec.hostOSConfiguration = hostOs;
  }
  const config = parseClusterConfig(docs.map((d) => stringify(d)).join('---\n'), { file: 'br.yaml' });
  return validateClusterConfig(setClusterDefaults(config, { env: {} }), {
    supportedKubernetesVersions: ['1.33'],
  });
}

test('Bottlerocket machines may carry CA bundles, kubernetes, kernel and boot settings', () => {
  const issues = bottlerocketConfig({
    certBundles: [{ name: 'corp-ca', data: LOOPBACK_TLS_CERTIFICATE + LOOPBACK_TLS_CERTIFICATE }],
    bottlerocketConfiguration: {
      kubernetes: {
        maxPods: 0,
        clusterDNSIPs: ['10.96.0.10', 'fd00::a'],
        allowedUnsafeSysctls: ['net.core.somaxconn'],
      },
      kernel: { sysctlSettings: { 'vm.max_map_count': '262144' } },
      boot: { bootKernelParameters: { console: ['tty0'] } },
    },
  });
  expect(issues.filter((i) => i.severity === 'error')).toStrictEqual([]);
});

test('every problem of the host settings is reported at once, each at its field', () => {
  const issues = bottlerocketConfig({
    certBundles: [{ name: '', data: 'not pem' }],
    bottlerocketConfiguration: {
      kubernetes: { maxPods: -5, clusterDNSIPs: ['dns.example.com'] },
      kernel: { sysctlSettings: { ' ': '1' } },
    },
  }).filter((i) => i.severity === 'error' && i.path.startsWith('VSphereMachineConfig/prod-cp.'));
  expect(
    issues.map((i) => [i.rule, i.path.replace('VSphereMachineConfig/prod-cp.spec.hostOSConfiguration.', '')]),
  ).toStrictEqual([
    ['vsphere-cert-bundle-name', 'certBundles[0].name'],
    ['vsphere-cert-bundle-data', 'certBundles[0].data'],
    ['vsphere-bottlerocket-dns-ip', 'bottlerocketConfiguration.kubernetes.clusterDNSIPs[0]'],
    ['vsphere-bottlerocket-max-pods', 'bottlerocketConfiguration.kubernetes.maxPods'],
    ['vsphere-bottlerocket-sysctl-key', 'bottlerocketConfiguration.kernel.sysctlSettings'],
  ]);
  expect(issues[1].message).toContain('no certificate block');
});
