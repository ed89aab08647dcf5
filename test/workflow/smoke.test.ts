import * as path from 'node:path';
import { loadClusterConfigFile } from '../../src/spec/parse';
import { createCluster } from '../../src/workflow/create-cluster';
import { InstantSite, OFFLINE_BUNDLES } from './support/instant-site';

test('smoke', async () => {
  const sim = await InstantSite.create();
  try {
    const config = loadClusterConfigFile(path.join(__dirname, '../fixtures/spec/valid/docker-typical.yaml'));
    const result = await createCluster(sim.site, config, { bundles: OFFLINE_BUNDLES, timeouts: { pollIntervalMs: 20, progressIntervalMs: 2000, controlPlaneMs: 8000, externalEtcdMs: 8000, kubeconfigSecretMs: 8000, machinesMinimumMs: 8000, perMachineMs: 1000, deploymentMs: 8000, clusterAvailableMs: 8000, controlPlaneAfterMoveMs: 8000 } });
    console.log(sim.journal.names().join('\n'));
    console.log(result.endpoint, result.warnings);
  } catch (e) {
    console.log(sim.journal.names().join('\n'));
    console.log(sim.logLines.slice(-30).join('\n'));
    throw e;
  } finally {
    await sim.close();
  }
});
