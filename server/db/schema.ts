/** Kysely table types, one interface per table created by `migrations.ts`. */
import type { ColumnType, Generated } from 'kysely';

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type NullableTimestamp = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
/** DATE columns travel as strings (`YYYY-MM-DD`); we always select them with `to_char`. */
type DateColumn = ColumnType<string, string, string>;

export interface SettingsTable {
  key: string;
  value: string;
}

export interface OrgsTable {
  id: Generated<string>;
  slug: string;
  name: string;
  portal_url: string;
  tier: 'basic' | 'advanced';
  modules: string[];
  allowed_origins: string[];
  match_policy: Generated<'email-and-name' | 'verified-email'>;
  session_idle_minutes: Generated<number>;
  session_absolute_hours: Generated<number>;
  remember_days: Generated<number>;
  primary_color: string | null;
  logo_url: string | null;
  api_key_hash: string | null;
  /** Exact pages staff registered for emailed links and the return after completion (issue 9). */
  confirmation_urls: Generated<string[]>;
  created_at: Generated<Date>;
}

export interface ConstituentsTable {
  id: Generated<string>;
  org_id: string;
  kind: 'individual' | 'company';
  first_name: string;
  last_name: string;
  company_name: string | null;
  email: string;
  email_norm: string;
  phone: string | null;
  address_line1: string | null;
  address_line2: string | null;
  city: string | null;
  region: string | null;
  postal_code: string | null;
  country: string | null;
  merged_into: string | null;
  source: string;
  /** The organization's own record id (CRM id) from an import, or a key derived from the row. */
  external_id: Generated<string | null>;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

export interface CompanyContactsTable {
  company_id: string;
  contact_id: string;
  is_primary: boolean;
}

export interface MembershipsTable {
  id: Generated<string>;
  constituent_id: string;
  name: string;
  starts_on: DateColumn;
  ends_on: DateColumn;
  /** Set by `constituents import`: the same file imported again updates this row instead of adding one. */
  import_key: Generated<string | null>;
  created_at: Generated<Date>;
}

export interface DonationsTable {
  id: Generated<string>;
  constituent_id: string;
  amount_cents: number;
  currency: Generated<string>;
  donated_on: DateColumn;
  created_at: Generated<Date>;
}

export interface InvoicesTable {
  id: Generated<string>;
  constituent_id: string;
  number: string;
  amount_cents: number;
  status: Generated<'open' | 'paid' | 'void'>;
  issued_on: DateColumn;
  created_at: Generated<Date>;
}

export interface SignupPayload {
  kind: 'individual' | 'company';
  firstName: string;
  lastName: string;
  companyName: string | null;
  locale: 'en' | 'es' | 'fr';
}

export interface PendingSignupsTable {
  id: Generated<string>;
  org_id: string;
  token_hash: string;
  purpose: 'signup';
  email: string;
  email_norm: string;
  payload: ColumnType<SignupPayload, string, string>;
  return_to: string | null;
  expires_at: Timestamp;
  used_at: NullableTimestamp;
  /** When the emailed token was traded for a completion token (it is dead from then on). */
  exchanged_at: NullableTimestamp;
  completion_hash: string | null;
  completion_expires_at: NullableTimestamp;
  created_at: Generated<Date>;
}

export interface PasswordResetsTable {
  id: Generated<string>;
  org_id: string;
  account_id: string;
  token_hash: string;
  return_to: string | null;
  expires_at: Timestamp;
  used_at: NullableTimestamp;
  exchanged_at: NullableTimestamp;
  completion_hash: string | null;
  completion_expires_at: NullableTimestamp;
  created_at: Generated<Date>;
}

export interface AccountsTable {
  id: Generated<string>;
  org_id: string;
  email: string;
  email_norm: string;
  password_hash: string;
  constituent_id: string;
  /** Staff blocked this account: no sign-in, no refresh, every session ended (`admin/accounts/{id}/block`). */
  blocked_at: Generated<Date | null>;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

export interface SessionsTable {
  id: Generated<string>;
  org_id: string;
  account_id: string;
  refresh_hash: string;
  prev_refresh_hash: string | null;
  rotated_at: NullableTimestamp;
  remember: boolean;
  origin: string | null;
  created_at: Generated<Date>;
  last_used_at: Generated<Date>;
  idle_expires_at: Timestamp;
  absolute_expires_at: Timestamp;
  revoked_at: NullableTimestamp;
  revoked_reason: string | null;
}

export interface OutboxTable {
  id: Generated<string>;
  org_id: string | null;
  channel: 'email' | 'sms';
  to_address: string;
  subject: string | null;
  text_body: string;
  html_body: string | null;
  template: string;
  status: Generated<'pending' | 'sent' | 'failed'>;
  attempts: Generated<number>;
  next_attempt_at: Generated<Date>;
  locked_until: NullableTimestamp;
  last_error: string | null;
  delivered_via: string | null;
  sent_at: NullableTimestamp;
  /** Past this the message is not sent (its link is dead): `failed` with `last_error` `expired`. */
  expires_at: NullableTimestamp;
  /** The dispatcher pass that holds the lease; only it may record the outcome. */
  claim_id: string | null;
  created_at: Generated<Date>;
}

/** Rate limits (issue 9): a leaky level per key and, for failure limits, a growing block. */
export interface RateBucketsTable {
  key: string;
  level: number;
  updated_at: Timestamp;
  blocked_until: NullableTimestamp;
}

export interface RateLimitsTable {
  key: string;
  window_start: Timestamp;
  count: number;
}

export interface DuplicateCandidatesTable {
  id: Generated<string>;
  org_id: string;
  constituent_id: string;
  existing_id: string;
  reason: string;
  status: Generated<'open' | 'merged' | 'dismissed'>;
  created_at: Generated<Date>;
}

export interface AuditLogTable {
  id: Generated<string>;
  org_id: string | null;
  actor: string;
  action: string;
  subject_id: string | null;
  details: ColumnType<Record<string, unknown>, string | undefined, string>;
  created_at: Generated<Date>;
}

export interface InvitationsTable {
  id: Generated<string>;
  org_id: string;
  constituent_id: string;
  channel: 'email' | 'sms';
  to_address: string;
  tracking_hash: string;
  sent_at: Generated<Date>;
  opened_at: NullableTimestamp;
  signed_up_at: NullableTimestamp;
}

export interface DB {
  invitations: InvitationsTable;
  settings: SettingsTable;
  orgs: OrgsTable;
  constituents: ConstituentsTable;
  company_contacts: CompanyContactsTable;
  memberships: MembershipsTable;
  donations: DonationsTable;
  invoices: InvoicesTable;
  pending_signups: PendingSignupsTable;
  password_resets: PasswordResetsTable;
  accounts: AccountsTable;
  sessions: SessionsTable;
  outbox: OutboxTable;
  rate_limits: RateLimitsTable;
  rate_buckets: RateBucketsTable;
  duplicate_candidates: DuplicateCandidatesTable;
  audit_log: AuditLogTable;
  admin_api_keys: AdminApiKeysTable;
  webhook_endpoints: WebhookEndpointsTable;
  webhook_deliveries: WebhookDeliveriesTable;
}

/** Admin API keys (`portal-api admin-key create`): stored as SHA-256 only; several may be live at once (rotation). */
export interface AdminApiKeysTable {
  id: Generated<string>;
  org_id: string;
  key_hash: string;
  label: Generated<string>;
  created_at: Generated<Date>;
  last_used_at: Generated<Date | null>;
  revoked_at: Generated<Date | null>;
}

/** Where an org's CRM receives signed webhooks. `events` empty = every event. */
export interface WebhookEndpointsTable {
  id: Generated<string>;
  org_id: string;
  url: string;
  secret: string;
  events: Generated<string[]>;
  active: Generated<boolean>;
  created_at: Generated<Date>;
}

/** One event for one endpoint: queued in the transaction of the change, delivered with retries. */
export interface WebhookDeliveriesTable {
  id: Generated<string>;
  endpoint_id: string;
  org_id: string;
  event_id: Generated<string>;
  event: string;
  payload: ColumnType<Record<string, unknown>, string, string>;
  status: Generated<'pending' | 'delivered' | 'failed'>;
  attempts: Generated<number>;
  next_attempt_at: Generated<Date>;
  locked_until: Generated<Date | null>;
  last_error: Generated<string | null>;
  last_status: Generated<number | null>;
  delivered_at: Generated<Date | null>;
  created_at: Generated<Date>;
}
