/**
 * Shared helpers for the server tests: one server per test file (PGlite in a fresh copy of a migrated
 * data directory, or PostgreSQL in a fresh schema when DATABASE_URL is set — either dropped on close),
 * and a tiny JSON client.
 */
import { randomBytes } from 'node:crypto';
import { after } from 'node:test';
import { AuthResult, ErrorBody, OutboxList, paths } from '../../src/api/contract.ts';
import { startServer, type RunningServer, type StartOptions } from '../../server/index.ts';
import { pgliteCopy } from '../../scripts/lib/pglite-template.mjs';

export const ORG = 'riverside-arts';

export async function startTestServer(opts: StartOptions = {}): Promise<RunningServer> {
  const databaseUrl = process.env.DATABASE_URL || undefined;
  const base: StartOptions = {
    port: 0,
    // Development, explicitly (production is the default): /dev/outbox, the demo seed, the dev admin key.
    production: false,
    rateLimits: false,
    outboxPollMs: 50,
  };
  if (databaseUrl || opts.databaseUrl || opts.dataDir) {
    const schema = `portal_test_${process.pid}_${randomBytes(4).toString('hex')}`;
    return startServer({ ...base, ...(databaseUrl ? { databaseUrl, schema, dropSchemaOnClose: true } : {}), ...opts });
  }
  // A database of its own, as `memory` gave, without initdb and the migrations at every start.
  const copy = await pgliteCopy();
  let server: RunningServer;
  try {
    server = await startServer({ ...base, dataDir: copy.dir, ...opts });
  } catch (err) {
    copy.remove();
    throw err;
  }
  let closing: Promise<void> | undefined;
  return {
    ...server,
    close: () => (closing ??= server.close().finally(() => copy.remove())),
  };
}

/**
 * The one server of a test file and a client for it: started when the file loads (`await` it at the
 * top level), closed after the file's last test.
 */
export async function serverForFile(opts: StartOptions = {}): Promise<{ server: RunningServer; api: Client }> {
  const server = await startTestServer(opts);
  after(() => server.close());
  return { server, api: new Client(server.url) };
}

let counter = 0;
export function uniqueEmail(prefix = 'person'): string {
  counter += 1;
  return `${prefix}.${Date.now().toString(36)}${counter}${randomBytes(3).toString('hex')}@example.test`;
}

export interface Reply {
  status: number;
  headers: Headers;
  body: unknown;
  text: string;
}

export class Client {
  constructor(
    readonly base: string,
    readonly org = ORG,
  ) {}

  async request(method: string, path: string, opts: { json?: unknown; headers?: Record<string, string>; raw?: string } = {}): Promise<Reply> {
    const headers: Record<string, string> = { ...opts.headers };
    let body: string | undefined;
    if (opts.json !== undefined) {
      body = JSON.stringify(opts.json);
      headers['content-type'] ??= 'application/json';
    } else if (opts.raw !== undefined) {
      body = opts.raw;
    }
    let res: Response;
    try {
      res = await fetch(`${this.base}/${path}`, { method, headers, body });
    } catch (err) {
      const cause = (err as { cause?: { code?: string; message?: string } }).cause;
      throw new Error(`${method} ${path}: fetch failed (${cause?.code ?? ''} ${cause?.message ?? ''})`);
    }
    const text = await res.text();
    let parsed: unknown;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      parsed = undefined;
    }
    return { status: res.status, headers: res.headers, body: parsed, text };
  }

  post(path: string, json: unknown, headers?: Record<string, string>): Promise<Reply> {
    return this.request('POST', path, { json, ...(headers ? { headers } : {}) });
  }

  get(path: string, headers?: Record<string, string>): Promise<Reply> {
    return this.request('GET', path, headers ? { headers } : {});
  }

  bearer(token: string): Record<string, string> {
    return { authorization: `Bearer ${token}` };
  }

  async outbox(to: string): Promise<OutboxList['messages']> {
    const r = await this.get(`${paths.devOutbox()}?to=${encodeURIComponent(to)}`);
    return OutboxList.parse(r.body).messages;
  }

  /** The token of the newest emailed link to `to` for `flow`. */
  async latestToken(to: string, flow: 'signup' | 'reset' = 'signup'): Promise<string> {
    for (const m of await this.outbox(to)) {
      const match = new RegExp(`portal-token=([A-Za-z0-9_-]+)&portal-flow=${flow}`).exec(m.text);
      if (match) return match[1]!;
    }
    throw new Error(`no ${flow} link mailed to ${to}`);
  }

  signup(body: Record<string, unknown>, headers?: Record<string, string>): Promise<Reply> {
    return this.post(paths.signup(this.org), { kind: 'individual', ...body }, headers);
  }

  complete(token: string, password = 'a long passphrase 1'): Promise<Reply> {
    return this.post(paths.signupComplete(this.org), { token, password });
  }

  signIn(email: string, password = 'a long passphrase 1', remember?: boolean): Promise<Reply> {
    return this.post(paths.sessions(this.org), { email, password, ...(remember !== undefined ? { remember } : {}) });
  }

  refresh(refreshToken: string): Promise<Reply> {
    return this.post(paths.sessionsRefresh(this.org), { refreshToken });
  }

  me(accessToken: string): Promise<Reply> {
    return this.get(paths.me(this.org), this.bearer(accessToken));
  }

  /** Sign up + confirm: returns the AuthResult body. */
  async newAccount(
    fields: { firstName?: string; lastName?: string; email?: string; kind?: string; companyName?: string } = {},
    password = 'a long passphrase 1',
  ) {
    const email = fields.email ?? uniqueEmail();
    const s = await this.signup({ firstName: 'Test', lastName: 'Person', ...fields, email });
    if (s.status !== 202) throw new Error(`signup ${s.status} ${s.text}`);
    const c = await this.complete(await this.latestToken(email), password);
    if (c.status !== 200) throw new Error(`complete ${c.status} ${c.text}`);
    return { email, password, result: AuthResult.parse(c.body) };
  }
}

