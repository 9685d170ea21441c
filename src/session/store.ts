/**
 * The session of one page for one API + organization (DESIGN §4). Access token in memory only; the
 * refresh token in sessionStorage (or localStorage with "keep me signed in"); refresh on load or on
 * use, never on a timer; Web Locks so tabs take turns with one refresh token; BroadcastChannel so a
 * sign-out in one tab signs out the others. Dispatches `change` after every snapshot change.
 */
import type { KyInstance } from 'ky';
import type { PortalApi } from '../api/client.js';
import type { AuthResult, ConstituentKind, Locale, MatchOutcome, TokenFlow } from '../api/contract.js';
import { PortalApiError, type ClientErrorCode } from '../api/errors.js';
import { loadApi } from '../api/load.js';
import { openChannel, pageStorage, post, withWebLock, type PageStorage } from './storage.js';
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

/** The session store; get the shared one with {@link getSessionStore}. */
export class SessionStore extends EventTarget implements SessionStoreLike {
  private client?: Promise<PortalApi>;
  private readonly ky?: KyInstance;
  private state: SessionSnapshot = { status: 'unknown' };
  private accessToken?: string;
  private accessExpiresAt = 0;
  private pending?: PendingToken;
  private readonly key: string;
  private readonly channel?: BroadcastChannel;
  /** localStorage / sessionStorage, or memory where the browser refuses them (storage.ts). */
  private readonly storage: PageStorage;
  private refreshing?: Promise<boolean>;
  private restoring?: Promise<void>;
  private exchanging?: Promise<void>;
  /** An emailed token whose exchange failed on the network (never stored): "Try again" uses it. */
  private unexchanged?: FragmentToken;
  private restoreRetry?: ReturnType<typeof setTimeout>;

  constructor(
    readonly base: string,
    readonly org: string,
    options: { ky?: KyInstance } = {},
  ) {
    super();
    this.key = `portal-widgets:${base}|${org}`;
    this.ky = options.ky;
    this.storage = pageStorage();
    const fragment = takeFragmentToken();
    if (fragment) void this.exchange(fragment);
    else this.pending = this.storedCompletion();
    this.channel = openChannel<Message>(this.key, (message) => this.handleMessage(message));
    if (typeof window !== 'undefined') {
      window.addEventListener('hashchange', this.handleHashChange);
    }
  }

