/**
 * The portal API client (DESIGN §2, STYLE §8.37): one ky instance per API base, every response parsed
 * with the contract schema, every failure turned into a typed {@link PortalApiError}. No DOM here.
 */
import ky, { HTTPError, TimeoutError, type KyInstance } from 'ky';
import {
  Accepted,
  AuthResult,
  ErrorBody,
  PortalInfo,
  Profile,
  TokenExchange,
  type ErrorCode,
  type ProfilePatch,
  type SignupRequest,
  type ResendRequest,
  type PasswordResetRequest,
  type SignInRequest,
  type CompleteRequest,
} from './contract.js';
import { PortalApiError } from './errors.js';
import { clientPaths as paths } from './routes.js';

export { PortalApiError, type ClientErrorCode } from './errors.js';
/** The request schemas the forms validate with, loaded together with the client. */
export { CompleteRequest, FIELD_ERROR_CODES, PasswordResetRequest, SignInRequest, SignupRequest } from './contract.js';

/** Anything with a zod-mini style `safeParse`. */
interface Schema<T> {
  safeParse(data: unknown): { success: true; data: T } | { success: false };
}

export interface PortalApiOptions {
  /** Base URL of the API, e.g. `https://api.example.org/`. */
  api: string;
  /** Organization slug. */
  org: string;
  /** Returns a valid access token (refreshing first if needed), or undefined when signed out. */
  accessToken?: () => Promise<string | undefined>;
  /** Called once when an authenticated call answers 401; resolves true when a new token is ready. */
  refresh?: () => Promise<boolean>;
  /** A ky instance to use instead of the default one (tests and stories inject failures this way). */
  ky?: KyInstance;
}

/** Creates the ky instance every client uses: API prefix, 10 s timeout, retries for GET only. */
export function createKy(api: string): KyInstance {
  return ky.create({
    prefixUrl: api,
    timeout: 10_000,
    retry: { limit: 2, methods: ['get'], statusCodes: [408, 502, 503, 504] },
    credentials: 'omit',
  });
}

function parseRetryAfter(value: string | null): number | undefined {
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, Math.ceil(seconds));
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, Math.ceil((date - Date.now()) / 1000));
}

/** Turns anything thrown by ky into a {@link PortalApiError}. */
export async function toPortalApiError(error: unknown): Promise<PortalApiError> {
  if (error instanceof PortalApiError) return error;
  if (error instanceof TimeoutError) return new PortalApiError('timeout');
  if (error instanceof HTTPError) {
    const { response } = error;
    let body: unknown;
    try {
      body = await response.clone().json();
    } catch {
      body = undefined;
    }
    const parsed = ErrorBody.safeParse(body);
    const retryAfter = parseRetryAfter(response.headers.get('Retry-After'));
    if (parsed.success) {
      const { code, fields } = parsed.data.error;
      return new PortalApiError(code, response.status, fields, retryAfter);
    }
    const code: ErrorCode =
      response.status === 401
        ? 'unauthorized'
        : response.status === 404
          ? 'not_found'
          : response.status === 429
            ? 'rate_limited'
            : response.status === 413
              ? 'payload_too_large'
              : 'server_error';
    return new PortalApiError(code, response.status, undefined, retryAfter);
  }
  if (error instanceof DOMException && error.name === 'AbortError') return new PortalApiError('network_error');
  return new PortalApiError('network_error');
}

/** Typed calls to the portal API of one organization. */
export class PortalApi {
  readonly org: string;
  private readonly http: KyInstance;
  private readonly options: PortalApiOptions;

  constructor(options: PortalApiOptions) {
    this.options = options;
    this.org = options.org;
    this.http = options.ky ?? createKy(options.api);
  }

  /** Portal name, URL, tier, sign-up kinds and branding. */
  portal(): Promise<PortalInfo> {
    return this.call(PortalInfo, 'get', paths.portal(this.org));
  }

  /** Starts a sign-up; always answers `accepted`. */
  signup(body: SignupRequest): Promise<Accepted> {
    return this.call(Accepted, 'post', paths.signup(this.org), body);
  }

  /** Sends the confirmation email again; always answers `accepted`. */
  resend(body: ResendRequest): Promise<Accepted> {
    return this.call(Accepted, 'post', paths.signupResend(this.org), body);
  }

  /** Confirms a sign-up with its emailed token and sets the password. */
  completeSignup(body: CompleteRequest): Promise<AuthResult> {
    return this.call(AuthResult, 'post', paths.signupComplete(this.org), body);
  }

  /** Trades the token of an emailed link for a short-lived completion token and the masked email. */
  exchangeToken(token: string): Promise<TokenExchange> {
    return this.call(TokenExchange, 'post', paths.tokenExchange(this.org), { token });
  }

  /** Email + password sign-in. */
  signIn(body: SignInRequest): Promise<AuthResult> {
    return this.call(AuthResult, 'post', paths.sessions(this.org), body);
  }

  /** Rotates a refresh token into a new session (and the current profile). */
  refresh(refreshToken: string): Promise<AuthResult> {
    return this.call(AuthResult, 'post', paths.sessionsRefresh(this.org), { refreshToken });
  }

  /** Ends the current session on the server. */
  async signOut(): Promise<void> {
    await this.call(null, 'delete', paths.sessionsCurrent(this.org), undefined, true);
  }

  /** The signed-in person's profile. */
  me(): Promise<Profile> {
    return this.call(Profile, 'get', paths.me(this.org), undefined, true);
  }

  /** Updates the signed-in person's own fields. */
  updateMe(body: ProfilePatch): Promise<Profile> {
    return this.call(Profile, 'patch', paths.me(this.org), body, true);
  }

  /** Sends a password reset link; always answers `accepted`. */
  requestPasswordReset(body: PasswordResetRequest): Promise<Accepted> {
    return this.call(Accepted, 'post', paths.passwordReset(this.org), body);
  }

  /** Sets a new password with an emailed reset token. */
  completeReset(body: CompleteRequest): Promise<AuthResult> {
    return this.call(AuthResult, 'post', paths.passwordResetComplete(this.org), body);
  }

  private async call<T>(
    schema: Schema<T> | null,
    method: 'get' | 'post' | 'patch' | 'delete',
    path: string,
    body?: unknown,
    authed = false,
    retried = false,
  ): Promise<T> {
    let data: unknown;
    try {
      const headers: Record<string, string> = {};
      if (authed) {
        const token = await this.options.accessToken?.();
        if (!token) throw new PortalApiError('unauthorized', 401);
        headers.authorization = `Bearer ${token}`;
      }
      const response = await this.http(path, { method, headers, ...(body === undefined ? {} : { json: body }) });
      data = response.status === 204 || !schema ? undefined : await response.json();
    } catch (error) {
      const failure = await toPortalApiError(error);
      if (authed && !retried && failure.status === 401 && this.options.refresh && (await this.options.refresh())) {
        return this.call(schema, method, path, body, authed, true);
      }
      throw failure;
    }
    if (!schema) return undefined as T;
    const parsed = schema.safeParse(data);
    if (!parsed.success) throw new PortalApiError('server_error', 200);
    return parsed.data;
  }
}
