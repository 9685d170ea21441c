/**
 * The wire contract of the portal API (DESIGN §3): every request, response and error body as a zod
 * schema. Both the browser elements and the reference server (`server/`) import this module, so the
 * two can never drift apart. Uses `zod/mini` so the browser bundle pays only for what it parses.
 *
 * Conventions:
 * - Requests are parsed strictly by the server (unknown keys stripped, never rejected).
 * - Every response the browser receives is parsed with the matching schema before use.
 * - Dates travel as ISO 8601 strings.
 */
import * as z from 'zod/mini';

// ---------------------------------------------------------------------------------------------
// Error codes

/** Stable error codes. Widgets map each to localized text; never show `message` to a person. */
export const ERROR_CODES = [
  'invalid_input',
  'invalid_credentials',
  'token_invalid',
  'rate_limited',
  'origin_not_allowed',
  'payload_too_large',
  'unsupported_media_type',
  'unauthorized',
  'not_found',
  'server_error',
] as const;
export const ErrorCode = z.enum(ERROR_CODES);
export type ErrorCode = z.infer<typeof ErrorCode>;

/**
 * Stable per-field problem codes, sent in `error.fields` with `invalid_input` and produced by the
 * browser's own validation, so one translation table serves both.
 */
export const FIELD_ERROR_CODES = [
  'required',
  'invalid_email',
  'too_long',
  'invalid_characters',
  'password_too_short',
  'password_too_long',
  'password_common',
  'invalid_choice',
  'invalid_url',
  'invalid',
] as const;
export const FieldErrorCode = z.enum(FIELD_ERROR_CODES);
export type FieldErrorCode = z.infer<typeof FieldErrorCode>;

export const ErrorBody = z.object({
  error: z.object({
    code: ErrorCode,
    /** English developer text: for logs, never for people. */
    message: z.string(),
    fields: z.optional(z.record(z.string(), FieldErrorCode)),
  }),
});
export type ErrorBody = z.infer<typeof ErrorBody>;

// ---------------------------------------------------------------------------------------------
// Building blocks

/**
 * Never accepted in text: control (Cc) and format (Cf: zero-width, bidi overrides, BOM) characters,
 * line/paragraph separators, and the invisible "fillers" that render as nothing yet are letters or
 * symbols to Unicode — Hangul fillers (U+115F, U+1160, U+3164, U+FFA0), the Braille blank (U+2800),
 * the combining grapheme joiner (U+034F), Khmer inherent vowels (U+17B4/5), Mongolian variation
 * selectors (U+180B–U+180F) and variation selectors (U+FE00–U+FE0F) — so a name cannot look empty
 * or look like someone else's.
 */
const NO_CONTROL_OR_FORMAT = /^[^\p{Cc}\p{Cf}\u2028\u2029\u115F\u1160\u3164\uFFA0\u2800\u034F\u17B4\u17B5\u180B-\u180F\uFE00-\uFE0F]*$/u;

const text = (max: number) =>
  z
    .string()
    .check(
      z.trim(),
      z.minLength(1, { error: 'required' }),
      z.maxLength(max, { error: 'too_long' }),
      z.regex(NO_CONTROL_OR_FORMAT, { error: 'invalid_characters' }),
    );

export const OrgSlug = z.string().check(z.regex(/^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$/));

/** An email address: trimmed, at most 254 characters, one `@`, no control characters. */
export const Email = z.pipe(
  z.string().check(z.trim(), z.minLength(1, { error: 'required' }), z.maxLength(254, { error: 'too_long' })),
  z.email({ error: 'invalid_email' }),
);

/** Length 8–128 (DESIGN §5); no composition rules. The server also rejects the most common ones. */
export const Password = z.string().check(z.minLength(8, { error: 'password_too_short' }), z.maxLength(128, { error: 'password_too_long' }));

/**
 * The page a sign-up or reset started from. The emailed link never goes to it: it is kept with the
 * token and used after completion only when it equals (exactly) a page the org registered.
 */
export const ReturnTo = z.string().check(z.maxLength(2048, { error: 'too_long' }), z.url({ error: 'invalid_url' }));

/** Single-use token from the emailed link (URL-safe base64 of 256 bits, room for a version prefix). */
export const Token = z.string().check(z.minLength(16), z.maxLength(256), z.regex(/^[A-Za-z0-9_-]+$/));

