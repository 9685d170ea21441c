/**
 * Development fixtures (`POST /dev/orgs/{org}/fixtures`, never in production): a record — with a
 * membership and an account if asked — made in one call, so tests and the demo need no SQL.
 */
import type { Kysely } from 'kysely';
import * as z from 'zod/mini';
import type { DB } from '../db/schema.ts';
import { ApiError } from '../errors.ts';
import type { Org } from '../types.ts';
import { normalizeEmail } from './normalize.ts';
import { hashPassword, isCommonPassword } from './passwords.ts';

export const FixtureRequest = z.object({
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
export type FixtureRequest = z.infer<typeof FixtureRequest>;

export async function createFixture(db: Kysely<DB>, org: Org, body: FixtureRequest): Promise<{ constituentId: string; accountId?: string }> {
  const kind = body.kind ?? 'individual';
  if (kind === 'company' && !body.companyName) throw new ApiError('invalid_input', undefined, { companyName: 'required' });
  if (body.password && isCommonPassword(body.password)) throw new ApiError('invalid_input', undefined, { password: 'password_common' });
  const passwordHash = body.password ? await hashPassword(body.password) : undefined;
  const emailNorm = normalizeEmail(body.email);
  return db.transaction().execute(async (trx) => {
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
}
