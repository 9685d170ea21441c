import type { StepKey, Translation } from './en.js';

/**
 * English of the lazily loaded steps (sign-up, set-password, forgot password, resending the
 * confirmation, "check your inbox"). The step modules import it and add it to English with
 * `extendTranslation`, so it downloads with the first step that shows it, not with the first load.
 */
const enSteps: Pick<Translation, StepKey> = {
  newPassword: 'New password',
  forgotTitle: 'Reset your password',
  forgotIntro: 'Enter your email and we will send you a link to choose a new password.',
  sendResetLink: 'Send reset link',
  backToSignIn: 'Back to sign in',
  checkInboxTitle: 'Check your inbox',
  checkInboxReset: (email) => `If an account exists for ${email}, we sent a link to reset the password. It works for one hour.`,
  checkInboxSignup: (email) => `We sent a message to ${email}. Open the link in it to confirm your email and choose a password.`,
  checkInboxConfirm: (email) =>
    `If a sign-up for ${email} is waiting to be confirmed, we sent a new link. Open it to confirm your email and choose a password.`,
  confirmTitle: 'Get a new confirmation email',
  confirmIntro: 'Enter the email you signed up with and we will send the confirmation link again.',
  sendConfirmLink: 'Send the link',
  haveAccount: 'Already have an account? Sign in',
  setPasswordTitle: 'Choose your password',
  setPasswordIntroSignup: 'Your email is confirmed. Choose a password to finish creating your account.',
  setPasswordIntroReset: 'Choose a new password for your account.',
  accountFor: (email) => `This link is for the account ${email}.`,
  confirmAccount: 'This is my email address',
  confirmAccountMissing: 'Please confirm this is your email address before choosing a password.',
  passwordHint: 'At least 8 characters. A long phrase is easy to remember and hard to guess.',
  savePassword: 'Save password and sign in',
  passwordChanged: 'Your password has been changed.',
  signupTitle: 'Create your account',
  accountType: 'Account type',
  individual: 'Individual',
  company: 'Company',
  firstName: 'First name',
  lastName: 'Last name',
  companyName: 'Company name',
  contactFirstName: 'Contact first name',
  contactLastName: 'Contact last name',
  signupReminder: 'Already in our records? Use the primary email and name we have for you so your account links to your record.',
  signupSubmit: 'Create account',
  resend: 'Resend the email',
  resendIn: (s) => `You can resend the email in ${s} s.`,
  resent: 'We sent the email again.',
};

export default enSteps;
