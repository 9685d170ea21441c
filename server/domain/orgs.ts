/**
 * Organizations (no HTTP here): lookup, provisioning (`portal-api org …`), allowed origins and admin
 * API keys. Keys are random, shown once, stored as SHA-256; several may be live at once so a key can
 * be rotated without downtime (create the new one, switch the CRM over, revoke the old one).
 */
import { timingSafeEqual } from 'node:crypto';
import type { Kysely } from 'kysely';
import * as z from 'zod/mini';
import { PORTAL_MODULES } from '../../src/api/contract.ts';
import type { DB } from '../db/schema.ts';
import type { Db, Org } from '../types.ts';
import { audit } from './audit.ts';
import { randomToken, sha256 } from './crypto.ts';

export async function findOrg(db: Db, slug: string): Promise<Org | undefined> {
  return db.selectFrom('orgs').selectAll().where('slug', '=', slug).executeTakeFirst();
}

/**
 * How long a process keeps an org row before reading it again (issue 15): a change made by another
 * process (`portal-api org …` from a shell, a second API machine) is seen within this time; one made
 * through this process is seen at once. Admin API keys are always checked against the stored row, and
 * session lifetimes are read with the session itself, so neither waits for the cache.
 */
export const ORG_CACHE_TTL_MS = 5_000;

/** Bumped by every org change in this process: every cache drops what it holds. */
let orgGeneration = 0;

/** Call after an org change commits (this process's caches forget every org at once). */
export function orgsChanged(): void {
  orgGeneration += 1;
}

/**
 * The org rows the per-org middleware needs on every request and preflight, kept for
 * {@link ORG_CACHE_TTL_MS}. Concurrent misses share one read; an unknown slug is not kept (an org
 * created by the CLI answers at once); a read that raced a change is not kept either.
 */
export class OrgCache {
  readonly #entries = new Map<string, { org: Org; until: number; generation: number }>();
  readonly #loading = new Map<string, Promise<Org | undefined>>();

  constructor(
    private readonly db: Db,
    private readonly ttlMs = ORG_CACHE_TTL_MS,
  ) {}

