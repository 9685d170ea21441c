/**
 * Sign-up by confirmed email and password reset (DESIGN §1.3, §1.5; no HTTP here). Both send a
 * single-use link whose token travels in the URL fragment; both end in a new session. What a caller
 * learns never depends on whether the email has an account (the same 202, the same work shape).
 */
import { sql, type Kysely } from 'kysely';
import type { AuthResult, Locale } from '../../src/api/contract.ts';
import type { DB, SignupPayload } from '../db/schema.ts';
import { ApiError } from '../errors.ts';
import type { Org } from '../types.ts';
import { buildProfile } from './accounts.ts';
import { audit } from './audit.ts';
import { randomToken, sha256 } from './crypto.ts';
import { markInvitationsSignedUp } from './invitations.ts';
import { confirmationMail, existingAccountMail, resetMail } from './mail.ts';
import { matchOrCreate } from './matching.ts';
import { linkFor, registeredReturnTo, spendToken, tokenUsable } from './links.ts';
import { enqueueEmail } from './outbox.ts';
import { hashPassword, isCommonPassword } from './passwords.ts';
import { createSession, revokeSessions, type SessionSettings } from './sessions.ts';

const CONFIRM_TTL_MS = 24 * 3_600_000;
const RESET_TTL_MS = 3_600_000;

// Links come from configuration only (links.ts); kept importable from here.
export { linkFor } from './links.ts';

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
    const account = await trx.selectFrom('accounts').select('id').where('org_id', '=', org.id).where('email_norm', '=', emailNorm).executeTakeFirst();
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
        // Only a page the org registered is kept (and handed back after completion).
        return_to: registeredReturnTo(org, returnTo),
        expires_at: new Date(Date.now() + CONFIRM_TTL_MS),
        used_at: null,
      })
      .execute();
    // The address is not proven yet: the mail echoes nothing the requester typed (no name).
    await enqueueEmail(trx, {
      orgId: org.id,
      to: email,
      template: 'signup_confirmation',
      expiresAt: new Date(Date.now() + CONFIRM_TTL_MS),
      content: confirmationMail(payload.locale, org.name, linkFor(org, returnTo, 'signup', token)),
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
  const account = await db.selectFrom('accounts').select('email').where('org_id', '=', org.id).where('email_norm', '=', emailNorm).executeTakeFirst();
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
  if (!(await tokenUsable(db, org, 'signup', token))) throw new ApiError('token_invalid');
  const passwordHash = await hashPassword(password);
  return db.transaction().execute(async (trx) => {
    const id = await spendToken(trx, org, 'signup', token);
    const pending = await trx
      .selectFrom('pending_signups')
      .select(['email', 'email_norm', 'payload', 'return_to'])
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
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
    const returnTo = registeredReturnTo(org, pending.return_to);
    return { session, profile, outcome, ...(returnTo ? { returnTo } : {}) } satisfies AuthResult;
  });
}

/** Queues a reset link when the email has an account; otherwise does nothing (the caller answers 202 either way). */
export async function requestPasswordReset(db: Kysely<DB>, org: Org, emailNorm: string, locale: Locale, returnTo: string | undefined): Promise<void> {
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
        return_to: registeredReturnTo(org, returnTo),
        expires_at: new Date(Date.now() + RESET_TTL_MS),
        used_at: null,
      })
      .execute();
    await enqueueEmail(trx, {
      orgId: org.id,
      to: account.email,
      template: 'password_reset',
      expiresAt: new Date(Date.now() + RESET_TTL_MS),
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
  if (!(await tokenUsable(db, org, 'reset', token))) throw new ApiError('token_invalid');
  const passwordHash = await hashPassword(password);
  return db.transaction().execute(async (trx) => {
    const id = await spendToken(trx, org, 'reset', token);
    const reset = await trx.selectFrom('password_resets').select(['account_id', 'return_to']).where('id', '=', id).executeTakeFirstOrThrow();
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
    const returnTo = registeredReturnTo(org, reset.return_to);
    return { session, profile, ...(returnTo ? { returnTo } : {}) } satisfies AuthResult;
  });
}
