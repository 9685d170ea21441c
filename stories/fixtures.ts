/**
 * Recorded answers of the portal API, so designers run Storybook without a server (STYLE §10.43).
 * `withPortal(scenario)` wraps a story in a `<portal-provider>` whose ky instance answers from here.
 */
import type { Decorator } from '@storybook/web-components-vite';
import ky, { type KyInstance } from 'ky';
import { html } from 'lit';
import type { AuthResult, PortalInfo, Profile } from '../src/api/contract.ts';

export type Scenario =
  | 'default'
  | 'signed-in'
  | 'wrong-password'
  | 'rate-limited'
  | 'offline'
  | 'slow'
  /** Every POST stays in flight for good (no timeout): the busy state holds still. */
  | 'pending'
  /** Every POST fails with a 500 whose code the client does not know. */
  | 'server-error'
  | 'link-expired'
  | 'linked'
  /** Sign-up completion finds a record that may be the same person: created, flagged for staff. */
  | 'possible-duplicate'
  /** The server refuses the chosen password as too common (`invalid_input`, field `password_common`). */
  | 'weak-password'
  /** Signed in (restored) as someone who manages a company record: autofill offers "Filling as". */
  | 'company-manager'
  // Configuration problems, met by the elements' own configuration check (plain fetch, no stub client):
  /** The API does not know the organization slug (404 `not_found` on GET portal). */
  | 'org-not-found'
  /** The API is up but refuses this page's origin (no readable answer; its openapi.json answers). */
  | 'origin-refused'
  /** Nothing answers at the API's address. */
  | 'api-down';

/** Scenarios the elements meet through their configuration check, so their provider gets no stub client. */
const CONFIG_SCENARIOS: ReadonlySet<Scenario> = new Set(['org-not-found', 'origin-refused', 'api-down']);
const ORIGIN = 'https://api.example.test/';

const ORG = 'riverside-arts';

export const portalInfo: PortalInfo = {
  slug: ORG,
  name: 'Riverside Arts Association',
  portalUrl: 'https://portal.example.org/riverside-arts',
  tier: 'advanced',
  modules: ['memberships', 'events', 'donations', 'invoices'],
  signupKinds: ['individual', 'company'],
  branding: {},
};

export const maria: Profile = {
  accountId: 'acc_1',
  email: 'maria.garcia@example.org',
  constituent: {
    id: 'c_1',
    kind: 'individual',
    firstName: 'Maria',
    lastName: 'Garcia',
    companyName: null,
    email: 'maria.garcia@example.org',
    phone: null,
    address: {},
  },
  portal: { tier: 'advanced', modules: ['memberships', 'events'] },
  memberships: [{ id: 'm_1', name: 'Family', status: 'current', startsOn: '2026-01-01', endsOn: '2026-12-31' }],
  companies: [],
};

/** A company Maria manages in the records (her employer's membership). */
export const harborLights: Profile['companies'][number] = {
  id: 'c_harbor',
  companyName: 'Harbor Lights Design',
  email: 'hello@harborlights.example',
  phone: '+1 555 0103',
  address: { line1: '1 Harbor Way', city: 'Springfield', region: 'IL', postalCode: '62703', country: 'US' },
  memberships: [],
};

const profileFor = (scenario: Scenario): Profile => (scenario === 'company-manager' ? { ...maria, companies: [harborLights] } : maria);

function auth(outcome?: AuthResult['outcome'], remember = false, profile: Profile = maria): AuthResult {
  const soon = (s: number) => new Date(Date.now() + s * 1000).toISOString();
  return {
    session: {
      accessToken: 'story-access-token',
      accessTokenExpiresAt: soon(300),
      refreshToken: 'story-refresh-token-0123456789',
      refreshTokenExpiresAt: soon(1800),
      remember,
    },
    profile,
    ...(outcome ? { outcome } : {}),
  };
}

const json = (body: unknown, status = 200, headers: Record<string, string> = {}) =>
  new Response(status === 204 ? null : JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } });
const failure = (code: string, status: number, headers: Record<string, string> = {}, message = 'recorded') =>
  json({ error: { code, message } }, status, headers);

/** What the `server-error` scenario answers: nothing of it may reach the page. */
export const rawServerError = { code: 'db_pool_exhausted', message: 'connect ECONNREFUSED 10.0.0.3:5432' };

/** How the API masks maria.garcia@example.org for someone holding a link for it. */
export const maskedEmail = 'ma•••@example.org';
let linkFlow: 'signup' | 'reset' = 'signup';

