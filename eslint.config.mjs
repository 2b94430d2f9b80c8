// ESLint flat config: typescript-eslint's recommended rules; formatting is Prettier's job.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import prettier from 'eslint-config-prettier';
import globals from 'globals';

export default tseslint.config(
  {
    ignores: [
      'dist/**',
      'node_modules/**',
      '.vscode-test-host/**',
      '.vscode-test/**',
      '.cache/**',
      'out/**',
      '**/*.js',
      'types/**',
      'examples/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  prettier,
  {
    languageOptions: { globals: { ...globals.node } },
  },
  {
    files: ['**/*.cjs'],
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  // The layers of DESIGN.md: core runs everywhere (CLI, emulator, extension host), so it imports no
  // `vscode` and nothing of the layers built on it; nothing but the extension itself imports it.
  {
    files: ['src/core/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            { name: 'vscode', message: 'src/core runs outside VS Code: keep vscode in src/extension.' },
          ],
          patterns: [
            {
              group: [
                '**/emulator',
                '**/emulator/**',
                '**/cli',
                '**/cli/**',
                '**/extension',
                '**/extension/**',
              ],
              message:
                'src/core is the bottom layer: it imports nothing of src/cli, src/emulator or src/extension.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['src/cli/**/*.ts', 'src/emulator/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'vscode', message: 'Only src/extension runs in VS Code.' }],
          patterns: [
            {
              group: ['**/extension', '**/extension/**'],
              message: 'Nothing imports src/extension: move what is shared into src/core.',
            },
          ],
        },
      ],
    },
  },
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
);
