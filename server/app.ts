/**
 * The reference portal API (DESIGN §3): a Hono app over Kysely. `createApp(deps)` wires routes;
 * `startServer()` in index.ts opens the database and serves it.
 */
import { Hono, type Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { sql, type Kysely } from 'kysely';
import * as z from 'zod/mini';
import {
  AuthResult,
  CompleteRequest,
  OutboxList,
  PasswordResetRequest,
  PortalInfo,
  ProfilePatch,
  RefreshRequest,
  ResendRequest,
  SignInRequest,
  SignupRequest,
  TOKEN_FRAGMENT_KEY,
  FLOW_FRAGMENT_KEY,
  type Locale,
  type TokenFlow,
} from '../src/api/contract.ts';
import type { DB } from './db/index.ts';
import type { SignupPayload } from './db/schema.ts';
import {
  buildProfile,
  createSession,
  portalModules,
  revokeSessions,
  rotateRefreshToken,
  survivorId,
  touchSession,
  type Org,
} from './accounts.ts';
import { randomToken, sha256, verifyAccessToken } from './crypto.ts';
import { ApiError } from './errors.ts';
import { clientIp, readJson } from './http.ts';
import { confirmationMail, existingAccountMail, resetMail } from './mail.ts';
import { matchOrCreate } from './matching.ts';
import { normalizeEmail } from './normalize.ts';
import { enqueueEmail } from './outbox.ts';
import { dummyPasswordHash, hashPassword, isCommonPassword, needsRehash, verifyPassword } from './passwords.ts';
import { hitRateLimit, type Limit, type RateLimits } from './ratelimit.ts';
import { mountAdmin } from './admin.ts';
import { markInvitationsSignedUp, mountInvitations } from './invitations.ts';
import { buildOpenApi } from './openapi.ts';

export interface AppConfig {
  /** Production mode: no `/dev/*`. */
  production: boolean;
  /** HMAC key for access tokens. */
  tokenSecret: string;
  /** `null` turns rate limiting off (test suites that sign up many people from one IP). */
  rateLimits: RateLimits | null;
  /** Trust X-Forwarded-For for the client IP. */
  trustProxy: boolean;
  /** How long a rotated refresh token may come back without revoking the session. */
  refreshGraceSeconds: number;
  accessTokenSeconds: number;
  /** This API's public base URL (invitation tracking links, QR image URLs) — configuration, never Host. */
  publicUrl: () => string;
}

export interface AppDeps {
  db: Kysely<DB>;
  config: AppConfig;
  /** Called after a transaction that queued mail commits (wakes the dispatcher). */
  onMailQueued?: () => void;
}

interface Auth {
  sessionId: string;
  accountId: string;
}

export type Env = { Variables: { org: Org; origin: string | null } };

const CONFIRM_TTL_MS = 24 * 3_600_000;
const RESET_TTL_MS = 3_600_000;

const FixtureRequest = z.object({
  kind: z.optional(z.enum(['individual', 'company'])),
  firstName: z.string().check(z.trim(), z.minLength(1, { error: 'required' }), z.maxLength(100, { error: 'too_long' })),
  lastName: z.string().check(z.trim(), z.minLength(1, { error: 'required' }), z.maxLength(100, { error: 'too_long' })),
  companyName: z.optional(z.string().check(z.trim(), z.maxLength(200, { error: 'too_long' }))),
  email: z.pipe(z.string().check(z.trim(), z.maxLength(254, { error: 'too_long' })), z.email({ error: 'invalid_email' })),
  phone: z.optional(z.string().check(z.trim(), z.maxLength(40, { error: 'too_long' }))),
  address: z.optional(
    z.object({
      line1: z.optional(z.string()),
      line2: z.optional(z.string()),
      city: z.optional(z.string()),
      region: z.optional(z.string()),
      postalCode: z.optional(z.string()),
      country: z.optional(z.string().check(z.maxLength(2, { error: 'too_long' }))),
    }),
  ),
  membership: z.optional(z.object({ name: z.string().check(z.minLength(1, { error: 'required' })), status: z.enum(['current', 'expired']) })),
  password: z.optional(z.string().check(z.minLength(8, { error: 'password_too_short' }), z.maxLength(128, { error: 'password_too_long' }))),
});

function isoDaysFromNow(days: number): string {
  return new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);
}

