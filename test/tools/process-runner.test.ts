import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { eventually, FakePrograms, isAlive, linuxOnlyTest, ownProcessGroup } from './fake-programs';
import { runProcess, secret, ToolError } from '../../src/tools';

let fakes: FakePrograms;

beforeEach(async () => {
  fakes = await FakePrograms.create();
});

afterEach(async () => {
  await fakes.cleanup();
});

async function failure(promise: Promise<unknown>): Promise<ToolError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof ToolError) {
      return error;
    }
    throw error;
  }
  throw new Error('expected the run to fail');
}

describe('runProcess', () => {
  test('passes argv verbatim (no shell), env, cwd and stdin; returns stdout', async () => {
    await fakes.install('prog', [{ stdout: 'hello\n', echoStdin: true }]);
    const result = await runProcess({
      program: 'prog',
      args: ['a b', '$HOME', '--flag=*', "it's"],
      env: { ...fakes.env(), EXTRA: 'value' },
      cwd: fakes.dir,
      stdin: 'input text',
    });
    expect(result.stdout).toBe('hello\ninput text');
    expect(result.executable).toBe(path.join(fakes.dir, 'prog'));
    const [call] = await fakes.calls('prog');
    expect(call.argv).toEqual(['a b', '$HOME', '--flag=*', "it's"]);
    expect(call.env.EXTRA).toBe('value');
    expect(call.stdin).toBe('input text');
    expect(call.cwd).toBe(fakes.dir);
  });

  test('an env entry set to undefined is removed from the inherited environment', async () => {
    await fakes.install('prog', [{}]);
    process.env.EKSA_IAC_TEST_REMOVE_ME = 'present';
    try {
      await runProcess({
        program: 'prog',
        args: [],
        env: { ...fakes.env(), EKSA_IAC_TEST_REMOVE_ME: undefined },
      });
    } finally {
      delete process.env.EKSA_IAC_TEST_REMOVE_ME;
    }
    const [call] = await fakes.calls('prog');
    expect(call.env.EKSA_IAC_TEST_REMOVE_ME).toBeUndefined();
  });

  test('stdin is empty (not inherited) when none is given', async () => {
    await fakes.install('prog', [{}]);
    await runProcess({ program: 'prog', args: [], env: fakes.env() });
    expect((await fakes.calls('prog'))[0].stdin).toBe('');
  });

  linuxOnlyTest('the child and its children stay in our process group', async () => {
    await fakes.install('prog', [{ grandchild: {}, sleepMs: 20_000 }]);
    const run = runProcess({ program: 'prog', args: [], env: fakes.env(), timeoutMs: 20_000 });
    const controller = run.catch(() => undefined);
    expect(await eventually(() => existsSync(path.join(fakes.dir, 'prog.ready')))).toBe(true);
    const [call] = await fakes.calls('prog');
    expect(call.pgid).toBe(ownProcessGroup());
    const grandchild = await fakes.grandchildPid('prog');
    const { readFileSync } = await import('node:fs');
    const gpgid = Number(
      readFileSync(`/proc/${grandchild}/stat`, 'utf8').split(')').pop()!.trim().split(/\s+/)[2],
    );
    expect(gpgid).toBe(ownProcessGroup());
    process.kill(call.pid, 'SIGKILL');
    process.kill(grandchild, 'SIGKILL');
    await controller;
  });

  test('streams output line by line to the listener', async () => {
    await fakes.install('prog', [{ stdout: 'one\ntwo\r\nthree', stderr: 'warn 1\nwarn 2\n' }]);
    const lines: string[] = [];
    await runProcess({
      program: 'prog',
      args: [],
      env: fakes.env(),
      onOutput: (line, stream) => lines.push(`${stream}:${line}`),
    });
    expect(lines.filter((l) => l.startsWith('stdout:'))).toEqual([
      'stdout:one',
      'stdout:two',
      'stdout:three',
    ]);
    expect(lines.filter((l) => l.startsWith('stderr:'))).toEqual(['stderr:warn 1', 'stderr:warn 2']);
  });

  test('secret stdout is returned but never streamed', async () => {
    await fakes.install('prog', [{ stdout: 'apiVersion: v1\nusers: [token: abc]\n', stderr: 'progress\n' }]);
    const lines: string[] = [];
    const result = await runProcess({
      program: 'prog',
      args: [],
      env: fakes.env(),
      stdoutIsSecret: true,
      onOutput: (line) => lines.push(line),
    });
    expect(result.stdout).toContain('token: abc');
    expect(lines).toEqual(['progress']);
  });

  test('a non-zero exit names program, argv, exit code and the stderr tail', async () => {
    const noise = Array.from({ length: 100 }, (_, i) => `line ${i}`).join('\n');
    await fakes.install('kind', [
      { stderr: `${noise}\nERROR: failed to create cluster: boom\n`, exitCode: 3 },
    ]);
    const error = await failure(
      runProcess({ program: 'kind', args: ['create', 'cluster', '--name', 'x y'], env: fakes.env() }),
    );
    expect(error.failure).toBe('exit');
    expect(error.exitCode).toBe(3);
    expect(error.program).toBe('kind');
    expect(error.message).toContain("kind create cluster --name 'x y': exited with code 3");
    expect(error.message).toContain('ERROR: failed to create cluster: boom');
    // Only the tail: early lines are dropped.
    expect(error.message).not.toContain('line 5\n');
    expect(error.stderrTail.split('\n').length).toBeLessThanOrEqual(40);
  });

  test('secret args and env values never appear in errors or streamed lines', async () => {
    const token = 'ghp_SuperSecretToken123';
    const password = 'hunter2-passphrase';
    await fakes.install('flux', [
      {
        stdout: `using token ${token}\n`,
        stderr: `auth failed for ${password} with ${token}\n`,
        exitCode: 1,
      },
    ]);
    const lines: string[] = [];
    const error = await failure(
      runProcess({
        program: 'flux',
        args: ['bootstrap', 'git', '--password', secret(password), `--header=${password}`],
        env: { ...fakes.env(), GITHUB_TOKEN: secret(token) },
        onOutput: (line) => lines.push(line),
      }),
    );
    // The program itself received the real values.
    const [call] = await fakes.calls('flux');
    expect(call.argv).toEqual(['bootstrap', 'git', '--password', password, `--header=${password}`]);
    expect(call.env.GITHUB_TOKEN).toBe(token);
    // Nothing we report contains them.
    for (const text of [error.message, error.command, error.stderrTail, ...lines]) {
      expect(text).not.toContain(token);
      expect(text).not.toContain(password);
    }
    expect(error.command).toBe("flux bootstrap git --password *** '--header=***'");
    expect(lines).toEqual(['using token ***', 'auth failed for *** with ***']);
  });

  test('a missing program is reported with where it was looked for', async () => {
    const error = await failure(
      runProcess({ program: 'clusterctl', args: ['version'], env: { PATH: fakes.dir } }),
    );
    expect(error.failure).toBe('not-found');
    expect(error.message).toContain('clusterctl: not found');
    expect(error.message).toContain(fakes.dir);
  });

  test('a program given by path is run from that path', async () => {
    const file = await fakes.install('custom-kind', [{ stdout: 'ok' }]);
    const result = await runProcess({ program: file, args: [], env: { PATH: '/nonexistent' } });
    expect(result.stdout).toBe('ok');
  });

  test('a timeout kills the child and its grandchildren, and says so', async () => {
    await fakes.install('clusterctl', [
      { grandchild: {}, sleepMs: 30_000, stderr: 'waiting for cert-manager\n' },
    ]);
    const started = Date.now();
    const error = await failure(
      runProcess({
        program: 'clusterctl',
        args: ['init'],
        env: fakes.env(),
        // Long enough for the fake (a Node process) to start and print even on a loaded machine.
        timeoutMs: 3_000,
        killGraceMs: 2_000,
      }),
    );
    expect(Date.now() - started).toBeLessThan(15_000);
    expect(error.failure).toBe('timeout');
    expect(error.message).toContain('clusterctl init: timed out after 3s');
    expect(error.message).toContain('waiting for cert-manager');
    const [call] = await fakes.calls('clusterctl');
    const grandchild = await fakes.grandchildPid('clusterctl');
    expect(isAlive(call.pid)).toBe(false);
    expect(isAlive(grandchild)).toBe(false);
  });

  test('processes that ignore SIGTERM are killed after the grace period', async () => {
    await fakes.install('kind', [{ grandchild: { ignoreTerm: true }, ignoreTerm: true, sleepMs: 30_000 }]);
    const started = Date.now();
    const error = await failure(
      // The timeout leaves the fake time to install its SIGTERM handler even on a loaded machine; before that,
      // SIGTERM would kill it at once and the test would not exercise the grace period.
      runProcess({ program: 'kind', args: ['create'], env: fakes.env(), timeoutMs: 3_000, killGraceMs: 700 }),
    );
    const elapsed = Date.now() - started;
    expect(error.failure).toBe('timeout');
    // It needed SIGKILL: not before the grace period ended.
    expect(elapsed).toBeGreaterThanOrEqual(3_700);
    expect(error.signal).toBe('SIGKILL');
    const [call] = await fakes.calls('kind');
    expect(isAlive(call.pid)).toBe(false);
    expect(isAlive(await fakes.grandchildPid('kind'))).toBe(false);
  });

  test('an abort signal stops the run and its tree', async () => {
    await fakes.install('helm', [{ grandchild: {}, sleepMs: 30_000 }]);
    const controller = new AbortController();
    const run = runProcess({
      program: 'helm',
      args: ['template'],
      env: fakes.env(),
      signal: controller.signal,
    });
    expect(await eventually(() => existsSync(path.join(fakes.dir, 'helm.ready')))).toBe(true);
    controller.abort(new Error('user cancelled'));
    const error = await failure(run);
    expect(error.failure).toBe('aborted');
    expect(error.message).toContain('helm template: cancelled');
    expect(isAlive(await fakes.grandchildPid('helm'))).toBe(false);
  });

  test('an already aborted signal does not start the program', async () => {
    await fakes.install('helm', [{}]);
    const controller = new AbortController();
    controller.abort();
    const error = await failure(
      runProcess({ program: 'helm', args: [], env: fakes.env(), signal: controller.signal }),
    );
    expect(error.failure).toBe('aborted');
    expect(await fakes.calls('helm')).toEqual([]);
  });

  test('a signal we did not send (the host interrupt) is reported as such', async () => {
    await fakes.install('kind', [{ sleepMs: 30_000 }]);
    const run = runProcess({ program: 'kind', args: ['create'], env: fakes.env() });
    expect(await eventually(() => existsSync(path.join(fakes.dir, 'kind.ready')))).toBe(true);
    const [call] = await fakes.calls('kind');
    process.kill(call.pid, 'SIGINT');
    const error = await failure(run);
    expect(error.failure).toBe('signal');
    expect(error.signal).toBe('SIGINT');
    expect(error.message).toContain('kind create: killed by SIGINT');
  });

  test('too much stdout stops the program with a clear error', async () => {
    await fakes.install('helm', [{ stdoutBytes: 200_000, sleepMs: 5_000 }]);
    const error = await failure(
      runProcess({
        program: 'helm',
        args: ['template'],
        env: fakes.env(),
        maxStdoutBytes: 50_000,
        killGraceMs: 500,
      }),
    );
    expect(error.failure).toBe('output-limit');
  });

  test('a grandchild that keeps our pipes open does not hang a successful run', async () => {
    await fakes.install('docker', [{ grandchild: {}, stdout: 'done\n' }]);
    const started = Date.now();
    const result = await runProcess({ program: 'docker', args: ['info'], env: fakes.env() });
    expect(result.stdout).toBe('done\n');
    expect(Date.now() - started).toBeLessThan(8_000);
    process.kill(await fakes.grandchildPid('docker'), 'SIGKILL');
  });
});

