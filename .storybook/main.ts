import { execFileSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { StorybookConfig } from '@storybook/web-components-vite';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/**
 * The docs pages, controls and Actions all come from custom-elements.json (`npm run analyze`). It is a
 * build output (git-ignored), so Storybook writes it afresh before every start or build: a fresh clone
 * works with one command, and whatever the elements' JSDoc says today is what a designer sees.
 */
function analyze(): void {
  execFileSync(
    process.execPath,
    [join(root, 'node_modules/@custom-elements-manifest/analyzer/cem.js'), 'analyze', '--config', 'custom-elements-manifest.config.mjs'],
    {
      cwd: root,
      stdio: ['ignore', 'ignore', 'inherit'],
    },
  );
}

const config: StorybookConfig = {
  stories: ['../stories/**/*.stories.ts'],
  addons: ['@storybook/addon-docs', '@storybook/addon-a11y'],
  framework: { name: '@storybook/web-components-vite', options: {} },
  core: { disableTelemetry: true },
  async viteFinal(viteConfig, { configType }) {
    analyze();
    viteConfig.optimizeDeps = {
      ...viteConfig.optimizeDeps,
      include: [...(viteConfig.optimizeDeps?.include ?? []), 'lit', 'lit/directive-helpers.js', 'qrcode/lib/core/qrcode.js'],
    };
    if (configType === 'DEVELOPMENT') {
      // `npm run storybook`: a changed JSDoc comment rewrites the manifest, and the preview reloads with it.
      viteConfig.plugins = [
        ...(viteConfig.plugins ?? []),
        {
          name: 'portal-manifest',
          handleHotUpdate({ file }) {
            if (/src\/(components|internal)\/.*\.ts$/.test(file)) analyze();
          },
        },
      ];
    }
    return viteConfig;
  },
};

export default config;
