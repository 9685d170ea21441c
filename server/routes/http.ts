/** Request plumbing: JSON bodies (415 / 413 / 400), zod parsing into field codes, client IP. */
import type { Context } from 'hono';
import type { IncomingMessage } from 'node:http';
import { BlockList, isIP } from 'node:net';
import * as z from 'zod/mini';
import { ApiError, fieldsFromIssues } from '../errors.ts';

export const MAX_BODY_BYTES = 100 * 1024;

async function readCapped(body: ReadableStream<Uint8Array> | null, max: number): Promise<string> {
  if (!body) return '';
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > max) {
      await reader.cancel().catch(() => {});
      throw new ApiError('payload_too_large');
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** Reads a JSON body (Content-Type must be JSON; at most 100 kB) and parses it with `schema`. */
export async function readJson<S extends z.ZodMiniType>(c: Context, schema: S, max = MAX_BODY_BYTES): Promise<z.infer<S>> {
  const type = (c.req.header('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
  if (type !== 'application/json') throw new ApiError('unsupported_media_type');
  const length = Number(c.req.header('content-length') ?? '0');
  if (Number.isFinite(length) && length > max) throw new ApiError('payload_too_large');
  const text = await readCapped(c.req.raw.body, max);
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    throw new ApiError('invalid_input', 'The body is not valid JSON.');
  }
  return parseWith(schema, data);
}

export function parseWith<S extends z.ZodMiniType>(schema: S, data: unknown): z.infer<S> {
  const result = z.safeParse(schema, data);
  if (!result.success) {
    throw new ApiError('invalid_input', undefined, fieldsFromIssues(result.error.issues, data));
  }
  return result.data;
}

/**
 * Which proxies may tell us the client address (TRUST_PROXY, issue 9 item 2): addresses and CIDRs
 * (`loopback`, `private` and `uniquelocal` name the usual ranges), or a hop count (how many proxies
 * stand in front). Nothing trusted by default: then X-Forwarded-For is ignored.
 */
export type TrustProxy = { kind: 'none' } | { kind: 'hops'; hops: number } | { kind: 'list'; list: BlockList; spec: string };

const NAMED: Record<string, string[]> = {
  loopback: ['127.0.0.0/8', '::1/128'],
  private: ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16'],
  linklocal: ['169.254.0.0/16', 'fe80::/10'],
  uniquelocal: ['fc00::/7'],
};

/** Parses TRUST_PROXY; throws one clear `TRUST_PROXY …` error on a mistake (the server does not start). */
export function parseTrustProxy(value: string | number | undefined | null): TrustProxy {
  if (value === undefined || value === null) return { kind: 'none' };
  const raw = String(value).trim();
  if (raw === '' || raw === '0') return { kind: 'none' };
  if (/^\d+$/.test(raw)) {
    const hops = Number(raw);
    if (hops > 20) throw new Error(`TRUST_PROXY=${raw}: a hop count must be 0–20`);
    return { kind: 'hops', hops };
  }
  const list = new BlockList();
  for (const item of raw
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)) {
    for (const entry of NAMED[item.toLowerCase()] ?? [item]) {
      const [addr, bits, extra] = entry.split('/');
      const family = isIP(addr ?? '');
      const max = family === 6 ? 128 : 32;
      const prefix = bits === undefined ? max : /^\d+$/.test(bits) ? Number(bits) : NaN;
      if (!family || extra !== undefined || !(prefix >= 0 && prefix <= max)) {
        throw new Error(
          `TRUST_PROXY: "${item}" is not an IP address, CIDR range, hop count or one of ${Object.keys(NAMED).join(', ')} (e.g. TRUST_PROXY=10.0.0.0/8,127.0.0.1 or TRUST_PROXY=1)`,
        );
      }
      list.addSubnet(addr!, prefix, family === 6 ? 'ipv6' : 'ipv4');
    }
  }
  return { kind: 'list', list, spec: raw };
}

/** `::ffff:1.2.3.4` is the IPv4 client 1.2.3.4; anything that is not an address is undefined. */
function cleanAddress(value: string | undefined): string | undefined {
  let v = (value ?? '').trim();
  // "[2001:db8::1]:443" and "1.2.3.4:5678" as some proxies write them.
  const bracket = /^\[([^\]]+)\](?::\d+)?$/.exec(v);
  if (bracket) v = bracket[1]!;
  else if (/^\d+\.\d+\.\d+\.\d+:\d+$/.test(v)) v = v.slice(0, v.lastIndexOf(':'));
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(v);
  if (mapped) v = mapped[1]!;
  return isIP(v) ? v : undefined;
}

function trusted(trust: TrustProxy, address: string): boolean {
  if (trust.kind !== 'list') return false;
  return trust.list.check(address, isIP(address) === 6 ? 'ipv6' : 'ipv4');
}

/**
 * The client's address: the TCP peer, unless the peer is a trusted proxy; then X-Forwarded-For read
 * from the right, skipping trusted hops (or exactly `hops` of them) — the leftmost entries are
 * written by the client and never trusted.
 */
export function clientAddress(c: Context, trust: TrustProxy): string {
  const env = c.env as { incoming?: IncomingMessage } | undefined;
  const peer = cleanAddress(env?.incoming?.socket?.remoteAddress) ?? 'unknown';
  if (trust.kind === 'none' || peer === 'unknown') return peer;
  const chain = (c.req.header('x-forwarded-for') ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (trust.kind === 'hops') {
    // The peer is the first hop; each further trusted hop is one more entry from the right.
    let client = peer;
    for (let i = 0; i < trust.hops && chain.length > 0; i++) {
      const next = cleanAddress(chain.pop());
      if (!next) break;
      client = next;
    }
    return client;
  }
  let client = peer;
  while (trusted(trust, client) && chain.length > 0) {
    const next = cleanAddress(chain.pop());
    if (!next) break; // garbage from beyond the last trusted hop: the hop that wrote it is the client
    client = next;
  }
  return client;
}

/** The key a client address is limited under: IPv4 as is, IPv6 by its /64 (one customer's network). */
export function clientKey(address: string): string {
  if (isIP(address) !== 6) return address;
  const groups = expandIpv6(
    address.replace(/(\d+)\.(\d+)\.(\d+)\.(\d+)$/, (_, a, b, c2, d) => `${((+a << 8) | +b).toString(16)}:${((+c2 << 8) | +d).toString(16)}`),
  );
  return `${groups.slice(0, 4).join(':')}::/64`;
}

function expandIpv6(address: string): string[] {
  const [head, tail] = address.split('::') as [string, string | undefined];
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const fill = tail === undefined ? [] : Array.from({ length: 8 - left.length - right.length }, () => '0');
  return [...left, ...fill, ...right].map((g) => g.toLowerCase().replace(/^0+(?=.)/, ''));
}

/** The rate-limit key of the client of this request. */
export function clientIp(c: Context, trust: TrustProxy): string {
  return clientKey(clientAddress(c, trust));
}
