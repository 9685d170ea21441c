/**
 * The admin API's wire shapes (DESIGN §3, per-org API key): constituent grid, duplicates, merge,
 * invitations, portal info. A sibling of contract.ts that the browser elements never import, so the
 * published bundle does not grow with staff-only shapes; the server, its OpenAPI document and the
 * demo admin page import it.
 */
import * as z from 'zod/mini';

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
