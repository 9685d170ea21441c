import type { StoryObj } from '@storybook/web-components-vite';
import { html } from 'lit';
import { expect, waitFor } from 'storybook/test';
import { withPortal } from './fixtures.ts';
import { ready } from './support.ts';

/**
 * Every element at once, to judge a palette: pick a brand preset in the toolbar (paintbrush), the
 * scheme and the language, then change any `--portal-*` token in Controls (colour pickers for colours).
 * A token changed here wins over the preset; an empty one falls back to the preset, then to the
 * element's own default.
 */
const meta = {
  title: 'Theme/All elements',
  decorators: [withPortal],
  parameters: { controls: { include: /^--portal-/ } },
  render: () => html`<div style="display:grid;gap:1.5rem;grid-template-columns:repeat(auto-fit,minmax(19rem,1fr));align-items:start">
    <portal-login></portal-login>
    <portal-signup></portal-signup>
    <div style="display:grid;gap:1rem;justify-items:start">
      <portal-qr style="--portal-qr-size:8rem"></portal-qr>
      <purchaser-autofill>
        <form>
          <p><label for="theme-first">First name</label><br /><input id="theme-first" name="first_name" autocomplete="given-name" /></p>
          <p><label for="theme-email">Email</label><br /><input id="theme-email" name="email" type="email" autocomplete="email" /></p>
        </form>
      </purchaser-autofill>
    </div>
  </div>`,
};
export default meta;
type Story = StoryObj;

/** The primary button of the sign-in form, once drawn. */
async function primary(root: HTMLElement): Promise<HTMLElement> {
  const login = await ready(root, 'portal-login');
  return login.querySelector<HTMLElement>('button.portal-primary')!;
}

/** The playground: switch brand, scheme and language in the toolbar; change any token in Controls. */
export const Playground: Story = {};

/** The elements' own defaults. */
export const ElementDefaults: Story = {
  globals: { brand: 'none', scheme: 'light' },
  play: async ({ canvasElement }) => {
    await expect(getComputedStyle(await primary(canvasElement)).backgroundColor).toBe('rgb(31, 95, 191)');
  },
};

/** The dark-teal arts organization preset (serif type, square corners). */
export const TealArts: Story = {
  globals: { brand: 'teal-arts', scheme: 'light' },
  play: async ({ canvasElement }) => {
    await expect(getComputedStyle(await primary(canvasElement)).backgroundColor).toBe('rgb(11, 92, 107)');
  },
};

/** The warm community choir preset (rounded, warm browns), here in dark. */
export const WarmChoirDark: Story = {
  globals: { brand: 'warm-choir', scheme: 'dark' },
  play: async ({ canvasElement }) => {
    await expect(getComputedStyle(await primary(canvasElement)).backgroundColor).toBe('rgb(253, 186, 116)');
  },
};

/** A token set in Controls wins over the preset. */
export const TokenOverPreset: Story = {
  globals: { brand: 'teal-arts', scheme: 'light' },
  args: { '--portal-color-primary': '#6a1b9a' },
  play: async ({ canvasElement }) => {
    await waitFor(async () => expect(getComputedStyle(await primary(canvasElement)).backgroundColor).toBe('rgb(106, 27, 154)'));
  },
};
