/**
 * Schema migrations: plain SQL that runs unchanged on PGlite and PostgreSQL 15+, applied in order
 * on start inside one transaction each, under an advisory lock so concurrent starts do not race.
 * A migration's `sql` is split into statements at each `;` that ends a line; one that defines
 * functions (whose bodies hold such semicolons) gives its `statements` one by one instead.
 */
import { sql, type Kysely } from 'kysely';
import type { DB } from './schema.ts';

/**
 * `portal_profile(account, org, show_memberships)`: the whole profile of an account of `org` as one
 * JSON value — account, surviving record (`merged_into` followed up to 20 hops), its memberships and
 * the companies it is primary contact of (each with theirs) — or NULL. Shaped by accounts.ts.
 */
const PROFILE_FUNCTION = `
CREATE OR REPLACE FUNCTION portal_profile(p_account uuid, p_org uuid, p_show boolean) RETURNS json
LANGUAGE plpgsql STABLE AS $fn$
BEGIN
  RETURN (
    SELECT json_build_object(
      'accountId', a.id, 'email', a.email,
      'c', json_build_object('id', c.id, 'kind', c.kind, 'first_name', c.first_name, 'last_name', c.last_name,
             'company_name', c.company_name, 'email', c.email, 'phone', c.phone,
             'address_line1', c.address_line1, 'address_line2', c.address_line2, 'city', c.city, 'region', c.region,
             'postal_code', c.postal_code, 'country', c.country),
      'memberships', (
        SELECT coalesce(json_agg(json_build_object('id', m.id, 'name', m.name,
                 'status', CASE WHEN m.ends_on >= current_date THEN 'current' ELSE 'expired' END,
                 'startsOn', to_char(m.starts_on, 'YYYY-MM-DD'), 'endsOn', to_char(m.ends_on, 'YYYY-MM-DD')) ORDER BY m.ends_on DESC), '[]'::json)
        FROM memberships m WHERE p_show AND m.constituent_id = c.id),
      'companies', (
        SELECT coalesce(json_agg(json_build_object('id', co.id, 'company_name', co.company_name, 'email', co.email, 'phone', co.phone,
                 'address_line1', co.address_line1, 'address_line2', co.address_line2, 'city', co.city, 'region', co.region,
                 'postal_code', co.postal_code, 'country', co.country,
                 'memberships', (
                   SELECT coalesce(json_agg(json_build_object('id', m.id, 'name', m.name,
                            'status', CASE WHEN m.ends_on >= current_date THEN 'current' ELSE 'expired' END,
                            'startsOn', to_char(m.starts_on, 'YYYY-MM-DD'), 'endsOn', to_char(m.ends_on, 'YYYY-MM-DD')) ORDER BY m.ends_on DESC), '[]'::json)
                   FROM memberships m WHERE p_show AND m.constituent_id = co.id)) ORDER BY co.company_name), '[]'::json)
        FROM company_contacts cc JOIN constituents co ON co.id = cc.company_id
        WHERE c.kind = 'individual' AND cc.contact_id = c.id AND cc.is_primary AND co.merged_into IS NULL))
    FROM accounts a
    CROSS JOIN LATERAL (
      WITH RECURSIVE chain(id, merged_into, depth) AS (
        SELECT k.id, k.merged_into, 0 FROM constituents k WHERE k.id = a.constituent_id
        UNION ALL
        SELECT k.id, k.merged_into, chain.depth + 1 FROM constituents k JOIN chain ON k.id = chain.merged_into WHERE chain.depth < 19)
      SELECT coalesce(chain.merged_into, chain.id) AS id FROM chain ORDER BY chain.depth DESC LIMIT 1) survivor
    JOIN constituents c ON c.id = survivor.id
    WHERE a.id = p_account AND a.org_id = p_org);
END
$fn$`;