  get(slug: string): Org | undefined | Promise<Org | undefined> {
    const hit = this.#entries.get(slug);
    if (hit && hit.generation === orgGeneration && hit.until > Date.now()) return hit.org;
    const pending = this.#loading.get(slug);
    if (pending) return pending;
    const generation = orgGeneration;
    const load = findOrg(this.db, slug).then(
      (org) => {
        this.#loading.delete(slug);
        if (!org) this.#entries.delete(slug);
        else if (generation === orgGeneration) {
          if (this.#entries.size >= 10_000) this.#entries.clear();
          this.#entries.set(slug, { org, until: Date.now() + this.ttlMs, generation });
        }
        return org;
      },
      (err: unknown) => {
        this.#loading.delete(slug);
        throw err;
      },
    );
    this.#loading.set(slug, load);
    return load;
  }
}

function sameHash(a: string, b: string): boolean {
  const x = Buffer.from(a, 'hex');
  const y = Buffer.from(b, 'hex');
  return x.length === y.length && timingSafeEqual(x, y);
}

/**
 * Whether `key` is one of this org's live admin API keys: a key made with `admin-key create`, or the
 * one set from ADMIN_API_KEYS (`orgs.api_key_hash`). Compared as SHA-256.
 */
export async function adminKeyValid(db: Kysely<DB>, org: Org, key: string): Promise<boolean> {
  const hash = sha256(key);
  if (org.api_key_hash && sameHash(hash, org.api_key_hash)) return true;
  const row = await db
    .updateTable('admin_api_keys')
    .set({ last_used_at: new Date() })
    .where('org_id', '=', org.id)
    .where('key_hash', '=', hash)
    .where('revoked_at', 'is', null)
    .returning('id')
    .executeTakeFirst();
  return row !== undefined;
}

/** Sets an org's configured admin API key (ADMIN_API_KEYS; stored as SHA-256 only). */
export async function setAdminKey(db: Kysely<DB>, slug: string, key: string): Promise<void> {
  await db
    .updateTable('orgs')
    .set({ api_key_hash: sha256(key) })
    .where('slug', '=', slug)
    .execute();
  orgsChanged();
}

// ----- provisioning -------------------------------------------------------------------------------

/** An exact web origin: scheme, host and optional port; no path, query, fragment or credentials. */
export function isOrigin(value: string): boolean {
  try {
    const u = new URL(value);
    return (u.protocol === 'https:' || u.protocol === 'http:') && u.origin === value && !u.username && !u.password;
  } catch {
    return false;
  }
}

const Slug = z.string().check(z.regex(/^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$/, { error: 'must be lower-case letters, digits and dashes (1–64)' }));
const HttpUrl = z.string().check(
  z.refine(
    (v) => {
      try {
        return ['http:', 'https:'].includes(new URL(v).protocol);
      } catch {
        return false;
      }
    },
    { error: 'must be an http:// or https:// URL' },
  ),
);
const Origin = z
  .string()
  .check(z.refine(isOrigin, { error: 'must be an exact origin such as https://www.example.org (no path, no trailing slash)' }));

export const OrgInput = z.object({
  slug: Slug,
  name: z.string().check(z.trim(), z.minLength(1, { error: 'is required' }), z.maxLength(200, { error: 'is too long' })),
  portalUrl: HttpUrl,
  origins: z.array(Origin),
  tier: z.optional(z.enum(['basic', 'advanced'])),
  modules: z.optional(z.array(z.enum(PORTAL_MODULES))),
  matchPolicy: z.optional(z.enum(['email-and-name', 'verified-email'])),
});
export type OrgInput = z.infer<typeof OrgInput>;

export const OrgUpdate = z.object({
  name: z.optional(z.string().check(z.trim(), z.minLength(1, { error: 'is required' }), z.maxLength(200, { error: 'is too long' }))),
  portalUrl: z.optional(HttpUrl),
  tier: z.optional(z.enum(['basic', 'advanced'])),
  modules: z.optional(z.array(z.enum(PORTAL_MODULES))),
  matchPolicy: z.optional(z.enum(['email-and-name', 'verified-email'])),
});
export type OrgUpdate = z.infer<typeof OrgUpdate>;

export class ProvisioningError extends Error {}

/** Parses provisioning input; each problem becomes one line (`--portal-url must be …`). */
export function parseInput<S extends z.ZodMiniType>(schema: S, data: unknown, flagFor: (path: string) => string = (p) => p): z.infer<S> {
  const r = z.safeParse(schema, data);
  if (r.success) return r.data;
  const lines = r.error.issues.map((i) => `${flagFor(String(i.path[0] ?? ''))} ${i.message}`);
  throw new ProvisioningError([...new Set(lines)].join('\n'));
}

export interface OrgSummary {
  slug: string;
  name: string;
  portalUrl: string;
  tier: 'basic' | 'advanced';
  modules: string[];
  origins: string[];
  matchPolicy: string;
  adminKeys: number;
  createdAt: string;
}

const DEFAULT_MODULES = ['memberships', 'donations', 'invoices', 'events', 'auctions', 'peer_to_peer'] as const;

/** Creates an org and its first admin API key; the key is returned once and never stored in clear. */
export async function createOrg(db: Kysely<DB>, input: OrgInput, actor = 'cli'): Promise<{ org: Org; adminKey: string }> {
  const made = await db.transaction().execute(async (trx) => {
    if (await findOrg(trx, input.slug)) throw new ProvisioningError(`an organization with slug "${input.slug}" already exists (use org update)`);
    const known = new Set<string>(PORTAL_MODULES);
    const org = await trx
      .insertInto('orgs')
      .values({
        slug: input.slug,
        name: input.name,
        portal_url: input.portalUrl,
        tier: input.tier ?? 'advanced',
        modules: input.modules ?? DEFAULT_MODULES.filter((m) => known.has(m)),
        allowed_origins: [...new Set(input.origins)],
        ...(input.matchPolicy ? { match_policy: input.matchPolicy } : {}),
        primary_color: null,
        logo_url: null,
        api_key_hash: null,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    const adminKey = await insertAdminKey(trx, org.id, 'initial');
    await audit(trx, { orgId: org.id, actor, action: 'org.created', subjectId: org.id, details: { slug: org.slug } });
    return { org, adminKey };
  });
  orgsChanged();
  return made;
}

export async function updateOrg(db: Kysely<DB>, slug: string, patch: OrgUpdate, actor = 'cli'): Promise<Org> {
  const set = {
    ...(patch.name !== undefined ? { name: patch.name } : {}),
    ...(patch.portalUrl !== undefined ? { portal_url: patch.portalUrl } : {}),
    ...(patch.tier !== undefined ? { tier: patch.tier } : {}),
    ...(patch.modules !== undefined ? { modules: patch.modules } : {}),
    ...(patch.matchPolicy !== undefined ? { match_policy: patch.matchPolicy } : {}),
  };
  if (Object.keys(set).length === 0)
    throw new ProvisioningError('nothing to update: give at least one of --name, --portal-url, --tier, --modules, --match-policy');
  const updated = await db.transaction().execute(async (trx) => {
    const org = await trx.updateTable('orgs').set(set).where('slug', '=', slug).returningAll().executeTakeFirst();
    if (!org) throw new ProvisioningError(`no organization with slug "${slug}"`);
    await audit(trx, { orgId: org.id, actor, action: 'org.updated', subjectId: org.id, details: { fields: Object.keys(set) } });
    return org;
  });
  orgsChanged();
  return updated;
}

export async function listOrgs(db: Kysely<DB>): Promise<OrgSummary[]> {
  const orgs = await db.selectFrom('orgs').selectAll().orderBy('slug').execute();
  const keys = await db
    .selectFrom('admin_api_keys')
    .select(['org_id', (eb) => eb.fn.countAll<string>().as('n')])
    .where('revoked_at', 'is', null)
    .groupBy('org_id')
    .execute();
  const byOrg = new Map(keys.map((k) => [k.org_id, Number(k.n)]));
  return orgs.map((o) => ({
    slug: o.slug,
    name: o.name,
    portalUrl: o.portal_url,
    tier: o.tier,
    modules: o.modules,
    origins: o.allowed_origins,
    matchPolicy: o.match_policy,
    adminKeys: (byOrg.get(o.id) ?? 0) + (o.api_key_hash ? 1 : 0),
    createdAt: new Date(o.created_at).toISOString(),
  }));
}

/** Adds or removes exact allowed origins (idempotent). Returns the new list. */
export async function changeOrigins(db: Kysely<DB>, slug: string, op: 'add' | 'remove', origins: string[], actor = 'cli'): Promise<string[]> {
  const bad = origins.filter((o) => !isOrigin(o));
  if (bad.length)
    throw new ProvisioningError(
      bad.map((o) => `"${o}" is not an exact origin such as https://www.example.org (no path, no trailing slash)`).join('\n'),
    );
  if (origins.length === 0) throw new ProvisioningError('give at least one origin');
  const changed = await db.transaction().execute(async (trx) => {
    const org = await trx.selectFrom('orgs').selectAll().where('slug', '=', slug).forUpdate().executeTakeFirst();
    if (!org) throw new ProvisioningError(`no organization with slug "${slug}"`);
    const next = op === 'add' ? [...new Set([...org.allowed_origins, ...origins])] : org.allowed_origins.filter((o) => !origins.includes(o));
    await trx.updateTable('orgs').set({ allowed_origins: next }).where('id', '=', org.id).execute();
    await audit(trx, { orgId: org.id, actor, action: `org.origins_${op === 'add' ? 'added' : 'removed'}`, subjectId: org.id, details: { origins } });
    return next;
  });
  orgsChanged();
  return changed;
}

async function insertAdminKey(db: Db, orgId: string, label: string): Promise<string> {
  const key = `pak_${randomToken()}`;
  await db
    .insertInto('admin_api_keys')
    .values({ org_id: orgId, key_hash: sha256(key), label })
    .execute();
  return key;
}

export async function createAdminKey(db: Kysely<DB>, slug: string, label: string, actor = 'cli'): Promise<{ id: string; key: string }> {
  return db.transaction().execute(async (trx) => {
    const org = await findOrg(trx, slug);
    if (!org) throw new ProvisioningError(`no organization with slug "${slug}"`);
    const key = await insertAdminKey(trx, org.id, label);
    const row = await trx.selectFrom('admin_api_keys').select('id').where('key_hash', '=', sha256(key)).executeTakeFirstOrThrow();
    await audit(trx, { orgId: org.id, actor, action: 'admin_key.created', subjectId: row.id, details: { label } });
    return { id: row.id, key };
  });
}

export interface AdminKeyInfo {
  id: string;
  label: string;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

export async function listAdminKeys(db: Kysely<DB>, slug: string): Promise<AdminKeyInfo[]> {
  const org = await findOrg(db, slug);
  if (!org) throw new ProvisioningError(`no organization with slug "${slug}"`);
  const rows = await db.selectFrom('admin_api_keys').selectAll().where('org_id', '=', org.id).orderBy('created_at').execute();
  const iso = (d: Date | null) => (d ? new Date(d).toISOString() : null);
  return rows.map((r) => ({
    id: r.id,
    label: r.label,
    createdAt: new Date(r.created_at).toISOString(),
    lastUsedAt: iso(r.last_used_at),
    revokedAt: iso(r.revoked_at),
  }));
}

/**
 * Revokes one key (by id, or by the key itself), or with `all` every key of the org including the
 * configured one. Returns how many were revoked.
 */
export async function revokeAdminKeys(
  db: Kysely<DB>,
  slug: string,
  which: { id?: string; key?: string; all?: boolean },
  actor = 'cli',
): Promise<number> {
  const revoked = await db.transaction().execute(async (trx) => {
    const org = await findOrg(trx, slug);
    if (!org) throw new ProvisioningError(`no organization with slug "${slug}"`);
    let q = trx.updateTable('admin_api_keys').set({ revoked_at: new Date() }).where('org_id', '=', org.id).where('revoked_at', 'is', null);
    if (which.id) {
      if (!/^[0-9a-f-]{36}$/i.test(which.id)) throw new ProvisioningError(`--id must be a key id as printed by admin-key create or admin-key list`);
      q = q.where('id', '=', which.id);
    } else if (which.key) q = q.where('key_hash', '=', sha256(which.key));
    else if (!which.all) throw new ProvisioningError('give --id ID, --key KEY or --all');
    const r = await q.executeTakeFirst();
    let n = Number(r.numUpdatedRows);
    const configured = org.api_key_hash !== null && (which.all || (which.key !== undefined && sameHash(sha256(which.key), org.api_key_hash)));
    if (configured) {
      await trx.updateTable('orgs').set({ api_key_hash: null }).where('id', '=', org.id).execute();
      n += 1;
    }
    await audit(trx, { orgId: org.id, actor, action: 'admin_key.revoked', subjectId: which.id ?? null, details: { count: n } });
    return n;
  });
  orgsChanged();
  return revoked;
}
