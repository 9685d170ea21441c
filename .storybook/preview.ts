import type { Preview } from '@storybook/web-components-vite';
import '../src/index.ts';
import '../src/components/signup/signup.ts';
import '../src/components/qr/qr.ts';

const preview: Preview = {
  parameters: {
    layout: 'padded',
    controls: { expanded: true },
  },
};

export default preview;
