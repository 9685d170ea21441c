/** Transactional email texts (plain text + HTML) in en / es / fr. Every value is HTML-escaped. */
import type { Locale } from '../../src/api/contract.ts';

export interface MailContent {
  subject: string;
  text: string;
  html: string;
}

interface Texts {
  confirmSubject: (org: string) => string;
  confirmIntro: (org: string) => string;
  confirmAction: string;
  confirmExpiry: string;
  existingSubject: (org: string) => string;
  existingIntro: (org: string) => string;
  existingAction: string;
  resetSubject: (org: string) => string;
  resetIntro: (org: string) => string;
  resetAction: string;
  resetExpiry: string;
  ignore: string;
  greeting: (name: string) => string;
}

const TEXTS: Record<Locale, Texts> = {
  en: {
    greeting: (n) => (n ? `Hello ${n},` : 'Hello,'),
    confirmSubject: (o) => `Confirm your ${o} portal account`,
    confirmIntro: (o) => `Thanks for signing up for the ${o} portal. Confirm your email address and choose a password:`,
    confirmAction: 'Confirm and set my password',
    confirmExpiry: 'This link works once and expires in 24 hours.',
    existingSubject: (o) => `You already have a ${o} portal account`,
    existingIntro: (o) =>
      `Someone (hopefully you) tried to sign up for the ${o} portal with this email address, but you already have an account. Sign in, or reset your password if you have forgotten it:`,
    existingAction: 'Go to the portal',
    resetSubject: (o) => `Reset your ${o} portal password`,
    resetIntro: (o) => `We received a request to reset the password of your ${o} portal account. Choose a new password:`,
    resetAction: 'Choose a new password',
    resetExpiry: 'This link works once and expires in 1 hour.',
    ignore: 'If you did not ask for this, you can ignore this email.',
  },
  es: {
    greeting: (n) => (n ? `Hola ${n}:` : 'Hola:'),
    confirmSubject: (o) => `Confirma tu cuenta del portal de ${o}`,
    confirmIntro: (o) => `Gracias por registrarte en el portal de ${o}. Confirma tu correo electrónico y elige una contraseña:`,
    confirmAction: 'Confirmar y crear mi contraseña',
    confirmExpiry: 'Este enlace funciona una sola vez y caduca en 24 horas.',
    existingSubject: (o) => `Ya tienes una cuenta en el portal de ${o}`,
    existingIntro: (o) =>
      `Alguien (esperamos que tú) intentó registrarse en el portal de ${o} con este correo, pero ya tienes una cuenta. Inicia sesión o restablece tu contraseña si la olvidaste:`,
    existingAction: 'Ir al portal',
    resetSubject: (o) => `Restablece tu contraseña del portal de ${o}`,
    resetIntro: (o) => `Recibimos una solicitud para restablecer la contraseña de tu cuenta del portal de ${o}. Elige una nueva contraseña:`,
    resetAction: 'Elegir una nueva contraseña',
    resetExpiry: 'Este enlace funciona una sola vez y caduca en 1 hora.',
    ignore: 'Si no lo solicitaste, puedes ignorar este correo.',
  },
  fr: {
    greeting: (n) => (n ? `Bonjour ${n},` : 'Bonjour,'),
    confirmSubject: (o) => `Confirmez votre compte du portail ${o}`,
    confirmIntro: (o) => `Merci de votre inscription au portail ${o}. Confirmez votre adresse e-mail et choisissez un mot de passe :`,
    confirmAction: 'Confirmer et choisir mon mot de passe',
    confirmExpiry: 'Ce lien ne fonctionne qu’une fois et expire dans 24 heures.',
    existingSubject: (o) => `Vous avez déjà un compte sur le portail ${o}`,
    existingIntro: (o) =>
      `Quelqu’un (vous, espérons-le) a tenté de s’inscrire au portail ${o} avec cette adresse, mais vous avez déjà un compte. Connectez-vous, ou réinitialisez votre mot de passe si vous l’avez oublié :`,
    existingAction: 'Aller au portail',
    resetSubject: (o) => `Réinitialisez votre mot de passe du portail ${o}`,
    resetIntro: (o) =>
      `Nous avons reçu une demande de réinitialisation du mot de passe de votre compte du portail ${o}. Choisissez un nouveau mot de passe :`,
    resetAction: 'Choisir un nouveau mot de passe',
    resetExpiry: 'Ce lien ne fonctionne qu’une fois et expire dans 1 heure.',
    ignore: 'Si vous n’êtes pas à l’origine de cette demande, ignorez cet e-mail.',
  },
};

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
}

function compose(subject: string, greeting: string, intro: string, action: string, link: string, notes: string[]): MailContent {
  const text = [greeting, '', intro, '', link, '', ...notes].join('\n');
  const html = `<!doctype html><html><body style="font-family:system-ui,sans-serif;line-height:1.5">
<p>${escapeHtml(greeting)}</p>
<p>${escapeHtml(intro)}</p>
<p><a href="${escapeHtml(link)}">${escapeHtml(action)}</a></p>
<p style="color:#555;font-size:0.9em">${notes.map(escapeHtml).join('<br>')}</p>
<p style="color:#555;font-size:0.8em">${escapeHtml(link)}</p>
</body></html>`;
  return { subject, text, html };
}

/**
 * The confirmation of a sign-up. Its address is not proven yet (anyone can ask for it to be sent to
 * anyone), so it echoes no text the requester typed: no name in the greeting, nothing but the org's
 * own words and the configured link (issue 9 item 5 — no phishing relay through the org's mail).
 */
export function confirmationMail(locale: Locale, org: string, link: string): MailContent {
  const t = TEXTS[locale];
  return compose(t.confirmSubject(org), t.greeting(''), t.confirmIntro(org), t.confirmAction, link, [t.confirmExpiry, t.ignore]);
}

export function existingAccountMail(locale: Locale, org: string, link: string): MailContent {
  const t = TEXTS[locale];
  return compose(t.existingSubject(org), t.greeting(''), t.existingIntro(org), t.existingAction, link, [t.ignore]);
}

export function resetMail(locale: Locale, org: string, name: string, link: string): MailContent {
  const t = TEXTS[locale];
  return compose(t.resetSubject(org), t.greeting(name), t.resetIntro(org), t.resetAction, link, [t.resetExpiry, t.ignore]);
}
