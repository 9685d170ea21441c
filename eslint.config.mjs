// ESLint (flat config): typescript-eslint for all TypeScript, and for the elements' sources
// eslint-plugin-lit (templates), eslint-plugin-lit-a11y (accessible templates) and eslint-plugin-wc
// (custom-element rules). `npm run lint` runs it with lit-analyzer (template bindings against the
// element types); `npm test -- lint` counts both. Rules are tuned to the codebase's deliberate style
// (STYLE.md), not switched off wholesale: each exception below says why.
import js from '@eslint/js';
import lit from 'eslint-plugin-lit';
import litA11y from 'eslint-plugin-lit-a11y';
import wc from 'eslint-plugin-wc';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: [
      '**/node_modules/**',
      '**/dist/**',
      'storybook-static/**',
      'coverage/**',
      '.tmp/**',
      '.data/**',
      'test-results/**',
      'custom-elements.json',
      'test/fixtures/consumers/*/dist/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      ecmaVersion: 2023,
      sourceType: 'module',
      globals: { ...globals.browser, ...globals.node },
    },
    rules: {
      // `_name` marks a deliberately unused binding (destructuring to drop a key, a required parameter).
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none', ignoreRestSiblings: true },
      ],
      // Non-null assertions are used where the DOM structure guarantees the node (our own templates).
      '@typescript-eslint/no-non-null-assertion': 'off',
      // Augmenting `JSX` (React) and `GlobalComponents` (Vue) needs `declare module … namespace`.
      '@typescript-eslint/no-namespace': ['error', { allowDeclarations: true }],
      // The input normalisers match control and format characters (and lone combining marks) on purpose.
      'no-control-regex': 'off',
      'no-misleading-character-class': 'off',
    },
  },
  {
    files: ['src/**/*.ts', 'stories/**/*.ts', 'test/components/**/*.ts', 'test/fixtures/**/*.ts'],
    plugins: { lit, 'lit-a11y': litA11y, wc },
    settings: { wc: { elementBaseClasses: ['LitElement', 'PortalElement', 'PortalFormElement', 'PortalInboxElement'] } },
    rules: {
      ...lit.configs['flat/recommended'].rules,
      ...litA11y.configs.recommended.rules,
      ...wc.configs['flat/recommended'].rules,
      // Elements are defined through the versioned, idempotent PortalElement.define (STYLE §2.5).
      'wc/no-self-class': 'off',
      // The form elements render their <form> into the light DOM on purpose (STYLE §5.23); lit's
      // `render(…, this)` of the light DOM is that, not a mistake.
      'lit/no-template-bind': 'error',
    },
  },
  {
    // Tests stub globals and read private state of the elements on purpose.
    files: ['test/**/*.ts', 'stories/**/*.ts', 'scripts/**/*.ts', '.storybook/**/*.ts'],
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      // chai's property assertions (`expect(x).to.be.true`) are expressions.
      '@typescript-eslint/no-unused-expressions': 'off',
    },
  },
  {
    files: ['**/*.mjs', '**/*.js', '**/*.cjs'],
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
