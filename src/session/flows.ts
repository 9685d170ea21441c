/**
 * The session store's network half (DESIGN §4), loaded with the API client the first time the store
 * needs the server: a stored session to restore, someone starting to sign in, an emailed token. The
 * first load carries only `store.ts`, which settles "signed out" at construction when nothing is
 * stored, so a signed-out page paints its sign-in form in the first frame and takes no Web Lock.
 * Here: the API client of the store, refresh under a Web Lock (tabs take turns with one refresh
 * token), sign-in and the emailed-link flows, and what a successful answer stores.
 */
import type { PortalApi } from '../api/client.js';
import type { AuthResult, Locale, MatchOutcome } from '../api/contract.js';
import { PortalApiError, type ClientErrorCode } from '../api/errors.js';
import { loadApi } from '../api/load.js';
import { withWebLock } from './lock.js';
import type { FragmentToken, PendingToken, SessionStore, SignupInput } from './store.js';

/** The store's state this module works on (fields of {@link SessionStore}, internal to the package). */
type Store = SessionStore;

/** One per store: created by `store.flows()` once this module has loaded. */
export class SessionFlows {
  private client?: Promise<PortalApi>;
  private refreshing?: Promise<boolean>;
  private restoreRetry?: ReturnType<typeof setTimeout>;

  constructor(private readonly store: Store) {}

  /** The API client of the store (loaded once). */
  api(): Promise<PortalApi> {
    const s = this.store;
    this.client ??= loadApi().then(
      ({ PortalApi }) =>
        new PortalApi({
          api: s.base,
          org: s.org,
          ky: s.ky,
          accessToken: () => this.accessToken(),
          refresh: () => this.refresh(true),
        }),
      (error: unknown) => {
        this.client = undefined;
        throw new PortalApiError('network_error', 0, undefined, undefined, error);
      },
    );
    return this.client;
  }

  async signIn(email: string, password: string, remember = false): Promise<void> {
    this.accept(await (await this.api()).signIn({ email, password, remember }));
    this.store.post({ type: 'signed-in' });
  }

  /** Confirms a sign-up with its completion token and sets the password, then signs in. */
  async completeSignup(token: string, password: string): Promise<{ outcome?: MatchOutcome; returnTo?: string }> {
    const { outcome, returnTo } = await this.completing((api) => api.completeSignup({ token, password }));
    return { outcome, returnTo };
  }

  /** Sets a new password with a reset completion token, then signs in. */
  async completeReset(token: string, password: string): Promise<{ returnTo?: string }> {
    return { returnTo: (await this.completing((api) => api.completeReset({ token, password }))).returnTo };
  }

  /** Completes an emailed-link flow (sign-up or reset) with its completion token, then signs in. */
  private async completing(call: (api: PortalApi) => Promise<AuthResult>): Promise<AuthResult> {
    const s = this.store;
    const completion = `${s.key}:completion`;
    let result: AuthResult;
    try {
      result = await call(await this.api());
    } catch (error) {
      if (error instanceof PortalApiError && error.code === 'token_invalid') s.storage.session.remove(completion);
      throw error;
    }
    s.storage.session.remove(completion);
    s.storage.local.remove(`${s.key}:email`);
    this.accept(result);
    s.post({ type: 'signed-in' });
    return result;
  }

  /**
   * Trades an emailed token for a completion token (remembered in sessionStorage for a reload), or,
   * without one, takes the completion token a reload of this tab kept, while it is still valid.
   */
  async exchange(raw?: FragmentToken): Promise<void> {
    const s = this.store;
    if (!raw) {
      s.exchanged(this.storedCompletion());
      return;
    }
    try {
      const x = await (await this.api()).exchangeToken(raw.token);
      const pending = { token: x.completionToken, flow: x.flow, email: x.email };
      s.exchanged(pending);
      s.storage.session.set(`${s.key}:completion`, JSON.stringify({ ...pending, expiresAt: x.expiresAt }));
    } catch (error) {
      const failure: ClientErrorCode = error instanceof PortalApiError ? error.code : 'server_error';
      s.exchanged({ token: '', flow: raw.flow, email: '', failure }, failure !== 'token_invalid' && failure !== 'invalid_input' ? raw : undefined);
    }
  }

