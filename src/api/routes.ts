/**
 * The API's routes in one table (DESIGN §3): method, path, auth, and the contract schemas of the
 * request and the response, by name (`src/api/contract.ts`; admin ones in `src/api/admin.ts`). The
 * browser client's paths are derived from it (`paths`), the server's OpenAPI document is generated
 * from it, and a test checks the server serves exactly these routes. Plain data with no imports, so
 * the contract can re-export `paths` without a cycle and the bundle pays only for these strings.
 */

export type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** `none`: public; `session`: a signed-in person's access token; `admin`: the org's admin API key; `dev`: development mode only. */
export type RouteAuth = 'none' | 'session' | 'admin' | 'dev';

export interface RouteSpec {
  readonly method: Method;
  /** Template with `{param}` segments, from the API's root: `/v1/orgs/{org}/signup`. */
  readonly path: string;
  readonly auth: RouteAuth;
  /** JSON body: the name of a contract schema. */
  readonly request?: string;
  /** Query string: the name of a contract schema (an object of strings). */
  readonly query?: string;
  /** Success body: the name of a contract schema; absent for 204 / redirects / non-JSON. */
  readonly response?: string;
  /** Success status (default 200). */
  readonly status?: number;
  /** A success body that is not JSON. */
  readonly produces?: string;
}

const ORG = '/v1/orgs/{org}';

/** Public routes: what the browser elements call, plus the public operations endpoints. */
export const ROUTES = {
  portal: { method: 'GET', path: `${ORG}/portal`, auth: 'none', response: 'PortalInfo' },
  portalQrSvg: { method: 'GET', path: `${ORG}/portal/qr.svg`, auth: 'none', produces: 'image/svg+xml' },
  portalQrPng: { method: 'GET', path: `${ORG}/portal/qr.png`, auth: 'none', produces: 'image/png' },
  invitationLink: { method: 'GET', path: `${ORG}/invitations/{token}`, auth: 'none', status: 302 },
  signup: { method: 'POST', path: `${ORG}/signup`, auth: 'none', request: 'SignupRequest', response: 'Accepted', status: 202 },
  signupResend: { method: 'POST', path: `${ORG}/signup/resend`, auth: 'none', request: 'ResendRequest', response: 'Accepted', status: 202 },
  signupComplete: { method: 'POST', path: `${ORG}/signup/complete`, auth: 'none', request: 'CompleteRequest', response: 'AuthResult' },
  tokenExchange: { method: 'POST', path: `${ORG}/tokens/exchange`, auth: 'none', request: 'TokenExchangeRequest', response: 'TokenExchange' },
  sessions: { method: 'POST', path: `${ORG}/sessions`, auth: 'none', request: 'SignInRequest', response: 'AuthResult' },
  sessionsAll: { method: 'DELETE', path: `${ORG}/sessions`, auth: 'session', status: 204 },
  sessionsRefresh: { method: 'POST', path: `${ORG}/sessions/refresh`, auth: 'none', request: 'RefreshRequest', response: 'AuthResult' },
  sessionsCurrent: { method: 'DELETE', path: `${ORG}/sessions/current`, auth: 'session', status: 204 },
  me: { method: 'GET', path: `${ORG}/me`, auth: 'session', response: 'Profile' },
  meUpdate: { method: 'PATCH', path: `${ORG}/me`, auth: 'session', request: 'ProfilePatch', response: 'Profile' },
  passwordReset: { method: 'POST', path: `${ORG}/password-reset`, auth: 'none', request: 'PasswordResetRequest', response: 'Accepted', status: 202 },
  passwordResetComplete: { method: 'POST', path: `${ORG}/password-reset/complete`, auth: 'none', request: 'CompleteRequest', response: 'AuthResult' },
  openapi: { method: 'GET', path: '/v1/openapi.json', auth: 'none' },
  healthz: { method: 'GET', path: '/healthz', auth: 'none', response: 'Health' },
  readyz: { method: 'GET', path: '/readyz', auth: 'none', response: 'Readiness' },
  devOutbox: { method: 'GET', path: '/dev/outbox', auth: 'dev', response: 'OutboxList' },
  devFixtures: { method: 'POST', path: '/dev/orgs/{org}/fixtures', auth: 'dev', status: 201 },
} as const satisfies Record<string, RouteSpec>;

/** A route's path with its parameters filled in (as given: slugs and ids need no encoding), without the leading slash (ky's prefixUrl). */
export function pathFor(route: RouteSpec, params: Record<string, string> = {}): string {
  return route.path.slice(1).replace(/\{(\w+)\}/g, (_, name: string) => {
    const value = params[name];
    if (value === undefined) throw new Error(`pathFor ${route.path}: missing ${name}`);
    return value;
  });
}

type Paths = { readonly [K in keyof typeof ROUTES]: (org?: string, params?: Record<string, string>) => string };

/** The client's paths: `paths.signup(org)` → `v1/orgs/<org>/signup`. */
export const paths: Paths = Object.fromEntries(
  Object.entries(ROUTES).map(([name, route]) => [
    name,
    (org?: string, params: Record<string, string> = {}) => pathFor(route, org === undefined ? params : { ...params, org }),
  ]),
) as unknown as Paths;
