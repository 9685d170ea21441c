/**
 * Loads the API client (ky, zod and the contract schemas) on first need, so a page's first load
 * carries only the elements (DESIGN §8). The session store calls it on restore when a session is
 * stored; forms preload it as soon as someone focuses them, so "Sign in" still costs one round trip.
 */
export type ApiModule = typeof import('./client.js');

let loading: Promise<ApiModule> | undefined;

/** The API client module, loaded once. */
export function loadApi(): Promise<ApiModule> {
  loading ??= import('./client.js').catch((error: unknown) => {
    loading = undefined;
    throw error;
  });
  return loading;
}
