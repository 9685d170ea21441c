/**
 * What the form elements do once someone submits (issue 15): validate with a contract schema, run a
 * request (busy state, errors mapped to messages, retry, rate-limit countdown) and put the focus where
 * it helps afterwards (STYLE §6.31). Loaded with the API client, which waits for it (`withApi`), so the
 * first load carries only the forms: `PortalFormElement`'s methods of the same names delegate to these
 * (each called with the element as `this`).
 */
import type { FieldErrorCode } from '../api/contract.js';
import { PortalApiError } from '../api/errors.js';
import { loadApi, type ApiModule } from '../api/load.js';
import { addFormStyles } from '../styles/document.js';
import { token } from '../styles/tokens.js';
import type { ZodIssueLike } from './portal-form-element.js';

/**
 * The light-DOM rules of what only shows after a request or a validation (styles/document.ts has the
 * rest): the alert box, invalid fields and their messages, the status box. The empty alert and status
 * stay hidden after the box rules, as in the first load's rules.
 */
const FORM_MESSAGE_RULES = /* css */ `
.portal-form input[aria-invalid=true] { border-color: ${token('color-danger')}; }
.portal-field-error { font-size: 0.875em; color: ${token('color-danger')}; }
.portal-alert { padding: 0.625rem 0.75rem; border-radius: ${token('radius-m')}; background: ${token('color-danger-surface')}; color: ${token('color-danger-text')}; display: grid; gap: 0.5rem; }
.portal-status { padding: 0.625rem 0.75rem; border-radius: ${token('radius-m')}; background: ${token('color-success-surface')}; color: ${token('color-success-text')}; }
.portal-alert:empty, .portal-status:empty, .portal-alert:not(:has(*)) { display: none; }
`;
addFormStyles(FORM_MESSAGE_RULES);

/** The form element's members these functions work with (internal to the package). */
interface FormInternals extends HTMLElement {
  error?: PortalApiError;
  fieldErrors: Record<string, FieldErrorCode>;
  busy: boolean;
  retryUntil: number;
  now: number;
  timer?: ReturnType<typeof setInterval>;
  retryAction?: () => Promise<void>;
  readonly updateComplete: Promise<boolean>;
  checkConfig(fresh?: boolean): void;
  /** True while the element still shows a countdown of its own (the resend cooldown). */
  counting?(): boolean;
}

export async function validate<T>(
  this: FormInternals,
  pick: (api: ApiModule) => {
    safeParse(d: unknown): { success: true; data: T } | { success: false; error: { issues: ZodIssueLike[] } };
  },
  data: unknown,
  extra: Record<string, FieldErrorCode> = {},
): Promise<T | undefined> {
  let api: ApiModule;
  try {
    api = await loadApi();
  } catch (cause) {
    // The client could not download (offline since the page loaded): the first load's English says so.
    this.error = new PortalApiError('network_error', 0, undefined, undefined, cause);
    return undefined;
  }
  const result = pick(api).safeParse(data);
  const codes: readonly string[] = api.FIELD_ERROR_CODES;
  const fields: Record<string, FieldErrorCode> = { ...extra };
  if (!result.success) {
    for (const issue of result.error.issues) {
      const key = String(issue.path[0] ?? '');
      if (key && !fields[key]) fields[key] = codes.includes(issue.message) ? (issue.message as FieldErrorCode) : 'invalid';
    }
  }
  if (Object.keys(fields).length > 0) {
    this.error = undefined;
    this.fieldErrors = fields;
    void focusFirstInvalid(this, true);
    return undefined;
  }
  return result.success ? result.data : undefined;
}

export async function run(this: FormInternals, action: () => Promise<void>): Promise<boolean> {
  if (this.busy || this.retryUntil > Date.now()) return false;
  // The submit button is disabled while busy, which drops its focus: remember to put it back.
  const hadFocus = hasFocus(this);
  this.busy = true;
  this.error = undefined;
  this.fieldErrors = {};
  try {
    await action();
    this.retryAction = undefined;
    return true;
  } catch (cause) {
    const error = cause instanceof PortalApiError ? cause : new PortalApiError('server_error');
    this.error = error;
    this.fieldErrors = { ...(error.fields ?? {}) };
    this.retryAction = error.code === 'network_error' || error.code === 'timeout' || error.code === 'server_error' ? action : undefined;
    if (error.code === 'rate_limited') {
      // A countdown to the end of the wait, once a second.
      this.retryUntil = Date.now() + (error.retryAfter ?? 30) * 1000;
      this.now = Date.now();
      startTimer.call(this);
    }
    // No answer, or the portal is gone: a configuration problem shows as one, not as "check your connection".
    if (error.code === 'network_error' || error.code === 'not_found' || error.code === 'origin_not_allowed') this.checkConfig(true);
    void focusFirstInvalid(this, hadFocus);
    return false;
  } finally {
    this.busy = false;
  }
}

/** Ticks `now` once a second (idempotent) until nothing is left to count down. */
export function startTimer(this: FormInternals): void {
  this.timer ??= setInterval(() => {
    this.now = Date.now();
    if (this.now < this.retryUntil) return;
    // The wait is over: the rate-limit message has done its job.
    if (this.error?.code === 'rate_limited') this.error = undefined;
    if (!this.counting?.()) {
      clearInterval(this.timer);
      this.timer = undefined;
    }
  }, 1000);
}

/**
 * Focuses the first invalid field (STYLE §6.31). With none, when the focus was in this element and
 * is now lost (its control was disabled or removed) or still on the submit button, focuses where the
 * error sends it: the password after a wrong email or password (to type it again), else the alert's
 * retry button, else the alert. Focus never drops to `<body>`.
 */
async function focusFirstInvalid(el: FormInternals, hadFocus: boolean): Promise<void> {
  await el.updateComplete;
  const invalid = el.querySelector<HTMLElement>('[aria-invalid="true"]');
  if (invalid) {
    invalid.focus();
    return;
  }
  if (!hadFocus) return;
  // Still on the submit button (the request failed before it was disabled): the error is the news.
  const onSubmit = hasFocus(el) && document.activeElement?.matches('button[type=submit]');
  if (!onSubmit && !focusLost()) return;
  const target =
    (el.error?.code === 'invalid_credentials' ? el.querySelector<HTMLElement>('input[name=password]') : null) ??
    el.querySelector<HTMLElement>('.portal-alert button') ??
    el.querySelector<HTMLElement>('.portal-alert');
  target?.focus();
}

/** Focuses `target` (after rendering) when the focus was in this element or has dropped to `<body>`. */
export async function moveFocus(this: FormInternals, target: () => HTMLElement | null | undefined): Promise<void> {
  await this.updateComplete;
  if (hasFocus(this) || focusLost()) target()?.focus();
}

/** True when the focused element is in this element (its light DOM or shadow root). */
function hasFocus(el: HTMLElement): boolean {
  const active = document.activeElement;
  return Boolean(active && (active === el || el.contains(active)));
}

/**
 * True when nothing useful has focus: `<body>`, nothing, a control no longer in the page, or a
 * disabled one (browsers move focus off it only at the next frame).
 */
function focusLost(): boolean {
  const active = document.activeElement;
  return !active || active === document.body || active === document.documentElement || !active.isConnected || active.matches(':disabled');
}
