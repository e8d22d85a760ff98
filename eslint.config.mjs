// @ts-check
import path from 'node:path';
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import prettier from 'eslint-config-prettier';
import globals from 'globals';
import reactHooks from 'eslint-plugin-react-hooks';

/**
 * Relative imports stay inside one app or lib: `libs/x` reaches `libs/y` only through `@tre/y`, so each lib's
 * public face is its index and the dependency arrows stay visible.
 */
const noRelativeImportAcrossPackages = {
  meta: {
    type: 'problem',
    messages: { across: 'Import {{target}} through its @tre alias, not a relative path across packages' },
  },
  create(context) {
    const packageOf = (file) => {
      const rel = path.relative(context.cwd, file).split(path.sep);
      return ['apps', 'libs'].includes(rel[0]) ? rel.slice(0, 2).join('/') : rel[0];
    };
    const check = (node) => {
      const source = node.source?.value;
      if (typeof source !== 'string' || !source.startsWith('.')) return;
      const from = packageOf(context.filename);
      const to = packageOf(path.resolve(path.dirname(context.filename), source));
      // Tests and benchmarks may drive the apps directly; libraries may not reach into each other or apps.
      if (from !== to && (from.startsWith('libs/') || to.startsWith('libs/'))) {
        context.report({ node: node.source, messageId: 'across', data: { target: to } });
      }
    };
    return { ImportDeclaration: check, ExportNamedDeclaration: check, ExportAllDeclaration: check };
  },
};

export default tseslint.config(
  {
    ignores: [
      'dist/**',
      'node_modules/**',
      'coverage/**',
      'eslint.config.mjs',
      'jest.config.js',
      'libs/testing/swc-register.cjs',
      'scripts/build.cjs',
      'scripts/bundle-tre-sdc.cjs',
      'scripts/web-api.cjs',
      'scripts/mail-catcher.cjs',
      // generated from the API's OpenAPI document by `npm run web:api`
      'apps/web/src/api/schema.d.ts',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
      globals: { ...globals.node },
    },
    plugins: { tre: { rules: { 'no-relative-import-across-packages': noRelativeImportAcrossPackages } } },
    rules: {
      'tre/no-relative-import-across-packages': 'error',
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      '@typescript-eslint/require-await': 'off',
    },
  },
  {
    // Tests read loosely typed HTTP bodies; unsafe member access there is the point of an assertion.
    files: ['**/*.spec.ts', 'test/**/*.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/unbound-method': 'off',
    },
  },
  {
    // Plain ES modules run as processes of their own (the test OpenID provider): no TypeScript project to type-check against.
    files: ['test/**/*.mjs'],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: { globals: { ...globals.node }, parserOptions: { projectService: false } },
  },
  {
    // The web app runs in the browser, with React's rules of hooks.
    files: ['apps/web/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: { ...reactHooks.configs.recommended.rules },
  },
  prettier,
);
