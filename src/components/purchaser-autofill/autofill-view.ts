/**
 * What `<purchaser-autofill>` does once someone is signed in (issue 15): it creates the fill engine's
 * filler, fills as the person (or a company the account manages), draws the "Filling as" chooser and
 * the "Filled from your portal account · Not you?" status, and takes back untouched values on
 * sign-out. Loaded together with the engine (form-filler.ts) and the API client, so the element in the
 * first load is a thin shell: its box, the slot, the session subscription, and the record of what the
 * person typed.
 */
import { adoptStyles, html, nothing, type TemplateResult } from 'lit';
import type { Profile } from '../../api/contract.js';
import type { LocalizeController } from '../../internal/localize.js';
import type { SessionSnapshot, SessionStoreLike } from '../../session/types.js';
import type { FillTargets, FormFiller } from './form-filler.js';
import styles from './purchaser-autofill.styles.js';
import viewStyles from './autofill-view.styles.js';

type Engine = typeof import('./form-filler.js');

/** The element as the view works with it (its own members, internal to the package). */
export interface AutofillHost extends HTMLElement {
  readonly renderRoot: HTMLElement | DocumentFragment;
  readonly htmlFor: string;
  /** Controls the person typed in, collected from connect on (the engine may load later). */
  readonly touched: WeakSet<Element>;
  readonly localize: LocalizeController;
  readonly session?: SessionStoreLike;
  readonly internals?: ElementInternals;
  requestUpdate(): void;
}

/** sessionStorage key of the "Filling as" choice: one per page (path), for this tab. */
const fillingAsKey = () => `portal-autofill-as:${location.pathname}`;

/** The choice remembered for this page, when it still names a company the account manages. */
function readFillingAs(profile: Profile): string {
  let stored: string | null = null;
  try {
    stored = sessionStorage.getItem(fillingAsKey());
  } catch {
    // Storage refused: the choice lasts for the page.
  }
  return stored && profile.companies.some((c) => c.id === stored) ? stored : '';
}

function rememberFillingAs(as: string): void {
  try {
    if (as) sessionStorage.setItem(fillingAsKey(), as);
    else sessionStorage.removeItem(fillingAsKey());
  } catch {
    // Storage refused: the choice lasts for the page.
  }
}

export class AutofillView {
  private filler?: FormFiller;
  private accountId?: string;
  private filledCount = 0;
  /** Whom the form is filled as: `''` for the person, else the id of a company the account manages. */
  private fillingAs = '';
  /** The signed-in profile, while it manages companies (the "Filling as" chooser shows then). */
  private chooserProfile?: Profile;

  constructor(
    private readonly host: AutofillHost,
    private readonly engine: Engine,
  ) {
    if (host.renderRoot instanceof ShadowRoot) adoptStyles(host.renderRoot, [styles, viewStyles]);
  }

  connect(): void {
    this.filler?.connect();
  }

  disconnect(): void {
    this.filler?.disconnect();
  }

  /** The `for` attribute changed: look for the form again. */
  refresh(): void {
    this.filler?.refresh();
  }

  private targets(): FillTargets {
    const el = this.host;
    const root = el.getRootNode() as Document | ShadowRoot;
    if (el.htmlFor) {
      const target = root.getElementById?.(el.htmlFor);
      return { containers: target ? [target] : [], watch: root };
    }
    return { containers: [el], watch: el };
  }

  /** A new snapshot of the session. Returns a warning for the console, if any. */
  sessionChanged(snapshot: SessionSnapshot | undefined): string | undefined {
    const { engine, host: el } = this;
    let warning: string | undefined;
    if (snapshot?.status === 'signed-in' && snapshot.profile) {
      if (!this.filler) {
        this.filler = new engine.FormFiller(
          el,
          () => this.targets(),
          () => this.handleFillChange(),
          el.touched,
        );
        this.filler.connect();
      }
      if (el.htmlFor && !this.filler.hasTargets()) warning = `<purchaser-autofill for="${el.htmlFor}">: no element with that id (yet).`;
      const profile = snapshot.profile;
      if (this.accountId && this.accountId !== profile.accountId) this.filler.stop();
      if (this.accountId !== profile.accountId) this.fillingAs = readFillingAs(profile);
      this.accountId = profile.accountId;
      this.chooserProfile = profile.companies.length > 0 ? profile : undefined;
      this.filler.start(engine.profileValues(profile), this.fillingAs ? engine.profileValues(profile, this.fillingAs) : undefined);
    } else if (this.accountId && snapshot?.status === 'signed-out') {
      // Signed out: take back what is still untouched.
      this.accountId = undefined;
      this.chooserProfile = undefined;
      this.filler?.stop();
    }
    el.requestUpdate();
    return warning;
  }

  private handleFillChange(): void {
    this.filledCount = this.filler?.filledCount ?? 0;
    try {
      this.host.internals?.states[this.filledCount > 0 ? 'add' : 'delete']('filled');
    } catch {
      // Custom states are not supported in this browser; the attribute on the fields still says it.
    }
    this.host.requestUpdate();
  }

  /** The person picked whom to fill as: take back what is untouched, fill again, remember it for this page. */
  private readonly handleFillingAs = (event: Event): void => {
    const as = (event.target as HTMLSelectElement).value;
    const profile = this.chooserProfile;
    if (!profile || !this.filler) return;
    this.fillingAs = as;
    rememberFillingAs(as);
    this.filler.stop();
    this.filler.start(this.engine.profileValues(profile), as ? this.engine.profileValues(profile, as) : undefined);
    this.host.requestUpdate();
  };

  private readonly handleNotYou = async (): Promise<void> => {
    // The button goes away with the fill: keyboard users continue at the form's first cleared field.
    const first = this.filler?.firstFilled();
    await this.host.session?.signOut().catch(() => undefined);
    if (first?.isConnected) first.focus();
  };

  /** The "Filling as" chooser (after the slot). */
  renderChooser(): TemplateResult | typeof nothing {
    const profile = this.chooserProfile;
    if (!profile) return nothing;
    const person = this.person(profile);
    return html`<label part="filling-as"
      >${this.host.localize.term('fillingAs')}
      <select @change=${this.handleFillingAs}>
        <option value="" ?selected=${!this.fillingAs}>${person}</option>
        ${profile.companies.map((c) => html`<option value=${c.id} ?selected=${c.id === this.fillingAs}>${c.companyName}</option>`)}
      </select></label
    >`;
  }

  /** The content of the status line (a polite live region the element always renders). */
  renderStatus(): TemplateResult | typeof nothing {
    if (this.filledCount <= 0) return nothing;
    const profile = this.chooserProfile;
    const as = profile ? (profile.companies.find((c) => c.id === this.fillingAs)?.companyName ?? this.person(profile)) : '';
    return html`<span>${profile ? this.host.localize.term('autofillFilledAs', as) : this.host.localize.term('autofillFilled')}</span>
      <span aria-hidden="true">·</span>
      <button part="not-you" type="button" @click=${this.handleNotYou}>${this.host.localize.term('notYou')}</button>`;
  }

  private person(profile: Profile): string {
    return [profile.constituent.firstName, profile.constituent.lastName].filter(Boolean).join(' ') || profile.email;
  }
}
