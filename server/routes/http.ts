/** Request plumbing: JSON bodies (415 / 413 / 400), zod parsing into field codes, client IP. */
import type { Context } from 'hono';
import type { IncomingMessage } from 'node:http';
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

/** The peer address; X-Forwarded-For only when the operator says a proxy sits in front. */
export function clientIp(c: Context, trustProxy: boolean): string {
  if (trustProxy) {
    const forwarded = c.req.header('x-forwarded-for')?.split(',')[0]?.trim();
    if (forwarded) return forwarded;
  }
  const env = c.env as { incoming?: IncomingMessage } | undefined;
  return env?.incoming?.socket?.remoteAddress ?? 'unknown';
}
