/**
 * Loud configuration errors (issue 11). When an element meets its API and organization, it asks the
 * portal API once per page for that organization's portal (`GET v1/orgs/{org}/portal`, plain `fetch`,
 * no ky or zod) and tells the integrator what is wrong, always with `console.error` (not only in a
 * debug mode): a missing provider or attributes, an organization slug the API does not know, a page
 * origin the organization does not allow, an API that does not answer. The elements then show the
 * visitor a kind, true message (`unavailable`) instead of a form that cannot work.
 *
 * Loaded on demand by the form elements, after the first paint. The API makes an unknown organization's
 * 404 readable from any page but not a refused origin's 403 (nothing to learn about an org's allowlist);
 * so when the answer is unreadable, the API's CORS-open `v1/openapi.json` tells an API that is up (it
 * refused this origin) from one that is not there at all.
 *
 * The console text of the other first-load warnings lives here too (storage refused, an unsupported
 * language, a tag another version of the library defined), so the first load carries none of it.
 */
import type { StorageConsequence } from '../session/storage.js';

/** Stable codes of the configuration problems an element can meet. */
export type ConfigProblemCode = 'config_missing' | 'org_not_found' | 'origin_not_allowed' | 'api_unreachable';

export interface ConfigProblem {
  readonly code: ConfigProblemCode;
  /** The developer message written to the console (English). */
  readonly message: string;
}

const PREFIX = '[portal-widgets]';
const TIMEOUT_MS = 10_000;
const checks = new Map<string, Promise<ConfigProblem | undefined>>();
const reported = new Set<string>();

/** Writes `problem` to the console once per page for `key` (every element of one setup shares it). */
function report(key: string, problem: ConfigProblem): ConfigProblem {
  const id = `${key}|${problem.code}`;
  if (!reported.has(id)) {
    reported.add(id);
    console.error(`${PREFIX} ${problem.message}`);
  }
  return problem;
}

/** A `<portal-provider>` without `api` or `org` (the elements inside it report their own problem too). */
/** Each storage refusal (session/storage.ts): what the browser refuses, and what that means for the person, as the console says it. */
const consequences: Record<StorageConsequence, [string, string]> = {
  session: ['storage (sessionStorage)', 'Sign-in still works, but lasts only as long as this page, and signing out is not shared with other tabs.'],
  local: [
    'long-term storage (localStorage)',
    'Sign-in still works and lasts while this tab is open, but "keep me signed in" cannot outlast the tab.',
  ],
  channel: ['BroadcastChannel', 'Sign-in still works, but signing out here does not sign out other tabs until they next reach the server.'],
};

/** The browser refuses a feature to this page (said once per page; storage.ts decides when). */
export function storageRefused(consequence: StorageConsequence, error: unknown): void {
  const why = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  const [what, meaning] = consequences[consequence];
  console.warn(`${PREFIX} This browser refuses ${what} to this page (${why}), probably because site data or cookies are blocked. ${meaning}`);
}

/** `<tag>` is already defined by another version of the library (debug mode only; PortalElement.define). */
export function versionClash(tag: string, existing: string | undefined, version: string): void {
  console.warn(`${PREFIX} <${tag}> is already defined by version ${existing ?? 'unknown'}; ${version} was not registered.`);
}

export function providerMissing(api: string, org: string): void {
  const missing = [api ? '' : 'api', org ? '' : 'org'].filter(Boolean).join(' and ');
  report(`portal-provider|${api}|${org}`, {
    code: 'config_missing',
    message: `<portal-provider> has no ${missing} attribute, so the elements inside it cannot work. Fix: <portal-provider api="https://your-portal-api.example/" org="your-org-slug">.`,
  });
}

/** A language with no translation: said once per page and language, as a warning (the page still works, in English). */
export function unsupportedLanguage(lang: string, available: string[]): void {
  const base = lang.split('-')[0];
  console.warn(
    `${PREFIX} no translation for "${lang}" (nor "${base}"); showing English. Available: ${available.join(', ')} (a regional tag such as es-MX uses its language's). Fix: register one with registerTranslation() (docs/translations.md), or set lang to a supported language.`,
  );
}

/** The problem of an element that has neither a provider with `api` and `org` nor its own. */
export function missingConfig(tag: string, provider: 'none' | 'incomplete', api: string, org: string): ConfigProblem {
  const missing = [api ? '' : 'api', org ? '' : 'org'].filter(Boolean).join(' and ');
  const message =
    provider === 'incomplete'
      ? `<${tag}> is inside a <portal-provider> that has no ${missing} attribute. Fix: <portal-provider api="https://your-portal-api.example/" org="your-org-slug">.`
      : `<${tag}> has no portal configuration (${missing} missing) and no <portal-provider> around it. Fix: wrap it in <portal-provider api="https://your-portal-api.example/" org="your-org-slug">, or give it api and org attributes.`;
  return report(`${tag}|${provider}|${api}|${org}`, { code: 'config_missing', message });
}

/**
 * Checks `api` + `org` against the API, once per page (`fresh` asks again: after a network error, or
 * when the browser comes back online). Resolves to the problem, or undefined when the portal answers.
 */
