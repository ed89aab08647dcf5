import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse } from 'yaml';
import { SimulatedStack } from './simulated-stack';
import { EksaCluster } from '../../../src/pulumi';
import { EngineRunError } from '../../../src/testing';
import { config, DOCKER_MGMT } from '../../workflow/support/configs';
import { KIND, type FailureCase } from '../../workflow/support/failure-cases';

const CAPI = '/apis/cluster.x-k8s.io/v1beta2/namespaces/eksa-system';

/** The phase resources of the chain (no GitOps in these configs), by phase name. */
const RESOURCE_OF: Readonly<Record<string, string>> = {
  BootstrapCluster: 'dev-bootstrap',
  CapiProviders: 'dev-capi-providers',
  WorkloadCluster: 'dev-workload',
  ManagementMove: 'dev-move',
  EksaComponents: 'dev-eksa-components',
  ClusterConfigFiles: 'dev-config-files',
  BootstrapCleanup: 'dev-bootstrap-cleanup',
  CuratedPackages: 'dev-packages',
};
const CHAIN = Object.keys(RESOURCE_OF);

/**
 * A fault injected into one step of the create (the workflow's own table of cases, test/workflow/support), run
 * through `pulumi up`: the up fails with an error naming the phase and the step (and what it waited for), the
 * diagnostics are written and named, the failed resource is kept as a partial create with the failed step
 * recorded, earlier phases stay created and later ones are never started. Then, the fault cleared, the next
 * `pulumi up` updates the failed resource (which resumes), creates the rest, and the cluster converges; a third
 * `pulumi up` does nothing.
 */
export async function runFailureCaseThroughPulumi(c: FailureCase): Promise<void> {
  const stack = await SimulatedStack.create();
  const { sim, engine } = stack;
  try {
    const program = () => {
      new EksaCluster(
        'dev',
        stack.args({
          config: config(c.yaml ?? DOCKER_MGMT),
          ...(c.storageClasses ? { storageClasses: c.storageClasses as Record<string, unknown>[] } : {}),
        }),
      );
    };
    c.inject(sim);
    const error = await engine.up(program).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(EngineRunError);
    const message = (error as Error).message;
    const failed = RESOURCE_OF[c.phase];
    expect(message).toContain(`'${failed}' failed to initialize`);
    expect(message).toContain(`${c.phase} of cluster dev: step ${c.step} failed`);
    if (c.reason) expect(message).toMatch(c.reason);
    if (c.wait) {
      expect(message).toMatch(c.wait.waitedFor);
      expect(message).toContain('waited for:');
      expect(message).toContain('last observed:');
    }
    // Where the diagnostics are: relative to the working directory, which the message names too.
    const diagnostics = /diagnostics: (dev\/generated\/diagnostics-[0-9T_-]+)/.exec(message)?.[1];
    expect(diagnostics).toBeDefined();
    expect(message).toContain(`working directory: ${sim.workDir}`);
    const summary = parse(
      fs.readFileSync(path.join(sim.workDir, diagnostics!, 'summary.yaml'), 'utf8'),
    ) as object;
    expect(summary).toMatchObject({ cluster: 'dev', phase: c.phase, step: c.step });
    for (const label of c.diagnosedClusters ?? []) {
      expect(fs.existsSync(path.join(sim.workDir, diagnostics!, label, 'objects.yaml'))).toBe(true);
    }

    // The failed phase is a partial create: kept in state, its step recorded, so that the next up resumes it.
    const step = engine.steps.find((s) => s.run === 1 && s.name === failed)!;
    expect(step).toMatchObject({ op: 'create', initFailure: true });
    const kept = engine.resource(failed)!;
    expect(kept.initErrors?.[0]).toContain(`step ${c.step} failed`);
    expect(kept.outputs).toMatchObject({
      status: 'incomplete',
      failedStep: `${c.phase}/${c.step}`,
      diagnosticsDir: diagnostics,
    });
    const index = CHAIN.indexOf(c.phase);
    expect(engine.operations({ run: 1 })).toEqual(
      CHAIN.slice(0, index + 1).map((phase) => `create ${phase} ${RESOURCE_OF[phase]}`),
    );
    // The secrets of the clusters it reached are nowhere in the error, the state or the log.
    const tokens = [sim.cluster(KIND)?.token, sim.cluster('dev')?.token].filter((t): t is string => !!t);
    for (const token of tokens) {
      expect(message).not.toContain(token);
      expect(engine.stateJson()).not.toContain(token);
      expect(engine.logText()).not.toContain(token);
    }

    // The cause fixed, the next up resumes the failed phase (an update) and creates the rest.
    sim.clearFaults();
    await engine.up(program);
    expect(engine.operations({ run: 2 })).toEqual(
      CHAIN.map(
        (phase, i) =>
          `${i < index ? 'same' : i === index ? 'update' : 'create'} ${phase} ${RESOURCE_OF[phase]}`,
      ),
    );
    const resumed = engine.steps.find((s) => s.run === 2 && s.name === failed)!;
    expect(resumed.logs.join('\n')).toContain(`after the failed step ${c.phase}/${c.step}`);
    expect(engine.resource(failed)!.outputs).toMatchObject({
      status: 'ready',
      failedStep: null,
      diagnosticsDir: null,
    });
    expect(engine.resource(failed)!.initErrors).toBeUndefined();

    // Converged: the cluster manages itself, the bootstrap cluster is gone, the kubeconfig is kept 0600.
    expect(sim.kindClusters()).toEqual([]);
    expect(sim.cluster('dev')!.call({ method: 'GET', path: `${CAPI}/clusters/dev` }).status).toBe(200);
    expect(sim.filesWithModes().get('dev/dev-eks-a-cluster.kubeconfig')).toBe(0o600);
    expect(
      sim.operations.filter((o) => o.type === 'tool' && o.verb === 'create cluster').length,
    ).toBeLessThanOrEqual(2);
    // And stays so.
    await engine.up(program);
    expect(engine.operations({ run: 3 }).every((o) => o.startsWith('same '))).toBe(true);
  } finally {
    await stack.close();
  }
}