/** Answers one request of a scenario. */
async function answer(scenario: Scenario, request: Request): Promise<Response> {
  const url = new URL(request.url);
  const path = url.pathname.replace(/^.*\/v1\/orgs\/[^/]+\//, '');
  if (scenario === 'offline' || scenario === 'api-down') throw new TypeError('Failed to fetch');
  if (scenario === 'origin-refused') {
    // What a page sees of a CORS refusal: no answer, while the API's open description answers.
    if (url.pathname.endsWith('/v1/openapi.json')) return json({ openapi: '3.1.0' });
    throw new TypeError('Failed to fetch');
  }
  if (scenario === 'org-not-found' && request.method === 'GET' && path === 'portal') return failure('not_found', 404);
  if (scenario === 'slow') await new Promise((r) => setTimeout(r, 1500));
  if (scenario === 'rate-limited' && request.method === 'POST') return failure('rate_limited', 429, { 'retry-after': '30' });
  if (scenario === 'pending' && request.method === 'POST') return new Promise<Response>(() => undefined);
  // An unknown code and a developer message the element must never show.
  if (scenario === 'server-error' && request.method === 'POST') return failure(rawServerError.code, 500, {}, rawServerError.message);
  switch (`${request.method} ${path}`) {
    case 'GET portal':
      return json(portalInfo);
    case 'POST sessions': {
      const body = (await request.json().catch(() => ({}))) as { remember?: boolean };
      return scenario === 'wrong-password' ? failure('invalid_credentials', 401) : json(auth(undefined, body.remember === true));
    }
    case 'POST sessions/refresh':
      return json(auth(undefined, false, profileFor(scenario)));
    case 'DELETE sessions/current':
      return json(null, 204);
    case 'POST signup':
    case 'POST signup/resend':
    case 'POST password-reset':
      return json({ status: 'accepted' }, 202);
    case 'POST tokens/exchange':
      // The emailed link's token, traded for a completion token and the account's masked email.
      if (scenario === 'link-expired') return failure('token_invalid', 400);
      return json({
        flow: linkFlow,
        email: maskedEmail,
        completionToken: 'story-completion-token-0123456789',
        expiresAt: new Date(Date.now() + 900_000).toISOString(),
      });
    case 'POST signup/complete':
    case 'POST password-reset/complete':
      if (scenario === 'link-expired') return failure('token_invalid', 400);
      if (scenario === 'weak-password')
        return json({ error: { code: 'invalid_input', message: 'recorded', fields: { password: 'password_common' } } }, 400);
      if (path === 'password-reset/complete') return json(auth());
      return json(auth(scenario === 'linked' ? 'linked' : scenario === 'possible-duplicate' ? 'created_possible_duplicate' : 'created'));
    case 'GET me':
      return json(profileFor(scenario));
    default:
      return failure('not_found', 404);
  }
}

/** Story parameters read by {@link withPortal}: `parameters: { portal: { scenario, token } }`. */
export interface PortalParameters {
  scenario?: Scenario;
  /** Open the story as if from an emailed link of this flow. */
  token?: 'signup' | 'reset';
  /** `false`: no `<portal-provider>` at all (a page that forgot it). */
  provider?: false;
}

/**
 * Shorthand for a story's `parameters`. A story opened from an emailed link reads the token from its
 * page's URL, so on a docs page it renders in an iframe of its own (each with its own URL).
 */
export function portal(scenario: Scenario, token?: 'signup' | 'reset'): { portal: PortalParameters; docs?: unknown } {
  return { portal: { scenario, token }, ...(token ? { docs: { story: { inline: false, height: '34rem' } } } : {}) };
}

/** Wraps the story in a provider that answers from the recorded scenario of `parameters.portal`. */
export const withPortal: Decorator = (story, context) => {
  const { scenario = 'default', token, provider } = (context.parameters.portal ?? {}) as PortalParameters;
  if (provider === false) return story();
  const api = `${ORIGIN}${scenario}/`;
  const key = `portal-widgets:${api}|${ORG}`;
  // Start from the scenario's own state: a session kept by an earlier story ("Keep me signed in"
  // writes localStorage) must not sign in the next one.
  for (const storage of [sessionStorage, localStorage]) {
    for (const k of Object.keys(storage)) if (k.startsWith('portal-widgets:') && k.includes(api)) storage.removeItem(k);
  }
  if (scenario === 'signed-in' || scenario === 'company-manager') sessionStorage.setItem(key, 'story-refresh-token-0123456789');
  // "Filling as" is remembered per page: every story starts as the person.
  for (const k of Object.keys(sessionStorage)) if (k.startsWith('portal-autofill-as:')) sessionStorage.removeItem(k);
  if (token) linkFlow = token;
  if (token) history.replaceState(null, '', `${location.pathname}${location.search}#portal-token=story-token-0123456789abcdef&portal-flow=${token}`);
  // The page's own fetch to the recorded API answers from here too: the configuration check (no stub
  // client in CONFIG_SCENARIOS) and the login form's connection warm-up (src/api/warm.ts), which would
  // otherwise reach for a host that does not exist and log a network error on the console.
  recordNetwork();
  if (CONFIG_SCENARIOS.has(scenario)) {
    return html`<portal-provider api=${api} org=${ORG}>${story()}</portal-provider>`;
  }
  const { ky: stub } = recorded(scenario);
  return html`<portal-provider api=${api} org=${ORG} .ky=${stub}>${story()}</portal-provider>`;
};

let networkRecorded = false;
/** Answers the page's own `fetch` calls to the recorded API's address from the scenario in its path. */
function recordNetwork(): void {
  if (networkRecorded) return;
  networkRecorded = true;
  const real = window.fetch.bind(window);
  window.fetch = (input, init) => {
    const request = new Request(input, init);
    if (!request.url.startsWith(ORIGIN)) return real(input, init);
    const scenario = request.url.slice(ORIGIN.length).split('/')[0] as Scenario;
    return answer(scenario, request);
  };
}

/** What a `<portal-provider>` needs to answer from a recorded scenario: its `api`, `org` and `.ky`. */
export function recorded(scenario: Scenario = 'default'): { api: string; org: string; ky: KyInstance } {
  const api = `${ORIGIN}${scenario}/`;
  return {
    api,
    org: ORG,
    ky: ky.create({
      prefixUrl: api,
      retry: 0,
      timeout: scenario === 'pending' ? false : 10_000,
      fetch: (input, init) => answer(scenario, new Request(input, init)),
    }),
  };
}
