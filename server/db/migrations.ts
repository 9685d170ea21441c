/**
 * Schema migrations: plain SQL that runs unchanged on PGlite and PostgreSQL 15+, applied in order
 * on start inside one transaction each, under an advisory lock so concurrent starts do not race.
 */
import { sql, type Kysely } from 'kysely';
import type { DB } from './schema.ts';

const MIGRATIONS: { version: number; name: string; sql: string }[] = [
  {
    version: 1,
    name: 'initial',
    sql: `
CREATE TABLE settings (key text PRIMARY KEY, value text NOT NULL);

CREATE TABLE orgs (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  slug text NOT NULL UNIQUE,
  name text NOT NULL,
  portal_url text NOT NULL,
  tier text NOT NULL CHECK (tier IN ('basic', 'advanced')),
  modules text[] NOT NULL DEFAULT '{}',
  allowed_origins text[] NOT NULL DEFAULT '{}',
  match_policy text NOT NULL DEFAULT 'email-and-name' CHECK (match_policy IN ('email-and-name', 'verified-email')),
  session_idle_minutes int NOT NULL DEFAULT 30,
  session_absolute_hours int NOT NULL DEFAULT 12,
  remember_days int NOT NULL DEFAULT 30,
  primary_color text,
  logo_url text,
  api_key_hash text,
  created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE constituents (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  org_id uuid NOT NULL REFERENCES orgs(id),
  kind text NOT NULL CHECK (kind IN ('individual', 'company')),
  first_name text NOT NULL DEFAULT '',
  last_name text NOT NULL DEFAULT '',
  company_name text,
  email text NOT NULL DEFAULT '',
  email_norm text NOT NULL DEFAULT '',
  phone text,
  address_line1 text,
  address_line2 text,
  city text,
  region text,
  postal_code text,
  country text,
  merged_into uuid REFERENCES constituents(id),
  source text NOT NULL DEFAULT 'staff',
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX constituents_org_email ON constituents (org_id, email_norm) WHERE merged_into IS NULL;

CREATE TABLE company_contacts (
  company_id uuid NOT NULL REFERENCES constituents(id),
  contact_id uuid NOT NULL REFERENCES constituents(id),
  is_primary boolean NOT NULL DEFAULT false,
  PRIMARY KEY (company_id, contact_id)
);
CREATE INDEX company_contacts_contact ON company_contacts (contact_id);

CREATE TABLE memberships (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  constituent_id uuid NOT NULL REFERENCES constituents(id),
  name text NOT NULL,
  starts_on date NOT NULL,
  ends_on date NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX memberships_constituent ON memberships (constituent_id);

CREATE TABLE donations (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  constituent_id uuid NOT NULL REFERENCES constituents(id),
  amount_cents int NOT NULL,
  currency text NOT NULL DEFAULT 'USD',
  donated_on date NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX donations_constituent ON donations (constituent_id);

CREATE TABLE invoices (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  constituent_id uuid NOT NULL REFERENCES constituents(id),
  number text NOT NULL,
  amount_cents int NOT NULL,
  status text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'paid', 'void')),
  issued_on date NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX invoices_constituent ON invoices (constituent_id);

CREATE TABLE pending_signups (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  org_id uuid NOT NULL REFERENCES orgs(id),
  token_hash text NOT NULL UNIQUE,
  purpose text NOT NULL DEFAULT 'signup' CHECK (purpose IN ('signup')),
  email text NOT NULL,
  email_norm text NOT NULL,
  payload jsonb NOT NULL,
  return_to text,
  expires_at timestamptz NOT NULL,
  used_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX pending_signups_email ON pending_signups (org_id, email_norm, created_at DESC);

CREATE TABLE accounts (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  org_id uuid NOT NULL REFERENCES orgs(id),
  email text NOT NULL,
  email_norm text NOT NULL,
  password_hash text NOT NULL,
  constituent_id uuid NOT NULL REFERENCES constituents(id),
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT accounts_one_per_email UNIQUE (org_id, email_norm)
);
CREATE INDEX accounts_constituent ON accounts (constituent_id);

CREATE TABLE password_resets (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  org_id uuid NOT NULL REFERENCES orgs(id),
  account_id uuid NOT NULL REFERENCES accounts(id),
  token_hash text NOT NULL UNIQUE,
  return_to text,
  expires_at timestamptz NOT NULL,
  used_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE sessions (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  org_id uuid NOT NULL REFERENCES orgs(id),
  account_id uuid NOT NULL REFERENCES accounts(id),
  refresh_hash text NOT NULL UNIQUE,
  prev_refresh_hash text,
  rotated_at timestamptz,
  remember boolean NOT NULL DEFAULT false,
  origin text,
  created_at timestamptz NOT NULL DEFAULT now(),
  last_used_at timestamptz NOT NULL DEFAULT now(),
  idle_expires_at timestamptz NOT NULL,
  absolute_expires_at timestamptz NOT NULL,
  revoked_at timestamptz,
  revoked_reason text
);
CREATE INDEX sessions_prev_refresh ON sessions (prev_refresh_hash);
CREATE INDEX sessions_account ON sessions (account_id);

CREATE TABLE outbox (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  org_id uuid REFERENCES orgs(id),
  channel text NOT NULL CHECK (channel IN ('email', 'sms')),
  to_address text NOT NULL,
  subject text,
  text_body text NOT NULL,
  html_body text,
  template text NOT NULL,
  status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent', 'failed')),
  attempts int NOT NULL DEFAULT 0,
  next_attempt_at timestamptz NOT NULL DEFAULT now(),
  locked_until timestamptz,
  last_error text,
  delivered_via text,
  sent_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX outbox_pending ON outbox (next_attempt_at) WHERE status = 'pending';
CREATE INDEX outbox_to ON outbox (lower(to_address), id DESC);

CREATE TABLE rate_limits (
  key text PRIMARY KEY,
  window_start timestamptz NOT NULL,
  count int NOT NULL
);

CREATE TABLE duplicate_candidates (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  org_id uuid NOT NULL REFERENCES orgs(id),
  constituent_id uuid NOT NULL REFERENCES constituents(id),
  existing_id uuid NOT NULL REFERENCES constituents(id),
  reason text NOT NULL,
  status text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'merged', 'dismissed')),
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX duplicate_candidates_org ON duplicate_candidates (org_id, status);

CREATE TABLE audit_log (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  org_id uuid REFERENCES orgs(id),
  actor text NOT NULL,
  action text NOT NULL,
  subject_id text,
  details jsonb NOT NULL DEFAULT '{}',
  created_at timestamptz NOT NULL DEFAULT now()
);
`,
  },
  {
    version: 2,
    name: 'invitations',
    sql: `
CREATE TABLE invitations (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  org_id uuid NOT NULL REFERENCES orgs(id),
  constituent_id uuid NOT NULL REFERENCES constituents(id),
  channel text NOT NULL CHECK (channel IN ('email', 'sms')),
  to_address text NOT NULL,
  tracking_hash text NOT NULL UNIQUE,
  sent_at timestamptz NOT NULL DEFAULT now(),
  opened_at timestamptz,
  signed_up_at timestamptz
);
CREATE INDEX invitations_org ON invitations (org_id, sent_at DESC);
CREATE INDEX invitations_constituent ON invitations (constituent_id);
`,
  },
  // Versions 3–9: security hardening (issue 9).
  {
    version: 3,
    name: 'issue-9-security',
    sql: `
ALTER TABLE orgs ADD COLUMN confirmation_urls text[] NOT NULL DEFAULT '{}';
ALTER TABLE pending_signups ADD COLUMN exchanged_at timestamptz;
ALTER TABLE pending_signups ADD COLUMN completion_hash text UNIQUE;
ALTER TABLE pending_signups ADD COLUMN completion_expires_at timestamptz;
ALTER TABLE password_resets ADD COLUMN exchanged_at timestamptz;
ALTER TABLE password_resets ADD COLUMN completion_hash text UNIQUE;
ALTER TABLE password_resets ADD COLUMN completion_expires_at timestamptz;
ALTER TABLE outbox ADD COLUMN expires_at timestamptz;
ALTER TABLE outbox ADD COLUMN claim_id uuid;
CREATE TABLE rate_buckets (
  key text PRIMARY KEY,
  level double precision NOT NULL,
  updated_at timestamptz NOT NULL,
  blocked_until timestamptz
);
CREATE INDEX rate_buckets_updated ON rate_buckets (updated_at);
`,
  },
  // Versions 10–19: the API package (issue 12) — admin keys, webhooks, staff tools, imports.
  {
    version: 10,
    name: 'operations',
    sql: `
CREATE TABLE admin_api_keys (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  org_id uuid NOT NULL REFERENCES orgs(id),
  key_hash text NOT NULL UNIQUE,
  label text NOT NULL DEFAULT '',
  created_at timestamptz NOT NULL DEFAULT now(),
  last_used_at timestamptz,
  revoked_at timestamptz
);
CREATE INDEX admin_api_keys_org ON admin_api_keys (org_id);
CREATE TABLE webhook_endpoints (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  org_id uuid NOT NULL REFERENCES orgs(id),
  url text NOT NULL,
  secret text NOT NULL,
  events text[] NOT NULL DEFAULT '{}',
  active boolean NOT NULL DEFAULT true,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX webhook_endpoints_org ON webhook_endpoints (org_id);
CREATE TABLE webhook_deliveries (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  endpoint_id uuid NOT NULL REFERENCES webhook_endpoints(id) ON DELETE CASCADE,
  org_id uuid NOT NULL REFERENCES orgs(id),
  event_id uuid NOT NULL DEFAULT gen_random_uuid(),
  event text NOT NULL,
  payload jsonb NOT NULL,
  status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'delivered', 'failed')),
  attempts int NOT NULL DEFAULT 0,
  next_attempt_at timestamptz NOT NULL DEFAULT now(),
  locked_until timestamptz,
  last_error text,
  last_status int,
  delivered_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (next_attempt_at) WHERE status = 'pending';
CREATE INDEX webhook_deliveries_endpoint ON webhook_deliveries (endpoint_id, id DESC);
ALTER TABLE accounts ADD COLUMN blocked_at timestamptz;
CREATE INDEX audit_log_org ON audit_log (org_id, id DESC);
ALTER TABLE constituents ADD COLUMN external_id text;
CREATE UNIQUE INDEX constituents_external_id ON constituents (org_id, external_id);
ALTER TABLE memberships ADD COLUMN import_key text;
CREATE UNIQUE INDEX memberships_import_key ON memberships (constituent_id, import_key)
`,
  },
];

