import type { MoreKey, Translation } from './en.js';

/**
 * English shown only after the API client has loaded: error messages, the signed-in view, the autofill
 * status (see `MoreKey` in en.ts). `localize.ts` adds it to English when the client starts loading, and
 * `loadApi()` resolves only once it is in, so no element can show one of these keys before its text.
 */
const enMore: Pick<Translation, MoreKey> = {
  signOut: 'Sign out',
  notYou: 'Not you?',
  autofillFilled: 'Filled from your portal account',
  fillingAs: 'Filling as',
  autofillFilledAs: (name) => `Filled as ${name} from your portal account`,
  signedInAs: (name) => `Signed in as ${name}`,
  neverConfirmed: 'Signed up but never confirmed?',
  resendConfirmLink: 'Resend the confirmation email.',
  outcomeLinked: 'Welcome back — we found your record.',
  outcomeCreated: 'Your new account is ready.',
  // Never a raw count of seconds, never "too many attempts": a crowd on one network meets this too.
  retryIn: (s) => (s <= 90 ? 'Please try again in a minute.' : `Please try again in about ${Math.ceil(s / 60)} minutes.`),
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

export default enMore;
