/**
 * Emailed links and their tokens (DESIGN §1.3, issue 9 items 1, 8, 9; no HTTP here).
 *
 * - A link is built from server configuration only: the org's portal URL, or one of the exact
 *   confirmation pages staff registered (`orgs.confirmation_urls`). The caller's `returnTo` chooses
 *   among those by exact match, never supplies a URL: a redirector, an uploaded page or a foreign
 *   script on an allowed origin never receives a token.
 * - `returnTo` is stored with the token only when it is one of those configured pages, and handed
 *   back by the completion endpoint, so the widget goes there after completing — not before.
 * - The page that opens a link exchanges its token at once for a short-lived, single-use
 *   completion token (15 min) and the masked email of the account; the emailed token is dead from
 *   then on, so the `#portal-token=…` left in the browser's history database opens nothing.
 */
import type { Kysely, Transaction } from 'kysely';
import { FLOW_FRAGMENT_KEY, TOKEN_FRAGMENT_KEY, type TokenExchange, type TokenFlow } from '../../src/api/contract.ts';
import { maskEmail } from '../../src/api/mask.ts';
import type { DB } from '../db/schema.ts';
import { ApiError } from '../errors.ts';
import type { Org } from '../types.ts';
import { randomToken, sha256 } from './crypto.ts';
import { orgsChanged } from './orgs.ts';

export const COMPLETION_TTL_MS = 15 * 60_000;

/** A URL compared as the server stores it: parsed, no fragment (`new URL()` normalises host case and default ports). */
function canonical(url: string): string | undefined {
  try {
    const u = new URL(url);
    if (u.protocol !== 'https:' && u.protocol !== 'http:') return undefined;
    u.hash = '';
    return u.href;
  } catch {
    return undefined;
  }
}

/** The configured pages a link may lead to: the portal URL and the registered confirmation pages. */
function configuredPages(org: Org): string[] {
  return [org.portal_url, ...(org.confirmation_urls ?? [])].map(canonical).filter((u): u is string => u !== undefined);
}

/**
 * The caller's `returnTo`, when it is exactly one of the org's configured pages (the stored,
 * canonical spelling); otherwise null — dropped, never used.
 */
export function registeredReturnTo(org: Org, returnTo: string | null | undefined): string | null {
  if (!returnTo) return null;
  const want = canonical(returnTo);
  if (!want) return null;
  return configuredPages(org).find((p) => p === want) ?? null;
}

/**
 * The emailed link: the registered confirmation page the person started from (when `returnTo` is
 * one), else the org's portal URL; the token in the fragment. Never the caller's path, never Host.
 */
export function linkFor(org: Org, returnTo: string | null | undefined, flow: TokenFlow, token: string | null): string {
  const registered = registeredReturnTo(org, returnTo);
  const url = new URL(registered ?? org.portal_url);
  url.hash = token ? `${TOKEN_FRAGMENT_KEY}=${token}&${FLOW_FRAGMENT_KEY}=${flow}` : '';
  return url.toString();
}

/**
 * Checks a confirmation page staff want to register: an absolute http(s) URL on one of the org's
 * allowed origins, no fragment, no credentials; http only for localhost in development. Returns its
 * canonical spelling or the problem.
 */
export function checkConfirmationUrl(org: Org, url: string, production: boolean): { ok: true; url: string } | { ok: false } {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return { ok: false };
  }
  if (u.protocol !== 'https:' && u.protocol !== 'http:') return { ok: false };
  if (u.username || u.password || u.hash || url.includes('#')) return { ok: false };
  if (!org.allowed_origins.includes(u.origin)) return { ok: false };
  if (u.protocol === 'http:' && (production || !/^(localhost|127\.0\.0\.1|\[::1\])$/.test(u.hostname))) return { ok: false };
  return { ok: true, url: u.href };
}

export async function setConfirmationUrls(db: Kysely<DB>, org: Org, urls: string[]): Promise<string[]> {
  const unique = [...new Set(urls)];
  await db.updateTable('orgs').set({ confirmation_urls: unique }).where('id', '=', org.id).execute();
  orgsChanged();
  return unique;
}

