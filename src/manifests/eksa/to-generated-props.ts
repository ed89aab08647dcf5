/**
 * EKS-A JSON (the spec types) → props of the cdk8s classes generated from the EKS-A CRDs. The generated classes
 * camel-case a few JSON names (`roleARN` → `roleArn`) and wrap int-or-string (`maxUnhealthy`) and date (`timeAdded`) fields; their `toJson`
 * maps back. This table is every such difference in the imported EKS-A CRDs (checked by a round-trip test).
 */

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

/** Converts EKS-A JSON into generated props. */
export function toGeneratedProps(value: unknown): unknown {
  if (Array.isArray(value)) return value.map((item) => toGeneratedProps(item));
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value as Record<string, unknown>)) {
    if (v === undefined) continue;
    const target = RENAMED[key] ?? key;
    if (OPAQUE.has(key)) out[target] = v;
    else if (INT_OR_STRING.has(key)) out[target] = { value: v };
    else if (key === 'timeAdded' && typeof v === 'string') out[target] = new Date(v);
    else out[target] = toGeneratedProps(v);
  }
  return out;
}
