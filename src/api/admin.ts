/**
 * The admin API's wire shapes (DESIGN §3, per-org API key): constituent grid, duplicates, merge,
 * invitations, portal info. A sibling of contract.ts that the browser elements never import, so the
 * published bundle does not grow with staff-only shapes; the server, its OpenAPI document and the
 * demo admin page import it.
 */
import * as z from 'zod/mini';
import type { RouteSpec } from './routes.js';

// ---------------------------------------------------------------------------------------------
// Constituents, duplicates, merge

export const MergeRequest = z.object({
  /** The old record; it ends up `mergedInto` the target. */
  sourceId: z.uuid({ error: 'invalid' }),
  /** The survivor. */
  targetId: z.uuid({ error: 'invalid' }),
});

export const GridQuery = z.object({
  q: z.optional(z.string().check(z.trim(), z.maxLength(200, { error: 'too_long' }))),
  limit: z.optional(z.coerce.number().check(z.int(), z.minimum(1), z.maximum(200))),
  offset: z.optional(z.coerce.number().check(z.int(), z.minimum(0))),
  includeMerged: z.optional(z.enum(['true', 'false'])),
});

export const AdminConstituent = z.object({
  id: z.string(),
  kind: z.enum(['individual', 'company']),
  firstName: z.string(),
  lastName: z.string(),
  companyName: z.nullable(z.string()),
  email: z.string(),
  phone: z.nullable(z.string()),
  address: z.object({
    line1: z.nullable(z.string()),
    line2: z.nullable(z.string()),
    city: z.nullable(z.string()),
    region: z.nullable(z.string()),
    postalCode: z.nullable(z.string()),
    country: z.nullable(z.string()),
  }),
  mergedInto: z.nullable(z.string()),
  source: z.string(),
  hasAccount: z.boolean(),
  createdAt: z.string(),
});
export type AdminConstituent = z.infer<typeof AdminConstituent>;

export const ConstituentGrid = z.object({ constituents: z.array(AdminConstituent), total: z.number() });
export type ConstituentGrid = z.infer<typeof ConstituentGrid>;
export const DuplicateList = z.object({
  duplicates: z.array(
    z.object({
      id: z.string(),
      reason: z.string(),
      status: z.enum(['open', 'merged', 'dismissed']),
      createdAt: z.string(),
      constituent: AdminConstituent,
      existing: AdminConstituent,
    }),
  ),
});
export type DuplicateList = z.infer<typeof DuplicateList>;
export type GridQuery = z.infer<typeof GridQuery>;

// ---------------------------------------------------------------------------------------------
// Invitations and portal info

export const InvitationRequest = z.object({
  constituentIds: z.array(z.uuid({ error: 'invalid' })).check(z.minLength(1, { error: 'required' }), z.maxLength(500, { error: 'too_long' })),
  channel: z.enum(['email', 'sms']),
  /** Email subject (merge fields allowed); a default is used when absent. */
  subject: z.optional(z.string().check(z.trim(), z.maxLength(200, { error: 'too_long' }))),
  /** Plain text with merge fields; a default is used when absent. */
  message: z.optional(z.string().check(z.trim(), z.maxLength(5000, { error: 'too_long' }))),
});
export type InvitationRequest = z.infer<typeof InvitationRequest>;

export const AdminPortalInfo = z.object({
  slug: z.string(),
  name: z.string(),
  portalUrl: z.string(),
  qrCodeUrl: z.string(),
  qrCodePngUrl: z.string(),
  tier: z.enum(['advanced', 'basic']),
  matchPolicy: z.enum(['email-and-name', 'verified-email']),
  mergeFields: z.array(z.string()),
  invitationDefaults: z.object({ subject: z.string(), email: z.string(), sms: z.string() }),
});
export type AdminPortalInfo = z.infer<typeof AdminPortalInfo>;

export const InvitationStatus = z.enum(['sent', 'opened', 'signed_up']);

export const Invitation = z.object({
  id: z.string(),
  constituentId: z.string(),
  channel: z.enum(['email', 'sms']),
  to: z.string(),
  status: InvitationStatus,
  sentAt: z.string(),
  openedAt: z.nullable(z.string()),
  signedUpAt: z.nullable(z.string()),
});
export type Invitation = z.infer<typeof Invitation>;

export const InvitationSkipped = z.object({ constituentId: z.string(), reason: z.enum(['not_found', 'no_email', 'no_phone', 'has_account']) });
export type InvitationSkipped = z.infer<typeof InvitationSkipped>;

export const InvitationResult = z.object({
  invitations: z.array(Invitation),
  skipped: z.array(InvitationSkipped),
});
export type InvitationResult = z.infer<typeof InvitationResult>;