/** The body as an AuthResult (throws when it is not one: the contract is checked too). */
export function authResult(r: Reply): AuthResult {
  if (r.status !== 200) throw new Error(`expected 200, got ${r.status} ${r.text}`);
  return AuthResult.parse(r.body);
}

/** The error code of an error body (checked against the contract). */
export function errorCode(r: Reply): string {
  return ErrorBody.parse(r.body).error.code;
}

export function errorFields(r: Reply): Record<string, string> | undefined {
  return ErrorBody.parse(r.body).error.fields;
}

export interface SmtpMessage {
  from: string;
  to: string[];
  data: string;
}

/** How a sink misbehaves: its answer to RCPT (e.g. `451 try later`, `550 no such user`), a slow DATA reply. */
export interface SinkOptions {
  rcptReply?: (to: string) => string | undefined;
  dataDelayMs?: number;
}

export interface SmtpSink {
  port: number;
  messages: SmtpMessage[];
  close(): Promise<void>;
}

/**
 * A minimal SMTP server (enough for nodemailer): records every accepted message. `port` may name a
 * port to listen on (to bring "SMTP" back up where a dispatcher has been failing to connect).
 */
export async function startSmtpSink(port = 0, opts: SinkOptions = {}): Promise<SmtpSink> {
  const { createServer } = await import('node:net');
  const messages: SmtpMessage[] = [];
  const sockets = new Set<import('node:net').Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    let inData = false;
    let buffer = '';
    let current: SmtpMessage = { from: '', to: [], data: '' };
    socket.write('220 localhost ESMTP test\r\n');
    socket.on('data', (chunk) => {
      buffer += chunk.toString('utf8');
      let idx;
      while ((idx = buffer.indexOf('\r\n')) >= 0) {
        const line = buffer.slice(0, idx);
        buffer = buffer.slice(idx + 2);
        if (inData) {
          if (line === '.') {
            inData = false;
            const done = current;
            current = { from: '', to: [], data: '' };
            const accept = () => {
              messages.push(done);
              if (!socket.destroyed) socket.write('250 OK queued\r\n');
            };
            if (opts.dataDelayMs) setTimeout(accept, opts.dataDelayMs);
            else accept();
          } else current.data += `${line.startsWith('..') ? line.slice(1) : line}\n`;
          continue;
        }
        const cmd = line.slice(0, 4).toUpperCase();
        if (cmd === 'EHLO' || cmd === 'HELO') socket.write('250 localhost\r\n');
        else if (cmd === 'MAIL') {
          current = { from: /<([^>]*)>/.exec(line)?.[1] ?? '', to: [], data: '' };
          socket.write('250 OK\r\n');
        } else if (cmd === 'RCPT') {
          const to = (/<([^>]*)>/.exec(line)?.[1] ?? '').toLowerCase();
          const refuse = opts.rcptReply?.(to);
          if (refuse) socket.write(`${refuse}\r\n`);
          else {
            current.to.push(to);
            socket.write('250 OK\r\n');
          }
        } else if (cmd === 'DATA') {
          inData = true;
          socket.write('354 go ahead\r\n');
        } else if (cmd === 'QUIT') socket.end('221 bye\r\n');
        else socket.write('250 OK\r\n');
      }
    });
    socket.on('error', () => {});
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  return {
    port: (server.address() as { port: number }).port,
    messages,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

/** A port that nothing listens on right now (connections are refused): "SMTP is down". */
export async function freePort(): Promise<number> {
  const { createServer } = await import('node:net');
  const s = createServer();
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', () => resolve()));
  const port = (s.address() as { port: number }).port;
  await new Promise<void>((resolve) => s.close(() => resolve()));
  return port;
}

/** Polls `check` until it returns a truthy value (or throws after `ms`). */
export async function waitFor<T>(what: string, check: () => Promise<T | undefined | false | null>, ms = 15_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await check();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