export async function migrate(db: Kysely<DB>): Promise<void> {
  await db.connection().execute(async (conn) => {
    // A session-level advisory lock: two processes starting at once against one PostgreSQL schema
    // take turns. (The key is per schema so parallel test runs in different schemas do not wait.)
    await sql`SELECT pg_advisory_lock(hashtext(current_schema() || ':portal-migrations'))`.execute(conn);
    try {
      await sql`CREATE TABLE IF NOT EXISTS schema_migrations (
        version int PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`.execute(conn);
      const done = await sql<{ version: number }>`SELECT version FROM schema_migrations`.execute(conn);
      const applied = new Set(done.rows.map((r) => r.version));
      for (const m of MIGRATIONS) {
        if (applied.has(m.version)) continue;
        await conn.transaction().execute(async (trx) => {
          // One statement at a time: PGlite's query() speaks the extended protocol (one statement).
          for (const statement of m.sql
            .split(/;\s*\n/)
            .map((x) => x.trim())
            .filter(Boolean)) {
            await sql.raw(statement).execute(trx);
          }
          await sql`INSERT INTO schema_migrations (version, name) VALUES (${m.version}, ${m.name})`.execute(trx);
        });
      }
    } finally {
      await sql`SELECT pg_advisory_unlock(hashtext(current_schema() || ':portal-migrations'))`.execute(conn);
    }
  });
}

/** Versions this build knows that the database has not applied (empty = current). For `/readyz`. */
export async function pendingMigrations(db: Kysely<DB>): Promise<number[]> {
  const done = await sql<{ version: number }>`SELECT version FROM schema_migrations`.execute(db);
  const applied = new Set(done.rows.map((r) => Number(r.version)));
  return MIGRATIONS.map((m) => m.version).filter((v) => !applied.has(v));
}
