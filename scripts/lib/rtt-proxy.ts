/**
 * A TCP proxy that adds a round-trip time, for `npm run bench` (issue 15): every chunk is delivered
 * RTT/2 after it was sent, in each direction, and a new connection's first bytes wait one RTT more
 * (the TCP handshake a real network makes the client wait for before it can send). Order is kept per
 * direction. It also reads the HTTP/1.1 request heads going through (plain HTTP on loopback), so the
 * bench counts connections, requests and CORS preflights as the server saw them, whatever the browser
 * reports to its automation protocol.
 */
import { createServer, connect, type Server, type Socket } from 'node:net';

export interface ProxiedRequest {
  readonly method: string;
  readonly path: string;
  /** An `OPTIONS` carrying `Access-Control-Request-Method`: a browser's CORS preflight. */
  readonly preflight: boolean;
  /** Which connection (1, 2, …) carried it. */
  readonly connection: number;
  /** performance.now() when its first bytes left the client. */
  readonly at: number;
}

export interface RttProxy {
  readonly url: string;
  /** Round-trip time added, in ms; change it between runs. */
  rtt: number;
  /** Connections opened so far. */
  readonly connections: number;
  /** Requests seen so far, in order. */
  readonly requests: readonly ProxiedRequest[];
  /** Closes every open connection (as a server does when its keep-alive timeout passes); the listener stays. */
  dropConnections(): void;
  /** Closes the listener and every connection. */
  close(): Promise<void>;
}

/** Starts a proxy on a free loopback port in front of `target` (`http://host:port`). */
export async function startRttProxy(target: string, rtt = 0): Promise<RttProxy> {
  const { hostname, port } = new URL(target);
  const sockets = new Set<Socket>();
  const requests: ProxiedRequest[] = [];
  let connections = 0;
  const state = { rtt };

  /** Writes `chunk` to `to` RTT/2 from now, never before what was sent earlier in the same direction. */
  const pipe = (from: Socket, to: Socket, setupUntil: number, onChunk?: (chunk: Buffer) => void) => {
    let last = 0;
    from.on('data', (chunk: Buffer) => {
      onChunk?.(chunk);
      const now = performance.now();
      const due = Math.max(Math.max(now, setupUntil) + state.rtt / 2, last);
      last = due;
      const deliver = () => {
        if (!to.destroyed) to.write(chunk);
      };
      if (due <= now) deliver();
      else setTimeout(deliver, due - now);
    });
    from.on('end', () => {
      const wait = Math.max(0, last - performance.now());
      setTimeout(() => to.end(), wait);
    });
  };

  const server: Server = createServer((client) => {
    const id = ++connections;
    const opened = performance.now();
    const upstream = connect(Number(port), hostname);
    sockets.add(client).add(upstream);
    client.setNoDelay(true);
    upstream.setNoDelay(true);
    let head = '';
    // Client → server: the first bytes wait for the handshake (one RTT), every chunk RTT/2.
    pipe(client, upstream, opened + state.rtt, (chunk) => {
      // Request heads: a new request starts where the previous head ended and its body (if any) was
      // sent. Bodies here are small JSON, so a request line at the start of a chunk is a new request.
      const text = chunk.toString('latin1');
      head = /^[A-Z]+ \S+ HTTP\/1\.[01]\r\n/.test(text) ? text : head + text;
      const m = /^([A-Z]+) (\S+) HTTP\/1\.[01]\r\n([\s\S]*?)\r\n\r\n/.exec(head);
      if (!m) return;
      requests.push({
        method: m[1]!,
        path: m[2]!,
        preflight: m[1] === 'OPTIONS' && /^access-control-request-method:/im.test(m[3]!),
        connection: id,
        at: performance.now(),
      });
      head = '';
    });
    pipe(upstream, client, 0);
    const done = () => {
      client.destroy();
      upstream.destroy();
      sockets.delete(client);
      sockets.delete(upstream);
    };
    client.on('error', done).on('close', done);
    upstream.on('error', done).on('close', done);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port: own } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${own}`,
    get rtt() {
      return state.rtt;
    },
    set rtt(value: number) {
      state.rtt = value;
    },
    get connections() {
      return connections;
    },
    requests,
    dropConnections: () => {
      for (const s of sockets) s.destroy();
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
