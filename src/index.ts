// Public API of eksa-iac, one namespace per area. Areas are added as they land.
export * as capi from './capi';
export * as kube from './kube';
export * as spec from './spec';
export * as manifests from './manifests';
export * as tools from './tools';
export * as workflow from './workflow';
