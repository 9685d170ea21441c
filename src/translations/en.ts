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
 * sign-in form, the signed-in view, the autofill status and the error messages show. Spanish and French
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

/** The English the first load carries. */
export type EnglishCore = Omit<Translation, StepKey | 'qrLabel'>;

const en: EnglishCore = {
  $code: 'en',
  $name: 'English',
  $dir: 'ltr',
  email: 'Email',
  password: 'Password',
  rememberMe: 'Keep me signed in',
  signIn: 'Sign in',
  signingIn: 'Signing in…',
  signOut: 'Sign out',
  notYou: 'Not you?',
  autofillFilled: 'Filled from your portal account',
  fillingAs: 'Filling as',
  autofillFilledAs: (name) => `Filled as ${name} from your portal account`,
  signedInAs: (name) => `Signed in as ${name}`,
  forgotPassword: 'Forgot your password?',
  confirmEmailMissing: 'Didn’t get the confirmation email?',
  neverConfirmed: 'Signed up but never confirmed?',
  resendConfirmLink: 'Resend the confirmation email.',
  createAccount: 'Create an account',
  outcomeLinked: 'Welcome back — we found your record.',
  outcomeCreated: 'Your new account is ready.',
  tryAgain: 'Try again',
  // Never a raw count of seconds, never "too many attempts": a crowd on one network meets this too.
  retryIn: (s) => (s <= 90 ? 'Please try again in a minute.' : `Please try again in about ${Math.ceil(s / 60)} minutes.`),
  loading: 'Loading…',
  unavailable: 'Sign-in isn’t available on this page right now. Please try again later.',
  storageRefused: 'You can sign in, but your browser is set to block this site from saving data, so you’ll need to sign in again on each page.',
  errors: {
    invalid_input: 'Please check the highlighted fields.',
    invalid_credentials: 'That email and password do not match. Check them, or reset your password.',
    token_invalid: 'This link has expired or was already used. Please ask for a new one.',
    rate_limited: 'Lots of people are using the portal right now.',
    origin_not_allowed: 'This page is not allowed to use the portal. Please contact the organization.',
    payload_too_large: 'What you entered is too long.',
    unsupported_media_type: 'Something went wrong. Please try again.',
    unauthorized: 'Your session has ended. Please sign in again.',
    not_found: 'We could not find this portal.',
    server_error: 'Something went wrong on our side. Please try again.',
    network_error: 'We could not reach the server. Check your connection and try again.',
    timeout: 'The server took too long to answer. Please try again.',
  },
  fieldErrors: {
    required: 'Please fill in this field.',
    invalid_email: 'Please enter a valid email address.',
    too_long: 'This is too long.',
    invalid_characters: 'This contains characters we cannot accept.',
    password_too_short: 'Use at least 8 characters.',
    password_too_long: 'Use at most 128 characters.',
    password_common: 'This password is too common. Please choose another.',
    invalid_choice: 'Please choose one of the options.',
    invalid_url: 'This address is not valid.',
    invalid: 'Please check this field.',
  },
};

export default en;
