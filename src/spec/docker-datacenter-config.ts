import type { EksaObject } from './meta';

/** Kind of the `DockerDatacenterConfig` object. */
export const DOCKER_DATACENTER_KIND = 'DockerDatacenterConfig';

/** The docker provider has no datacenter settings: the spec is always empty. */
export type DockerDatacenterConfigSpec = Readonly<Record<string, never>>;

/** Selects the docker provider (CAPD): nodes are containers on the local Docker engine. */
export type DockerDatacenterConfig = EksaObject<typeof DOCKER_DATACENTER_KIND, DockerDatacenterConfigSpec>;