export const Locale = z.enum(['en', 'es', 'fr']);
export type Locale = z.infer<typeof Locale>;

export const ConstituentKind = z.enum(['individual', 'company']);
export type ConstituentKind = z.infer<typeof ConstituentKind>;

export const PortalTier = z.enum(['basic', 'advanced']);
export type PortalTier = z.infer<typeof PortalTier>;

/** Portal modules an org may activate (DESIGN §1.7). */
export const PORTAL_MODULES = ['memberships', 'events', 'donations', 'invoices', 'auctions', 'peer_to_peer'] as const;
export const PortalModule = z.enum(PORTAL_MODULES);
export type PortalModule = z.infer<typeof PortalModule>;

export const MatchOutcome = z.enum(['linked', 'created', 'created_possible_duplicate']);
export type MatchOutcome = z.infer<typeof MatchOutcome>;

// ---------------------------------------------------------------------------------------------
// Portal info — GET /v1/orgs/{org}/portal

export const PortalInfo = z.object({
  slug: OrgSlug,
  name: z.string(),
  portalUrl: z.string(),
  tier: PortalTier,
  /** Modules visible in this portal (already narrowed by tier). */
  modules: z.array(PortalModule),
  signupKinds: z.array(ConstituentKind),
  branding: z.object({
    primaryColor: z.optional(z.string()),
    logoUrl: z.optional(z.string()),
  }),
});
export type PortalInfo = z.infer<typeof PortalInfo>;

// ---------------------------------------------------------------------------------------------
// Requests

export const SignupRequest = z.object({
  kind: ConstituentKind,
  /** For a company: the contact person's first name. */
  firstName: text(100),
  lastName: text(100),
  /** Required when `kind` is `company`. */
  companyName: z.optional(text(200)),
  email: Email,
  returnTo: z.optional(ReturnTo),
  locale: z.optional(Locale),
});
export type SignupRequest = z.infer<typeof SignupRequest>;

export const ResendRequest = z.object({
  email: Email,
  returnTo: z.optional(ReturnTo),
  locale: z.optional(Locale),
});
export type ResendRequest = z.infer<typeof ResendRequest>;

export const CompleteRequest = z.object({ token: Token, password: Password });
export type CompleteRequest = z.infer<typeof CompleteRequest>;

export const SignInRequest = z.object({
  email: Email,
  /** Not length-checked beyond 1–1024: a sign-in never teaches the password rules. */
  password: z.string().check(z.minLength(1, { error: 'required' }), z.maxLength(1024, { error: 'too_long' })),
  remember: z.optional(z.boolean()),
});
export type SignInRequest = z.infer<typeof SignInRequest>;

export const RefreshRequest = z.object({ refreshToken: z.string().check(z.minLength(16), z.maxLength(256)) });
export type RefreshRequest = z.infer<typeof RefreshRequest>;

export const PasswordResetRequest = z.object({
  email: Email,
  returnTo: z.optional(ReturnTo),
  locale: z.optional(Locale),
});
export type PasswordResetRequest = z.infer<typeof PasswordResetRequest>;

const optionalText = (max: number) =>
  z.optional(z.string().check(z.trim(), z.maxLength(max, { error: 'too_long' }), z.regex(NO_CONTROL_OR_FORMAT, { error: 'invalid_characters' })));

export const Address = z.object({
  line1: optionalText(200),
  line2: optionalText(200),
  city: optionalText(100),
  /** State, province or region. */
  region: optionalText(100),
  postalCode: optionalText(20),
  /** ISO 3166-1 alpha-2 code, e.g. `US`. */
  country: optionalText(2),
});
export type Address = z.infer<typeof Address>;

/** PATCH /me: only these fields; everything else is ignored (no mass assignment). */
export const ProfilePatch = z.object({
  firstName: z.optional(text(100)),
  lastName: z.optional(text(100)),
  phone: optionalText(40),
  address: z.optional(Address),
});
export type ProfilePatch = z.infer<typeof ProfilePatch>;

// ---------------------------------------------------------------------------------------------
// Responses

export const Membership = z.object({
  id: z.string(),
  name: z.string(),
  status: z.enum(['current', 'expired']),
  startsOn: z.string(),
  endsOn: z.string(),
});
export type Membership = z.infer<typeof Membership>;

