// Stop the move at every request to the target cluster in turn, re-run it, compare with a clean move.
import { faultSweep, transientSweep } from './fault-sweep';
import { stopSites } from './site';

afterEach(stopSites);

test(
  'a move stopped at any request to the target cluster completes when re-run, as a clean move would',
  () => faultSweep('to'),
  900_000,
);

test(
  'a single failed request to the target cluster is retried and the move completes in one run',
  () => transientSweep('to'),
  900_000,
);
