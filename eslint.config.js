// @ts-check
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';
import { builtinModules } from 'node:module';

const nodeBuiltins = [...builtinModules, ...builtinModules.map((m) => `node:${m}`)];
const nodeOnlyPackages = ['electron', 'better-sqlite3', 'ws', 'onnxruntime-node', 'ffmpeg-static', 'ffprobe-static', 'onnx-proto'];

/**
 * The layering, enforced: the renderer is a web page (no Node, no main internals except the
 * contract), the contract is shared with it (no Node either), main/core runs without Electron,
 * and native/ (the inference worker) never touches the library or Electron. main/ and native/
 * never import each other: what both need lives in common/, which imports neither.
 */
const notNative = { regex: '(^|/)native/', message: 'main/ never imports native/ (the worker runs it in its own process): share through common/, talk through worker messages.' };
const notMain = { regex: '(^|/)main/', message: 'native/ never imports main/: share through common/, talk through worker messages.' };
export default tseslint.config(
  { ignores: ['out/**', 'node_modules/**', 'dist/**', 'test-results/**', 'playwright-report/**', '.tmp/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [...nodeBuiltins, ...nodeOnlyPackages].map((name) => ({ name, message: 'The renderer is a web page: no Node or main-process modules.' })),
          patterns: [
            {
              regex: '(^|/)main/(?!core/contract(/|$))',
              message: 'The renderer may import only main/core/contract from the main side.',
            },
            { regex: '(^|/)(native|preload)/', message: 'The renderer talks to the core only through window.studio.' },
          ],
        },
      ],
    },
  },
  {
    files: ['main/core/contract/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [...nodeBuiltins, ...nodeOnlyPackages].map((name) => ({ name, message: 'The contract is shared with the renderer: zod and plain TypeScript only.' })),
          patterns: [{ regex: '^\\.\\./', message: 'The contract must not depend on the rest of main/core.' }],
        },
      ],
    },
  },
  {
    // Sub-folders of the contract may reach its root (../types) but still nothing outside it.
    files: ['main/core/contract/*/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [...nodeBuiltins, ...nodeOnlyPackages].map((name) => ({ name, message: 'The contract is shared with the renderer: zod and plain TypeScript only.' })),
          patterns: [{ regex: '^\\.\\./\\.\\./', message: 'The contract must not depend on the rest of main/core.' }],
        },
      ],
    },
  },
  {
    files: ['main/core/**/*.ts'],
    ignores: ['main/core/contract/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'electron', message: 'main/core runs without Electron (headless server, CLI, tests). Put Electron code in main/electron/.' }],
          patterns: [{ regex: '(^|/)(renderer|preload)/', message: 'main/core must not import the renderer or the preload.' }, notNative],
        },
      ],
    },
  },
  {
    files: ['main/**/*.ts'],
    ignores: ['main/core/**'],
    rules: { 'no-restricted-imports': ['error', { patterns: [notNative] }] },
  },
  {
    files: ['common/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: ['electron', 'better-sqlite3', 'onnxruntime-node', 'ws'].map((name) => ({ name, message: 'common/ is loaded by main and by the worker alike: no Electron, database or ONNX Runtime.' })),
          patterns: [{ regex: '(^|/)(main|native|renderer|preload)/', message: 'common/ imports neither side: main/ and native/ import it.' }],
        },
      ],
    },
  },
  {
    files: ['native/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            { name: 'electron', message: 'native/ runs in the inference worker process, not in Electron main.' },
            { name: 'better-sqlite3', message: 'native/ never touches the library database; it gets inputs through messages.' },
          ],
          patterns: [{ regex: '(^|/)(library|renderer|preload|handlers|server)(/|$)', message: 'native/ only talks to the core through worker messages.' }, notMain],
        },
      ],
    },
  },
  {
    files: ['preload/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [{ regex: '(^|/)main/(?!core/contract(/|$))', message: 'The preload exposes the contract only.' }],
        },
      ],
    },
  },
);
