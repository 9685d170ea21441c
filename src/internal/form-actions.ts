/**
 * What the form elements do once someone submits (issue 15): validate with a contract schema, run a
 * request (busy state, errors mapped to messages, retry, rate-limit countdown) and put the focus where
 * it helps afterwards (STYLE §6.31). Loaded with the API client, which waits for it (`withApi`), so the
 * first load carries only the forms; `PortalFormElement`'s methods of the same names call these.
 */
import type { FieldErrorCode } from '../api/contract.js';
import { PortalApiError } from '../api/errors.js';
import { loadApi, type ApiModule } from '../api/load.js';
import { addFormStyles } from '../styles/document.js';
import { token } from '../styles/tokens.js';

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

interface ZodIssueLike {
  path: PropertyKey[];
  message: string;
}

/** The form element's members these functions work with (internal to the package). */
export interface FormInternals extends HTMLElement {
  error?: PortalApiError;
  fieldErrors: Record<string, FieldErrorCode>;
  busy: boolean;
  retryUntil: number;
  retryAction?: () => Promise<void>;
  readonly updateComplete: Promise<boolean>;
  startCountdown(ms: number): void;
  checkConfig(fresh?: boolean): void;
  focusFirstInvalid(hadFocus?: boolean): Promise<void>;
  errorFocusTarget(): HTMLElement | null;
}

export async function validate<T>(
  el: FormInternals,
  pick: (api: ApiModule) => {
    safeParse(d: unknown): { success: true; data: T } | { success: false; error: { issues: ZodIssueLike[] } };
  },
  data: unknown,
  extra: Record<string, FieldErrorCode>,
): Promise<T | undefined> {
  const api = await loadApi();
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
    el.error = undefined;
    el.fieldErrors = fields;
    void el.focusFirstInvalid();
    return undefined;
  }
  return result.success ? result.data : undefined;
}

export async function run(el: FormInternals, action: () => Promise<void>): Promise<boolean> {
  if (el.busy || el.retryUntil > Date.now()) return false;
  // The submit button is disabled while busy, which drops its focus: remember to put it back.
  const hadFocus = hasFocus(el);
  el.busy = true;
  el.error = undefined;
  el.fieldErrors = {};
  try {
    await action();
    el.retryAction = undefined;
    return true;
  } catch (cause) {
    const error = cause instanceof PortalApiError ? cause : new PortalApiError('server_error');
    el.error = error;
    el.fieldErrors = { ...(error.fields ?? {}) };
    el.retryAction = error.code === 'network_error' || error.code === 'timeout' || error.code === 'server_error' ? action : undefined;
    if (error.code === 'rate_limited') el.startCountdown((error.retryAfter ?? 30) * 1000);
    // No answer, or the portal is gone: a configuration problem shows as one, not as "check your connection".
    if (error.code === 'network_error' || error.code === 'not_found' || error.code === 'origin_not_allowed') el.checkConfig(true);
    void el.focusFirstInvalid(hadFocus);
    return false;
  } finally {
    el.busy = false;
  }
}

/**
 * Focuses the first invalid field (STYLE §6.31). With none, when the focus was in this element and
 * is now lost (its control was disabled or removed) or still on the submit button, focuses
 * `errorFocusTarget()`: focus never drops to `<body>`.
 */
export async function focusFirstInvalid(el: FormInternals, hadFocus: boolean): Promise<void> {
  await el.updateComplete;
  const invalid = el.querySelector<HTMLElement>('[aria-invalid="true"]');
  if (invalid) {
    invalid.focus();
    return;
  }
  if (!hadFocus) return;
  // Still on the submit button (the request failed before it was disabled): the error is the news.
  const onSubmit = hasFocus(el) && document.activeElement?.matches('button[type=submit]');
  if (onSubmit || focusLost()) el.errorFocusTarget()?.focus();
}

/** Focuses `target` (after rendering) when the focus was in this element or has dropped to `<body>`. */
export async function moveFocus(el: FormInternals, target: () => HTMLElement | null | undefined): Promise<void> {
  await el.updateComplete;
  if (hasFocus(el) || focusLost()) target()?.focus();
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
