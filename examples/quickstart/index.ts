// Entry point of the root Pulumi project (Pulumi.yaml: main examples/quickstart/). Stack configuration, all optional:
//   pulumi config set --path 'bundles.bundles' <Bundles manifest file or URL>      (default: the pinned EKS-A release)
//   pulumi config set --path 'bundles.eksdReleases[0]' <EKS-D Release file>
//   pulumi config set workDir <dir>                                                (default: out)
//   pulumi config set clusterConfig <EKS-A config file>      (default: cluster.yaml beside this file; an upgrade is
//                                                             a new file, or an edit of it, then pulumi up)
import * as pulumi from '@pulumi/pulumi';
import { quickstart } from './program';
import type { BundlesInput } from '../../src/workflow';

const config = new pulumi.Config();
const bundles = config.getObject<BundlesInput>('bundles');
const workDir = config.get('workDir');
const clusterConfig = config.get('clusterConfig');

const { outputs } = quickstart({
  ...(bundles ? { bundles } : {}),
  ...(workDir ? { workDir } : {}),
  ...(clusterConfig ? { config: clusterConfig } : {}),
});

export const clusterName = outputs.clusterName;
export const endpoint = outputs.endpoint;
export const kubeconfig = outputs.kubeconfig;
export const kubeconfigPath = outputs.kubeconfigPath;
export const manifestDigest = outputs.manifestDigest;
