/**
 * The session of one page for one API + organization (DESIGN §4). Access token in memory only; the
 * refresh token in sessionStorage (or localStorage with "keep me signed in"); refresh on load or on
 * use, never on a timer; Web Locks so tabs take turns with one refresh token; BroadcastChannel so a
 * sign-out in one tab signs out the others. Dispatches `change` after every snapshot change.
 *
 * This module is the first-load half: it reads whether anything is stored and, when nothing is and no
 * emailed token is in the URL, settles "signed out" at construction, so a signed-out page shows its
 * sign-in form in the first frame without a Web Lock or a request. Everything that talks to the
 * server (refresh under the lock, sign-in, the emailed-link flows) is in `flows.ts`, loaded together
 * with the API client on first use.
 */
import type { KyInstance } from 'ky';
import type { PortalApi } from '../api/client.js';
import type { ConstituentKind, Locale, MatchOutcome, TokenFlow } from '../api/contract.js';
import { PortalApiError, type ClientErrorCode } from '../api/errors.js';
import { loadApi } from '../api/load.js';
import type { SessionFlows } from './flows.js';
import { openChannel, pageStorage, post, type PageStorage } from './storage.js';
import type { SessionSnapshot, SessionStoreLike } from './types.js';

/** A single-use token read (and stripped) from the page's URL fragment. */
export interface FragmentToken {
  readonly token: string;
  readonly flow: TokenFlow;
}

/**
 * An emailed link this page was opened with, after the store exchanged its token (DESIGN §4): the
 * short-lived completion token, and which account it is for. The emailed token itself is dead once
 * exchanged, so the link left in the browser's history can no longer be used.
 */
export interface PendingToken {
  /** The completion token (15 minutes, single use); empty when the link cannot be used. */
  readonly token: string;
  readonly flow: TokenFlow;
  /** The account's email address, masked by the server (`ma•••@example.org`). */
  readonly email: string;
  /** Why the link cannot be used (`token_invalid`: expired or used; else the network failed). */
  readonly failure?: ClientErrorCode;
}

/** Fields of a sign-up request as the elements collect them. */
export interface SignupInput {
  kind: ConstituentKind;
  firstName: string;
  lastName: string;
  companyName?: string;
  email: string;
  locale?: Locale;
}

// The same spellings as TOKEN_FRAGMENT_KEY / FLOW_FRAGMENT_KEY in the contract (a test keeps them
// equal); repeated here so the first load does not pull in zod.
const TOKEN_FRAGMENT_KEY = 'portal-token';
const FLOW_FRAGMENT_KEY = 'portal-flow';

