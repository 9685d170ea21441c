/** Random tokens, token hashing and the signed access token (DESIGN §4, §5). */
import { createHmac, createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** 256-bit random, URL-safe base64 (43 characters). */
export function randomToken(): string {
  return randomBytes(32).toString('base64url');
}

/** Tokens are stored only as their SHA-256 (hex). */
export function sha256(value: string): string {
  return createHash('sha256').update(value).digest('hex');
}

export interface AccessClaims {
  /** Org slug. */
  org: string;
  /** Session id. */
  sid: string;
  /** Account id. */
  aid: string;
  /** The embedding page's origin at issue time, or null (no Origin header). */
  origin: string | null;
  /** Expiry, seconds since the epoch. */
  exp: number;
}

const PREFIX = 'pat1';
const CANONICAL = /^[A-Za-z0-9_-]+$/;

function isCanonical(b64url: string): boolean {
  return Buffer.from(b64url, 'base64url').toString('base64url') === b64url;
}

/**
 * The successor of a refresh token: derived from it with the server secret, so a token replayed
 * inside the grace window is answered with the same successor (no second branch), and nothing
 * secret has to be stored to do so (issue 9 item 11).
 */
export function refreshSuccessor(refreshToken: string, secret: string): string {
  return createHmac('sha256', secret).update(`refresh-successor:${refreshToken}`).digest('base64url');
}

export function signAccessToken(claims: AccessClaims, secret: string): string {
  const body = Buffer.from(JSON.stringify(claims)).toString('base64url');
  const mac = createHmac('sha256', secret).update(`${PREFIX}.${body}`).digest('base64url');
  return `${PREFIX}.${body}.${mac}`;
}

/** Returns the claims of a well-signed, unexpired token, else undefined. */
export function verifyAccessToken(token: string, secret: string, nowMs = Date.now()): AccessClaims | undefined {
  const parts = token.split('.');
  if (parts.length !== 3 || parts[0] !== PREFIX) return undefined;
  const [, body, mac] = parts as [string, string, string];
  // One spelling only: unpadded base64url whose unused bits are zero (a decoder would accept `=`,
  // `+` `/` and other last characters for the same bytes; those are not this token).
  if (!CANONICAL.test(body) || !CANONICAL.test(mac) || !isCanonical(body)) return undefined;
  const expected = Buffer.from(createHmac('sha256', secret).update(`${PREFIX}.${body}`).digest('base64url'), 'ascii');
  const given = Buffer.from(mac, 'ascii');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
  let claims: unknown;
  try {
    claims = JSON.parse(Buffer.from(body, 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
  if (!claims || typeof claims !== 'object') return undefined;
  const c = claims as Record<string, unknown>;
  if (
    typeof c.org !== 'string' ||
    typeof c.sid !== 'string' ||
    typeof c.aid !== 'string' ||
    typeof c.exp !== 'number' ||
    !(c.origin === null || typeof c.origin === 'string')
  ) {
    return undefined;
  }
  if (c.exp * 1000 <= nowMs) return undefined;
  return { org: c.org, sid: c.sid, aid: c.aid, origin: c.origin, exp: c.exp };
}
