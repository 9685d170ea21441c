/// <reference types="vite/client" />
import { Controls, Description, Heading, Markdown, Primary, Source, Stories, Subtitle, Title, useOf } from '@storybook/addon-docs/blocks';
import { setCustomElementsManifest, type Decorator, type Preview } from '@storybook/web-components-vite';
import { html } from 'lit';
import { ref } from 'lit/directives/ref.js';
import { styleMap } from 'lit/directives/style-map.js';
import { createElement as h, Fragment } from 'react';
import { action } from 'storybook/actions';
import { configure } from 'storybook/test';
import type { ArgTypesEnhancer } from 'storybook/internal/types';
import { allEventNames, elementDoc, extractArgTypes, extractComponentDescription } from './manifest.ts';
import { usageSnippets } from './snippets.ts';
import { BRANDS, themeStyle, tokenArgTypes, TOKENS } from './tokens.ts';
import '../src/index.ts';
import '../src/components/signup/signup.ts';
import '../src/components/qr/qr.ts';

// A play function's waitFor gives an element up to 10 s (a loaded machine, a language loading on demand), not 1 s.
configure({ asyncUtilTimeout: 10_000 });

// custom-elements.json is written by main.ts before every start and build (a glob: no import error if absent).
const manifest = Object.values(import.meta.glob<unknown>('../custom-elements.json', { eager: true, import: 'default' }))[0];
setCustomElementsManifest(manifest ?? { schemaVersion: '1.0.0', modules: [] });

/** Every public event of every element goes to the Actions panel, with its `detail` (elements shown as tags). */
function logEvents(root: Element | undefined): void {
  if (!root || (root as { __portalActions?: true }).__portalActions) return;
  (root as { __portalActions?: true }).__portalActions = true;
  for (const name of allEventNames()) {
    root.addEventListener(name, (event) => {
      const detail = (event as CustomEvent).detail;
      const plain = JSON.parse(
        JSON.stringify(detail ?? null, (_k, v: unknown) =>
          v instanceof Element ? `<${v.localName}${v.getAttribute('name') ? ` name="${v.getAttribute('name')}"` : ''}>` : v,
        ),
      ) as unknown;
      action(name)(plain);
    });
  }
}

/** Scheme, language and brand (toolbar) and the theme tokens (Controls) around every story. */
const withPortalTheme: Decorator = (story, context) => {
  const { scheme = 'light', language = 'en', brand = 'none' } = context.globals as Record<string, string>;
  const style = {
    ...themeStyle(brand, context.args),
    'color-scheme': scheme,
    background: 'Canvas',
    color: 'CanvasText',
    // A plain host page: system font, 16 px (the elements inherit the page's font unless --portal-font-family is set).
    font: '16px/1.5 system-ui, sans-serif',
    padding: '1rem',
    ...(context.viewMode === 'story' ? { 'min-height': '100vh', 'box-sizing': 'border-box' } : {}),
  };
  return html`<div class="portal-story" data-scheme=${scheme} data-brand=${brand} lang=${language} style=${styleMap(style)} ${ref(logEvents)}>${story()}</div>`;
};

/** Theme tokens in Controls: all theme tokens, plus this element's own hooks (every token on untitled pages). */
const withTokenControls: ArgTypesEnhancer = (context) => {
  const tag = typeof context.component === 'string' ? context.component : undefined;
  const own = new Set((tag ? (elementDoc(tag)?.cssProperties ?? []) : []).map((c) => c.name));
  const all = tokenArgTypes();
  const out = { ...context.argTypes } as Record<string, Record<string, unknown>>;
  for (const t of TOKENS) {
    const mine = own.has(t.name) || !tag || t.kind === 'theme' || t.group === `<${tag}>`;
    if (!mine) continue;
    const existing = out[t.name];
    // The element documents this one: keep its row (and description), give it the token's picker.
    out[t.name] = existing
      ? { ...existing, control: all[t.name]!.control, table: { ...(existing.table as object), category: 'css custom properties' } }
      : all[t.name]!;
  }
  return out as ReturnType<ArgTypesEnhancer>;
};
withTokenControls.secondPass = true;