export function checkPortal(api: string, org: string, fresh = false): Promise<ConfigProblem | undefined> {
  const key = `${api}|${org}`;
  if (fresh) {
    checks.delete(key);
    for (const id of [...reported]) if (id.startsWith(`${key}|`)) reported.delete(id);
  }
  let check = checks.get(key);
  if (!check) {
    check = probe(api, org).then((problem) => (problem ? report(key, problem) : undefined));
    checks.set(key, check);
  }
  return check;
}

async function probe(api: string, org: string): Promise<ConfigProblem | undefined> {
  const origin = typeof location !== 'undefined' ? location.origin : '';
  let base: URL;
  try {
    base = new URL(api, typeof document !== 'undefined' ? document.baseURI : undefined);
  } catch {
    return {
      code: 'api_unreachable',
      message: `api="${api}" is not a URL. Fix: set api to the portal API's base URL, e.g. https://your-portal-api.example/.`,
    };
  }
  if (!base.pathname.endsWith('/')) base.pathname += '/';
  const url = new URL(`v1/orgs/${encodeURIComponent(org)}/portal`, base);
  let response: Response;
  try {
    response = await fetch(url, { credentials: 'omit', signal: timeout() });
  } catch (error) {
    return blocked(base, org, origin, error);
  }
  if (response.ok) return undefined;
  const code = await errorCode(response);
  if (code === 'not_found') {
    return {
      code: 'org_not_found',
      message: `the portal API at ${base.href} has no organization "${org}" (404 from ${url.href}). Fix: set org to your organization's slug, exactly as the portal admin shows it.`,
    };
  }
  if (code === 'origin_not_allowed') {
    return {
      code: 'origin_not_allowed',
      message: `the portal API refused this page's origin ${origin} for organization "${org}" (403 origin_not_allowed). Fix: add ${origin} to the organization's allowed origins (portal admin → allowed origins), or use the page on an origin that is listed.`,
    };
  }
  if (code === undefined && (response.status === 404 || response.status === 405)) {
    return {
      code: 'api_unreachable',
      message: `${base.href} answered ${response.status} without a portal API error body: it is not the portal API's base URL. Fix: set api to the portal API's base URL (the one that serves ${new URL('v1/openapi.json', base).href}).`,
    };
  }
  // A server error or a rate limit is not a configuration problem: the forms handle those.
  return undefined;
}

/** The org request failed without an answer this page may read: is the API there at all? */
async function blocked(base: URL, org: string, origin: string, error: unknown): Promise<ConfigProblem> {
  const reason =
    error instanceof DOMException && (error.name === 'TimeoutError' || error.name === 'AbortError')
      ? `no answer within ${TIMEOUT_MS / 1000} s`
      : 'the request failed';
  try {
    const response = await fetch(new URL('v1/openapi.json', base), { credentials: 'omit', signal: timeout() });
    if (response.ok) {
      return {
        code: 'origin_not_allowed',
        message: `the portal API at ${base.href} is up but refused this page's origin ${origin} for organization "${org}" (its answer carries no CORS header for this origin). Fix: add ${origin} to the organization's allowed origins (portal admin → allowed origins), or use the page on an origin that is listed.`,
      };
    }
  } catch {
    // Not there either: below.
  }
  return {
    code: 'api_unreachable',
    message: `the portal API at ${base.href} did not answer (${reason}). Fix: check that api is the API's base URL, that the API is running and reachable from this page, and that the page's Content-Security-Policy allows it (connect-src ${base.origin}).`,
  };
}

async function errorCode(response: Response): Promise<string | undefined> {
  try {
    const body = (await response.json()) as { error?: { code?: unknown } };
    return typeof body?.error?.code === 'string' ? body.error.code : undefined;
  } catch {
    return undefined;
  }
}

function timeout(): AbortSignal | undefined {
  return typeof AbortSignal !== 'undefined' && 'timeout' in AbortSignal ? AbortSignal.timeout(TIMEOUT_MS) : undefined;
}

/**
 * The configuration check of a form element (PortalFormElement.checkConfig decides when): `settle`
 * receives the problem's code, or undefined; `current` says whether this check is still the element's
 * (its api/org may change meanwhile). An element with neither api nor org waits for this task to
 * end first: frameworks may set the attributes, and a provider may upgrade, right after it connects.
 */
export function checkElement(
  el: HTMLElement,
  api: string,
  org: string,
  fresh: boolean,
  settle: (code: ConfigProblemCode | undefined) => void,
  current: () => boolean,
): void {
  if (!api || !org) {
    setTimeout(() => {
      if (current() && el.isConnected) settle(unconfigured(el, api, org).code);
    });
    return;
  }
  void checkPortal(api, org, fresh).then((problem) => settle(problem?.code));
}

/**
 * Reports the missing configuration of `el`, which has no usable provider above it: the provider's
 * missing attributes when there is one (across shadow roots), else its own `api` / `org`.
 */
export function unconfigured(el: Element, api: string, org: string): ConfigProblem {
  const provider = providerAround(el);
  const [a, o] = provider ? [provider.getAttribute('api') ?? '', provider.getAttribute('org') ?? ''] : [api, org];
  return missingConfig(el.localName, provider ? 'incomplete' : 'none', a, o);
}

/** The `<portal-provider>` around `el`, across shadow roots. */
function providerAround(el: Element): Element | undefined {
  let node: Node | null = el.parentNode;
  while (node) {
    if (node instanceof Element && node.localName === 'portal-provider') return node;
    node = node.parentNode ?? (node instanceof ShadowRoot ? node.host : null);
  }
  return undefined;
}
