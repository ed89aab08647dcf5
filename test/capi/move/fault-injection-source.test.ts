// Stop the move at every request to the source cluster in turn, re-run it, compare with a clean move.
import { faultSweep, transientSweep } from './fault-sweep';
import { stopSites } from './site';

afterEach(stopSites);

test(
  'a move stopped at any request to the source cluster completes when re-run, as a clean move would',
  () => faultSweep('from'),
  900_000,
);

test(
  'a single failed request to the source cluster is retried and the move completes in one run',
  () => transientSweep('from'),
  900_000,
);
