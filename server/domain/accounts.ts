/** The signed-in person's profile (account, record, memberships, companies) and the portal's modules. */
import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { Membership, PortalModule, Profile, ProfilePatch } from '../../src/api/contract.ts';
import { PORTAL_MODULES } from '../../src/api/contract.ts';
import type { DB } from '../db/schema.ts';
import type { Db, Org } from '../types.ts';
import { audit } from './audit.ts';

/** Basic Portal shows personal info plus invoices, auctions and peer-to-peer (DESIGN §1.7). */
const BASIC_MODULES: readonly PortalModule[] = ['invoices', 'auctions', 'peer_to_peer'];

export function portalModules(org: Org): PortalModule[] {
  const known = org.modules.filter((m): m is PortalModule => (PORTAL_MODULES as readonly string[]).includes(m));
  return org.tier === 'advanced' ? known : known.filter((m) => BASIC_MODULES.includes(m));
}

/** Follows `merged_into` to the surviving record. */
export async function survivorId(db: Db, constituentId: string): Promise<string> {
  let id = constituentId;
  for (let i = 0; i < 20; i++) {
    const row = await db.selectFrom('constituents').select('merged_into').where('id', '=', id).executeTakeFirst();
    if (!row?.merged_into) return id;
    id = row.merged_into;
  }
  return id;
}

/** A record's address columns as the API's `Address` (only the parts it has), or null when it has none. */
function addressOf(r: AddressRow): Profile['constituent']['address'] | null {
  const a = addressParts(r);
  return Object.keys(a).length > 0 ? a : null;
}

interface AddressRow {
  address_line1: string | null;
  address_line2: string | null;
  city: string | null;
  region: string | null;
  postal_code: string | null;
  country: string | null;
}

function addressParts(r: AddressRow): Profile['constituent']['address'] {
  return {
    ...(r.address_line1 ? { line1: r.address_line1 } : {}),
    ...(r.address_line2 ? { line2: r.address_line2 } : {}),
    ...(r.city ? { city: r.city } : {}),
    ...(r.region ? { region: r.region } : {}),
    ...(r.postal_code ? { postalCode: r.postal_code } : {}),
    ...(r.country ? { country: r.country } : {}),
  };
}

/**
 * The whole profile of account `accountId` as one JSON value, computed by the database function
 * `portal_profile` (db/migrations.ts, issue 15): account, surviving record (`merged_into` followed up
 * to 20 hops), memberships and the companies it is primary contact of — one statement, with a plan the
 * database keeps, instead of one round trip per table. `accountId` is a parameter or a column of the
 * statement it is embedded in. NULL when the account is not in `org`.
 */
export function profileJson(org: Org, accountId: RawBuilder<unknown> | string): RawBuilder<ProfileRow | null> {
  const aid = typeof accountId === 'string' ? sql`${accountId}::uuid` : accountId;
  return sql<ProfileRow | null>`portal_profile(${aid}, ${org.id}::uuid, ${showMemberships(org)})`;
}

/** Whether the portal shows memberships (the profile carries them only then). */
export function showMemberships(org: Org): boolean {
  return portalModules(org).includes('memberships');
}

/** What {@link profileJson} yields (snake_case record columns, as stored). */
export interface ProfileRow {
  accountId: string;
  email: string;
  c: AddressRow & {
    id: string;
    kind: 'individual' | 'company';
    first_name: string;
    last_name: string;
    company_name: string | null;
    email: string;
    phone: string | null;
  };
  memberships: Membership[];
  companies: (AddressRow & { id: string; company_name: string | null; email: string; phone: string | null; memberships: Membership[] })[];
}

/** The API's `Profile` from a {@link profileJson} value (throws when the account was not found, as a read of a missing row does). */
export function profileFrom(org: Org, row: ProfileRow | null | undefined): Profile {
  if (!row) throw new Error('no result: the account is not in this organization');
  const c = row.c;
  return {
    accountId: row.accountId,
    email: row.email,
    constituent: {
      id: c.id,
      kind: c.kind,
      firstName: c.first_name,
      lastName: c.last_name,
      companyName: c.company_name,
      email: c.email,
      phone: c.phone,
      address: addressParts(c),
    },
    portal: { tier: org.tier, modules: portalModules(org) },
    memberships: row.memberships,
    companies: row.companies.map((r) => ({
      id: r.id,
      companyName: r.company_name ?? '',
      email: r.email,
      // For filling a purchaser form as the company (issue #10): the company record's own phone and address.
      phone: r.phone,
      address: addressOf(r),
      memberships: r.memberships,
    })),
  };
}

/** The profile of one account, in one statement. */
export async function buildProfile(db: Db, org: Org, accountId: string): Promise<Profile> {
  const { rows } = await sql<{ profile: ProfileRow | null }>`SELECT ${profileJson(org, accountId)} AS profile`.execute(db);
  return profileFrom(org, rows[0]?.profile);
}

/** Updates the person's own record (the survivor, if merged): only the fields given; '' clears one. Audited. */
export async function updateProfile(db: Kysely<DB>, org: Org, accountId: string, patch: ProfilePatch): Promise<Profile> {
  return db.transaction().execute(async (trx) => {
    const account = await trx.selectFrom('accounts').select('constituent_id').where('id', '=', accountId).executeTakeFirstOrThrow();
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
      await trx
        .updateTable('constituents')
        .set({ ...set, updated_at: new Date() })
        .where('id', '=', cid)
        .execute();
      await audit(trx, {
        orgId: org.id,
        actor: `account:${accountId}`,
        action: 'profile.updated',
        subjectId: cid,
        details: { fields: Object.keys(set) },
      });
    }
    return buildProfile(trx, org, accountId);
  });
}
