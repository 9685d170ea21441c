/**
 * Shared machinery of the form elements (login, sign-up, set-password): the portal config (from
 * `<portal-provider>` or the element's own `api` / `org`), the session store, localized text, a
 * light-DOM form rendered with Lit and slotted into the shadow root (STYLE §5.23), error handling
 * (live region, per-field messages, focus on the first invalid field, rate-limit countdown, retry).
 * What only a submit needs (validating, running a request, the countdown, focus after an error) is in
 * `form-actions.ts`, loaded with the API client: the methods of those names are one generic delegate
 * to it (below the class). "Check your inbox" and resending the email live in `inbox-element.ts`,
 * loaded with the steps that show them.
 */
import { html, nothing, render, type PropertyDeclarations, type PropertyValues, type TemplateResult } from 'lit';
import type { FieldErrorCode, Locale } from '../api/contract.js';
import { PortalApiError } from '../api/errors.js';
import { loadApi, withApi, type ApiModule } from '../api/load.js';
import { consumeConfig, type PortalConfig } from '../session/context.js';
import { getSessionStore, releaseSessionStore, SessionStore } from '../session/store.js';
import { adoptFormStyles } from '../styles/document.js';
import { LocalizeController } from './localize.js';
import type { ConfigProblemCode } from './config-check.js';
import { PortalElement } from './portal-element.js';

let uid = 0;

/** The configuration check: loaded after the first paint, so the first load stays small (DESIGN §8). */
const loadConfigCheck = () => import('./config-check.js');

/** Validation, requests, focus after errors (form-actions.ts): loaded with the API client, which waits for them. */
let actions: Promise<typeof import('./form-actions.js')> | undefined;
const loadActions = () =>
  (actions ??= import('./form-actions.js').catch((error: unknown) => {
    actions = undefined;
    throw error;
  }));
withApi(loadActions);

/** Options of one generated text field. */
export interface FieldOptions {
  name: string;
  label: string;
  type?: 'text' | 'email' | 'password';
  /** An autofill token (`username`, `current-password`, `given-name` …): checked by the compiler. */
  autocomplete: AutoFill;
  value?: string;
  hint?: string;
  required?: boolean;
}

/** A zod issue, as far as the forms read one. */
export interface ZodIssueLike {
  path: PropertyKey[];
  message: string;
}

/**
 * @cssstate unavailable - The element cannot work on this page (see `configProblem`); it shows the `unavailable` message.
 * @cssstate submitting - A request is in flight.
 * @cssstate user-invalid - A submitted field is invalid.
 */
export class PortalFormElement extends PortalElement {
  static override get properties(): PropertyDeclarations {
    return {
      config: { state: true, attribute: false },
      error: { state: true, attribute: false },
      fieldErrors: { state: true, attribute: false },
      busy: { state: true, attribute: false },
      retryUntil: { state: true, attribute: false },
      now: { state: true, attribute: false },
      withoutCard: { type: Boolean, reflect: true, attribute: 'without-card' },
      configProblem: { state: true, attribute: false },
      resendCooldown: { type: Number, attribute: 'resend-cooldown' },
    };
  }

  /** Prefix of the ids of this instance's light-DOM controls. */
  protected readonly uid = `portal-${++uid}`;
  protected readonly localize = new LocalizeController(this);
  private internals?: ElementInternals;
  private ownStore?: SessionStore;
  private watched?: EventTarget;
  /** The once-a-second countdown tick (form-actions.ts starts it). */
  protected timer?: ReturnType<typeof setInterval>;
  /** What "Try again" in the alert runs again, after a failure worth retrying. */
  protected retryAction?: () => Promise<void>;

  config?: PortalConfig;

  /** The current error of the form, if any. */
  protected error?: PortalApiError;
  /** Per-field problems, keyed by input name. */
  protected fieldErrors: Record<string, FieldErrorCode> = {};
  /** True while a request is in flight. */
  protected busy = false;
  /** Time (ms) when the rate limit ends. */
  protected retryUntil = 0;
  /** Ticks once a second while a countdown shows. */
  protected now = Date.now();

  /** Draws no card (border, background, padding) around the form, for a page that already frames it. */
  withoutCard = false;
  /**
   * Why this element cannot work on this page (a missing provider, a wrong `org`, an origin the
   * organization does not allow, an API that does not answer), or undefined. Read-only. The reason is
   * written to the console; the visitor sees the `unavailable` message instead of the form.
   */
  configProblem?: ConfigProblemCode;
  /** The api + org the configuration check last ran for. */
  private checkedKey?: string;