describe('interrupting the host', () => {
  linuxOnlyTest(
    'SIGINT to the host process group (what the Pulumi engine sends) stops the host, the program and its children',
    async () => {
      const { spawn } = await import('node:child_process');
      await fakes.install('kind', [{ grandchild: {}, sleepMs: 60_000 }]);
      const host = spawn(
        process.execPath,
        [
          '-r',
          'ts-node/register/transpile-only',
          path.join(__dirname, 'fixtures', 'interrupt-host.ts'),
          'kind',
        ],
        { detached: true, stdio: 'ignore', env: { ...process.env, ...fakes.env() } },
      );
      const hostExit = new Promise<void>((resolve) => host.on('exit', () => resolve()));
      try {
        expect(await eventually(() => existsSync(path.join(fakes.dir, 'kind.ready')), 30_000)).toBe(true);
        const [call] = await fakes.calls('kind');
        const grandchild = await fakes.grandchildPid('kind');
        // The program and its child share the host's group (not ours, since the host was started detached).
        expect(call.pgid).toBe(host.pid);
        process.kill(-host.pid!, 'SIGINT');
        await hostExit;
        expect(await eventually(() => !isAlive(call.pid) && !isAlive(grandchild), 3_000)).toBe(true);
      } finally {
        try {
          process.kill(-host.pid!, 'SIGKILL');
        } catch {
          // Already gone.
        }
      }
    },
    60_000,
  );
});
