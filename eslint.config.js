import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import boundaries from 'eslint-plugin-boundaries';
import { LAYERS, layerPolicies } from './eslint.layers.ts';

const electronOnly = {
  name: 'electron',
  message: 'Only main/app/ and preload/ may import electron: core logic takes its dependencies as ports.',
};

/** Layering: electron stays at the edges, the renderer and the contract stay independent of Node-side code. */
export default tseslint.config(
  {
    ignores: [
      'out/**',
      'dist/**',
      'node_modules/**',
      'test-results/**',
      'playwright-report/**',
      'bench/results/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-restricted-imports': ['error', { paths: [electronOnly] }],
    },
  },
  {
    files: [
      'main/app/**/*.ts',
      'preload/**/*.ts',
      'test/unit/main/app/**/*.ts',
      'test/unit/preload/**/*.ts',
      'test/e2e/electron/**/*.ts',
    ],
    rules: { 'no-restricted-imports': 'off' },
  },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      'no-restricted-imports': [
        'error',
        {
          paths: [electronOnly],
          patterns: [
            {
              group: ['**/main/**', '**/sandbox/**'],
              message: 'The renderer talks to main only through renderer/api.ts and common/.',
            },
            { group: ['node:*'], message: 'The renderer runs in a browser sandbox: no Node modules.' },
          ],
        },
      ],
    },
  },
  {
    files: ['common/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [electronOnly],
          patterns: [
            {
              group: ['**/main/**', '**/renderer/**', '**/preload/**', '**/sandbox/**', 'node:*'],
              message: 'common/ is the contract: it imports nothing from the project and nothing from Node.',
            },
          ],
        },
      ],
    },
  },
  {
    // The layers inside main/ (see eslint.layers.ts): each may import only the layers below it.
    files: ['main/**/*.ts'],
    plugins: { boundaries },
    settings: {
      'boundaries/elements': LAYERS,
      'boundaries/include': ['main/**/*.ts', 'common/**/*.ts', 'sandbox/**/*.ts'],
    },
    rules: { 'boundaries/dependencies': ['error', { default: 'disallow', policies: layerPolicies() }] },
  },
  {
    // Type-aware rules: a promise nobody awaits or handles loses its error.
    files: ['main/**/*.ts', 'renderer/**/*.{ts,tsx}', 'preload/**/*.ts', 'common/**/*.ts', 'sandbox/**/*.ts'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
    },
  },
);
