/**
 * Password hashing (argon2id, DESIGN §5) and the common-password list. Hashes run on a pool of
 * worker threads, one per core (issue 15): sign-in throughput is bounded by the hash, and a pool
 * sized to the cores is the bound itself — libuv's default pool has 4 threads whatever the machine
 * (more threads than cores slows every hash and starves the main thread; fewer leaves a core idle),
 * and UV_THREADPOOL_SIZE cannot be set from inside a process once its modules are loading.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';

/** argon2id (the library default algorithm) with at least OWASP's m=19 MiB, t=2, p=1. */
export const PASSWORD_HASH_OPTIONS = { memoryCost: 19456, timeCost: 2, parallelism: 1 } as const;
const OPTIONS = PASSWORD_HASH_OPTIONS;

/** One worker's program: the library's synchronous calls, one job at a time (CommonJS, evaluated). */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const argon2 = require(workerData.library);
parentPort.on('message', (job) => {
  try {
    const result = job.op === 'hash' ? argon2.hashSync(job.a, job.b) : argon2.verifySync(job.a, job.b);
    parentPort.postMessage({ ok: true, result });
  } catch (err) {
    parentPort.postMessage({ ok: false, message: String((err && err.message) || err) });
  }
});`;

interface Job {
  op: 'hash' | 'verify';
  a: string;
  b: unknown;
  resolve: (value: never) => void;
  reject: (err: Error) => void;
}

/** The threads that hash: `size` workers (default one per core), started on first use. */
export class HashPool {
  readonly size: number;
  readonly #idle: Worker[] = [];
  readonly #running = new Map<Worker, Job>();
  readonly #queue: Job[] = [];
  #started = 0;

  constructor(size = availableParallelism()) {
    this.size = Math.max(1, size);
  }

  hash(password: string, options: object): Promise<string> {
    return this.#run<string>('hash', password, options);
  }

  verify(stored: string, password: string): Promise<boolean> {
    return this.#run<boolean>('verify', stored, password);
  }

  #run<T>(op: Job['op'], a: string, b: unknown): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.#queue.push({ op, a, b, resolve: resolve as (v: never) => void, reject });
      this.#dispatch();
    });
  }

  #dispatch(): void {
    while (this.#queue.length > 0) {
      const worker = this.#idle.pop() ?? (this.#started < this.size ? this.#spawn() : undefined);
      if (!worker) return;
      const job = this.#queue.shift()!;
      this.#running.set(worker, job);
      // A worker with a job keeps the process alive until it answers; an idle one does not.
      worker.ref();
      worker.postMessage({ op: job.op, a: job.a, b: job.b });
    }
  }

  #spawn(): Worker {
    this.#started += 1;
    const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { library: createRequire(import.meta.url).resolve('@node-rs/argon2') } });
    worker.unref();
    worker.on('message', (msg: { ok: true; result: never } | { ok: false; message: string }) => {
      const job = this.#running.get(worker);
      this.#running.delete(worker);
      worker.unref();
      this.#idle.push(worker);
      if (job) {
        if (msg.ok) job.resolve(msg.result);
        else job.reject(new Error(msg.message));
      }
      this.#dispatch();
    });
    worker.on('error', (err) => this.#lost(worker, err));
    worker.on('exit', (code) => this.#lost(worker, new Error(`password hashing worker exited (${code})`)));
    return worker;
  }

  /** A worker died: its job fails, and a new worker takes its place for the jobs still queued. */
  #lost(worker: Worker, err: Error): void {
    const job = this.#running.get(worker);
    const wasKnown = job !== undefined || this.#idle.includes(worker);
    this.#running.delete(worker);
    const at = this.#idle.indexOf(worker);
    if (at >= 0) this.#idle.splice(at, 1);
    if (!wasKnown) return;
    this.#started -= 1;
    job?.reject(err);
    this.#dispatch();
  }
}

/** This process's hashing threads (one per core). */
export const hashPool = new HashPool();

const COMMON = new Set(
  readFileSync(new URL('./common-passwords.txt', import.meta.url), 'utf8')
    .split('\n')
    .map((line) => line.trim().toLowerCase())
    .filter((line) => line && !line.startsWith('#')),
);

export function isCommonPassword(password: string): boolean {
  return COMMON.has(password.trim().toLowerCase());
}

export function hashPassword(password: string): Promise<string> {
  return hashPool.hash(password, OPTIONS);
}

export async function verifyPassword(stored: string, password: string): Promise<boolean> {
  try {
    return await hashPool.verify(stored, password);
  } catch {
    return false;
  }
}

/** True when the stored hash is weaker than today's parameters (rehash on the next sign-in). */
export function needsRehash(stored: string): boolean {
  const m = /^\$argon2id\$v=19\$m=(\d+),t=(\d+),p=(\d+)\$/.exec(stored);
  if (!m) return true;
  return Number(m[1]) < OPTIONS.memoryCost || Number(m[2]) < OPTIONS.timeCost;
}

/** A hash of a random password, verified against when the email is unknown (similar timing). */
let dummyHash: Promise<string> | undefined;
export function dummyPasswordHash(): Promise<string> {
  dummyHash ??= hashPassword(`dummy-${Math.random()}-${Date.now()}`);
  return dummyHash;
}
