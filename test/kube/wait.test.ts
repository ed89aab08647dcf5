import { Site, startSite, stopSite, widgetObject, widgetRef } from './fixtures';
import { HttpKubeClient, KubeObject, WaitTimeoutError, conditionIsTrue } from '../../src/kube';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

describe('waitFor (watch-driven) against the simulated API server', () => {
  let site: Site;
  let client: HttpKubeClient;
  beforeEach(async () => {
    site = await startSite({ bookmarkIntervalMs: 100 });
    client = site.client;
  });
  afterEach(() => stopSite(site));

  const ready = (object: KubeObject | undefined): boolean =>
    (object?.status as { ready?: boolean } | undefined)?.ready === true;
  const setStatus = (name: string, status: Record<string, unknown>) =>
    client.mergePatch(widgetRef(name), { status }, { status: true });
  const watchRequests = (): number => site.server.requests.count({ watch: true });
  const listRequests = (): number =>
    site.server.requests.count({
      method: 'GET',
      watch: false,
      path: '/apis/example.com/v1/namespaces/default/widgets',
    });

  test('resolves with the object as soon as a watched change satisfies the predicate, without polling', async () => {
    await client.create(widgetObject('w'));
    const waiting = client.waitFor(widgetRef('w'), ready, { timeoutMs: 10_000 });
    await sleep(100);
    await setStatus('w', { ready: true });
    const object = await waiting;
    expect(object?.status).toEqual({ ready: true });
    expect(listRequests()).toBe(1);
    expect(watchRequests()).toBe(1);
  });

  test('resolves at once when the predicate already holds', async () => {
    await client.create(widgetObject('w'));
    await setStatus('w', { ready: true });
    await expect(client.waitFor(widgetRef('w'), ready, { timeoutMs: 5000 })).resolves.toBeDefined();
  });

  test('waits for an object that does not exist yet, and for one to be deleted', async () => {
    const appear = client.waitFor(widgetRef('later'), (o) => o !== undefined, { timeoutMs: 5000 });
    await sleep(50);
    await client.create(widgetObject('later', { size: 1 }, { finalizers: ['example.com/hold'] }));
    expect((await appear)?.metadata.name).toBe('later');
    await client.delete(widgetRef('later'));
    const gone = client.waitForDeletion(widgetRef('later'), { timeoutMs: 5000 });
    await sleep(50);
    await client.mergePatch(widgetRef('later'), { metadata: { finalizers: null } });
    await expect(gone).resolves.toBeUndefined();
  });

  test('a status that describes an older generation does not count until observedGeneration catches up', async () => {
    await client.create(widgetObject('w'));
    await setStatus('w', { ready: true, observedGeneration: 1 });
    await client.mergePatch(widgetRef('w'), { spec: { size: 2 } });
    let resolved = false;
    const waiting = client.waitFor(widgetRef('w'), ready, { timeoutMs: 5000 }).then((o) => {
      resolved = true;
      return o;
    });
    await sleep(150);
    expect(resolved).toBe(false);
    await setStatus('w', { ready: true, observedGeneration: 2 });
    expect((await waiting)?.metadata.generation).toBe(2);
    const ignoring = await client.waitFor(widgetRef('w'), () => true, {
      timeoutMs: 1000,
      requireObservedGeneration: false,
    });
    expect(ignoring).toBeDefined();
  });

  test('holdFor: the predicate must hold for consecutive checks; a break starts the count again', async () => {
    await client.create(widgetObject('w'));
    const interval = 150;
    let trueSince = 0;
    const waiting = client.waitFor(widgetRef('w'), ready, {
      timeoutMs: 10_000,
      holdFor: 4,
      holdIntervalMs: interval,
    });
    await setStatus('w', { ready: true });
    await sleep(interval * 1.5);
    await setStatus('w', { ready: false });
    await sleep(20);
    await setStatus('w', { ready: true });
    trueSince = Date.now();
    await waiting;
    // Four checks of a steady state: the first, then three more `interval` apart.
    expect(Date.now() - trueSince).toBeGreaterThanOrEqual(interval * 3 - 10);
  });

  test('a watch that expires (410) is followed by a fresh list, and the wait goes on', async () => {
    await client.create(widgetObject('w'));
    const waiting = client.waitFor(widgetRef('w'), ready, { timeoutMs: 10_000 });
    await sleep(100);
    expect(site.server.expireWatches()).toBe(1);
    await sleep(100);
    await setStatus('w', { ready: true });
    await expect(waiting).resolves.toBeDefined();
    expect(listRequests()).toBe(2);
    expect(watchRequests()).toBe(2);
  });

  test('a watch the server closes is resumed from the last resourceVersion, without a new list', async () => {
    await client.create(widgetObject('w'));
    const waiting = client.waitFor(widgetRef('w'), ready, { timeoutMs: 10_000 });
    await sleep(100);
    site.server.closeWatches();
    await setStatus('w', { ready: true });
    await expect(waiting).resolves.toBeDefined();
    expect(listRequests()).toBe(1);
    expect(watchRequests()).toBe(2);
    const resumed = site.server.requests.entries({ watch: true })[1];
    expect(resumed.query).toMatch(/resourceVersion=\d+/);
  });

  test('transient failures while waiting are retried (the API server restarting, say)', async () => {
    await client.create(widgetObject('w'));
    site.server.faults.add({
      method: 'GET',
      path: '/apis/example.com/v1/namespaces/default/widgets',
      watch: false,
      status: 503,
      times: 2,
    });
    site.server.faults.add({
      method: 'GET',
      path: '/apis/example.com/v1/namespaces/default/widgets',
      watch: true,
      reset: true,
    });
    const waiting = client.waitFor(widgetRef('w'), ready, { timeoutMs: 10_000 });
    await sleep(300);
    await setStatus('w', { ready: true });
    await expect(waiting).resolves.toBeDefined();
  });

  test('a kind that is not served yet is waited for until its CRD arrives', async () => {
    const ref = { apiVersion: 'late.example/v1', kind: 'Late', name: 'x' };
    const waiting = client.waitFor(ref, (o) => o !== undefined, { timeoutMs: 10_000 });
    await sleep(100);
    await client.apply({
      apiVersion: 'apiextensions.k8s.io/v1',
      kind: 'CustomResourceDefinition',
      metadata: { name: 'lates.late.example' },
      spec: {
        group: 'late.example',
        names: { kind: 'Late', plural: 'lates' },
        scope: 'Cluster',
        versions: [
          { name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: { type: 'object' } } },
        ],
      },
    });
    await client.waitForCrdsEstablished(['lates.late.example'], { timeoutMs: 5000 });
    await client.create({ apiVersion: 'late.example/v1', kind: 'Late', metadata: { name: 'x' } });
    await expect(waiting).resolves.toMatchObject({ metadata: { name: 'x' } });
  });

  test('on timeout the error names what was awaited and the last observed conditions', async () => {
    await client.create(widgetObject('w'));
    await setStatus('w', {
      observedGeneration: 1,
      conditions: [
        {
          type: 'Ready',
          status: 'False',
          reason: 'WaitingForInfrastructure',
          message: 'machines are being created',
        },
        { type: 'ControlPlaneInitialized', status: 'True' },
      ],
    });
    const error = (await client
      .waitFor(widgetRef('w'), conditionIsTrue('Ready'), { timeoutMs: 300, description: 'Ready=True' })
      .catch((e) => e)) as WaitTimeoutError;
    expect(error).toBeInstanceOf(WaitTimeoutError);
    expect(error.message).toBe(
      'timed out after 300ms waiting for Ready=True on Widget default/w; last observed: generation 1, observedGeneration 1; Ready=False (WaitingForInfrastructure: machines are being created), ControlPlaneInitialized=True',
    );
    expect(error.lastConditions).toHaveLength(2);
    expect((error.lastObject as KubeObject).metadata.name).toBe('w');
    const missing = (await client
      .waitFor(widgetRef('nope'), ready, { timeoutMs: 200 })
      .catch((e) => e)) as WaitTimeoutError;
    expect(missing.message).toContain('last observed: the object does not exist');
  });

  test('progress lines arrive at the configured interval with the current state', async () => {
    await client.create(widgetObject('w'));
    const lines: string[] = [];
    await client
      .waitFor(widgetRef('w'), ready, {
        timeoutMs: 350,
        progressIntervalMs: 100,
        description: 'widget ready',
        onProgress: (l) => lines.push(l),
      })
      .catch(() => undefined);
    expect(lines.length).toBeGreaterThanOrEqual(2);
    expect(lines[0]).toMatch(
      /^still waiting for widget ready on Widget default\/w \(\d+ms elapsed\): no conditions$/,
    );
  });

  test('without onProgress, progress lines go to the client log', async () => {
    await client.create(widgetObject('w'));
    await client
      .waitFor(widgetRef('w'), ready, { timeoutMs: 250, progressIntervalMs: 50 })
      .catch(() => undefined);
    expect(
      site.log.filter((l) => l.startsWith('still waiting for the condition on Widget default/w')).length,
    ).toBeGreaterThanOrEqual(2);
  });

  test('an abort signal ends the wait', async () => {
    await client.create(widgetObject('w'));
    const controller = new AbortController();
    const waiting = client.waitFor(widgetRef('w'), ready, { timeoutMs: 10_000, signal: controller.signal });
    setTimeout(() => controller.abort(new Error('stop')), 50);
    await expect(waiting).rejects.toThrow('stop');
    for (let i = 0; i < 200 && site.server.openWatchCount > 0; i++) await sleep(10);
    expect(site.server.openWatchCount).toBe(0);
  });

  test('a non-transient error ends the wait with that error', async () => {
    site.server.faults.add({
      method: 'GET',
      path: '/apis/example.com/v1/namespaces/default/widgets',
      status: 403,
      message: 'forbidden by test',
    });
    await expect(client.waitFor(widgetRef('w'), ready, { timeoutMs: 5000 })).rejects.toMatchObject({
      statusCode: 403,
    });
  });
});