export const InvitationPreview = z.object({
  previews: z.array(
    z.object({
      constituentId: z.string(),
      channel: z.enum(['email', 'sms']),
      to: z.string(),
      subject: z.nullable(z.string()),
      text: z.string(),
      html: z.nullable(z.string()),
    }),
  ),
  skipped: z.array(InvitationSkipped),
  /** Merge fields written in the subject or message that do not exist; they would be sent as written. */
  unknownFields: z.array(z.string()),
});
export type InvitationPreview = z.infer<typeof InvitationPreview>;
export const InvitationList = z.object({
  invitations: z.array(Invitation),
  summary: z.object({ sent: z.number(), opened: z.number(), signedUp: z.number() }),
});
export type InvitationList = z.infer<typeof InvitationList>;

// ---------------------------------------------------------------------------------------------
// Webhooks (signed, per org) — /admin/webhooks

export const WEBHOOK_EVENT_NAMES = ['account.created', 'constituent.created', 'account.linked', 'profile.updated', 'constituents.merged'] as const;

export const WebhookCreateRequest = z.object({
  /** https:// (http:// only for localhost). */
  url: z.string().check(z.trim(), z.maxLength(2048, { error: 'too_long' })),
  /** Events to receive; empty or absent = every event. */
  events: z.optional(z.array(z.enum(WEBHOOK_EVENT_NAMES)).check(z.maxLength(20, { error: 'too_long' }))),
});
export type WebhookCreateRequest = z.infer<typeof WebhookCreateRequest>;

export const WebhookEndpoint = z.object({
  id: z.string(),
  url: z.string(),
  events: z.array(z.string()),
  active: z.boolean(),
  createdAt: z.string(),
});
export type WebhookEndpoint = z.infer<typeof WebhookEndpoint>;
/** The answer to creating an endpoint: the only time its signing secret is shown. */
export const WebhookEndpointCreated = z.extend(WebhookEndpoint, { secret: z.string() });
export const WebhookEndpointList = z.object({ endpoints: z.array(WebhookEndpoint) });

export const WebhookDelivery = z.object({
  id: z.string(),
  eventId: z.string(),
  event: z.string(),
  status: z.enum(['pending', 'delivered', 'failed']),
  attempts: z.number(),
  lastStatus: z.nullable(z.number()),
  lastError: z.nullable(z.string()),
  nextAttemptAt: z.nullable(z.string()),
  deliveredAt: z.nullable(z.string()),
  createdAt: z.string(),
});
export const WebhookDeliveryList = z.object({ deliveries: z.array(WebhookDelivery) });

// ---------------------------------------------------------------------------------------------
// Audit log — GET /admin/audit

export const AuditQuery = z.object({
  limit: z.optional(z.coerce.number().check(z.int(), z.minimum(1), z.maximum(500))),
  /** Entries older than this entry id (paging: pass the last id you got). */
  before: z.optional(z.string().check(z.regex(/^\d{1,19}$/, { error: 'invalid' }))),
  action: z.optional(z.string().check(z.maxLength(100, { error: 'too_long' }))),
  subjectId: z.optional(z.string().check(z.maxLength(100, { error: 'too_long' }))),
});
export type AuditQuery = z.infer<typeof AuditQuery>;

export const AuditEntry = z.object({
  id: z.string(),
  actor: z.string(),
  action: z.string(),
  subjectId: z.nullable(z.string()),
  details: z.record(z.string(), z.unknown()),
  createdAt: z.string(),
});
export type AuditEntry = z.infer<typeof AuditEntry>;
export const AuditList = z.object({ entries: z.array(AuditEntry), nextBefore: z.nullable(z.string()) });
export type AuditList = z.infer<typeof AuditList>;

// ---------------------------------------------------------------------------------------------
// Staff tools for portal accounts — /admin/accounts

export const AccountsQuery = z.object({
  q: z.optional(z.string().check(z.trim(), z.maxLength(200, { error: 'too_long' }))),
  status: z.optional(z.enum(['active', 'blocked'])),
  limit: z.optional(z.coerce.number().check(z.int(), z.minimum(1), z.maximum(200))),
  offset: z.optional(z.coerce.number().check(z.int(), z.minimum(0))),
});
export type AccountsQuery = z.infer<typeof AccountsQuery>;

export const AdminAccount = z.object({
  id: z.string(),
  email: z.string(),
  constituentId: z.string(),
  firstName: z.string(),
  lastName: z.string(),
  companyName: z.nullable(z.string()),
  blocked: z.boolean(),
  blockedAt: z.nullable(z.string()),
  createdAt: z.string(),
  lastSignInAt: z.nullable(z.string()),
  activeSessions: z.number(),
});
export type AdminAccount = z.infer<typeof AdminAccount>;
export const AccountList = z.object({ accounts: z.array(AdminAccount), total: z.number() });
export type AccountList = z.infer<typeof AccountList>;

export const AccountResult = z.object({ account: AdminAccount });