/** Reads `#portal-token=…&portal-flow=…` from `location.hash` and strips it from the address bar. */
export function takeFragmentToken(): FragmentToken | undefined {
  if (typeof location === 'undefined' || !location.hash.includes(TOKEN_FRAGMENT_KEY)) return undefined;
  const params = new URLSearchParams(location.hash.slice(1));
  const token = params.get(TOKEN_FRAGMENT_KEY);
  const flow = params.get(FLOW_FRAGMENT_KEY);
  params.delete(TOKEN_FRAGMENT_KEY);
  params.delete(FLOW_FRAGMENT_KEY);
  const rest = params.toString();
  history.replaceState(history.state, '', `${location.pathname}${location.search}${rest ? `#${rest}` : ''}`);
  if (!token || (flow !== 'signup' && flow !== 'reset')) return undefined;
  return { token, flow };
}

type Message = { type: 'signed-out' } | { type: 'signed-in' };

/** The network half (flows.ts), fetched in parallel with the API client. */
const loadFlows = () => Promise.all([import('./flows.js'), loadApi()]).then(([m]) => m);

/**
 * The session store; get the shared one with {@link getSessionStore}. Members marked internal are for
 * `flows.ts` only (and may change without notice).
 */
export class SessionStore extends EventTarget implements SessionStoreLike {
  /** @internal */
  readonly ky?: KyInstance;
  /** @internal `portal-widgets:<api>|<org>`, the storage key of the refresh token. */
  readonly key: string;
  /** @internal localStorage / sessionStorage, or memory where the browser refuses them (storage.ts). */
  readonly storage: PageStorage;
  /** @internal The access token (memory only) and when it expires (ms). */
  accessToken?: string;
  /** @internal */
  accessExpiresAt = 0;
  private state: SessionSnapshot;
  private pending?: PendingToken;
  private readonly channel?: BroadcastChannel;
  private loading?: Promise<SessionFlows>;
  private flowsLoaded?: SessionFlows;
  private restoring?: Promise<void>;
  private exchanging?: Promise<void>;
  /** An emailed token whose exchange failed on the network (never stored): "Try again" uses it. */
  private unexchanged?: FragmentToken;

  constructor(
    readonly base: string,
    readonly org: string,
    options: { ky?: KyInstance } = {},
  ) {
    super();
    this.key = `portal-widgets:${base}|${org}`;
    this.ky = options.ky;
    this.storage = pageStorage();
    // Nothing stored: signed out now, no lock, no request (the form shows in the first frame).
    this.state = { status: this.storedRefreshToken() ? 'unknown' : 'signed-out' };
    // An emailed link's token, or the completion token a reload of this tab kept: flows.ts reads it.
    const fragment = takeFragmentToken();
    if (fragment || this.storage.session.get(`${this.key}:completion`)) void this.exchange(fragment);
    this.channel = openChannel<Message>(this.key, (message) => this.handleMessage(message));
    if (typeof window !== 'undefined') {
      window.addEventListener('hashchange', this.handleHashChange);
    }
  }

  /** The network half of this store, loaded (with the API client) on first need. */
  /** @internal */
  flows(): Promise<SessionFlows> {
    this.loading ??= loadFlows().then(
      ({ SessionFlows }) => (this.flowsLoaded = new SessionFlows(this)),
      (error: unknown) => {
        this.loading = undefined;
        throw new PortalApiError('network_error', 0, undefined, undefined, error);
      },
    );
    return this.loading;
  }

  /** Who is signed in, if anyone. */
  get snapshot(): SessionSnapshot {
    return this.state;
  }

  /** The emailed link this page was opened with (once exchanged), until an element takes it. */
  get pendingToken(): PendingToken | undefined {
    return this.pending;
  }

  /** True while the token of an emailed link is being exchanged (elements show "Loading…"). */
  get exchangingToken(): boolean {
    return this.exchanging !== undefined;
  }

  /** Exchanges the emailed token again after a network failure (the set-password step's "Try again"). */
  retryExchange(): Promise<void> {
    const raw = this.unexchanged;
    this.unexchanged = undefined;
    return raw ? this.exchange(raw) : Promise.resolve();
  }

  /** Email of the last reset/sign-up request made from this browser, to help password managers. */
  get rememberedEmail(): string | undefined {
    return this.storage.local.get(`${this.key}:email`) ?? undefined;
  }

  /**
   * False when the browser refuses storage to this page: sign-in then lasts only as long as the page,
   * and the elements say so.
   */
  get persistent(): boolean {
    return this.storage.persistent;
  }

  /** Removes and returns the pending token. */
  takePendingToken(): PendingToken | undefined {
    const pending = this.pending;
    this.pending = undefined;
    return pending;
  }

  /**
   * Restores the session on load from a stored refresh token (one request gives the profile). With
   * nothing stored it settles at once: no lock, no request, nothing loaded.
   */
  restore(): Promise<void> {
    if (!this.storedRefreshToken()) {
      if (this.state.status === 'unknown') this.set({ status: 'signed-out' });
      return Promise.resolve();
    }
    this.restoring ??= this.flows()
      .then((f) => f.refresh(false))
      .then(
        () => undefined,
        () => {
          // The flows could not load (offline): we cannot tell; show signed out, keep the token.
          this.restoring = undefined;
          if (this.state.status === 'unknown') this.set({ status: 'signed-out' });
        },
      );
    return this.restoring;
  }

  // The members below only talk to the server: each loads flows.ts (with the API client) and calls its
  // method of the same name (assigned after the class, one generic delegate: issue 15).
  /** The API client of this store (loaded on first call). */
  declare api: () => Promise<PortalApi>;
  /** Signs in with email and password. */
  declare signIn: (email: string, password: string, remember?: boolean) => Promise<void>;
  /**
   * Confirms a sign-up with its (completion) token, sets the password, signs in; resolves to the match
   * outcome and the registered page to go back to, if any.
   */
  declare completeSignup: (token: string, password: string) => Promise<{ outcome?: MatchOutcome; returnTo?: string }>;
  /** Sets a new password with a reset (completion) token, then signs in. */
  declare completeReset: (token: string, password: string) => Promise<{ returnTo?: string }>;
  /** Starts a sign-up; the emailed link returns to this page. */
  declare requestSignup: (input: SignupInput) => Promise<void>;
  /** Sends the confirmation email again. */
  declare resendConfirmation: (email: string, locale?: Locale) => Promise<void>;
  /** Sends a password reset link that returns to this page. */
  declare requestPasswordReset: (email: string, locale?: Locale) => Promise<void>;

  /**
   * Trades the emailed token for a completion token at once (flows.ts), or, without one, takes the
   * completion token this tab kept for a reload. The completion token lives in memory and, so that a
   * reload of this tab keeps it, in sessionStorage until it is used or expires.
   */
  private exchange(raw?: FragmentToken): Promise<void> {
    const run = this.flows()
      .then((f) => f.exchange(raw))
      .catch(() => {
        // The flows could not load (offline): "Try again" in the step retries an emailed token; a kept
        // completion token stays stored for the next load.
        if (!raw) return;
        this.pending = { token: '', flow: raw.flow, email: '', failure: 'network_error' };
        this.unexchanged = raw;
      })
      .finally(() => {
        this.exchanging = undefined;
        this.dispatchEvent(new Event('change'));
      });
    this.exchanging = run;
    return run;
  }

  /** @internal The exchange's answer (flows.ts). */
  exchanged(pending: PendingToken | undefined, retry?: FragmentToken): void {
    this.pending = pending;
    this.unexchanged = retry;
  }

  /** Ends the session here, on the server and in every other tab. */
  async signOut(): Promise<void> {
    // Without the flows there is no access token and nobody signed in: nothing to tell the server.
    await this.flowsLoaded?.signOut();
    this.clear();
    this.post({ type: 'signed-out' });
  }

  /** Stops listening to other tabs and the address bar. */
  dispose(): void {
    this.channel?.close();
    this.flowsLoaded?.dispose();
    if (typeof window !== 'undefined') window.removeEventListener('hashchange', this.handleHashChange);
  }

  private readonly handleHashChange = (): void => {
    const fragment = takeFragmentToken();
    if (fragment) {
      this.pending = undefined;
      void this.exchange(fragment);
      this.dispatchEvent(new Event('change'));
    }
  };

  private handleMessage(message: Message): void {
    if (message.type === 'signed-out') {
      this.clear();
    } else if (message.type === 'signed-in' && this.state.status !== 'signed-in') {
      this.restoring = undefined;
      void this.restore();
    }
  }

  /** @internal The stored refresh token, if any ("keep me signed in" first). */
  storedRefreshToken(): string | null {
    return this.storage.local.get(this.key) ?? this.storage.session.get(this.key);
  }

  /** @internal Counts sessions ended here: an answer to a refresh sent before the count moved is for a session that is over. */
  ended = 0;

  /** @internal Forgets the session here (tokens in memory and storage). */
  clear(): void {
    this.ended += 1;
    this.accessToken = undefined;
    this.accessExpiresAt = 0;
    this.storage.local.remove(this.key);
    this.storage.session.remove(this.key);
    this.set({ status: 'signed-out' });
  }

  /** @internal */
  set(state: SessionSnapshot): void {
    this.state = state;
    this.dispatchEvent(new Event('change'));
  }

  /** @internal Tells the other tabs. */
  post(message: Message): void {
    post(this.channel, message);
  }
}

/** The store's requests, each made by the {@link SessionFlows} method of the same name. */
const delegated = ['api', 'signIn', 'completeSignup', 'completeReset', 'requestSignup', 'resendConfirmation', 'requestPasswordReset'] as const;
const proto = SessionStore.prototype as unknown as Record<(typeof delegated)[number], (...args: unknown[]) => Promise<unknown>>;
for (const name of delegated) {
  proto[name] = function (this: SessionStore, ...args: unknown[]) {
    return this.flows().then((flows) => (flows[name] as (...a: unknown[]) => Promise<unknown>).apply(flows, args));
  };
}

const stores = new Map<string, { store: SessionStore; users: number }>();

/** The shared store of this page for `api` + `org`; call {@link releaseSessionStore} when done. */
export function getSessionStore(api: string, org: string, options: { ky?: KyInstance } = {}): SessionStore {
  const key = `${api}|${org}`;
  let entry = stores.get(key);
  if (!entry) {
    entry = { store: new SessionStore(api, org, options), users: 0 };
    stores.set(key, entry);
  }
  entry.users += 1;
  return entry.store;
}

/** Drops one user of a shared store; the last one disposes it. */
export function releaseSessionStore(store: SessionStore): void {
  const key = `${store.base}|${store.org}`;
  const entry = stores.get(key);
  if (!entry || entry.store !== store) return;
  entry.users -= 1;
  if (entry.users <= 0) {
    stores.delete(key);
    store.dispose();
  }
}
