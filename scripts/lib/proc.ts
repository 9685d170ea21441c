/** Small process helpers shared by `npm start`, `npm test` and the end-to-end tests. */
import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { createServer } from 'node:net';

export const ROOT = new URL('../../', import.meta.url).pathname;

/** Asks the OS for a free TCP port on loopback. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

export interface ApiProcess {
  readonly url: string;
  readonly child: ChildProcess;
  /** Everything the process wrote to stderr so far (errors it logged while serving, too). */
  stderr(): string;
  stop(): Promise<void>;
}

/**
 * Starts the reference API (`server/main.ts`) as its own process, as production would run it, and
 * resolves once it prints its `portal API listening on <url>` line.
 */
export function startApi(env: Record<string, string | undefined>, opts: { echo?: boolean } = {}): Promise<ApiProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  let ready = false;
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => fail(new Error(`the API did not start within 60 s:\n${stdout}${stderr}`)), 60_000);
    const fail = (err: Error) => {
      clearTimeout(timer);
      child.kill('SIGTERM');
      reject(err);
    };
    child.stdout?.on('data', (chunk: Buffer) => {
      if (opts.echo) process.stdout.write(chunk);
      if (ready) return;
      stdout += chunk.toString();
      const m = /portal API listening on (\S+)/.exec(stdout);
      if (!m) return;
      ready = true;
      clearTimeout(timer);
      resolve({ url: m[1]!.replace(/\/$/, ''), child, stderr: () => stderr, stop: () => stop(child) });
    });
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      if (opts.echo) process.stderr.write(chunk);
    });
    child.on('exit', (code) => {
      if (!ready) fail(new Error(`the API exited with code ${code} before it was ready:\n${stdout}${stderr}`));
    });
  });
}

/** Sends SIGTERM and waits for the process to exit (SIGKILL after 10 s). */
export function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const t = setTimeout(() => child.kill('SIGKILL'), 10_000);
    child.once('exit', () => {
      clearTimeout(t);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

/** Runs a command to completion, inheriting stdio (or handing piped output to `onOutput`); resolves with its exit code. */
export function run(cmd: string, args: string[], options: SpawnOptions & { onOutput?: (chunk: Buffer) => void } = {}): Promise<number> {
  const { onOutput, ...spawnOptions } = options;
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { cwd: ROOT, stdio: 'inherit', ...spawnOptions });
    if (onOutput) for (const stream of [child.stdout, child.stderr]) stream?.on('data', onOutput);
    child.on('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0)));
    child.on('error', () => resolve(127));
  });
}
