/**
 * Loads the API client (ky, zod and the contract schemas) on first need, so a page's first load
 * carries only the elements (DESIGN §8). The session store calls it on restore when a session is
 * stored; forms preload it as soon as someone focuses them, so "Sign in" still costs one round trip.
 */
export type ApiModule = typeof import('./client.js');

let loading: Promise<ApiModule> | undefined;
const followers = new Set<() => unknown>();
const companions: Array<() => Promise<unknown>> = [];

/** The API client module, loaded once (with its {@link withApi} companions: it resolves when they are in). */
export function loadApi(): Promise<ApiModule> {
  if (!loading) followers.forEach((load) => load());
  loading ??= Promise.all([import('./client.js'), ...companions.map((load) => load())]).then(
    ([client]) => client,
    (error: unknown) => {
      loading = undefined;
      throw error;
    },
  );
  return loading;
}

/**
 * Loads `load` in parallel with the API client, and makes {@link loadApi} wait for it: what only shows
 * after a request (the English of errors and of the signed-in view) is then always there in time.
 */
export function withApi(load: () => Promise<unknown>): void {
  companions.push(load);
  // Registered after the client started loading (a module evaluated later): load it now too.
  if (loading) load().catch(() => undefined);
}

/**
 * Runs `load` (an idempotent preload) as soon as the API client starts loading, or now if it already
 * has: code only a signed-in page needs (the autofill engine) then downloads in parallel with the
 * client, and "Sign in" to a filled form stays one API round trip.
 */
export function alongWithApi(load: () => unknown): void {
  if (loading) load();
  else followers.add(load);
}