type Table = 'pending_signups' | 'password_resets';
const TABLE: Record<TokenFlow, Table> = { signup: 'pending_signups', reset: 'password_resets' };

/**
 * Trades an emailed token for a completion token. The emailed token must be unused, unexpired,
 * of this org and never exchanged before; afterwards it is dead everywhere (exchange and complete).
 */
export async function exchangeToken(db: Kysely<DB>, org: Org, token: string): Promise<TokenExchange> {
  const hash = sha256(token);
  const completion = randomToken();
  const now = new Date();
  const expires = new Date(Math.min(now.getTime() + COMPLETION_TTL_MS, Number.MAX_SAFE_INTEGER));
  for (const flow of ['signup', 'reset'] as const) {
    const table = TABLE[flow];
    const row = await db
      .updateTable(table)
      .set({ exchanged_at: now, completion_hash: sha256(completion), completion_expires_at: expires })
      .where('token_hash', '=', hash)
      .where('org_id', '=', org.id)
      .where('used_at', 'is', null)
      .where('exchanged_at', 'is', null)
      .where('expires_at', '>', now)
      .returning(['id', 'expires_at'])
      .executeTakeFirst();
    if (!row) continue;
    // The completion token never outlives the emailed link it came from.
    const until = new Date(Math.min(expires.getTime(), new Date(row.expires_at).getTime()));
    if (until.getTime() !== expires.getTime()) await db.updateTable(table).set({ completion_expires_at: until }).where('id', '=', row.id).execute();
    const email =
      flow === 'signup'
        ? (await db.selectFrom('pending_signups').select('email').where('id', '=', row.id).executeTakeFirstOrThrow()).email
        : (
            await db
              .selectFrom('password_resets')
              .innerJoin('accounts', 'accounts.id', 'password_resets.account_id')
              .select('accounts.email')
              .where('password_resets.id', '=', row.id)
              .executeTakeFirstOrThrow()
          ).email;
    return { flow, email: maskEmail(email), completionToken: completion, expiresAt: until.toISOString() };
  }
  throw new ApiError('token_invalid');
}

/**
 * Spends a token given to a completion endpoint — the completion token, or an emailed token that
 * was never exchanged (API clients without a page) — inside the completion's transaction. Returns
 * the row id; `token_invalid` for everything else (used, expired, exchanged, other org or flow).
 */
export async function spendToken(trx: Transaction<DB>, org: Org, flow: TokenFlow, token: string): Promise<string> {
  const hash = sha256(token);
  const now = new Date();
  const table = TABLE[flow];
  const row = await trx
    .updateTable(table)
    .set({ used_at: now })
    .where('org_id', '=', org.id)
    .where('used_at', 'is', null)
    .where('expires_at', '>', now)
    .where((eb) =>
      eb.or([
        eb.and([eb('completion_hash', '=', hash), eb('completion_expires_at', '>', now)]),
        eb.and([eb('token_hash', '=', hash), eb('exchanged_at', 'is', null)]),
      ]),
    )
    .returning('id')
    .executeTakeFirst();
  if (!row) throw new ApiError('token_invalid');
  return row.id;
}

/** Whether a completion would find its token (checked before the password hash is computed). */
export async function tokenUsable(db: Kysely<DB>, org: Org, flow: TokenFlow, token: string): Promise<boolean> {
  const hash = sha256(token);
  const now = new Date();
  const row = await db
    .selectFrom(TABLE[flow])
    .select('id')
    .where('org_id', '=', org.id)
    .where('used_at', 'is', null)
    .where('expires_at', '>', now)
    .where((eb) =>
      eb.or([
        eb.and([eb('completion_hash', '=', hash), eb('completion_expires_at', '>', now)]),
        eb.and([eb('token_hash', '=', hash), eb('exchanged_at', 'is', null)]),
      ]),
    )
    .executeTakeFirst();
  return row !== undefined;
}