  /** The API client of this store (loaded on first call). */
  api(): Promise<PortalApi> {
    this.client ??= loadApi().then(
      ({ PortalApi }) =>
        new PortalApi({
          api: this.base,
          org: this.org,
          ky: this.ky,
          accessToken: () => this.getAccessToken(),
          refresh: () => this.refresh(true),
        }),
      (error: unknown) => {
        this.client = undefined;
        throw new PortalApiError('network_error', 0, undefined, undefined, error);
      },
    );
    return this.client;
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

  /** Restores the session on load from a stored refresh token (one request gives the profile). */
  restore(): Promise<void> {
    this.restoring ??= this.refresh(false).then(
      () => undefined,
      () => undefined,
    );
    return this.restoring;
  }

  /** Signs in with email and password. */
  async signIn(email: string, password: string, remember = false): Promise<void> {
    this.accept(await (await this.api()).signIn({ email, password, remember }));
    this.post({ type: 'signed-in' });
  }

  /**
   * Confirms a sign-up with its (completion) token, sets the password, signs in; resolves to the match
   * outcome and the registered page to go back to, if any.
   */
  async completeSignup(token: string, password: string): Promise<{ outcome?: MatchOutcome; returnTo?: string }> {
    const result = await this.completing(() => this.api().then((api) => api.completeSignup({ token, password })));
    return { outcome: result.outcome, returnTo: result.returnTo };
  }

  /** Sets a new password with a reset (completion) token, then signs in. */
  async completeReset(token: string, password: string): Promise<{ returnTo?: string }> {
    const result = await this.completing(() => this.api().then((api) => api.completeReset({ token, password })));
    return { returnTo: result.returnTo };
  }

  private async completing(call: () => Promise<AuthResult>): Promise<AuthResult> {
    let result: AuthResult;
    try {
      result = await call();
    } catch (error) {
      if (error instanceof PortalApiError && error.code === 'token_invalid') this.storage.session.remove(`${this.key}:completion`);
      throw error;
    }
    this.storage.session.remove(`${this.key}:completion`);
    this.forgetEmail();
    this.accept(result);
    this.post({ type: 'signed-in' });
    return result;
  }

  /**
   * Trades the emailed token for a completion token at once. The completion token lives in memory
   * and, so that a reload of this tab keeps it, in sessionStorage until it is used or expires (15 min).
   */
  private exchange(raw: FragmentToken): Promise<void> {
    const run = (async () => {
      try {
        const x = await (await this.api()).exchangeToken(raw.token);
        this.pending = { token: x.completionToken, flow: x.flow, email: x.email };
        this.storage.session.set(`${this.key}:completion`, JSON.stringify({ ...this.pending, expiresAt: x.expiresAt }));
      } catch (error) {
        const failure: ClientErrorCode = error instanceof PortalApiError ? error.code : 'server_error';
        this.pending = { token: '', flow: raw.flow, email: '', failure };
        if (failure !== 'token_invalid' && failure !== 'invalid_input') this.unexchanged = raw;
      } finally {
        this.exchanging = undefined;
        this.dispatchEvent(new Event('change'));
      }
    })();
    this.exchanging = run;
    return run;
  }

  private storedCompletion(): PendingToken | undefined {
    const raw = this.storage.session.get(`${this.key}:completion`);
    if (!raw) return undefined;
    try {
      const v = JSON.parse(raw) as { token?: unknown; flow?: unknown; email?: unknown; expiresAt?: unknown };
      if (
        typeof v.token === 'string' &&
        (v.flow === 'signup' || v.flow === 'reset') &&
        typeof v.email === 'string' &&
        Date.parse(String(v.expiresAt)) > Date.now()
      ) {
        return { token: v.token, flow: v.flow, email: v.email };
      }
    } catch {
      // not ours
    }
    this.storage.session.remove(`${this.key}:completion`);
    return undefined;
  }

  /** Starts a sign-up; the emailed link returns to this page. */
  async requestSignup(input: SignupInput): Promise<void> {
    this.rememberEmail(input.email);
    await (await this.api()).signup({ ...input, ...returnTo() });
  }

  /** Sends the confirmation email again. */
  async resendConfirmation(email: string, locale?: Locale): Promise<void> {
    await (await this.api()).resend({ email, locale, ...returnTo() });
  }

  /** Sends a password reset link that returns to this page. */
  async requestPasswordReset(email: string, locale?: Locale): Promise<void> {
    this.rememberEmail(email);
    await (await this.api()).requestPasswordReset({ email, locale, ...returnTo() });
  }

  /** Ends the session here, on the server and in every other tab. */
  async signOut(): Promise<void> {
    if (this.accessToken || this.state.status === 'signed-in') {
      try {
        await (await this.api()).signOut();
      } catch {
        // Local sign-out still happens; the server session expires by itself.
      }
    }
    this.clear();
    this.post({ type: 'signed-out' });
  }

  /** Stops listening to other tabs and the address bar. */
  dispose(): void {
    this.channel?.close();
    if (this.restoreRetry) clearTimeout(this.restoreRetry);
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

  private async getAccessToken(): Promise<string | undefined> {
    if (this.accessToken && Date.now() < this.accessExpiresAt - 15_000) return this.accessToken;
    return (await this.refresh(true)) ? this.accessToken : undefined;
  }

  /** One refresh at a time per tab, and per browser through Web Locks. */
  private refresh(onUse: boolean): Promise<boolean> {
    this.refreshing ??= this.withLock(() => this.refreshLocked(onUse)).finally(() => {
      this.refreshing = undefined;
    });
    return this.refreshing;
  }

  private withLock<T>(task: () => Promise<T>): Promise<T> {
    return withWebLock(`${this.key}:refresh`, task);
  }

  private async refreshLocked(onUse: boolean): Promise<boolean> {
    // Read inside the lock: another tab may have just rotated the shared token.
    const stored = this.storage.local.get(this.key) ?? this.storage.session.get(this.key);
    if (!stored) {
      if (!onUse || this.state.status !== 'signed-out') this.set({ status: 'signed-out' });
      return false;
    }
    try {
      this.accept(await (await this.api()).refresh(stored));
      return true;
    } catch (error) {
      if (error instanceof PortalApiError && (error.status === 401 || error.code === 'token_invalid' || error.code === 'invalid_input')) {
        this.clear();
      } else if (error instanceof PortalApiError && error.code === 'rate_limited') {
        // The server is busy, not saying the session ended: nobody is signed out. On load, stay
        // "loading" and try again when it says (at most a minute); on use, the call just fails.
        if (this.state.status === 'unknown' && !this.restoreRetry) {
          const wait = Math.min(60, Math.max(1, error.retryAfter ?? 5)) * 1000;
          this.restoreRetry = setTimeout(() => {
            this.restoreRetry = undefined;
            void this.refresh(false);
          }, wait);
        }
      } else if (this.state.status === 'unknown') {
        // Offline on load: we cannot tell; show signed out but keep the token for the next try.
        this.set({ status: 'signed-out' });
      }
      return false;
    }
  }

  private accept(result: AuthResult): void {
    const { session, profile, outcome } = result;
    this.accessToken = session.accessToken;
    this.accessExpiresAt = Date.parse(session.accessTokenExpiresAt) || Date.now() + 60_000;
    const { local, session: tab } = this.storage;
    (session.remember ? tab : local).remove(this.key);
    (session.remember ? local : tab).set(this.key, session.refreshToken);
    this.set({ status: 'signed-in', profile, outcome: outcome ?? (this.state.status === 'signed-in' ? this.state.outcome : undefined) });
  }

  private clear(): void {
    this.accessToken = undefined;
    this.accessExpiresAt = 0;
    this.storage.local.remove(this.key);
    this.storage.session.remove(this.key);
    this.set({ status: 'signed-out' });
  }

  private set(state: SessionSnapshot): void {
    this.state = state;
    this.dispatchEvent(new Event('change'));
  }

  private post(message: Message): void {
    post(this.channel, message);
  }

  private rememberEmail(email: string): void {
    this.storage.local.set(`${this.key}:email`, email.trim());
  }

  private forgetEmail(): void {
    this.storage.local.remove(`${this.key}:email`);
  }
}

function returnTo(): { returnTo?: string } {
  if (typeof location === 'undefined' || !/^https?:$/.test(location.protocol)) return {};
  return { returnTo: `${location.origin}${location.pathname}${location.search}` };
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
