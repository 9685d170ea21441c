/**
 * Sign-up by confirmed email and password reset (DESIGN §1.3, §1.5; no HTTP here). Both send a
 * single-use link whose token travels in the URL fragment; both end in a new session. What a caller
 * learns never depends on whether the email has an account (the same 202, the same work shape).
 */
import { sql, type Kysely } from 'kysely';
import { FLOW_FRAGMENT_KEY, TOKEN_FRAGMENT_KEY, type AuthResult, type Locale, type TokenFlow } from '../../src/api/contract.ts';
import type { DB, SignupPayload } from '../db/schema.ts';
import { ApiError } from '../errors.ts';
import type { Org } from '../types.ts';
import { buildProfile } from './accounts.ts';
import { audit } from './audit.ts';
import { randomToken, sha256 } from './crypto.ts';
import { markInvitationsSignedUp } from './invitations.ts';
import { confirmationMail, existingAccountMail, resetMail } from './mail.ts';
import { matchOrCreate } from './matching.ts';
import { enqueueEmail } from './outbox.ts';
import { hashPassword, isCommonPassword } from './passwords.ts';
import { createSession, revokeSessions, type SessionSettings } from './sessions.ts';

const CONFIRM_TTL_MS = 24 * 3_600_000;
const RESET_TTL_MS = 3_600_000;

/** Where an emailed link leads: an allowed returnTo, else the org's portal URL (never Host). */
export function linkFor(org: Org, returnTo: string | null | undefined, flow: TokenFlow, token: string | null): string {
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

function rejectCommon(password: string): void {
  if (isCommonPassword(password)) throw new ApiError('invalid_input', undefined, { password: 'password_common' });
}

/**
 * Queues the confirmation mail (a new pending sign-up), or — when the email already has an account
 * — a mail saying so with a sign-in link. Always queues one message.
 */
export async function requestSignup(
  db: Kysely<DB>,
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
}

/** Resends the latest pending sign-up's confirmation; `true` when a message was queued. */
export async function resendSignup(
  db: Kysely<DB>,
  org: Org,
  emailNorm: string,
  locale: Locale | undefined,
  returnTo: string | undefined,
): Promise<boolean> {
  const pending = await db
    .selectFrom('pending_signups')
    .select(['email', 'payload', 'return_to'])
    .where('org_id', '=', org.id)
    .where('email_norm', '=', emailNorm)
    .where('used_at', 'is', null)
    .orderBy('created_at', 'desc')
    .executeTakeFirst();
  if (pending) {
    const payload: SignupPayload = { ...pending.payload, locale: locale ?? pending.payload.locale };
    await requestSignup(db, org, pending.email, emailNorm, payload, returnTo ?? pending.return_to);
    return true;
  }
  // Same work shape as a real resend for similar timing: look for an account.
  const account = await db
    .selectFrom('accounts')
    .select('email')
    .where('org_id', '=', org.id)
    .where('email_norm', '=', emailNorm)
    .executeTakeFirst();
  if (!account) return false;
  await enqueueEmail(db, {
    orgId: org.id,
    to: account.email,
    template: 'existing_account',
    content: existingAccountMail(locale ?? 'en', org.name, linkFor(org, returnTo, 'signup', null)),
  });
  return true;
}

/** Confirms a sign-up: the token is spent, the person matched or created, the account made, a session begun. */
export async function completeSignup(
  db: Kysely<DB>,
  org: Org,
  token: string,
  password: string,
  origin: string | null,
  settings: SessionSettings,
): Promise<AuthResult> {
  rejectCommon(password);
  const tokenHash = sha256(token);
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
  const passwordHash = await hashPassword(password);
  return db.transaction().execute(async (trx) => {
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
    await audit(trx, { orgId: org.id, actor: `account:${account.id}`, action: 'account.created', subjectId: constituentId, details: { outcome } });
    const session = await createSession(trx, org, account.id, false, origin, settings);
    const profile = await buildProfile(trx, org, account.id);
    return { session, profile, outcome } satisfies AuthResult;
  });
}

/** Queues a reset link when the email has an account; otherwise does nothing (the caller answers 202 either way). */
export async function requestPasswordReset(
  db: Kysely<DB>,
  org: Org,
  emailNorm: string,
  locale: Locale,
  returnTo: string | undefined,
): Promise<void> {
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
        return_to: returnTo ?? null,
        expires_at: new Date(Date.now() + RESET_TTL_MS),
        used_at: null,
      })
      .execute();
    await enqueueEmail(trx, {
      orgId: org.id,
      to: account.email,
      template: 'password_reset',
      content: resetMail(locale, org.name, account.first_name, linkFor(org, returnTo, 'reset', token)),
    });
  });
}

/** Sets a new password from a reset link: every other link of the account dies, every session ends, a new one begins. */
export async function completePasswordReset(
  db: Kysely<DB>,
  org: Org,
  token: string,
  password: string,
  origin: string | null,
  settings: SessionSettings,
): Promise<AuthResult> {
  rejectCommon(password);
  const tokenHash = sha256(token);
  const precheck = await db
    .selectFrom('password_resets')
    .select('id')
    .where('token_hash', '=', tokenHash)
    .where('org_id', '=', org.id)
    .where('used_at', 'is', null)
    .where('expires_at', '>', new Date())
    .executeTakeFirst();
  if (!precheck) throw new ApiError('token_invalid');
  const passwordHash = await hashPassword(password);
  return db.transaction().execute(async (trx) => {
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
    await audit(trx, { orgId: org.id, actor: `account:${reset.account_id}`, action: 'account.password_reset', subjectId: reset.account_id });
    const session = await createSession(trx, org, reset.account_id, false, origin, settings);
    const profile = await buildProfile(trx, org, reset.account_id);
    return { session, profile } satisfies AuthResult;
  });
}
