/**
 * The public elements' metadata in one place: which events each element fires (a runtime table, so the
 * React wrappers are built from it), the event classes by name, and the properties and attributes a
 * template may set. The React 19 JSX, Vue `GlobalComponents` and `portal-widgets/react` typings are all
 * derived from these tables (src/frameworks/*, src/react/index.ts); a test checks them against
 * custom-elements.json.
 */
import type PortalLogin from './components/login/login.component.js';
import type PortalProvider from './components/provider/provider.component.js';
import type PurchaserAutofill from './components/purchaser-autofill/purchaser-autofill.component.js';
import type PortalQr from './components/qr/qr.component.js';
import type PortalSignup from './components/signup/signup.component.js';
import type { PortalAutofillEvent } from './events/autofill.js';
import type { PortalAutofillRequestEvent } from './events/autofill-request.js';
import type { PortalLoginRequestEvent } from './events/login-request.js';
import type { PortalSignedInEvent } from './events/signed-in.js';
import type { PortalSignedOutEvent } from './events/signed-out.js';
import type { PortalSignupRequestEvent } from './events/signup-request.js';
import type { PortalSignupRequestedEvent } from './events/signup-requested.js';

/** Every public event by name, with its class (and so its `detail` type). */
export interface PortalEventMap {
  'portal-login-request': PortalLoginRequestEvent;
  'portal-signed-in': PortalSignedInEvent;
  'portal-signed-out': PortalSignedOutEvent;
  'portal-signup-request': PortalSignupRequestEvent;
  'portal-signup-requested': PortalSignupRequestedEvent;
  'portal-autofill-request': PortalAutofillRequestEvent;
  'portal-autofill': PortalAutofillEvent;
}

/** The events each public element fires (in the order its docs list them). */
export const ELEMENT_EVENTS = {
  'portal-provider': [],
  'portal-login': ['portal-login-request', 'portal-signed-in', 'portal-signed-out'],
  'portal-signup': ['portal-signup-request', 'portal-signup-requested', 'portal-signed-in'],
  'portal-qr': [],
  'purchaser-autofill': ['portal-autofill-request', 'portal-autofill'],
} as const satisfies Record<string, ReadonlyArray<keyof PortalEventMap>>;

/** Attributes every portal element has (PortalElement). */
interface CommonAttributes {
  api?: string;
  org?: string;
  lang?: string;
  dir?: string;
}

/** Attributes of the form elements (PortalFormElement). */
interface FormAttributes extends CommonAttributes {
  'without-card'?: boolean;
  'resend-cooldown'?: number | string;
}

/** Each public element: its class, the properties a template may set, its attributes. */
export interface PortalElements {
  'portal-provider': { element: PortalProvider; props: 'api' | 'org' | 'lang' | 'dir' | 'translations'; attributes: CommonAttributes };
  'portal-login': { element: PortalLogin; props: 'api' | 'org' | 'lang' | 'dir' | 'withoutCard' | 'resendCooldown'; attributes: FormAttributes };
  'portal-signup': { element: PortalSignup; props: 'api' | 'org' | 'lang' | 'dir' | 'withoutCard' | 'resendCooldown'; attributes: FormAttributes };
  'portal-qr': {
    element: PortalQr;
    props: 'api' | 'org' | 'lang' | 'dir' | 'value' | 'label';
    attributes: CommonAttributes & { value?: string; label?: string };
  };
  'purchaser-autofill': {
    element: PurchaserAutofill;
    props: 'api' | 'org' | 'lang' | 'dir' | 'htmlFor';
    attributes: CommonAttributes & { for?: string };
  };
}

export type PortalTagName = keyof PortalElements;

declare global {
  /** `document.querySelector('portal-signup')` and `createElement('portal-qr')` are typed wherever the package is imported. */
  interface HTMLElementTagNameMap {
    'portal-provider': PortalProvider;
    'portal-login': PortalLogin;
    'portal-signup': PortalSignup;
    'portal-qr': PortalQr;
    'purchaser-autofill': PurchaserAutofill;
  }
}

/** The events of element `T`, by name. */
export type EventsOf<T extends PortalTagName> = {
  [E in (typeof ELEMENT_EVENTS)[T][number]]: PortalEventMap[E];
};

/** `portal-signed-in` → `PortalSignedIn`. */
export type PascalCase<S extends string> = S extends `${infer Head}-${infer Tail}` ? `${Capitalize<Head>}${PascalCase<Tail>}` : Capitalize<S>;

/** The settable properties of element `T`. */
export type PropsOf<T extends PortalTagName> = Partial<
  Pick<PortalElements[T]['element'], PortalElements[T]['props'] & keyof PortalElements[T]['element']>
>;