export const AccountActivity = z.object({
  account: AdminAccount,
  sessions: z.array(
    z.object({
      createdAt: z.string(),
      lastUsedAt: z.string(),
      origin: z.nullable(z.string()),
      remember: z.boolean(),
      revokedAt: z.nullable(z.string()),
      revokedReason: z.nullable(z.string()),
    }),
  ),
  events: z.array(AuditEntry),
});
export type AccountActivity = z.infer<typeof AccountActivity>;

// ---------------------------------------------------------------------------------------------
// Confirmation pages (issue 9) and operations

/** `GET|PUT /admin/confirmation-pages`: the exact pages emailed links may lead to, besides the portal URL. */
export const ConfirmationPages = z.object({
  urls: z.array(z.string().check(z.maxLength(2048, { error: 'too_long' }))).check(z.maxLength(100, { error: 'too_long' })),
});

/** `GET /healthz`. */
export const Health = z.object({ status: z.literal('ok') });

const Backlog = z.object({ pending: z.number(), oldestPendingSeconds: z.nullable(z.number()), failed: z.number() });
/** `GET /readyz` (200 ready, 503 not ready or draining). */
export const Readiness = z.object({
  status: z.enum(['ready', 'not_ready']),
  draining: z.optional(z.boolean()),
  checks: z.object({
    database: z.object({ ok: z.boolean(), error: z.optional(z.string()) }),
    migrations: z.object({ ok: z.boolean(), pending: z.array(z.number()) }),
    outbox: Backlog,
    webhooks: Backlog,
  }),
});

// ---------------------------------------------------------------------------------------------
// The admin routes (the org's admin API key as bearer), in the same table form as ROUTES in
// routes.ts: the server's OpenAPI document is generated from both, and a test checks the server
// serves exactly these.

const A = '/v1/orgs/{org}/admin';

export const ADMIN_ROUTES = {
  constituents: { method: 'GET', path: `${A}/constituents`, auth: 'admin', query: 'GridQuery', response: 'ConstituentGrid' },
  constituent: { method: 'GET', path: `${A}/constituents/{id}`, auth: 'admin' },
  constituentsCsv: { method: 'GET', path: `${A}/constituents.csv`, auth: 'admin', query: 'GridQuery', produces: 'text/csv' },
  duplicates: { method: 'GET', path: `${A}/duplicates`, auth: 'admin', response: 'DuplicateList' },
  duplicateDismiss: { method: 'POST', path: `${A}/duplicates/{id}/dismiss`, auth: 'admin', status: 204 },
  merge: { method: 'POST', path: `${A}/merge`, auth: 'admin', request: 'MergeRequest' },
  invitationsPreview: {
    method: 'POST',
    path: `${A}/invitations/preview`,
    auth: 'admin',
    request: 'InvitationRequest',
    response: 'InvitationPreview',
  },
  invitationsSend: {
    method: 'POST',
    path: `${A}/invitations`,
    auth: 'admin',
    request: 'InvitationRequest',
    response: 'InvitationResult',
    status: 201,
  },
  invitations: { method: 'GET', path: `${A}/invitations`, auth: 'admin', response: 'InvitationList' },
  portal: { method: 'GET', path: `${A}/portal`, auth: 'admin', response: 'AdminPortalInfo' },
  confirmationPages: { method: 'GET', path: `${A}/confirmation-pages`, auth: 'admin', response: 'ConfirmationPages' },
  confirmationPagesSet: {
    method: 'PUT',
    path: `${A}/confirmation-pages`,
    auth: 'admin',
    request: 'ConfirmationPages',
    response: 'ConfirmationPages',
  },
  webhooks: { method: 'GET', path: `${A}/webhooks`, auth: 'admin', response: 'WebhookEndpointList' },
  webhookCreate: {
    method: 'POST',
    path: `${A}/webhooks`,
    auth: 'admin',
    request: 'WebhookCreateRequest',
    response: 'WebhookEndpointCreated',
    status: 201,
  },
  webhookDelete: { method: 'DELETE', path: `${A}/webhooks/{id}`, auth: 'admin', status: 204 },
  webhookDeliveries: { method: 'GET', path: `${A}/webhooks/{id}/deliveries`, auth: 'admin', response: 'WebhookDeliveryList' },
  audit: { method: 'GET', path: `${A}/audit`, auth: 'admin', query: 'AuditQuery', response: 'AuditList' },
  accounts: { method: 'GET', path: `${A}/accounts`, auth: 'admin', query: 'AccountsQuery', response: 'AccountList' },
  accountActivity: { method: 'GET', path: `${A}/accounts/{id}/activity`, auth: 'admin', response: 'AccountActivity' },
  accountBlock: { method: 'POST', path: `${A}/accounts/{id}/block`, auth: 'admin', response: 'AccountResult' },
  accountUnblock: { method: 'POST', path: `${A}/accounts/{id}/unblock`, auth: 'admin', response: 'AccountResult' },
  accountUnlink: { method: 'POST', path: `${A}/accounts/{id}/unlink`, auth: 'admin', response: 'AccountResult' },
} as const satisfies Record<string, RouteSpec>;
