import type * as pulumi from '@pulumi/pulumi';
import { HandlerRef } from './resource-schema';

const shims = new Map<string, pulumi.dynamic.ResourceProvider>();

/**
 * The provider object given to `pulumi.dynamic.Resource`. Pulumi serializes it into every resource's state; it
 * captures nothing but the two strings of `ref`, and each method `require`s the handler module when it runs. So:
 * - the state stays a few hundred bytes and holds no copy of the library;
 * - the handler module is resolved in the provider process, from the program directory, i.e. the *installed*
 *   library, also for `delete` and `read`, which the host runs from the copy in state (research §1.4, §1.5);
 * - nothing unserializable can be captured (pulumi#8090, #13960).
 *
 * One object per ref, because the SDK caches the serialized text per provider object.
 */
export function providerShim(ref: HandlerRef): pulumi.dynamic.ResourceProvider {
  const key = `${ref.module}\u0000${ref.name}`;
  let shim = shims.get(key);
  if (!shim) {
    shim = makeShim(ref.module, ref.name);
    shims.set(key, shim);
  }
  return shim;
}

// Everything below is serialized into state, comments included. It may reference only its parameters and
// `require`: any other binding (an imported constant, a helper) would be captured, by value for local files or as a
// deep require of our package's internals (which an upgrade can move). `protocol: 1` is SHIM_PROTOCOL, written out.
/* eslint-disable @typescript-eslint/no-require-imports, @typescript-eslint/no-explicit-any */
function makeShim(moduleSpecifier: string, handlerName: string): pulumi.dynamic.ResourceProvider {
  const call = async (method: string, args: unknown[]): Promise<any> => {
    const target = require(moduleSpecifier);
    return target.dispatch({ protocol: 1, handler: handlerName, method, args });
  };
  return {
    check: (olds, news) => call('check', [olds, news]),
    diff: (id, olds, news) => call('diff', [id, olds, news]),
    create: (inputs) => call('create', [inputs]),
    update: (id, olds, news) => call('update', [id, olds, news]),
    delete: (id, props) => call('delete', [id, props]),
    read: (id, props) => call('read', [id, props]),
  };
}
/* eslint-enable @typescript-eslint/no-require-imports, @typescript-eslint/no-explicit-any */
