/**
 * PGlite on a thread of its own. PGlite runs PostgreSQL as WebAssembly, synchronously: on the main
 * thread every query stops the event loop for as long as it runs, so the HTTP server does not read
 * its sockets meanwhile, and under load some connections wait far longer than others (issue 15:
 * `GET /me` at 50 connections, p50 55 ms but p99 1.1–1.4 s and a maximum close to the whole run).
 * Here the database runs in a worker thread and the main thread only posts each query and its
 * answer: the event loop stays free, the two cores share the work, and the wait is the queue's.
 *
 * The handle offers what the server uses of PGlite (`query`, `exec`, `close`). Errors come back with
 * PostgreSQL's fields (`code`, `detail`, `constraint`, …) as own properties, as PGlite throws them.
 * The worker keeps the process alive only while a request is in flight, so a forgotten handle
 * never holds a finished command open, and a command's last query is never cut short.
 */
import { Worker } from 'node:worker_threads';

/** What a query answers (PGlite's `Results`, as far as the server reads it). */
export interface QueryResults<R> {
  rows: R[];
  affectedRows?: number;
  command?: string;
}

export interface PGliteHandle {
  query<R>(sql: string, params?: unknown[]): Promise<QueryResults<R>>;
  exec(sql: string): Promise<void>;
  close(): Promise<void>;
}

// CommonJS, evaluated as the worker's script: it imports PGlite by the URL the main thread resolved
// (the same copy the server depends on), opens the data directory and answers one message at a time.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const fields = (err) => {
  const out = { message: String((err && err.message) || err) };
  if (err && typeof err === 'object') for (const [k, v] of Object.entries(err)) {
    if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') out[k] = v;
  }
  return out;
};
(async () => {
  let db;
  try {
    const { PGlite } = await import(workerData.url);
    db = new PGlite(workerData.dataDir);
    await db.waitReady;
  } catch (err) {
    parentPort.postMessage({ id: 0, error: fields(err) });
    return;
  }
  parentPort.on('message', async ({ id, op, sql, params }) => {
    try {
      if (op === 'query') {
        const r = await db.query(sql, params);
        parentPort.postMessage({ id, result: { rows: r.rows, affectedRows: r.affectedRows, command: r.command } });
      } else if (op === 'exec') {
        await db.exec(sql);
        parentPort.postMessage({ id });
      } else {
        await db.close();
        parentPort.postMessage({ id });
      }
    } catch (err) {
      parentPort.postMessage({ id, error: fields(err) });
    }
  });
  parentPort.postMessage({ id: 0 });
})();
`;

interface Reply {
  id: number;
  result?: QueryResults<unknown>;
  error?: { message: string } & Record<string, unknown>;
}

const asError = (fields: { message: string } & Record<string, unknown>): Error => {
  const { message, ...rest } = fields;
  return Object.assign(new Error(message), rest);
};

/** Opens PGlite on `dataDir` (undefined: in memory) in a worker thread, once it is ready. */
export async function openPGliteThread(dataDir: string | undefined): Promise<PGliteHandle> {
  const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { url: import.meta.resolve('@electric-sql/pglite'), dataDir } });
  const pending = new Map<number, { resolve: (r: Reply) => void; reject: (e: Error) => void }>();
  let next = 1;
  let stopped: Error | undefined;

  const settle = (reply: Reply) => {
    const waiter = pending.get(reply.id);
    if (!waiter) return;
    pending.delete(reply.id);
    if (pending.size === 0) worker.unref();
    if (reply.error) waiter.reject(asError(reply.error));
    else waiter.resolve(reply);
  };
  const stop = (err: Error) => {
    stopped ??= err;
    for (const waiter of pending.values()) waiter.reject(stopped);
    pending.clear();
  };
  worker.on('message', settle);
  worker.on('error', (err) => stop(new Error(`the embedded database stopped: ${err.message}`)));
  worker.on('exit', (code) => stop(new Error(`the embedded database stopped (its thread exited with code ${code})`)));

  const send = (op: 'query' | 'exec' | 'close', sql?: string, params?: unknown[]): Promise<Reply> => {
    if (stopped) return Promise.reject(stopped);
    const id = next++;
    worker.ref();
    const reply = new Promise<Reply>((resolve, reject) => pending.set(id, { resolve, reject }));
    worker.postMessage({ id, op, sql, params });
    return reply;
  };

  // Ready (id 0) or failed to open: the worker's first message.
  try {
    await new Promise<Reply>((resolve, reject) => pending.set(0, { resolve, reject }));
  } catch (err) {
    await worker.terminate();
    throw err;
  }
  worker.unref();

  return {
    async query<R>(sql: string, params: unknown[] = []) {
      return (await send('query', sql, params)).result as QueryResults<R>;
    },
    async exec(sql: string) {
      await send('exec', sql);
    },
    async close() {
      if (stopped) return;
      try {
        await send('close');
      } finally {
        stop(new Error('the embedded database is closed'));
        await worker.terminate();
      }
    },
  };
}
