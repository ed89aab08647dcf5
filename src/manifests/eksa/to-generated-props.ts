/**
 * EKS-A JSON (the spec types) → props of the cdk8s classes generated from the EKS-A CRDs. The generated classes
 * camel-case a few JSON names (`roleARN` → `roleArn`) and wrap int-or-string (`maxUnhealthy`) and date (`timeAdded`, see {@link DateField}) fields; their `toJson`
 * maps back. This table is every such difference in the imported EKS-A CRDs (checked by a round-trip test).
 */

import { kubernetesTime } from '../kubernetes-time';

/** JSON name → generated prop name. */
const RENAMED: Readonly<Record<string, string>> = {
  roleARN: 'roleArn',
  userARN: 'userArn',
  ipv4NativeRoutingCIDR: 'ipv4NativeRoutingCidr',
  ipv6NativeRoutingCIDR: 'ipv6NativeRoutingCidr',
  hostOSConfiguration: 'hostOsConfiguration',
  numCPUs: 'numCpUs',
  clusterDNSIPs: 'clusterDnsiPs',
  cpuCFSQuota: 'cpuCfsQuota',
  eventRecordQPS: 'eventRecordQps',
  imageGCHighThresholdPercent: 'imageGcHighThresholdPercent',
  imageGCLowThresholdPercent: 'imageGcLowThresholdPercent',
  kubeAPIBurst: 'kubeApiBurst',
  kubeAPIQPS: 'kubeApiqps',
  providerID: 'providerId',
  registryPullQPS: 'registryPullQps',
};

/** Free-form fields (preserve-unknown-fields): passed through untouched. */
const OPAQUE = new Set(['kubeletConfiguration', 'helmValues']);

/** Int-or-string fields, rendered by the generated code from `.value`. */
const INT_OR_STRING = new Set(['maxUnhealthy']);

/**
 * A date field left out of the props. The generated classes type it as a `Date`, but cdk8s resolves props before
 * their `toJson` runs and cannot resolve a Date, so the caller adds it to the rendered JSON as text instead.
 */
export interface DateField {
  /** JSON pointer into the rendered object, e.g. `/spec/workerNodeGroupConfigurations/0/taints/0/timeAdded`. */
  readonly pointer: string;
  /** The time as Kubernetes writes it. */
  readonly value: string;
}

/** Converts EKS-A JSON into generated props; date fields are collected into `dates` (pointers below `pointer`). */
export function toGeneratedProps(value: unknown, dates: DateField[] = [], pointer = ''): unknown {
  if (Array.isArray(value)) return value.map((item, i) => toGeneratedProps(item, dates, `${pointer}/${i}`));
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value as Record<string, unknown>)) {
    if (v === undefined) continue;
    const target = RENAMED[key] ?? key;
    const here = `${pointer}/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`;
    if (OPAQUE.has(key)) {
      out[target] = v;
    } else if (INT_OR_STRING.has(key)) {
      out[target] = { value: v };
    } else if (key === 'timeAdded' && typeof v === 'string') {
      dates.push({ pointer: here, value: kubernetesTime(v) });
    } else {
      out[target] = toGeneratedProps(v, dates, here);
    }
  }
  return out;
}
