import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { html } from 'lit';
import { withPortal } from './fixtures.ts';

interface Args {
  value: string;
}

/** `<portal-qr>`: the portal URL (from the API) or any value, as an SVG image. */
const meta: Meta<Args> = {
  title: 'Elements/portal-qr',
  component: 'portal-qr',
  args: { value: '' },
  render: (args) => html`<portal-qr value=${args.value}></portal-qr>`,
  decorators: [withPortal],
};
export default meta;
type Story = StoryObj<Args>;

/** Empty `value`: the organization's portal URL. */
export const Playground: Story = {};

/** Any text. */
export const CustomValue: Story = { args: { value: 'https://example.org/donate' } };