  private storedCompletion(): PendingToken | undefined {
    const s = this.store;
    const key = `${s.key}:completion`;
    const raw = s.storage.session.get(key);
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
    s.storage.session.remove(key);
    return undefined;
  }

  /** Starts a sign-up; the emailed link returns to this page. */
  async requestSignup(input: SignupInput): Promise<void> {
    this.rememberEmail(input.email);
    await (await this.api()).signup({ ...input, ...returnTo() });
  }

  async resendConfirmation(email: string, locale?: Locale): Promise<void> {
    await (await this.api()).resend({ email, locale, ...returnTo() });
  }

  async requestPasswordReset(email: string, locale?: Locale): Promise<void> {
    this.rememberEmail(email);
    await (await this.api()).requestPasswordReset({ email, locale, ...returnTo() });
  }

  /** Email of the last reset/sign-up request, for password managers on the set-password step. */
  private rememberEmail(email: string): void {
    const s = this.store;
    s.storage.local.set(`${s.key}:email`, email.trim());
  }

  async signOut(): Promise<void> {
    const s = this.store;
    if (s.accessToken || s.snapshot.status === 'signed-in') {
      try {
        await (await this.api()).signOut();
      } catch {
        // Local sign-out still happens; the server session expires by itself.
      }
    }
  }

  dispose(): void {
    if (this.restoreRetry) clearTimeout(this.restoreRetry);
  }

  private async accessToken(): Promise<string | undefined> {
    const s = this.store;
    if (s.accessToken && Date.now() < s.accessExpiresAt - 15_000) return s.accessToken;
    return (await this.refresh(true)) ? s.accessToken : undefined;
  }

  /** One refresh at a time per tab, and per browser through Web Locks. */
  refresh(onUse: boolean): Promise<boolean> {
    this.refreshing ??= withWebLock(`${this.store.key}:refresh`, () => this.refreshLocked(onUse)).finally(() => {
      this.refreshing = undefined;
    });
    return this.refreshing;
  }

  private async refreshLocked(onUse: boolean): Promise<boolean> {
    const s = this.store;
    // Read inside the lock: another tab may have just rotated the shared token.
    const stored = s.storedRefreshToken();
    if (!stored) {
      if (!onUse || s.snapshot.status !== 'signed-out') s.set({ status: 'signed-out' });
      return false;
    }
    const ended = s.ended;
    try {
      const result = await (await this.api()).refresh(stored);
      // Signed out while the refresh was on its way: keep it signed out (the server ended that session too).
      if (s.ended !== ended) return false;
      this.accept(result);
      return true;
    } catch (error) {
      if (error instanceof PortalApiError && (error.status === 401 || error.code === 'token_invalid' || error.code === 'invalid_input')) {
        s.clear();
      } else if (error instanceof PortalApiError && error.code === 'rate_limited') {
        // The server is busy, not saying the session ended: nobody is signed out. On load, stay
        // "loading" and try again when it says (at most a minute); on use, the call just fails.
        if (s.snapshot.status === 'unknown' && !this.restoreRetry) {
          const wait = Math.min(60, Math.max(1, error.retryAfter ?? 5)) * 1000;
          this.restoreRetry = setTimeout(() => {
            this.restoreRetry = undefined;
            void this.refresh(false);
          }, wait);
        }
      } else if (s.snapshot.status === 'unknown') {
        // Offline on load: we cannot tell; show signed out but keep the token for the next try.
        s.set({ status: 'signed-out' });
      }
      return false;
    }
  }

  private accept(result: AuthResult): void {
    const s = this.store;
    const { session, profile, outcome } = result;
    s.accessToken = session.accessToken;
    s.accessExpiresAt = Date.parse(session.accessTokenExpiresAt) || Date.now() + 60_000;
    const { local, session: tab } = s.storage;
    (session.remember ? tab : local).remove(s.key);
    (session.remember ? local : tab).set(s.key, session.refreshToken);
    const previous = s.snapshot;
    s.set({ status: 'signed-in', profile, outcome: outcome ?? (previous.status === 'signed-in' ? previous.outcome : undefined) });
  }
}

function returnTo(): { returnTo?: string } {
  if (typeof location === 'undefined' || !/^https?:$/.test(location.protocol)) return {};
  return { returnTo: `${location.origin}${location.pathname}${location.search}` };
}
