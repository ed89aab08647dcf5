import { DockerProvider } from './docker';
import type { InfrastructureProvider } from './provider';
import { VSphereProvider } from './vsphere';
import type { ClusterConfig } from '../../spec';

const providers = new Map<string, () => InfrastructureProvider>([
  ['DockerDatacenterConfig', () => new DockerProvider()],
  ['VSphereDatacenterConfig', () => new VSphereProvider()],
]);

/**
 * Registers the provider of a datacenter kind, so the chart and the CLI render clusters that use it. A provider
 * module calls this once; docker and vSphere are registered here.
 */
export function registerProvider(datacenterKind: string, factory: () => InfrastructureProvider): void {
  providers.set(datacenterKind, factory);
}

/** The provider of a cluster config, from its datacenter kind. */
export function providerFor(config: Pick<ClusterConfig, 'datacenter'>): InfrastructureProvider {
  const factory = providers.get(config.datacenter.kind);
  if (!factory) {
    const known = [...providers.keys()].join(', ');
    throw new Error(`No provider renders ${config.datacenter.kind} (registered: ${known}).`);
  }
  return factory();
}
