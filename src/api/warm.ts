/**
 * Connection and CORS-preflight warm-up (issue 15, DESIGN §8: "Sign in" costs one round trip plus the
 * hash, on a fresh page too). Called by a form on the person's first keystroke, it sends one inert
 * `OPTIONS` to the exact URL the form will POST to, with the same credentials mode (`omit`, as the ky
 * client in `client.ts`) and the one non-safelisted header the POST carries (`content-type`). The
 * browser must preflight that `OPTIONS`, so while the person types it opens the connection (browsers
 * pool sockets by credentials mode, so only an `omit` request warms the socket the POST uses) and caches
 * the preflight's answer for this URL: `Access-Control-Allow-Methods` lists POST, `-Allow-Headers`
 * content-type, `-Max-Age` 600 s (Chromium caps it at 2 h, Firefox at 24 h, WebKit at 10 min). The
 * sign-in POST then goes out at once on the open socket, without a preflight.
 *
 * The server answers both the preflight and the `OPTIONS` itself in its CORS layer (server/app.ts):
 * no body, no credential, no session, no rate-limit count, no audit row, nothing a stranger gains.
 * At most one per page and URL; a failure is silent (the POST will meet and report it). First-load code:
 * no ky, no zod.
 */
const warmed = new Set<string>();

/**
 * The URL ky builds for `path` under the API base `api` (its `prefixUrl`: a `/` added, then resolved
 * against the page), so the preflight cached is the one the POST looks up.
 */
export function apiUrl(api: string, path: string): string {
  return new URL(api.replace(/\/?$/, '/') + path, globalThis.document?.baseURI).href;
}

/** Warms the connection to the API and the preflight of a JSON POST to `v1/orgs/{org}/{route}`, once per page and URL. */
export function warmUp(api: string | undefined, org: string | undefined, route: 'sessions' | 'signup'): void {
  if (!api || !org) return;
  let url: string;
  try {
    url = apiUrl(api, `v1/orgs/${org}/${route}`);
  } catch {
    return;
  }
  if (warmed.has(url)) return;
  warmed.add(url);
  fetch(url, { method: 'OPTIONS', headers: { 'content-type': 'application/json' }, credentials: 'omit' }).catch(() => undefined);
}
