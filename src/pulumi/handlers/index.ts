/* eslint-disable @typescript-eslint/no-require-imports -- each handler is loaded on first use, so a provider call
   loads only the phase it runs */
import { createHandlerDispatcher, type HandlerEntry } from '../handler-dispatcher';
import type { ResourceHandler } from '../resource-handler';

/** A typed phase handler as a table entry (the dispatcher works on plain objects). */
function entry<I extends object, O extends object>(
  handler: ResourceHandler<I, O>,
): ResourceHandler<object, object> {
  return handler as unknown as ResourceHandler<object, object>;
}

/**
 * The handler module of the library's own dynamic resources, loaded by the serialized shims as
 * `require('eksa-iac/pulumi/handlers')` in the dynamic-provider host.
 *
 * The names in this table are written into users' state: never rename or remove one (old resources must stay
 * deletable after an upgrade). Entries are functions, so a run loads only the handlers it uses.
 */
const table: Record<string, HandlerEntry> = {
  BootstrapCluster: () =>
    entry((require('./bootstrap-cluster') as typeof import('./bootstrap-cluster')).bootstrapClusterHandler),
  CapiProviders: () =>
    entry((require('./capi-providers') as typeof import('./capi-providers')).capiProvidersHandler),
  WorkloadCluster: () =>
    entry((require('./workload-cluster') as typeof import('./workload-cluster')).workloadClusterHandler),
  ManagementMove: () =>
    entry((require('./management-move') as typeof import('./management-move')).managementMoveHandler),
  EksaComponents: () =>
    entry((require('./eksa-components') as typeof import('./eksa-components')).eksaComponentsHandler),
  GitOps: () => entry((require('./gitops') as typeof import('./gitops')).gitOpsHandler),
  ClusterConfigFiles: () =>
    entry(
      (require('./cluster-config-files') as typeof import('./cluster-config-files'))
        .clusterConfigFilesHandler,
    ),
  BootstrapCleanup: () =>
    entry((require('./bootstrap-cleanup') as typeof import('./bootstrap-cleanup')).bootstrapCleanupHandler),
  CuratedPackages: () =>
    entry((require('./curated-packages') as typeof import('./curated-packages')).curatedPackagesHandler),
};

const dispatcher = createHandlerDispatcher(table);

export const dispatch = dispatcher.dispatch;
export const handlerNames = dispatcher.names;
