/**
 * Demo data (idempotent; see server/README.md): the advanced-tier org `riverside-arts` with Maria
 * Garcia (current membership), Tom Baker (expired membership) and the company Harbor Lights Design
 * (sharing its email with its primary contact Jane Doe); and the basic-tier org `northside-choir`.
 * Re-running updates the orgs' portal URL and allowed origins from the environment and inserts
 * only missing people.
 */
import { sql, type Kysely, type Transaction } from 'kysely';
import type { DB } from '../db/index.ts';
import { normalizeEmail } from './normalize.ts';

export interface SeedOptions {
  /** Extra exact origins for the demo orgs' allowlists (PORTAL_DEV_ORIGINS). */
  devOrigins: string[];
  /** The demo org's portal URL (DEMO_PORTAL_URL). */
  portalUrl: string;
}

const BASE_ORIGINS = ['http://localhost:5173', 'http://127.0.0.1:5173'];
const DEMO_PAGES = ['donate.html', 'event.html', 'membership.html', 'plain.html', 'csp.html'];

function isoDate(d: Date): string {
  return d.toISOString().slice(0, 10);
}
function monthsFromNow(months: number): string {
  const d = new Date();
  d.setUTCMonth(d.getUTCMonth() + months);
  return isoDate(d);
}

export async function seed(db: Kysely<DB>, opts: SeedOptions): Promise<void> {
  const origins = [...new Set([...BASE_ORIGINS, ...opts.devOrigins])];
  // The demo pages with a sign-up or sign-in element are the registered confirmation pages: an
  // emailed link from one of them leads back to it (exact URLs, as staff would register them).
  const confirmationUrls = origins.flatMap((o) => DEMO_PAGES.map((p) => `${o}/${p}`));
  await db.transaction().execute(async (trx) => {
    await sql`SELECT pg_advisory_xact_lock(hashtext(current_schema() || ':portal-seed'))`.execute(trx);
    const riverside = await upsertOrg(trx, {
      slug: 'riverside-arts',
      name: 'Riverside Arts Association',
      portal_url: opts.portalUrl,
      tier: 'advanced',
      modules: ['memberships', 'events', 'donations', 'invoices'],
      allowed_origins: origins,
      confirmation_urls: confirmationUrls,
      primary_color: '#1d4ed8',
    });
    const choirUrl = new URL(opts.portalUrl);
    choirUrl.searchParams.set('org', 'northside-choir');
    await upsertOrg(trx, {
      slug: 'northside-choir',
      name: 'Northside Community Choir',
      portal_url: choirUrl.toString(),
      tier: 'basic',
      modules: ['invoices', 'auctions', 'peer_to_peer'],
      allowed_origins: origins,
      confirmation_urls: [],
      primary_color: '#7c3aed',
    });

    const maria = await ensurePerson(trx, riverside, {
      kind: 'individual',
      first_name: 'Maria',
      last_name: 'Garcia',
      company_name: null,
      email: 'maria.garcia@example.org',
      phone: '+1 555 0100',
      address_line1: '12 River Street',
      address_line2: 'Apt 4',
      city: 'Springfield',
      region: 'IL',
      postal_code: '62701',
      country: 'US',
    });
    if (maria.created) {
      await trx
        .insertInto('memberships')
        .values({ constituent_id: maria.id, name: 'Household Membership', starts_on: monthsFromNow(-6), ends_on: monthsFromNow(6) })
        .execute();
      await trx
        .insertInto('donations')
        .values({ constituent_id: maria.id, amount_cents: 5000, donated_on: monthsFromNow(-2) })
        .execute();
      await trx
        .insertInto('invoices')
        .values({ constituent_id: maria.id, number: 'INV-1001', amount_cents: 12000, status: 'paid', issued_on: monthsFromNow(-6) })
        .execute();
    }

    const tom = await ensurePerson(trx, riverside, {
      kind: 'individual',
      first_name: 'Tom',
      last_name: 'Baker',
      company_name: null,
      email: 'tom.baker@example.org',
      phone: '+1 555 0101',
      address_line1: '8 Elm Avenue',
      address_line2: null,
      city: 'Springfield',
      region: 'IL',
      postal_code: '62702',
      country: 'US',
    });
    if (tom.created) {
      await trx
        .insertInto('memberships')
        .values({ constituent_id: tom.id, name: 'Individual Membership', starts_on: monthsFromNow(-18), ends_on: monthsFromNow(-6) })
        .execute();
    }

    const jane = await ensurePerson(trx, riverside, {
      kind: 'individual',
      first_name: 'Jane',
      last_name: 'Doe',
      company_name: null,
      email: 'jane@harborlights.example',
      phone: '+1 555 0102',
      address_line1: '1 Harbor Way',
      address_line2: null,
      city: 'Springfield',
      region: 'IL',
      postal_code: '62703',
      country: 'US',
    });
    const harbor = await ensurePerson(trx, riverside, {
      kind: 'company',
      first_name: 'Jane',
      last_name: 'Doe',
      company_name: 'Harbor Lights Design',
      email: 'jane@harborlights.example',
      phone: '+1 555 0103',
      address_line1: '1 Harbor Way',
      address_line2: 'Suite 200',
      city: 'Springfield',
      region: 'IL',
      postal_code: '62703',
      country: 'US',
    });
    if (harbor.created) {
      await trx
        .insertInto('memberships')
        .values({ constituent_id: harbor.id, name: 'Business Partner Membership', starts_on: monthsFromNow(-3), ends_on: monthsFromNow(9) })
        .execute();
    }
    await trx
      .insertInto('company_contacts')
      .values({ company_id: harbor.id, contact_id: jane.id, is_primary: true })
      .onConflict((oc) => oc.columns(['company_id', 'contact_id']).doNothing())
      .execute();
  });
}

async function upsertOrg(
  trx: Transaction<DB>,
  org: {
    slug: string;
    name: string;
    portal_url: string;
    tier: 'basic' | 'advanced';
    modules: string[];
    allowed_origins: string[];
    confirmation_urls: string[];
    primary_color: string;
  },
): Promise<string> {
  const row = await trx
    .insertInto('orgs')
    .values({ ...org, logo_url: null, api_key_hash: null })
    .onConflict((oc) =>
      oc.column('slug').doUpdateSet((eb) => ({
        portal_url: eb.ref('excluded.portal_url'),
        allowed_origins: eb.ref('excluded.allowed_origins'),
        confirmation_urls: eb.ref('excluded.confirmation_urls'),
      })),
    )
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

type PersonSeed = Pick<
  DB['constituents'],
  | 'kind'
  | 'first_name'
  | 'last_name'
  | 'company_name'
  | 'email'
  | 'phone'
  | 'address_line1'
  | 'address_line2'
  | 'city'
  | 'region'
  | 'postal_code'
  | 'country'
>;

async function ensurePerson(trx: Transaction<DB>, orgId: string, p: PersonSeed): Promise<{ id: string; created: boolean }> {
  const existing = await trx
    .selectFrom('constituents')
    .select('id')
    .where('org_id', '=', orgId)
    .where('source', '=', 'seed')
    .where('kind', '=', p.kind)
    .where('email_norm', '=', normalizeEmail(p.email))
    .executeTakeFirst();
  if (existing) return { id: existing.id, created: false };
  const row = await trx
    .insertInto('constituents')
    .values({ ...p, org_id: orgId, email_norm: normalizeEmail(p.email), merged_into: null, source: 'seed' })
    .returning('id')
    .executeTakeFirstOrThrow();
  return { id: row.id, created: true };
}