/** An element's docs page: description, every story, the table with controls, usage in HTML, React and Vue. */
function DocsPage() {
  const meta = useOf('meta') as { preparedMeta: { component?: unknown; initialArgs?: Record<string, unknown> } };
  const tag = typeof meta.preparedMeta.component === 'string' ? meta.preparedMeta.component : undefined;
  const snippets = tag ? usageSnippets(tag, meta.preparedMeta.initialArgs ?? {}) : undefined;
  return h(
    Fragment,
    null,
    h(Title),
    h(Subtitle),
    // The element's own words (the manifest's @summary and description); a page without an element uses its JSDoc.
    tag ? h(Markdown, null, extractComponentDescription(tag)) : h(Description, { of: 'meta' }),
    h(Primary),
    snippets &&
      h(
        Fragment,
        null,
        h(Heading, null, 'Usage'),
        h(Markdown, null, '**HTML**'),
        h(Source, { code: snippets.html, language: 'html', dark: false }),
        h(Markdown, null, '**React 19**'),
        h(Source, { code: snippets.react, language: 'tsx', dark: false }),
        h(Markdown, null, '**Vue 3**'),
        h(Source, { code: snippets.vue, language: 'html', dark: false }),
      ),
    h(Heading, null, tag ? 'Attributes, properties, events, slots, parts, CSS custom properties, custom states' : 'Theme tokens'),
    h(
      Markdown,
      null,
      'Change any control to see it on the story above. Theme tokens (colour pickers) and the brand, scheme and language switchers in the toolbar apply to every story.',
    ),
    h(Controls, { sort: 'none' }),
    h(Stories, { title: 'Every state' }),
  );
}

const preview: Preview = {
  tags: ['autodocs'],
  decorators: [withPortalTheme],
  argTypesEnhancers: [withTokenControls],
  globalTypes: {
    scheme: {
      description: 'Page colour scheme (the elements follow the page’s color-scheme)',
      toolbar: {
        title: 'Scheme',
        icon: 'contrast',
        items: [
          { value: 'light', title: 'Light', icon: 'sun' },
          { value: 'dark', title: 'Dark', icon: 'moon' },
        ],
        dynamicTitle: true,
      },
    },
    language: {
      description: 'Page language (each element can still set its own lang)',
      toolbar: {
        title: 'Language',
        icon: 'globe',
        items: [
          { value: 'en', title: 'English' },
          { value: 'es', title: 'Español' },
          { value: 'fr', title: 'Français' },
        ],
        dynamicTitle: true,
      },
    },
    brand: {
      description: 'Brand preset (theme tokens); any token changed in Controls wins over it',
      toolbar: {
        title: 'Brand',
        icon: 'paintbrush',
        items: [{ value: 'none', title: 'Element defaults' }, ...Object.entries(BRANDS).map(([value, b]) => ({ value, title: b.title }))],
        dynamicTitle: true,
      },
    },
  },
  initialGlobals: { scheme: 'light', language: 'en', brand: 'none', viewport: { value: undefined, isRotated: false } },
  parameters: {
    layout: 'fullscreen',
    controls: { expanded: true, sort: 'none' },
    backgrounds: { disable: true },
    viewport: {
      options: {
        phone: { name: 'Narrow phone (320 × 640)', styles: { width: '320px', height: '640px' }, type: 'mobile' },
        tablet: { name: 'Tablet (768 × 1024)', styles: { width: '768px', height: '1024px' }, type: 'tablet' },
        desktop: { name: 'Desktop (1280 × 800)', styles: { width: '1280px', height: '800px' }, type: 'desktop' },
      },
    },
    // The same WCAG 2.2 A/AA rules as the e2e axe test; the story test fails on any violation.
    a11y: {
      context: '#storybook-root',
      options: { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'] } },
      test: 'error',
    },
    docs: { extractArgTypes, extractComponentDescription, page: DocsPage, source: { type: 'dynamic' } },
  },
};

export default preview;