export const Constituent = z.object({
  id: z.string(),
  kind: ConstituentKind,
  firstName: z.string(),
  lastName: z.string(),
  companyName: z.nullable(z.string()),
  email: z.string(),
  phone: z.nullable(z.string()),
  address: Address,
});
export type Constituent = z.infer<typeof Constituent>;

/** A company record this account manages (its own, or as the company's primary contact). */
export const ManagedCompany = z.object({
  id: z.string(),
  companyName: z.string(),
  email: z.string(),
  /** The company record's phone and address, for filling a purchaser form as the company (issue #10); absent from older APIs. */
  phone: z.optional(z.nullable(z.string())),
  address: z.optional(z.nullable(Address)),
  memberships: z.array(Membership),
});
export type ManagedCompany = z.infer<typeof ManagedCompany>;

/** GET /me — who is signed in, their record, and what their portal shows. */
export const Profile = z.object({
  accountId: z.string(),
  email: z.string(),
  constituent: Constituent,
  portal: z.object({ tier: PortalTier, modules: z.array(PortalModule) }),
  memberships: z.array(Membership),
  companies: z.array(ManagedCompany),
});
export type Profile = z.infer<typeof Profile>;

export const Session = z.object({
  /** Short-lived bearer token (5 min); keep in memory only. */
  accessToken: z.string(),
  accessTokenExpiresAt: z.string(),
  /** Opaque, rotated on every use; keep in sessionStorage, or localStorage when `remember`. */
  refreshToken: z.string(),
  refreshTokenExpiresAt: z.string(),
  remember: z.boolean(),
});
export type Session = z.infer<typeof Session>;

/** Answer to sign-in, refresh, sign-up completion and reset completion: one round trip to a profile. */
export const AuthResult = z.object({
  session: Session,
  profile: Profile,
  /** Present on sign-up completion only. */
  outcome: z.optional(MatchOutcome),
  /**
   * Completion only: the page the person started from, when it is one the org registered (matched
   * exactly); the widget goes there after completing. Never part of the emailed link.
   */
  returnTo: z.optional(z.string()),
});
export type AuthResult = z.infer<typeof AuthResult>;

/** Body of every `202 Accepted` (sign-up, resend, reset): identical for known and unknown emails. */
export const Accepted = z.object({ status: z.literal('accepted') });
export type Accepted = z.infer<typeof Accepted>;

// ---------------------------------------------------------------------------------------------
// Emailed links

/** The fragment key that carries a single-use token back to the page (never the query string). */
export const TOKEN_FRAGMENT_KEY = 'portal-token';
/** The fragment key that says which flow the token belongs to. */
export const FLOW_FRAGMENT_KEY = 'portal-flow';
export const TokenFlow = z.enum(['signup', 'reset']);
export type TokenFlow = z.infer<typeof TokenFlow>;

/**
 * POST /v1/orgs/{org}/tokens/exchange — the page opened with an emailed token trades it at once
 * for a short-lived completion token: the emailed token (which stays in the browser's history) is
 * dead from then on.
 */
export const TokenExchangeRequest = z.object({ token: Token });
export type TokenExchangeRequest = z.infer<typeof TokenExchangeRequest>;

export const TokenExchange = z.object({
  flow: TokenFlow,
  /** The account's email address, masked (`ma•••@example.org`): the person confirms it is theirs. */
  email: z.string(),
  /** Single use, 15 minutes: send it as `token` to `signup/complete` or `password-reset/complete`. */
  completionToken: Token,
  expiresAt: z.string(),
});
export type TokenExchange = z.infer<typeof TokenExchange>;

// ---------------------------------------------------------------------------------------------
// Development outbox — GET /dev/outbox (never in production mode)

export const OutboxMessage = z.object({
  id: z.string(),
  channel: z.enum(['email', 'sms']),
  to: z.string(),
  subject: z.nullable(z.string()),
  text: z.string(),
  html: z.nullable(z.string()),
  status: z.enum(['pending', 'sent', 'failed']),
  createdAt: z.string(),
});
export type OutboxMessage = z.infer<typeof OutboxMessage>;

export const OutboxList = z.object({ messages: z.array(OutboxMessage) });
export type OutboxList = z.infer<typeof OutboxList>;

/**
 * Paths, relative to the API base (`paths.signup(org)` → `v1/orgs/<org>/signup`): derived from the
 * route table in routes.ts, which the server's OpenAPI document and its route check also read.
 */
export { paths } from './routes.js';