/**
 * `portal_me(session, account, org, now, slide_seconds, show_memberships)`: `GET /me` — the session is
 * this account's, in this org, not revoked, inside both lifetimes; its idle expiry slides when it was
 * last used `slide_seconds` ago or more (checked again on the write, so a revocation in between wins).
 * `{"profile": …}`, or NULL when the session is not live.
 */
const ME_FUNCTION = `
CREATE OR REPLACE FUNCTION portal_me(p_session uuid, p_account uuid, p_org uuid, p_now timestamptz, p_slide_seconds int, p_show boolean)
RETURNS json LANGUAGE plpgsql AS $fn$
DECLARE
  v_stale boolean;
BEGIN
  SELECT s.last_used_at <= p_now - p_slide_seconds * interval '1 second' INTO v_stale
  FROM sessions s
  WHERE s.id = p_session AND s.account_id = p_account AND s.org_id = p_org
    AND s.revoked_at IS NULL AND s.idle_expires_at > p_now AND s.absolute_expires_at > p_now;
  IF NOT FOUND THEN
    RETURN NULL;
  END IF;
  IF v_stale THEN
    UPDATE sessions s SET last_used_at = p_now,
      idle_expires_at = LEAST(s.absolute_expires_at,
        p_now + CASE WHEN s.remember THEN o.remember_days * interval '1 day' ELSE o.session_idle_minutes * interval '1 minute' END)
    FROM orgs o
    WHERE o.id = s.org_id AND s.id = p_session AND s.account_id = p_account AND s.org_id = p_org
      AND s.revoked_at IS NULL AND s.idle_expires_at > p_now AND s.absolute_expires_at > p_now;
    IF NOT FOUND THEN
      RETURN NULL;
    END IF;
  END IF;
  RETURN json_build_object('profile', portal_profile(p_account, p_org, p_show));
END
$fn$`;

/**
 * `portal_refresh(hash, next_hash, org, origin, now, grace_seconds, show_memberships)`: rotates a
 * refresh token (rules in sessions.ts `refreshSession`). `{"outcome": "ok", id, accountId, remember,
 * idleMs, profile}`, or `{"outcome": "unknown" | "expired" | "origin" | "reused"}`.
 */
const REFRESH_FUNCTION = `
CREATE OR REPLACE FUNCTION portal_refresh(p_hash text, p_next_hash text, p_org uuid, p_origin text, p_now timestamptz, p_grace float8, p_show boolean)
RETURNS json LANGUAGE plpgsql AS $fn$
DECLARE
  r sessions%ROWTYPE;
  v_current boolean;
  v_idle timestamptz;
BEGIN
  SELECT * INTO r FROM sessions s WHERE (s.refresh_hash = p_hash OR s.prev_refresh_hash = p_hash) AND s.org_id = p_org FOR UPDATE;
  IF NOT FOUND THEN
    RETURN json_build_object('outcome', 'unknown');
  END IF;
  IF r.revoked_at IS NOT NULL OR r.idle_expires_at <= p_now OR r.absolute_expires_at <= p_now THEN
    RETURN json_build_object('outcome', 'expired');
  END IF;
  IF r.origin IS DISTINCT FROM p_origin THEN
    RETURN json_build_object('outcome', 'origin');
  END IF;
  v_current := r.refresh_hash = p_hash;
  IF NOT v_current THEN
    IF p_now - coalesce(r.rotated_at, 'epoch'::timestamptz) > p_grace * interval '1 second' THEN
      UPDATE sessions SET revoked_at = p_now, revoked_reason = 'refresh_token_reuse' WHERE id = r.id;
      RETURN json_build_object('outcome', 'reused');
    END IF;
    IF r.refresh_hash <> p_next_hash THEN
      RETURN json_build_object('outcome', 'unknown');
    END IF;
  END IF;
  SELECT LEAST(p_now + CASE WHEN r.remember THEN o.remember_days * interval '1 day' ELSE o.session_idle_minutes * interval '1 minute' END,
               r.absolute_expires_at) INTO v_idle
  FROM orgs o WHERE o.id = r.org_id;
  UPDATE sessions SET refresh_hash = p_next_hash,
    prev_refresh_hash = CASE WHEN v_current THEN p_hash ELSE prev_refresh_hash END,
    rotated_at = CASE WHEN v_current THEN p_now ELSE rotated_at END,
    last_used_at = p_now, idle_expires_at = v_idle
  WHERE id = r.id;
  RETURN json_build_object('outcome', 'ok', 'id', r.id, 'accountId', r.account_id, 'remember', r.remember,
    'idleMs', extract(epoch FROM v_idle) * 1000, 'profile', portal_profile(r.account_id, p_org, p_show));
END
$fn$`;