export function createApp(deps: AppDeps): Hono<Env> {
  const { db, config } = deps;
  const app = new Hono<Env>();
  const sessionSettings = {
    tokenSecret: config.tokenSecret,
    accessTokenSeconds: config.accessTokenSeconds,
    graceSeconds: config.refreshGraceSeconds,
  };
  const mailQueued = () => deps.onMailQueued?.();
  // Ready before the first unknown-email sign-in, so that one is not faster than the others.
  void dummyPasswordHash();

  async function limit(key: string, l: Limit | undefined): Promise<void> {
    if (!config.rateLimits || !l) return;
    await hitRateLimit(db, key, l);
  }
  const limits = (): Partial<RateLimits> => config.rateLimits ?? {};

  // ----- errors -------------------------------------------------------------------------------
  app.onError((err, c) => {
    if (err instanceof ApiError) {
      if (err.retryAfter !== undefined) c.header('Retry-After', String(err.retryAfter));
      // The request body was not (fully) read: this connection cannot carry another request.
      if (err.code === 'payload_too_large' || err.code === 'unsupported_media_type') c.header('Connection', 'close');
      return c.json(err.body(), err.status as ContentfulStatusCode);
    }
    console.error(`unexpected error on ${c.req.method} ${c.req.path}: ${(err as Error)?.name}: ${(err as Error)?.message}`);
    return c.json(new ApiError('server_error').body(), 500);
  });
  app.notFound((c) => c.json(new ApiError('not_found').body(), 404));

  // ----- every answer: no sniffing, nothing renders as a page ------------------------------------
  app.use('*', async (c, next) => {
    await next();
    c.header('X-Content-Type-Options', 'nosniff');
    c.header('Content-Security-Policy', "default-src 'none'; frame-ancestors 'none'");
    c.header('Referrer-Policy', 'no-referrer');
  });

  // ----- per-org origin check and CORS (DESIGN §4) ---------------------------------------------
  app.use('/v1/orgs/:org/*', async (c, next) => {
    c.header('Vary', 'Origin');
    const slug = c.req.param('org') ?? '';
    const org = await db.selectFrom('orgs').selectAll().where('slug', '=', slug).executeTakeFirst();
    const origin = c.req.header('origin') ?? null;
    if (!org) throw new ApiError('not_found');
    if (origin !== null && !org.allowed_origins.includes(origin)) throw new ApiError('origin_not_allowed');
    c.set('org', org);
    c.set('origin', origin);
    if (origin !== null) {
      c.header('Access-Control-Allow-Origin', origin);
      c.header('Access-Control-Expose-Headers', 'Retry-After');
    }
    if (c.req.method === 'OPTIONS') {
      c.header('Access-Control-Allow-Methods', 'GET, POST, PATCH, DELETE');
      c.header('Access-Control-Allow-Headers', 'content-type, authorization');
      c.header('Access-Control-Max-Age', '600');
      return c.body(null, 204);
    }
    await next();
  });

  async function requireAuth(c: Context<Env>, conn: Kysely<DB> = db): Promise<Auth> {
    const header = c.req.header('authorization') ?? '';
    const m = /^Bearer\s+(\S+)$/i.exec(header);
    if (!m) throw new ApiError('unauthorized');
    const claims = verifyAccessToken(m[1]!, config.tokenSecret);
    const org = c.get('org');
    if (!claims || claims.org !== org.slug) throw new ApiError('unauthorized');
    const origin = c.get('origin');
    if (claims.origin !== null && origin !== null && claims.origin !== origin) throw new ApiError('unauthorized');
    if (!(await touchSession(conn, org, claims.sid, claims.aid))) throw new ApiError('unauthorized');
    return { sessionId: claims.sid, accountId: claims.aid };
  }

  /** Where an emailed link leads: an allowed returnTo, else the org's portal URL (never Host). */
  function linkFor(org: Org, returnTo: string | null | undefined, flow: TokenFlow, token: string | null): string {
    let base = org.portal_url;
    if (returnTo) {
      try {
        const u = new URL(returnTo);
        if (org.allowed_origins.includes(u.origin)) base = returnTo;
      } catch {
        // fall back to the portal URL
      }
    }
    const url = new URL(base);
    if (token) url.hash = `${TOKEN_FRAGMENT_KEY}=${token}&${FLOW_FRAGMENT_KEY}=${flow}`;
    else url.hash = '';
    return url.toString();
  }

  const accepted = (c: Context<Env>) => c.json({ status: 'accepted' as const }, 202);

  // ----- portal info ---------------------------------------------------------------------------
  app.get('/v1/orgs/:org/portal', (c) => {
    const org = c.get('org');
    const info: PortalInfo = {
      slug: org.slug,
      name: org.name,
      portalUrl: org.portal_url,
      tier: org.tier,
      modules: portalModules(org),
      signupKinds: ['individual', 'company'],
      branding: {
        ...(org.primary_color ? { primaryColor: org.primary_color } : {}),
        ...(org.logo_url ? { logoUrl: org.logo_url } : {}),
      },
    };
    return c.json(info);
  });

  // ----- sign-up -------------------------------------------------------------------------------
  async function sendSignupMail(
    org: Org,
    email: string,
    emailNorm: string,
    payload: SignupPayload,
    returnTo: string | null,
  ): Promise<void> {
    await db.transaction().execute(async (trx) => {
      const account = await trx
        .selectFrom('accounts')
        .select('id')
        .where('org_id', '=', org.id)
        .where('email_norm', '=', emailNorm)
        .executeTakeFirst();
      if (account) {
        await enqueueEmail(trx, {
          orgId: org.id,
          to: email,
          template: 'existing_account',
          content: existingAccountMail(payload.locale, org.name, linkFor(org, returnTo, 'signup', null)),
        });
        return;
      }
      const token = randomToken();
      await trx
        .insertInto('pending_signups')
        .values({
          org_id: org.id,
          token_hash: sha256(token),
          purpose: 'signup',
          email,
          email_norm: emailNorm,
          payload: JSON.stringify(payload),
          return_to: returnTo,
          expires_at: new Date(Date.now() + CONFIRM_TTL_MS),
          used_at: null,
        })
        .execute();
      const name = payload.kind === 'company' ? (payload.companyName ?? payload.firstName) : payload.firstName;
      await enqueueEmail(trx, {
        orgId: org.id,
        to: email,
        template: 'signup_confirmation',
        content: confirmationMail(payload.locale, org.name, name, linkFor(org, returnTo, 'signup', token)),
      });
    });
    mailQueued();
  }

  app.post('/v1/orgs/:org/signup', async (c) => {
    const org = c.get('org');
    const body = await readJson(c, SignupRequest);
    if (body.kind === 'company' && !body.companyName) {
      throw new ApiError('invalid_input', undefined, { companyName: 'required' });
    }
    const emailNorm = normalizeEmail(body.email);
    await limit(`signup:ip:${clientIp(c, config.trustProxy)}`, limits().signupPerIp);
    await limit(`signup:email:${org.id}:${emailNorm}`, limits().signupPerEmail);
    const payload: SignupPayload = {
      kind: body.kind,
      firstName: body.firstName,
      lastName: body.lastName,
      companyName: body.kind === 'company' ? (body.companyName ?? null) : null,
      locale: body.locale ?? 'en',
    };
    await sendSignupMail(org, body.email, emailNorm, payload, body.returnTo ?? null);
    return accepted(c);
  });

  app.post('/v1/orgs/:org/signup/resend', async (c) => {
    const org = c.get('org');
    const body = await readJson(c, ResendRequest);
    const emailNorm = normalizeEmail(body.email);
    await limit(`signup:ip:${clientIp(c, config.trustProxy)}`, limits().signupPerIp);
    await limit(`signup:email:${org.id}:${emailNorm}`, limits().signupPerEmail);
    const pending = await db
      .selectFrom('pending_signups')
      .select(['email', 'payload', 'return_to'])
      .where('org_id', '=', org.id)
      .where('email_norm', '=', emailNorm)
      .where('used_at', 'is', null)
      .orderBy('created_at', 'desc')
      .executeTakeFirst();
    if (pending) {
      const payload: SignupPayload = { ...pending.payload, locale: body.locale ?? pending.payload.locale };
      await sendSignupMail(org, pending.email, emailNorm, payload, body.returnTo ?? pending.return_to);
    } else {
      // Same work shape as a real resend for similar timing: look for an account.
      const account = await db
        .selectFrom('accounts')
        .select('email')
        .where('org_id', '=', org.id)
        .where('email_norm', '=', emailNorm)
        .executeTakeFirst();
      if (account) {
        await enqueueEmail(db, {
          orgId: org.id,
          to: account.email,
          template: 'existing_account',
          content: existingAccountMail(body.locale ?? 'en', org.name, linkFor(org, body.returnTo, 'signup', null)),
        });
        mailQueued();
      }
    }
    return accepted(c);
  });

  app.post('/v1/orgs/:org/signup/complete', async (c) => {
    const org = c.get('org');
    const body = await readJson(c, CompleteRequest);
    if (isCommonPassword(body.password)) throw new ApiError('invalid_input', undefined, { password: 'password_common' });
    const tokenHash = sha256(body.token);
    const now = new Date();
    const precheck = await db
      .selectFrom('pending_signups')
      .select('id')
      .where('token_hash', '=', tokenHash)
      .where('org_id', '=', org.id)
      .where('used_at', 'is', null)
      .where('expires_at', '>', now)
      .executeTakeFirst();
    if (!precheck) throw new ApiError('token_invalid');
    const passwordHash = await hashPassword(body.password);
    const result = await db.transaction().execute(async (trx) => {
      const pending = await trx
        .updateTable('pending_signups')
        .set({ used_at: new Date() })
        .where('id', '=', precheck.id)
        .where('used_at', 'is', null)
        .where('expires_at', '>', new Date())
        .returning(['email', 'email_norm', 'payload'])
        .executeTakeFirst();
      if (!pending) throw new ApiError('token_invalid');
      // One confirmation per (org, email) at a time; the unique index is the final word.
      await sql`SELECT pg_advisory_xact_lock(hashtext(${`${org.id}:${pending.email_norm}`}))`.execute(trx);
      const existing = await trx
        .selectFrom('accounts')
        .select('id')
        .where('org_id', '=', org.id)
        .where('email_norm', '=', pending.email_norm)
        .executeTakeFirst();
      if (existing) throw new ApiError('token_invalid');
      const { constituentId, outcome } = await matchOrCreate(trx, org, pending.email, pending.email_norm, pending.payload);
      const account = await trx
        .insertInto('accounts')
        .values({ org_id: org.id, email: pending.email, email_norm: pending.email_norm, password_hash: passwordHash, constituent_id: constituentId })
        .onConflict((oc) => oc.columns(['org_id', 'email_norm']).doNothing())
        .returning('id')
        .executeTakeFirst();
      if (!account) throw new ApiError('token_invalid');
      await markInvitationsSignedUp(trx, org.id, constituentId, pending.email_norm);
      await trx
        .insertInto('audit_log')
        .values({ org_id: org.id, actor: `account:${account.id}`, action: 'account.created', subject_id: constituentId, details: JSON.stringify({ outcome }) })
        .execute();
      const session = await createSession(trx, org, account.id, false, c.get('origin'), sessionSettings);
      const profile = await buildProfile(trx, org, account.id);
      return { session, profile, outcome } satisfies AuthResult;
    });
    return c.json(result);
  });

  // ----- sessions ------------------------------------------------------------------------------
  app.post('/v1/orgs/:org/sessions', async (c) => {
    const org = c.get('org');
    const body = await readJson(c, SignInRequest);
    const emailNorm = normalizeEmail(body.email);
    await limit(`signin:ip:${clientIp(c, config.trustProxy)}`, limits().signInPerIp);
    await limit(`signin:email:${org.id}:${emailNorm}`, limits().signInPerEmail);
    const account = await db
      .selectFrom('accounts')
      .select(['id', 'password_hash'])
      .where('org_id', '=', org.id)
      .where('email_norm', '=', emailNorm)
      .executeTakeFirst();
    if (!account) {
      await verifyPassword(await dummyPasswordHash(), body.password);
      throw new ApiError('invalid_credentials');
    }
    if (!(await verifyPassword(account.password_hash, body.password))) throw new ApiError('invalid_credentials');
    const rehash = needsRehash(account.password_hash) ? await hashPassword(body.password) : undefined;
    const result = await db.transaction().execute(async (trx) => {
      if (rehash) await trx.updateTable('accounts').set({ password_hash: rehash, updated_at: new Date() }).where('id', '=', account.id).execute();
      const session = await createSession(trx, org, account.id, body.remember === true, c.get('origin'), sessionSettings);
      const profile = await buildProfile(trx, org, account.id);
      return { session, profile } satisfies AuthResult;
    });
    return c.json(result);
  });

  app.post('/v1/orgs/:org/sessions/refresh', async (c) => {
    const org = c.get('org');
    const body = await readJson(c, RefreshRequest);
    await limit(`refresh:ip:${clientIp(c, config.trustProxy)}`, limits().refreshPerIp);
    const outcome = await db.transaction().execute(async (trx) => {
      const r = await rotateRefreshToken(trx, org, body.refreshToken, c.get('origin'), sessionSettings);
      if (!r.ok) return r;
      return { ...r, profile: await buildProfile(trx, org, r.accountId) };
    });
    if (!outcome.ok) throw new ApiError('unauthorized', 'The session has ended; sign in again.');
    return c.json({ session: outcome.session, profile: outcome.profile } satisfies AuthResult);
  });

  app.delete('/v1/orgs/:org/sessions/current', async (c) => {
    const auth = await requireAuth(c);
    await revokeSessions(db, { sessionId: auth.sessionId }, 'sign_out');
    return c.body(null, 204);
  });

  /** Sign out everywhere: every session of this account. */
  app.delete('/v1/orgs/:org/sessions', async (c) => {
    const auth = await requireAuth(c);
    await revokeSessions(db, { accountId: auth.accountId }, 'sign_out_everywhere');
    return c.body(null, 204);
  });

  // ----- me ------------------------------------------------------------------------------------
  app.get('/v1/orgs/:org/me', async (c) => {
    // One connection for the session check and the profile's handful of reads (PGlite: one turn at
    // its single connection instead of one per query).
    const profile = await db.connection().execute(async (conn) => {
      const auth = await requireAuth(c, conn);
      return buildProfile(conn, c.get('org'), auth.accountId);
    });
    return c.json(profile);
  });

  app.patch('/v1/orgs/:org/me', async (c) => {
    const auth = await requireAuth(c);
    const org = c.get('org');
    const patch = await readJson(c, ProfilePatch);
    const profile = await db.transaction().execute(async (trx) => {
      const account = await trx.selectFrom('accounts').select('constituent_id').where('id', '=', auth.accountId).executeTakeFirstOrThrow();
      const cid = await survivorId(trx, account.constituent_id);
      const orNull = (v: string | undefined) => (v === undefined ? undefined : v === '' ? null : v);
      const set = {
        ...(patch.firstName !== undefined ? { first_name: patch.firstName } : {}),
        ...(patch.lastName !== undefined ? { last_name: patch.lastName } : {}),
        ...(patch.phone !== undefined ? { phone: orNull(patch.phone) ?? null } : {}),
        ...(patch.address?.line1 !== undefined ? { address_line1: orNull(patch.address.line1) ?? null } : {}),
        ...(patch.address?.line2 !== undefined ? { address_line2: orNull(patch.address.line2) ?? null } : {}),
        ...(patch.address?.city !== undefined ? { city: orNull(patch.address.city) ?? null } : {}),
        ...(patch.address?.region !== undefined ? { region: orNull(patch.address.region) ?? null } : {}),
        ...(patch.address?.postalCode !== undefined ? { postal_code: orNull(patch.address.postalCode) ?? null } : {}),
        ...(patch.address?.country !== undefined ? { country: orNull(patch.address.country?.toUpperCase()) ?? null } : {}),
      };
      if (Object.keys(set).length > 0) {
        await trx.updateTable('constituents').set({ ...set, updated_at: new Date() }).where('id', '=', cid).execute();
        await trx
          .insertInto('audit_log')
          .values({ org_id: org.id, actor: `account:${auth.accountId}`, action: 'profile.updated', subject_id: cid, details: JSON.stringify({ fields: Object.keys(set) }) })
          .execute();
      }
      return buildProfile(trx, org, auth.accountId);
    });
    return c.json(profile);
  });

  // ----- password reset ------------------------------------------------------------------------
  app.post('/v1/orgs/:org/password-reset', async (c) => {
    const org = c.get('org');
    const body = await readJson(c, PasswordResetRequest);
    const emailNorm = normalizeEmail(body.email);
    await limit(`reset:ip:${clientIp(c, config.trustProxy)}`, limits().resetPerIp);
    await limit(`reset:email:${org.id}:${emailNorm}`, limits().resetPerEmail);
    const locale: Locale = body.locale ?? 'en';
    await db.transaction().execute(async (trx) => {
      const account = await trx
        .selectFrom('accounts')
        .innerJoin('constituents', 'constituents.id', 'accounts.constituent_id')
        .select(['accounts.id', 'accounts.email', 'constituents.first_name'])
        .where('accounts.org_id', '=', org.id)
        .where('accounts.email_norm', '=', emailNorm)
        .executeTakeFirst();
      if (!account) return;
      const token = randomToken();
      await trx
        .insertInto('password_resets')
        .values({
          org_id: org.id,
          account_id: account.id,
          token_hash: sha256(token),
          return_to: body.returnTo ?? null,
          expires_at: new Date(Date.now() + RESET_TTL_MS),
          used_at: null,
        })
        .execute();
      await enqueueEmail(trx, {
        orgId: org.id,
        to: account.email,
        template: 'password_reset',
        content: resetMail(locale, org.name, account.first_name, linkFor(org, body.returnTo, 'reset', token)),
      });
    });
    mailQueued();
    return accepted(c);
  });

  app.post('/v1/orgs/:org/password-reset/complete', async (c) => {
    const org = c.get('org');
    const body = await readJson(c, CompleteRequest);
    if (isCommonPassword(body.password)) throw new ApiError('invalid_input', undefined, { password: 'password_common' });
    const tokenHash = sha256(body.token);
    const precheck = await db
      .selectFrom('password_resets')
      .select('id')
      .where('token_hash', '=', tokenHash)
      .where('org_id', '=', org.id)
      .where('used_at', 'is', null)
      .where('expires_at', '>', new Date())
      .executeTakeFirst();
    if (!precheck) throw new ApiError('token_invalid');
    const passwordHash = await hashPassword(body.password);
    const result = await db.transaction().execute(async (trx) => {
      const reset = await trx
        .updateTable('password_resets')
        .set({ used_at: new Date() })
        .where('id', '=', precheck.id)
        .where('used_at', 'is', null)
        .where('expires_at', '>', new Date())
        .returning('account_id')
        .executeTakeFirst();
      if (!reset) throw new ApiError('token_invalid');
      await trx.updateTable('accounts').set({ password_hash: passwordHash, updated_at: new Date() }).where('id', '=', reset.account_id).execute();
      // Every other reset link of this account dies, and every session ends.
      await trx
        .updateTable('password_resets')
        .set({ used_at: new Date() })
        .where('account_id', '=', reset.account_id)
        .where('used_at', 'is', null)
        .execute();
      await revokeSessions(trx, { accountId: reset.account_id }, 'password_reset');
      await trx
        .insertInto('audit_log')
        .values({ org_id: org.id, actor: `account:${reset.account_id}`, action: 'account.password_reset', subject_id: reset.account_id })
        .execute();
      const session = await createSession(trx, org, reset.account_id, false, c.get('origin'), sessionSettings);
      const profile = await buildProfile(trx, org, reset.account_id);
      return { session, profile } satisfies AuthResult;
    });
    return c.json(result);
  });

  mountAdmin(app, deps);
  mountInvitations(app, deps);

  const openapi = buildOpenApi(!config.production);
  app.get('/v1/openapi.json', (c) => {
    c.header('Access-Control-Allow-Origin', '*');
    return c.json(openapi);
  });

  // ----- development only ----------------------------------------------------------------------
  if (!config.production) {
    const DEV_ORIGIN = /^http:\/\/(localhost|127\.0\.0\.1)(:\d{1,5})?$/;
    app.use('/dev/*', async (c, next) => {
      c.header('Vary', 'Origin');
      const origin = c.req.header('origin');
      if (origin !== undefined) {
        if (!DEV_ORIGIN.test(origin)) throw new ApiError('origin_not_allowed');
        c.header('Access-Control-Allow-Origin', origin);
      }
      if (c.req.method === 'OPTIONS') {
        c.header('Access-Control-Allow-Methods', 'GET, POST, PATCH, DELETE');
        c.header('Access-Control-Allow-Headers', 'content-type, authorization');
        return c.body(null, 204);
      }
      await next();
    });

    app.get('/dev/outbox', async (c) => {
      const to = c.req.query('to');
      let q = db
        .selectFrom('outbox')
        .select(['id', 'channel', 'to_address', 'subject', 'text_body', 'html_body', 'status', 'created_at'])
        .orderBy('id', 'desc')
        .limit(200);
      if (to) q = q.where(sql<string>`lower(to_address)`, '=', to.trim().toLowerCase());
      const rows = await q.execute();
      const list: OutboxList = {
        messages: rows.map((r) => ({
          id: String(r.id),
          channel: r.channel,
          to: r.to_address,
          subject: r.subject,
          text: r.text_body,
          html: r.html_body,
          status: r.status,
          createdAt: new Date(r.created_at).toISOString(),
        })),
      };
      return c.json(list);
    });

    app.post('/dev/orgs/:org/fixtures', async (c) => {
      const org = await db.selectFrom('orgs').selectAll().where('slug', '=', c.req.param('org')).executeTakeFirst();
      if (!org) throw new ApiError('not_found');
      const body = await readJson(c, FixtureRequest);
      const kind = body.kind ?? 'individual';
      if (kind === 'company' && !body.companyName) throw new ApiError('invalid_input', undefined, { companyName: 'required' });
      if (body.password && isCommonPassword(body.password)) throw new ApiError('invalid_input', undefined, { password: 'password_common' });
      const passwordHash = body.password ? await hashPassword(body.password) : undefined;
      const emailNorm = normalizeEmail(body.email);
      const result = await db.transaction().execute(async (trx) => {
        const a = body.address ?? {};
        const row = await trx
          .insertInto('constituents')
          .values({
            org_id: org.id,
            kind,
            first_name: body.firstName,
            last_name: body.lastName,
            company_name: kind === 'company' ? (body.companyName ?? null) : null,
            email: body.email,
            email_norm: emailNorm,
            phone: body.phone || null,
            address_line1: a.line1 || null,
            address_line2: a.line2 || null,
            city: a.city || null,
            region: a.region || null,
            postal_code: a.postalCode || null,
            country: a.country || null,
            merged_into: null,
            source: 'fixture',
          })
          .returning('id')
          .executeTakeFirstOrThrow();
        if (body.membership) {
          const current = body.membership.status === 'current';
          await trx
            .insertInto('memberships')
            .values({
              constituent_id: row.id,
              name: body.membership.name,
              starts_on: current ? isoDaysFromNow(-180) : isoDaysFromNow(-540),
              ends_on: current ? isoDaysFromNow(185) : isoDaysFromNow(-180),
            })
            .execute();
        }
        let accountId: string | undefined;
        if (passwordHash) {
          const acc = await trx
            .insertInto('accounts')
            .values({ org_id: org.id, email: body.email, email_norm: emailNorm, password_hash: passwordHash, constituent_id: row.id })
            .onConflict((oc) => oc.columns(['org_id', 'email_norm']).doNothing())
            .returning('id')
            .executeTakeFirst();
          if (!acc) throw new ApiError('invalid_input', 'An account with this email already exists.', { email: 'invalid' });
          accountId = acc.id;
        }
        return { constituentId: row.id, ...(accountId ? { accountId } : {}) };
      });
      return c.json(result, 201);
    });
  }

  return app;
}
