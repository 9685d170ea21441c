/**
 * portal-widgets: registers the elements a page needs first (provider, login, purchaser autofill)
 * and loads the rest (`<portal-signup>`, `<portal-qr>`, the set-password step, Spanish and French)
 * only when they are used. Re-exports the public types.
 */
// The provider first, so it is defined before the elements that consume it.
import PortalProviderElement, { attachContextRoot } from './components/provider/provider.js';
import PortalLoginElement from './components/login/login.js';
import PurchaserAutofillElement from './components/purchaser-autofill/purchaser-autofill.js';
import { startAutoloader } from './internal/autoloader.js';

// Define explicitly (idempotent): bundlers may drop a define file's own top-level call when the
// package's "sideEffects" list does not name it.
attachContextRoot();
PortalProviderElement.define('portal-provider');
PortalLoginElement.define('portal-login');
PurchaserAutofillElement.define('purchaser-autofill');
if (typeof document !== 'undefined') startAutoloader();

export { default as PortalProvider } from './components/provider/provider.component.js';
export { default as PortalLogin } from './components/login/login.component.js';
export type { default as PortalSignup } from './components/signup/signup.component.js';
export type { default as PortalQr } from './components/qr/qr.component.js';
export { PortalApiError, type ClientErrorCode } from './api/errors.js';
export { loadApi, type ApiModule } from './api/load.js';
export type { PortalApi, PortalApiOptions } from './api/client.js';
export { SessionStore, getSessionStore, releaseSessionStore, takeFragmentToken, type PendingToken, type SignupInput } from './session/store.js';
export { portalContext, type PortalConfig } from './session/context.js';
export type { SessionSnapshot, SessionStatus, SessionStoreLike } from './session/types.js';
export { PortalLoginRequestEvent, type PortalLoginRequestDetail } from './events/login-request.js';
export { PortalSignupRequestEvent, type PortalSignupRequestDetail } from './events/signup-request.js';
export { PortalSignedInEvent, type PortalSignedInDetail } from './events/signed-in.js';
export { PortalSignedOutEvent, type PortalSignedOutDetail } from './events/signed-out.js';
export { PortalSignupRequestedEvent, type PortalSignupRequestedDetail } from './events/signup-requested.js';
export type { PortalAutofillEvent, PortalAutofillDetail, AutofillSkipReason } from './events/autofill.js';
export type { PortalAutofillRequestEvent, PortalAutofillRequestDetail, AutofillPlanEntry } from './events/autofill-request.js';
export type { default as PurchaserAutofill } from './components/purchaser-autofill/purchaser-autofill.component.js';
export { registerTranslation } from './internal/localize.js';
export type { Translation } from './translations/en.js';
export type * from './api/contract.js';
export { ELEMENT_EVENTS, type PortalEventMap, type PortalElements, type PortalTagName, type EventsOf, type PropsOf } from './elements.js';
// Framework typings (types only, no runtime code): React 19 JSX tags and Vue 3 GlobalComponents.
export type { PortalJsxProps, ReactEventProps } from './frameworks/react-jsx.js';
export type { PortalVueElement } from './frameworks/vue.js';
