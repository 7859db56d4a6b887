import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'dist-test/**', 'node_modules/**', '.cache/**', 'out/**', '**/*.js', '**/*.mjs', '**/*.cjs'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unused-vars': ['warn', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-imports': ['error', { paths: [{ name: 'vscode', message: 'vscode is only for src/extension.' }] }],
    },
  },
  {
    // The pure core and the shared protocol must stay free of vscode, I/O and process spawning.
    files: ['src/core/**/*.ts', 'src/shared/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: ['vscode', 'fs', 'fs/promises', 'node:fs', 'child_process', 'node:child_process', 'http', 'https', 'net', 'node:http', 'node:https', 'node:net']
          .map((name) => ({ name, message: 'The pure core does no I/O and never imports vscode.' })),
      }],
    },
  },
  {
    files: ['src/extension/**/*.ts', 'test/integration/**/*.ts'],
    rules: { 'no-restricted-imports': 'off' },
  },
);
