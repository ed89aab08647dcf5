/**
 * A cluster and what runs on it, in one stack: the quick start's EKS Anywhere cluster, an app deployed to it with
 * `@pulumi/kubernetes` through the cluster's kubeconfig output, and a smoke check of the new cluster run with
 * `@pulumi/command` (`local.Command`, which needs `kubectl` on PATH). Both packages are optional peers of eksa-iac:
 * install them in your project (`npm install @pulumi/kubernetes @pulumi/command`); their provider plugins come
 * with the Pulumi CLI.
 *
 * In your own project, import from the package: `import { EksaCluster } from 'eksa-iac/pulumi';`.
 */
import * as command from '@pulumi/command';
import * as k8s from '@pulumi/kubernetes';
import * as pulumi from '@pulumi/pulumi';
import { EksaCluster, type EksaClusterArgs } from '../../src/pulumi';
import { quickstartConfigPath } from '../quickstart/program';

export type ComposeAppOptions = Partial<EksaClusterArgs>;

export interface ComposeApp {
  readonly cluster: EksaCluster;
  readonly provider: k8s.Provider;
  readonly deployment: k8s.apps.v1.Deployment;
  readonly service: k8s.core.v1.Service;
  readonly smokeCheck: command.local.Command;
}

const APP = 'hello';

export function composeApp(options: ComposeAppOptions = {}): ComposeApp {
  const cluster = new EksaCluster('quickstart', {
    config: quickstartConfigPath(),
    workDir: 'out',
    ...options,
  });

  // Everything below deploys to the new cluster, through a provider made from its (secret) kubeconfig. When the
  // cluster goes, they go with it: no need to delete them one by one first.
  const provider = cluster.kubernetesProvider();
  const onCluster = { provider, deletedWith: cluster };
  const namespace = new k8s.core.v1.Namespace(APP, { metadata: { name: APP } }, onCluster);
  const labels = { app: APP };
  const deployment = new k8s.apps.v1.Deployment(
    APP,
    {
      metadata: { name: APP, namespace: namespace.metadata.name },
      spec: {
        replicas: 2,
        selector: { matchLabels: labels },
        template: {
          metadata: { labels },
          spec: {
            containers: [
              {
                name: APP,
                image: 'public.ecr.aws/nginx/nginx:1.27',
                ports: [{ containerPort: 80, name: 'http' }],
              },
            ],
          },
        },
      },
    },
    onCluster,
  );
  const service = new k8s.core.v1.Service(
    APP,
    {
      metadata: { name: APP, namespace: namespace.metadata.name },
      spec: { selector: labels, ports: [{ port: 80, targetPort: 'http' }] },
    },
    onCluster,
  );

  // The smoke check reads the kubeconfig file the cluster keeps (0600), never its content: nothing secret goes into
  // the command, its environment or its output. It runs again when the cluster's manifests change.
  const kubectl = pulumi.interpolate`kubectl --kubeconfig '${cluster.kubeconfigPath}'`;
  const smokeCheck = new command.local.Command(
    'smoke-check',
    {
      create: pulumi.interpolate`${kubectl} get --raw=/readyz && ${kubectl} -n ${APP} rollout status deployment/${APP} --timeout=5m`,
      triggers: [cluster.manifestDigest],
    },
    { dependsOn: [deployment, service], deletedWith: cluster },
  );
  return { cluster, provider, deployment, service, smokeCheck };
}
