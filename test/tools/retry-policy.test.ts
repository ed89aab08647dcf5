import { research, section } from './research';
import {
  CLUSTERCTL_BACKUP_RETRY_POLICY,
  CLUSTERCTL_MOVE_RETRY_POLICY,
  Clock,
  RetryExhaustedError,
  retryWithPolicy,
  systemClock,
} from '../../src/tools';

const A1_STEP_8 = section(
  research('eksa'),
  '8. **capi-management-move**',
  '9. **eksa-components-workload-install**',
);
const A4_STEP_6 = section(
  research('eksa'),
  '6. pre-cluster-upgrade',
  '7. install-new-eksa-version-components',
);
const A7 = section(research('eksa'), '### A7.', '## (b)');

/** Virtual time: only sleeping moves the clock. */
function fakeClock(): Clock & { sleeps: number[]; attemptsAt: number[] } {
  let now = 0;
  const sleeps: number[] = [];
  return {
    sleeps,
    attemptsAt: [],
    now: () => now,
    sleep: async (ms) => {
      sleeps.push(ms);
      now += ms;
    },
  };
}

const connectError = new Error('Error: failed to connect to the management cluster: connection refused');

describe('the clusterctl move retry policy (EKS-A)', () => {
  test('matches the research: 30 min, 10 s × 1.5ⁿ, only "failed to connect to the management cluster"', () => {
    const [, minutes] = /retried for (\d+) min only on "([^"]+)"/.exec(A1_STEP_8)!;
    const phrase = /only on "([^"]+)"/.exec(A1_STEP_8)![1];
    const [, initial, factor] = /back-off (\d+) s×([\d.]+)ⁿ/.exec(A1_STEP_8)!;
    expect(CLUSTERCTL_MOVE_RETRY_POLICY.timeoutMs).toBe(Number(minutes) * 60_000);
    expect(CLUSTERCTL_MOVE_RETRY_POLICY.initialDelayMs).toBe(Number(initial) * 1000);
    expect(CLUSTERCTL_MOVE_RETRY_POLICY.factor).toBe(Number(factor));
    expect(CLUSTERCTL_MOVE_RETRY_POLICY.isRetryable(new Error(`x: ${phrase}: y`))).toBe(true);
    expect(
      CLUSTERCTL_MOVE_RETRY_POLICY.isRetryable(new Error('failed to check for provisioned infrastructure')),
    ).toBe(false);
    expect(A7).toContain('clusterctl move / backup retries | 30m, only network errors, 10 s×1.5ⁿ');
  });

  test('the backup policy also tolerates "failed to check for provisioned infrastructure" (A4 step 6)', () => {
    const phrase = /tolerates "([^"]+)"/.exec(A4_STEP_6)![1];
    expect(CLUSTERCTL_BACKUP_RETRY_POLICY.isRetryable(new Error(phrase))).toBe(true);
    expect(CLUSTERCTL_BACKUP_RETRY_POLICY.isRetryable(connectError)).toBe(true);
    expect(CLUSTERCTL_BACKUP_RETRY_POLICY.isRetryable(new Error('forbidden'))).toBe(false);
  });

  test('keeps retrying a network error until 30 minutes have passed, growing each wait by 1.5', async () => {
    const clock = fakeClock();
    let attempts = 0;
    const error = await retryWithPolicy(
      async () => {
        attempts++;
        clock.attemptsAt.push(clock.now());
        throw connectError;
      },
      CLUSTERCTL_MOVE_RETRY_POLICY,
      { clock },
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RetryExhaustedError);
    expect((error as RetryExhaustedError).lastError).toBe(connectError);
    expect((error as Error).message).toMatch(
      /^clusterctl move: gave up after \d+ attempts over 30m; last error: .*failed to connect/,
    );
    expect(attempts).toBe(clock.sleeps.length + 1);
    expect(clock.sleeps[0]).toBe(10_000);
    for (let i = 1; i < clock.sleeps.length - 1; i++) {
      expect(clock.sleeps[i]).toBeCloseTo(clock.sleeps[i - 1] * 1.5, 6);
    }
    // The last wait is cut short so the final attempt happens at the deadline, not after it.
    const last = clock.sleeps[clock.sleeps.length - 1];
    expect(last).toBeLessThanOrEqual(clock.sleeps[clock.sleeps.length - 2] * 1.5);
    expect(Math.max(...clock.attemptsAt)).toBe(30 * 60_000);
  });

  test('an error that is not retryable is thrown at once, untouched', async () => {
    const clock = fakeClock();
    const fatal = new Error('clusters.cluster.x-k8s.io "mgmt" is forbidden');
    await expect(
      retryWithPolicy(async () => Promise.reject(fatal), CLUSTERCTL_MOVE_RETRY_POLICY, { clock }),
    ).rejects.toBe(fatal);
    expect(clock.sleeps).toEqual([]);
  });

  test('success after retries returns the result and reports each retry', async () => {
    const clock = fakeClock();
    const events: Array<[number, number]> = [];
    const result = await retryWithPolicy(
      async (attempt) => {
        if (attempt < 3) {
          throw connectError;
        }
        return 'moved';
      },
      CLUSTERCTL_MOVE_RETRY_POLICY,
      { clock, onRetry: (e) => events.push([e.attempt, e.delayMs]) },
    );
    expect(result).toBe('moved');
    expect(events).toEqual([
      [1, 10_000],
      [2, 15_000],
    ]);
  });

  test('an abort during a wait stops the retries', async () => {
    const controller = new AbortController();
    let attempts = 0;
    const run = retryWithPolicy(
      async () => {
        attempts++;
        throw connectError;
      },
      { ...CLUSTERCTL_MOVE_RETRY_POLICY, initialDelayMs: 60_000 },
      { signal: controller.signal, clock: systemClock },
    );
    setTimeout(() => controller.abort(new Error('deployment cancelled')), 50);
    await expect(run).rejects.toThrow('deployment cancelled');
    expect(attempts).toBe(1);
  });
});