/**
 * `portal_sign_in(account, org, refresh_hash, remember, origin, now, rehash, clear_key, show_memberships)`:
 * the write of a sign-in whose password was right (rules in sessions.ts `signIn`): a rehash when
 * given, the session with the org's lifetimes as stored now, the client's failure key cleared, and
 * the profile. `{id, idleMs, profile}`, or NULL (and nothing written) when staff blocked the account.
 */
const SIGN_IN_FUNCTION = `
CREATE OR REPLACE FUNCTION portal_sign_in(p_account uuid, p_org uuid, p_refresh_hash text, p_remember boolean, p_origin text,
  p_now timestamptz, p_rehash text, p_clear_key text, p_show boolean)
RETURNS json LANGUAGE plpgsql AS $fn$
DECLARE
  o orgs%ROWTYPE;
  v_idle interval;
  v_absolute interval;
  v_idle_at timestamptz;
  v_id uuid;
BEGIN
  PERFORM 1 FROM accounts a WHERE a.id = p_account AND a.org_id = p_org AND a.blocked_at IS NULL;
  IF NOT FOUND THEN
    RETURN NULL;
  END IF;
  SELECT * INTO o FROM orgs WHERE orgs.id = p_org;
  IF p_remember THEN
    v_idle := o.remember_days * interval '1 day';
    v_absolute := v_idle;
  ELSE
    v_idle := o.session_idle_minutes * interval '1 minute';
    v_absolute := o.session_absolute_hours * interval '1 hour';
  END IF;
  IF p_rehash IS NOT NULL THEN
    UPDATE accounts SET password_hash = p_rehash, updated_at = p_now WHERE id = p_account;
  END IF;
  IF p_clear_key IS NOT NULL THEN
    DELETE FROM rate_buckets WHERE key = p_clear_key;
  END IF;
  v_idle_at := LEAST(p_now + v_idle, p_now + v_absolute);
  INSERT INTO sessions (org_id, account_id, refresh_hash, remember, origin, idle_expires_at, absolute_expires_at)
  VALUES (p_org, p_account, p_refresh_hash, p_remember, p_origin, v_idle_at, p_now + v_absolute)
  RETURNING id INTO v_id;
  RETURN json_build_object('id', v_id, 'idleMs', extract(epoch FROM v_idle_at) * 1000, 'profile', portal_profile(p_account, p_org, p_show));
END
$fn$`;

const MIGRATIONS: ({ version: number; name: string } & ({ sql: string } | { statements: string[] }))[] = [
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
  {
    // Issue 15: the hot paths as PL/pgSQL functions — one statement per request, and a plan the
    // database keeps per connection (a statement this size costs more to plan than to run, most of
    // all in PGlite's WASM). The logic stays in TypeScript's words in domain/sessions.ts, which calls
    // these and documents each rule; CREATE OR REPLACE, so a later migration can change one.
    version: 11,
    name: 'session functions',
    statements: [PROFILE_FUNCTION, ME_FUNCTION, REFRESH_FUNCTION, SIGN_IN_FUNCTION],
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
          const statements =
            'statements' in m
              ? m.statements
              : m.sql
                  .split(/;\s*\n/)
                  .map((x) => x.trim())
                  .filter(Boolean);
          for (const statement of statements) {
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
