// `npm run analyze`: writes custom-elements.json (the manifest package.json's "customElements" names)
// from the elements' JSDoc (@summary, @event, @slot, @csspart, @cssproperty, @cssstate). Docs,
// Storybook args and IDE data can all read it.
export default {
  globs: ['src/components/**/*.component.ts', 'src/internal/portal-element.ts', 'src/internal/portal-form-element.ts'],
  exclude: ['src/components/set-password/**'],
  outdir: '.',
  litelement: true,
  dev: false,
};
