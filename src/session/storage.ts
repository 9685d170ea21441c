/**
 * The browser features the session store keeps state with — `localStorage`, `sessionStorage`,
 * `BroadcastChannel` (Web Locks: lock.ts) — behind calls that never throw (issue 13). Browsers refuse them
 * when a person blocks site data: Firefox "block all cookies" (the getters and the constructor throw
 * `SecurityError`), Chromium with site data blocked, Safari and Chromium in some partitioned
 * third-party iframes, storage that is full or disabled. Then the session lives in memory for the
 * life of the page, tabs do not share sign-out, and the console says why, once per page.
 */

/** A storage area whose calls never throw. */
export interface SafeStorage {
  get(key: string): string | null;
  set(key: string, value: string): void;
  remove(key: string): void;
}

/** Where the session store keeps its refresh token and remembered email. */
export interface PageStorage {
  /** Survives closing the browser ("keep me signed in"); falls back to `session`, then memory. */
  readonly local: SafeStorage;
  /** Survives moving to another page of the site in the same tab; falls back to memory. */
  readonly session: SafeStorage;
  /** False when the session cannot outlive this page (sessionStorage refused). */
  readonly persistent: boolean;
}

type Area = 'localStorage' | 'sessionStorage';

let warned = false;

/**
 * Which feature the browser refused, and so what that means for the person (sessionStorage,
 * localStorage, BroadcastChannel): the console's text is in config-check.ts, loaded only then.
 */
export type StorageConsequence = 'session' | 'local' | 'channel';

/** Says once per page, on the console, which feature the browser refused, why, and what that means. */
function warnOnce(consequence: StorageConsequence, error: unknown): void {
  if (warned) return;
  warned = true;
  void import('../internal/config-check.js').then((m) => m.storageRefused(consequence, error));
}

/** The storage area if it can be read and written now, else the reason it cannot. */
function probe(area: Area): { storage: Storage } | { error: unknown } {
  try {
    const storage = globalThis[area];
    if (!storage) return { error: new Error(`${area} is not available`) };
    const key = 'portal-widgets:probe';
    storage.setItem(key, '1');
    storage.removeItem(key);
    return { storage };
  } catch (error) {
    return { error };
  }
}

function wrap(storage: Storage): SafeStorage {
  return {
    get(key) {
      try {
        return storage.getItem(key);
      } catch {
        return null;
      }
    },
    set(key, value) {
      try {
        storage.setItem(key, value);
      } catch {
        // Full, or refused since the probe: this value lasts as long as the page.
      }
    },
    remove(key) {
      try {
        storage.removeItem(key);
      } catch {
        // Nothing we can remove.
      }
    },
  };
}

/** The page-lifetime stand-in, shared by every store of the page. */
const memoryValues = new Map<string, string>();
const memory: SafeStorage = {
  get: (key) => memoryValues.get(key) ?? null,
  set: (key, value) => void memoryValues.set(key, value),
  remove: (key) => void memoryValues.delete(key),
};

/** Probes both storage areas (call when a session store starts; a person may change settings between pages). */
export function pageStorage(): PageStorage {
  // No DOM (server rendering, a worker): nothing to keep, nothing to warn about.
  if (typeof window === 'undefined') return { local: memory, session: memory, persistent: false };
  const local = probe('localStorage');
  const session = probe('sessionStorage');
  if ('error' in session) warnOnce('session', session.error);
  else if ('error' in local) warnOnce('local', local.error);
  const sessionArea = 'storage' in session ? wrap(session.storage) : memory;
  return {
    local: 'storage' in local ? wrap(local.storage) : sessionArea,
    session: sessionArea,
    persistent: 'storage' in session,
  };
}

/** A BroadcastChannel, or undefined where there is none or the browser refuses one. */
export function openChannel<T>(name: string, onMessage: (message: T) => void): BroadcastChannel | undefined {
  if (typeof BroadcastChannel === 'undefined') return undefined;
  try {
    const channel = new BroadcastChannel(name);
    channel.onmessage = (event: MessageEvent<T>) => onMessage(event.data);
    return channel;
  } catch (error) {
    warnOnce('channel', error);
    return undefined;
  }
}

/** Posts to a channel; a closed or refused channel drops the message. */
export function post(channel: BroadcastChannel | undefined, message: unknown): void {
  try {
    channel?.postMessage(message);
  } catch {
    // Other tabs learn on their next refresh instead.
  }
}
