// M-BR (research/capi.md §3.2): backup to a directory and restore from it.
import { mkdtemp, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { cluster, clusterClass } from './fixtures';
import { FAST, keys, newSite, stopSites } from './site';

afterEach(stopSites);
import { backupClusterApi, readBackup, restoreClusterApi } from '../../../src/capi/move/backup';
import { PAUSED_BY_MOVE_ANNOTATION } from '../../../src/capi/move/constants';
import { MoveError } from '../../../src/capi/move/move-error';
import type { KubeObject } from '../../../src/kube/types';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'eksa-iac-backup-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const TABLES = [
  ['cluster', () => cluster('ns1', 'foo').list],
  ['clusters in two namespaces', () => [...cluster('ns1', 'foo').list, ...cluster('ns2', 'bar').list]],
] as const;

const filesFor = (ns: string, c: string) => [
  `Cluster_${ns}_${c}.yaml`,
  `Secret_${ns}_${c}-kubeconfig.yaml`,
  `Secret_${ns}_${c}-ca.yaml`,
  `GenericInfrastructureCluster_${ns}_${c}.yaml`,
];

describe('backup to a directory', () => {
  test.each(TABLES)(
    '%s: one file per object, one line of JSON each, source untouched',
    async (name, objects) => {
      const site = await newSite(objects());
      const backup = path.join(dir, 'backup');
      const result = await backupClusterApi({
        from: site.from.client,
        namespace: '',
        directory: backup,
        retry: FAST,
      });
      const expected = [
        ...filesFor('ns1', 'foo'),
        ...(name === 'cluster' ? [] : filesFor('ns2', 'bar')),
      ].sort();
      expect((await readdir(backup)).sort()).toEqual(expected);
      expect([...result.files].sort()).toEqual(expected);

      for (const source of objects()) {
        const file = path.join(
          backup,
          `${source.kind}_${source.metadata.namespace}_${source.metadata.name}.yaml`,
        );
        const text = await readFile(file, 'utf8');
        expect(text.endsWith('\n')).toBe(true);
        expect(text.trimEnd().includes('\n')).toBe(false);
        const saved = JSON.parse(text) as KubeObject;
        expect(saved).toMatchObject({
          apiVersion: source.apiVersion,
          kind: source.kind,
          metadata: {
            name: source.metadata.name,
            namespace: source.metadata.namespace,
            uid: site.from.uidOf(source.metadata.uid!),
          },
        });
        // Owner UIDs are those of the source.
        expect(saved.metadata.ownerReferences ?? []).toEqual(
          (source.metadata.ownerReferences ?? []).map((r) => ({ ...r, uid: site.from.uidOf(r.uid) })),
        );
        expect(saved.metadata.resourceVersion).toEqual(expect.any(String));
        if (source.kind === 'Cluster') {
          // Saved while paused, with its status.
          expect((saved.spec as { paused?: boolean }).paused).toBe(true);
          expect(saved.status).toMatchObject(source.status as object);
        }
        expect(((await stat(file)).mode % 0o1000).toString(8)).toBe('600');
      }
      expect(((await stat(backup)).mode % 0o1000).toString(8)).toBe('700');
      // Nothing deleted, and unpaused again.
      expect(keys(site.from.objects())).toEqual(keys(objects()));
      for (const c of site.from.objects().filter((o) => o.kind === 'Cluster')) {
        expect((c.spec as { paused?: boolean }).paused).toBeUndefined();
        expect(c.metadata.annotations?.[PAUSED_BY_MOVE_ANNOTATION]).toBeUndefined();
      }
    },
  );

  test('a second backup rewrites the files', async () => {
    const site = await newSite(cluster('ns1', 'foo').list);
    await backupClusterApi({ from: site.from.client, namespace: 'ns1', directory: dir, retry: FAST });
    const file = path.join(dir, 'Cluster_ns1_foo.yaml');
    await writeFile(file, 'stale\n');
    await backupClusterApi({ from: site.from.client, namespace: 'ns1', directory: dir, retry: FAST });
    expect(JSON.parse(await readFile(file, 'utf8')).metadata.name).toBe('foo');
  });

  test.each([
    ['a paused cluster', cluster('ns1', 'foo', { paused: true }).list, /Clusters are paused/],
    [
      'a paused cluster class',
      clusterClass('ns1', 'class1', { paused: true }).list,
      /ClusterClasses are paused/,
    ],
  ])('%s → refused, nothing written', async (_name, objects, message) => {
    const site = await newSite(objects);
    await expect(
      backupClusterApi({
        from: site.from.client,
        namespace: 'ns1',
        directory: path.join(dir, 'b'),
        retry: FAST,
      }),
    ).rejects.toThrow(message);
    await expect(stat(path.join(dir, 'b'))).rejects.toThrow();
  });

  test('clusterName backs up one cluster', async () => {
    const site = await newSite([...cluster('ns1', 'foo').list, ...cluster('ns1', 'bar').list]);
    const result = await backupClusterApi({
      from: site.from.client,
      namespace: 'ns1',
      clusterName: 'foo',
      directory: dir,
      retry: FAST,
    });
    expect([...result.files].sort()).toEqual(filesFor('ns1', 'foo').sort());
  });
});

describe('restore from a directory', () => {
  test.each(TABLES)(
    '%s: every object restored with owners resolved and unpaused; a second restore changes nothing',
    async (_name, objects) => {
      const site = await newSite(objects());
      await backupClusterApi({ from: site.from.client, namespace: '', directory: dir, retry: FAST });
      const result = await restoreClusterApi({ to: site.to.client, directory: dir, retry: FAST });
      expect(result.created).toBe(objects().length);
      const restored = site.to.objects();
      expect(keys(restored)).toEqual(keys(objects()));
      const byUid = new Map(restored.map((o) => [o.metadata.uid, o]));
      for (const o of restored) {
        for (const ref of o.metadata.ownerReferences ?? []) {
          expect(byUid.get(ref.uid)?.metadata.name).toBe(ref.name);
        }
        if (o.kind === 'Cluster') {
          expect((o.spec as { paused?: boolean }).paused).toBeUndefined();
          expect(o.metadata.annotations?.[PAUSED_BY_MOVE_ANNOTATION]).toBeUndefined();
        }
      }
      const identity = (list: KubeObject[]) =>
        list.map((o) => [
          o.kind,
          o.metadata.name,
          o.metadata.uid,
          o.metadata.creationTimestamp,
          o.metadata.ownerReferences,
        ]);
      const again = await restoreClusterApi({ to: site.to.client, directory: dir, retry: FAST });
      expect(again).toMatchObject({ created: 0, existing: objects().length });
      expect(identity(site.to.objects())).toEqual(identity(restored));
    },
  );

  test('files that are not saved objects are named, all at once, and nothing is written', async () => {
    await writeFile(path.join(dir, 'a.yaml'), '{ not: [valid');
    await writeFile(
      path.join(dir, 'b.yaml'),
      JSON.stringify({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'x' } }),
    );
    const site = await newSite([]);
    let error: unknown;
    try {
      await restoreClusterApi({ to: site.to.client, directory: dir, retry: FAST });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(MoveError);
    expect((error as MoveError).problems).toEqual([
      expect.stringMatching(/a\.yaml: not YAML or JSON/),
      expect.stringMatching(/b\.yaml: metadata.uid missing/),
    ]);
    expect(site.to.requests).toEqual([]);
  });

  test('a missing directory is a clear error', async () => {
    await expect(readBackup(path.join(dir, 'nope'))).rejects.toThrow(
      /Cannot read the backup directory .*nope/,
    );
  });
});