  /** Seconds to wait before the confirmation email may be sent again. */
  resendCooldown = 30;

  constructor() {
    super();
    consumeConfig(this);
    try {
      this.internals = this.attachInternals();
    } catch {
      this.internals = undefined;
    }
  }

  override connectedCallback(): void {
    super.connectedCallback();
    adoptFormStyles(this);
    this.addEventListener('focusin', preload, { once: true });
    window.addEventListener('online', this.handleOnline);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    window.removeEventListener('online', this.handleOnline);
    this.checkedKey = undefined;
    this.watch(undefined);
    if (this.ownStore) releaseSessionStore(this.ownStore);
    this.ownStore = undefined;
    this.stopTimer();
  }

  /** The session store: the provider's, or one of this element's own. */
  get session(): SessionStore | undefined {
    const provided = this.config?.session;
    if (provided instanceof SessionStore) return provided;
    if (!this.ownStore && this.api && this.org && this.isConnected) {
      this.ownStore = getSessionStore(this.api, this.org);
      void this.ownStore.restore();
    }
    return this.ownStore;
  }

  protected override willUpdate(changed: PropertyValues): void {
    super.willUpdate(changed);
    const store = this.session;
    this.watch(store);
    this.checkConfig();
  }

  /**
   * Runs the configuration check for the api + org in use (once per page and setup; `fresh` asks the
   * API again). An element with neither waits for this task to end first: frameworks may set the
   * attributes, and a provider may upgrade, right after it connects.
   */
  protected checkConfig(fresh = false): void {
    if (!this.isConnected) return;
    const api = this.config?.api ?? this.api;
    const org = this.config?.org ?? this.org;
    const key = `${api}|${org}|${this.config ? 'provided' : 'own'}`;
    if (key === this.checkedKey && !fresh) return;
    this.checkedKey = key;
    if (this.config?.checkConfig === false) {
      this.configProblem = undefined;
      return;
    }
    void loadConfigCheck().then(
      (m) => {
        const current = () => this.checkedKey === key;
        m.checkElement(this, api, org, fresh, (code) => current() && (this.configProblem = code), current);
      },
      // The check itself could not load: with neither api nor org, that is still a missing configuration.
      () => {
        if (this.checkedKey === key && (!api || !org)) this.configProblem = 'config_missing';
      },
    );
  }

  private readonly handleOnline = (): void => {
    if (this.configProblem === 'api_unreachable') this.checkConfig(true);
  };

  protected override update(changed: PropertyValues): void {
    super.update(changed);
    render(this.configProblem ? this.renderUnavailable() : this.renderLight(), this, { host: this });
    this.setState('unavailable', this.configProblem !== undefined);
    this.setState('submitting', this.busy);
    this.setState('user-invalid', Object.keys(this.fieldErrors).length > 0);
  }

  protected override render(): TemplateResult {
    return html`<div part="base"><slot></slot></div>`;
  }

  /** What the visitor sees when the element cannot work here (the reason is in the console). */
  protected renderUnavailable(): TemplateResult {
    return html`<div class="portal-form">
      <p class="portal-unavailable" role="status" data-portal-problem=${this.configProblem ?? ''}>${this.localize.term('unavailable')}</p>
    </div>`;
  }

  /** The light-DOM content: a `<form>` and friends. */
  protected renderLight(): TemplateResult | typeof nothing {
    return nothing;
  }

  /** Called when the session snapshot changes. */
  protected sessionChanged(): void {
    this.requestUpdate();
  }

  /** Clears the error and field messages. */
  protected clearErrors(): void {
    this.error = undefined;
    this.fieldErrors = {};
  }

  /** Seconds left in the rate-limit countdown. */
  protected get secondsToRetry(): number {
    return Math.max(0, Math.ceil((this.retryUntil - this.now) / 1000));
  }

  /** The language of the emails this element asks for. */
  protected get locale(): Locale {
    return this.localize.code() as Locale;
  }

  /** Reads the submitted form's values as strings. */
  protected formValues(form: HTMLFormElement): Record<string, string> {
    const values: Record<string, string> = {};
    new FormData(form).forEach((value, key) => {
      if (typeof value === 'string') values[key] = value;
    });
    return values;
  }

  /** Dispatches a public event from the host. */
  protected emit(event: Event): boolean {
    return this.dispatchEvent(event);
  }

