import { createHandlerDispatcher } from '../handler-dispatcher';

/**
 * The handler module of the library's own dynamic resources, loaded by the serialized shims as
 * `require('eksa-iac/pulumi/handlers')` in the dynamic-provider host.
 *
 * The names in this table are written into users' state: never rename or remove one (old resources must stay
 * deletable after an upgrade). Entries are functions, so a run loads only the handlers it uses.
 */
const dispatcher = createHandlerDispatcher({
  // The workflow phases (BootstrapCluster, CapiProviders, WorkloadCluster, ...) register here.
});

export const dispatch = dispatcher.dispatch;
export const handlerNames = dispatcher.names;
