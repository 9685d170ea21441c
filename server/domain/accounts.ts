/** The signed-in person's profile (account, record, memberships, companies) and the portal's modules. */
import { sql, type Kysely } from 'kysely';
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

async function membershipsOf(db: Db, constituentId: string): Promise<Membership[]> {
  const rows = await db
    .selectFrom('memberships')
    .select([
      'id',
      'name',
      sql<string>`to_char(starts_on, 'YYYY-MM-DD')`.as('starts_on'),
      sql<string>`to_char(ends_on, 'YYYY-MM-DD')`.as('ends_on'),
      sql<'current' | 'expired'>`CASE WHEN ends_on >= current_date THEN 'current' ELSE 'expired' END`.as('status'),
    ])
    .where('constituent_id', '=', constituentId)
    .orderBy('ends_on', 'desc')
    .execute();
  return rows.map((r) => ({ id: r.id, name: r.name, status: r.status, startsOn: r.starts_on, endsOn: r.ends_on }));
}

/** A record's address columns as the API's `Address` (only the parts it has), or null when it has none. */
function addressOf(r: {
  address_line1: string | null;
  address_line2: string | null;
  city: string | null;
  region: string | null;
  postal_code: string | null;
  country: string | null;
}): Profile['constituent']['address'] | null {
  const a = {
    ...(r.address_line1 ? { line1: r.address_line1 } : {}),
    ...(r.address_line2 ? { line2: r.address_line2 } : {}),
    ...(r.city ? { city: r.city } : {}),
    ...(r.region ? { region: r.region } : {}),
    ...(r.postal_code ? { postalCode: r.postal_code } : {}),
    ...(r.country ? { country: r.country } : {}),
  };
  return Object.keys(a).length > 0 ? a : null;
}

export async function buildProfile(db: Db, org: Org, accountId: string): Promise<Profile> {
  const account = await db
    .selectFrom('accounts')
    .select(['id', 'email', 'constituent_id'])
    .where('id', '=', accountId)
    .where('org_id', '=', org.id)
    .executeTakeFirstOrThrow();
  const cid = await survivorId(db, account.constituent_id);
  const c = await db.selectFrom('constituents').selectAll().where('id', '=', cid).executeTakeFirstOrThrow();
  const modules = portalModules(org);
  const showMemberships = modules.includes('memberships');
  const companies: Profile['companies'] = [];
  if (c.kind === 'individual') {
    const rows = await db
      .selectFrom('company_contacts as cc')
      .innerJoin('constituents as co', 'co.id', 'cc.company_id')
      .select([
        'co.id',
        'co.company_name',
        'co.email',
        'co.phone',
        'co.address_line1',
        'co.address_line2',
        'co.city',
        'co.region',
        'co.postal_code',
        'co.country',
      ])
      .where('cc.contact_id', '=', c.id)
      .where('cc.is_primary', '=', true)
      .where('co.merged_into', 'is', null)
      .orderBy('co.company_name')
      .execute();
    for (const r of rows) {
      companies.push({
        id: r.id,
        companyName: r.company_name ?? '',
        email: r.email,
        // For filling a purchaser form as the company (issue #10): the company record's own phone and address.
        phone: r.phone,
        address: addressOf(r),
        memberships: showMemberships ? await membershipsOf(db, r.id) : [],
      });
    }
  }
  return {
    accountId: account.id,
    email: account.email,
    constituent: {
      id: c.id,
      kind: c.kind,
      firstName: c.first_name,
      lastName: c.last_name,
      companyName: c.company_name,
      email: c.email,
      phone: c.phone,
      address: {
        ...(c.address_line1 ? { line1: c.address_line1 } : {}),
        ...(c.address_line2 ? { line2: c.address_line2 } : {}),
        ...(c.city ? { city: c.city } : {}),
        ...(c.region ? { region: c.region } : {}),
        ...(c.postal_code ? { postalCode: c.postal_code } : {}),
        ...(c.country ? { country: c.country } : {}),
      },
    },
    portal: { tier: org.tier, modules },
    memberships: showMemberships ? await membershipsOf(db, c.id) : [],
    companies,
  };
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