  // The methods below are made by form-actions.ts, through the delegate after the class.
  /**
   * Validates with a contract schema (loaded with the API client); shows per-field messages and
   * focuses the first invalid field. Resolves to the parsed data when valid.
   */
  declare protected validate: <T>(
    pick: (api: ApiModule) => {
      safeParse(d: unknown): { success: true; data: T } | { success: false; error: { issues: ZodIssueLike[] } };
    },
    data: unknown,
    extra?: Record<string, FieldErrorCode>,
  ) => Promise<T | undefined>;
  /** Runs a request: busy state, errors mapped to messages, retry and countdown. */
  declare protected run: (action: () => Promise<void>) => Promise<boolean>;
  /** Ticks `now` once a second (idempotent) until nothing is left to count down. */
  declare protected startTimer: () => Promise<void>;
  /** Focuses `target` (after rendering) when the focus was in this element or has dropped to `<body>`. */
  declare protected moveFocus: (target: () => HTMLElement | null | undefined) => Promise<void>;

  /**
   * The live region with the form's error message and, when it helps, a retry button: by default the
   * form's submit button; outside a form, `retryButton`. `tabindex="-1"` always: it is hidden while
   * empty, and focus goes to it only with a message (form-actions.ts).
   */
  protected renderAlert(retryButton?: TemplateResult): TemplateResult {
    const error = this.error;
    const seconds = this.secondsToRetry;
    return html`<div class="portal-alert" role="alert" tabindex="-1" id=${`${this.uid}-alert`}>
      ${
        error
          ? html`<span
                >${this.localize.table('errors', error.code)}${error.code === 'rate_limited' && seconds > 0 ? ` ${this.localize.term('retryIn', seconds)}` : ''}</span
              >${
                this.retryAction
                  ? (retryButton ?? html`<button type="submit" class="portal-link">${this.localize.term('tryAgain')}</button>`)
                  : nothing
              }`
          : nothing
      }
    </div>`;
  }

  /** A visible label, an input with name/id/type/autocomplete, and its message linked for AT. */
  protected renderField(o: FieldOptions): TemplateResult {
    const id = `${this.uid}-${o.name}`;
    const code = this.fieldErrors[o.name];
    const hintId = o.hint ? `${id}-hint` : undefined;
    const errorId = code ? `${id}-error` : undefined;
    const describedBy = [hintId, errorId].filter(Boolean).join(' ') || undefined;
    return html`<div class="portal-field">
      <label for=${id}>${o.label}</label>
      <input
        id=${id}
        name=${o.name}
        type=${o.type ?? 'text'}
        .autocomplete=${o.autocomplete}
        .value=${o.value ?? ''}
        ?required=${o.required !== false}
        aria-invalid=${code ? 'true' : 'false'}
        aria-describedby=${describedBy ?? nothing}
        @input=${() => this.clearField(o.name)}
      />
      ${o.hint ? html`<span class="portal-hint" id=${hintId!}>${o.hint}</span>` : nothing}
      ${code ? html`<span class="portal-field-error" id=${errorId!}>${this.localize.table('fieldErrors', code)}</span>` : nothing}
    </div>`;
  }

  private clearField(name: string): void {
    if (!this.fieldErrors[name]) return;
    const { [name]: _removed, ...rest } = this.fieldErrors;
    this.fieldErrors = rest;
  }

  private watch(store: EventTarget | undefined): void {
    if (store === this.watched) return;
    this.watched?.removeEventListener('change', this.handleChange);
    this.watched = store;
    store?.addEventListener('change', this.handleChange);
    if (store) this.sessionChanged();
  }

  private readonly handleChange = (): void => this.sessionChanged();

  private stopTimer(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  private setState(name: string, on: boolean): void {
    try {
      if (on) this.internals?.states.add(name);
      else this.internals?.states.delete(name);
    } catch {
      // CustomStateSet unsupported.
    }
  }
}

/**
 * The form methods form-actions.ts makes, each a delegate that loads it (with the API client) and calls
 * its function of the same name on the element. Where that module cannot load (offline since the page
 * loaded), the form shows the network error, and a request offers "Try again".
 */
const delegated = ['validate', 'run', 'moveFocus', 'startTimer'] as const;
const proto = PortalFormElement.prototype as unknown as Record<(typeof delegated)[number], (...args: unknown[]) => Promise<unknown>>;
for (const name of delegated) {
  proto[name] = function (this: { error?: PortalApiError; retryAction?: unknown }, ...args: unknown[]) {
    return loadActions().then(
      (m) => (m[name] as (...a: unknown[]) => unknown).apply(this, args),
      (cause: unknown) => {
        this.error = new PortalApiError('network_error', 0, undefined, undefined, cause);
        if (name !== 'run') return undefined;
        this.retryAction = args[0];
        return false;
      },
    );
  };
}

function preload(): void {
  loadApi().catch(() => undefined);
}
