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

/**
 * The paths the browser client calls: {@link ROUTES} uses them, and {@link clientPaths} is made from
 * them alone, so the browser's client chunk carries these strings and not the route table (issue 15).
 */
const CLIENT = {
  portal: `${ORG}/portal`,
  signup: `${ORG}/signup`,
  signupResend: `${ORG}/signup/resend`,
  signupComplete: `${ORG}/signup/complete`,
  tokenExchange: `${ORG}/tokens/exchange`,
  sessions: `${ORG}/sessions`,
  sessionsRefresh: `${ORG}/sessions/refresh`,
  sessionsCurrent: `${ORG}/sessions/current`,
  me: `${ORG}/me`,
  passwordReset: `${ORG}/password-reset`,
  passwordResetComplete: `${ORG}/password-reset/complete`,
} as const;

/** Public routes: what the browser elements call, plus the public operations endpoints. */
export const ROUTES = {
  portal: { method: 'GET', path: CLIENT.portal, auth: 'none', response: 'PortalInfo' },
  portalQrSvg: { method: 'GET', path: `${ORG}/portal/qr.svg`, auth: 'none', produces: 'image/svg+xml' },
  portalQrPng: { method: 'GET', path: `${ORG}/portal/qr.png`, auth: 'none', produces: 'image/png' },
  invitationLink: { method: 'GET', path: `${ORG}/invitations/{token}`, auth: 'none', status: 302 },
  signup: { method: 'POST', path: CLIENT.signup, auth: 'none', request: 'SignupRequest', response: 'Accepted', status: 202 },
  signupResend: { method: 'POST', path: CLIENT.signupResend, auth: 'none', request: 'ResendRequest', response: 'Accepted', status: 202 },
  signupComplete: { method: 'POST', path: CLIENT.signupComplete, auth: 'none', request: 'CompleteRequest', response: 'AuthResult' },
  tokenExchange: { method: 'POST', path: CLIENT.tokenExchange, auth: 'none', request: 'TokenExchangeRequest', response: 'TokenExchange' },
  sessions: { method: 'POST', path: CLIENT.sessions, auth: 'none', request: 'SignInRequest', response: 'AuthResult' },
  sessionsAll: { method: 'DELETE', path: CLIENT.sessions, auth: 'session', status: 204 },
  sessionsRefresh: { method: 'POST', path: CLIENT.sessionsRefresh, auth: 'none', request: 'RefreshRequest', response: 'AuthResult' },
  sessionsCurrent: { method: 'DELETE', path: CLIENT.sessionsCurrent, auth: 'session', status: 204 },
  me: { method: 'GET', path: CLIENT.me, auth: 'session', response: 'Profile' },
  meUpdate: { method: 'PATCH', path: CLIENT.me, auth: 'session', request: 'ProfilePatch', response: 'Profile' },
  passwordReset: { method: 'POST', path: CLIENT.passwordReset, auth: 'none', request: 'PasswordResetRequest', response: 'Accepted', status: 202 },
  passwordResetComplete: { method: 'POST', path: CLIENT.passwordResetComplete, auth: 'none', request: 'CompleteRequest', response: 'AuthResult' },
  openapi: { method: 'GET', path: '/v1/openapi.json', auth: 'none' },
  healthz: { method: 'GET', path: '/healthz', auth: 'none', response: 'Health' },
  readyz: { method: 'GET', path: '/readyz', auth: 'none', response: 'Readiness' },
  devOutbox: { method: 'GET', path: '/dev/outbox', auth: 'dev', response: 'OutboxList' },
  devFixtures: { method: 'POST', path: '/dev/orgs/{org}/fixtures', auth: 'dev', status: 201 },
} as const satisfies Record<string, RouteSpec>;

/** `path` with its parameters filled in (as given: slugs and ids need no encoding), without the leading slash (ky's prefixUrl). */
function fill(path: string, params: Record<string, string>): string {
  return path.slice(1).replace(/\{(\w+)\}/g, (_, name: string) => {
    const value = params[name];
    if (value === undefined) throw new Error(`pathFor ${path}: missing ${name}`);
    return value;
  });
}

/** A route's path with its parameters filled in (as given: slugs and ids need no encoding), without the leading slash (ky's prefixUrl). */
export function pathFor(route: RouteSpec, params: Record<string, string> = {}): string {
  return fill(route.path, params);
}

type PathFn = (org?: string, params?: Record<string, string>) => string;

/** `name(org, params)` → the path of each entry of `table` (a route, or a path template). */
function makePaths<K extends string>(table: Readonly<Record<K, RouteSpec | string>>): { readonly [N in K]: PathFn } {
  const out = {} as Record<K, PathFn>;
  for (const name in table) {
    const entry = table[name];
    const path = typeof entry === 'string' ? entry : entry.path;
    out[name] = (org, params = {}) => fill(path, org === undefined ? params : { ...params, org });
  }
  return out;
}

/** Every route's path: `paths.signup(org)` → `v1/orgs/<org>/signup` (the server's tests and tools). */
export const paths = /* @__PURE__ */ makePaths(ROUTES);

/** The paths of the routes the browser client calls, made without the route table (client.ts). */
export const clientPaths = /* @__PURE__ */ makePaths(CLIENT);
