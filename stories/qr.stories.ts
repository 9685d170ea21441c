import type { StoryObj } from '@storybook/web-components-vite';
import { html } from 'lit';
import { expect, waitFor } from 'storybook/test';
import { portalInfo, portal, withPortal } from './fixtures.ts';
import { renderOf } from './support.ts';

/** The story's QR code image, once drawn. */
const image = (root: HTMLElement) =>
  waitFor(() => {
    const svg = root.querySelector('portal-qr')?.shadowRoot?.querySelector('svg[role=img]');
    if (!svg) throw new Error('no QR code yet');
    return svg;
  });

/** `<portal-qr>`: the portal URL (from the API) or any value, as an SVG image. */
const meta = { title: 'Elements/portal-qr', component: 'portal-qr', render: renderOf('portal-qr'), decorators: [withPortal] };
export default meta;
type Story = StoryObj;

/** Empty `value`: the organization's portal URL, from the API. */
export const PortalUrl: Story = {
  play: async ({ canvasElement }) => {
    await expect((await image(canvasElement)).getAttribute('aria-label')).toContain(portalInfo.portalUrl);
  },
};

/** Any text, e.g. a campaign page. */
export const CustomValue: Story = {
  args: { value: 'https://example.org/donate' },
  play: async ({ canvasElement }) => {
    await expect((await image(canvasElement)).getAttribute('aria-label')).toContain('https://example.org/donate');
  },
};

/** A long URL with tracking parameters: more modules, the same size on the page. */
export const LongUrl: Story = {
  args: {
    value:
      'https://portal.example.org/riverside-arts/events/2027-spring-gala?utm_source=poster&utm_medium=print&utm_campaign=spring-gala-2027&seat=balcony',
  },
  play: async ({ canvasElement }) => {
    const svg = await image(canvasElement);
    await expect(Number(svg.getAttribute('viewBox')!.split(' ')[2])).toBeGreaterThan(40);
  },
};

/** `label`: what a screen reader says instead of "QR code for <url>". */
export const CustomLabel: Story = {
  args: { label: 'Scan to join Riverside Arts' },
  play: async ({ canvasElement }) => {
    await expect((await image(canvasElement)).getAttribute('aria-label')).toBe('Scan to join Riverside Arts');
  },
};

/** On a dark page the code stays dark on light (what scanners read), framed by its quiet zone. */
export const Dark: Story = {
  globals: { scheme: 'dark' },
  play: async ({ canvasElement }) => {
    const svg = await image(canvasElement);
    const light = getComputedStyle(svg.querySelector('.light')!).fill;
    const dark = getComputedStyle(svg.querySelector('.dark')!).fill;
    await expect({ light, dark }).toEqual({ light: 'rgb(255, 255, 255)', dark: 'rgb(0, 0, 0)' });
  },
};

/** Brand colours through `--portal-qr-dark` and `--portal-qr-size` (keep enough contrast for scanners). */
export const BrandColours: Story = {
  args: { '--portal-qr-dark': '#0b3d45', '--portal-qr-size': '8rem' },
  play: async ({ canvasElement }) => {
    const svg = await image(canvasElement);
    await expect(getComputedStyle(svg.querySelector('.dark')!).fill).toBe('rgb(11, 61, 69)');
  },
};

/** The API cannot be reached: a short message instead of the image. */
export const Offline: Story = {
  parameters: portal('offline'),
  render: () => html`<portal-qr></portal-qr>`,
  play: async ({ canvasElement }) => {
    await waitFor(() => expect(canvasElement.querySelector('portal-qr')?.shadowRoot?.querySelector('[role=alert]')).not.toBeNull());
  },
};
