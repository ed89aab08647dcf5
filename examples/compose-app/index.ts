// A Pulumi program: the quick start's cluster, an app on it, and a smoke check. Run it as its own project:
//   a Pulumi.yaml beside it (name, runtime: nodejs, main: examples/compose-app/), then pulumi up.
// Stack configuration as for examples/quickstart (bundles, workDir).
import * as pulumi from '@pulumi/pulumi';
import { composeApp } from './program';
import type { BundlesInput } from '../../src/workflow';

const config = new pulumi.Config();
const bundles = config.getObject<BundlesInput>('bundles');
const workDir = config.get('workDir');

const app = composeApp({ ...(bundles ? { bundles } : {}), ...(workDir ? { workDir } : {}) });

export const kubeconfig = app.cluster.kubeconfig;
export const endpoint = app.cluster.endpoint;
export const service = app.service.metadata.name;
export const smokeCheck = app.smokeCheck.stdout;
