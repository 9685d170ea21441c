import type { ClientErrorCode } from '../api/client.js';
import type { FieldErrorCode } from '../api/contract.js';

/** Every string the elements show (STYLE §7.32). Values are text, or functions for numbers/names. */
export interface Translation {
  $code: string;
  $name: string;
  $dir: 'ltr' | 'rtl';
  email: string;
  password: string;
  newPassword: string;
  rememberMe: string;
  signIn: string;
  signingIn: string;
  signOut: string;
  notYou: string;
  autofillFilled: string;
  /** Label of the "Filling as" chooser, shown when the account manages a company. */
  fillingAs: string;
  /** The autofill status line when the account manages a company: whom the form was filled as. */
  autofillFilledAs: (name: string) => string;
  signedInAs: (name: string) => string;
  forgotPassword: string;
  forgotTitle: string;
  forgotIntro: string;
  sendResetLink: string;
  backToSignIn: string;
  checkInboxTitle: string;
  checkInboxReset: (email: string) => string;
  checkInboxSignup: (email: string) => string;
  checkInboxConfirm: (email: string) => string;
  confirmEmailMissing: string;
  confirmTitle: string;
  confirmIntro: string;
  sendConfirmLink: string;
  neverConfirmed: string;
  resendConfirmLink: string;
  createAccount: string;
  haveAccount: string;
  setPasswordTitle: string;
  setPasswordIntroSignup: string;
  setPasswordIntroReset: string;
  /** The set-password step names the account the link is for (masked), so nobody sets a password for a stranger's. */
  accountFor: (maskedEmail: string) => string;
  confirmAccount: string;
  confirmAccountMissing: string;
  passwordHint: string;
  savePassword: string;
  outcomeLinked: string;
  outcomeCreated: string;
  passwordChanged: string;
  signupTitle: string;
  accountType: string;
  individual: string;
  company: string;
  firstName: string;
  lastName: string;
  companyName: string;
  contactFirstName: string;
  contactLastName: string;
  signupReminder: string;
  signupSubmit: string;
  resend: string;
  resendIn: (seconds: number) => string;
  resent: string;
  tryAgain: string;
  retryIn: (seconds: number) => string;
  loading: string;
  /** Shown instead of the form when the element is misconfigured or its API does not answer (details in the console). */
  unavailable: string;
  /** Shown once by `<portal-login>` when the browser refuses site storage (sign-in lasts only for the page). */
  storageRefused: string;
  qrLabel: (url: string) => string;
  errors: Record<ClientErrorCode, string>;
  fieldErrors: Record<FieldErrorCode, string>;
}

/**
 * Keys that only the lazily loaded steps show (sign-up, set-password, forgot password, resending the
 * confirmation, "check your inbox"). Their English lives in `en-steps.ts`, which loads with those steps,
 * and `qrLabel` in `en-qr.ts`, which loads with `<portal-qr>`: the first load carries only what the
 * signed-out sign-in form shows (see `MoreKey` for what loads with the API client). Spanish and French
 * load whole, on demand.
 */
export type StepKey =
  | 'newPassword'
  | 'forgotTitle'
  | 'forgotIntro'
  | 'sendResetLink'
  | 'backToSignIn'
  | 'checkInboxTitle'
  | 'checkInboxReset'
  | 'checkInboxSignup'
  | 'checkInboxConfirm'
  | 'confirmTitle'
  | 'confirmIntro'
  | 'sendConfirmLink'
  | 'haveAccount'
  | 'setPasswordTitle'
  | 'setPasswordIntroSignup'
  | 'setPasswordIntroReset'
  | 'accountFor'
  | 'confirmAccount'
  | 'confirmAccountMissing'
  | 'passwordHint'
  | 'savePassword'
  | 'passwordChanged'
  | 'signupTitle'
  | 'accountType'
  | 'individual'
  | 'company'
  | 'firstName'
  | 'lastName'
  | 'companyName'
  | 'contactFirstName'
  | 'contactLastName'
  | 'signupReminder'
  | 'signupSubmit'
  | 'resend'
  | 'resendIn'
  | 'resent';

/**
 * Keys shown only once the API client has loaded (`en-more.ts` loads with it, and `loadApi()` waits for
 * it): the error messages, which follow a request or a validation; the signed-in view and the autofill
 * status, which follow a sign-in or a restored session. The first load keeps what the signed-out sign-in
 * form, "Loading…" and the unavailable message show.
 */
export type MoreKey =
  | 'autofillFilled'
  | 'fillingAs'
  | 'autofillFilledAs'
  | 'signedInAs'
  | 'signOut'
  | 'notYou'
  | 'neverConfirmed'
  | 'resendConfirmLink'
  | 'outcomeLinked'
  | 'outcomeCreated'
  | 'retryIn'
  | 'errors'
  | 'fieldErrors';

/**
 * The English the first load carries; of the errors, the one a failed download of the client itself
 * shows (offline after the page loaded), with its "Try again".
 */
export type EnglishCore = Omit<Translation, StepKey | MoreKey | 'qrLabel'> & {
  errors: Pick<Translation['errors'], 'network_error'>;
};

const en: EnglishCore = {
  $code: 'en',
  $name: 'English',
  $dir: 'ltr',
  email: 'Email',
  password: 'Password',
  rememberMe: 'Keep me signed in',
  signIn: 'Sign in',
  signingIn: 'Signing in…',
  forgotPassword: 'Forgot your password?',
  confirmEmailMissing: 'Didn’t get the confirmation email?',
  createAccount: 'Create an account',
  loading: 'Loading…',
  tryAgain: 'Try again',
  unavailable: 'Sign-in isn’t available on this page right now. Please try again later.',
  storageRefused: 'You can sign in, but your browser is set to block this site from saving data, so you’ll need to sign in again on each page.',
  errors: { network_error: 'We could not reach the server. Check your connection and try again.' },
};

export default en;
