import type { StoryObj } from '@storybook/web-components-vite';
import { html } from 'lit';
import { expect, waitFor } from 'storybook/test';
import { recorded } from './fixtures.ts';
import { languageOf, strings } from './support.ts';

/**
 * `<portal-provider>`: one API client, one session and one language for every portal element inside
 * it. Its `translations` property replaces any string, per language (`{0}` stands for a value).
 */
const meta = {
  title: 'Elements/portal-provider',
  component: 'portal-provider',
  argTypes: { translations: { control: 'object' } },
  render: (args: Record<string, unknown>) => {
    const { api, org, ky } = recorded('default');
    return html`<portal-provider api=${api} org=${org} lang=${(args.lang as string) || ''} .ky=${ky} .translations=${args.translations}>
      <portal-login></portal-login>
    </portal-provider>`;
  },
};
export default meta;
type Story = StoryObj;

/** A provider around a sign-in form (the API answers from recordings). */
export const Default: Story = {
  play: async ({ canvasElement }) => {
    const t = strings(canvasElement);
    await waitFor(() => expect(canvasElement.querySelector('portal-login button[type=submit]')?.textContent).toBe(t.signIn));
  },
};

/** The provider's `lang` applies to every element inside it. */
export const Language: Story = {
  args: { lang: 'fr' },
  play: async ({ canvasElement }) => {
    await waitFor(() => expect(canvasElement.querySelector('portal-login button[type=submit]')?.textContent).toBe('Se connecter'));
  },
};

/** Copy tweaks without code changes: edit `translations` in Controls (here the button and the checkbox). */
export const TranslationOverrides: Story = {
  args: {
    translations: {
      en: { signIn: 'Log in to your membership', rememberMe: 'Stay logged in on this device' },
      es: { signIn: 'Entrar a su membresía', rememberMe: 'No cerrar la sesión en este dispositivo' },
      fr: { signIn: 'Accéder à votre adhésion', rememberMe: 'Rester connecté sur cet appareil' },
    },
  },
  play: async ({ canvasElement, args }) => {
    const login = canvasElement.querySelector<HTMLElement>('portal-login')!;
    const wanted = (args.translations as Record<string, Record<string, string>>)[languageOf(canvasElement)]!;
    await waitFor(() => expect(login.querySelector('button[type=submit]')?.textContent).toBe(wanted.signIn));
    await expect(login.textContent).toContain(wanted.rememberMe);
  },
};
