import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/', 'cdk.out/', '.stryker-tmp/', 'reports/', 'dist/', 'coverage/', '**/*.d.ts', '**/*.js', '!eslint.config.mjs', '!test/support/*.js', '!scripts/*.mjs'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { require: 'readonly', module: 'writable', process: 'readonly', console: 'readonly', __dirname: 'readonly' } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      'no-new': 'off',
      eqeqeq: ['error', 'always'],
      'no-console': ['error', { allow: ['error', 'warn'] }],
    },
  },
  { files: ['bin/**', 'scripts/**'], rules: { 'no-console': 'off' } },
  // CommonJS config and plugin files for Jest and Stryker.
  { files: ['**/*.cjs'], rules: { '@typescript-eslint/no-require-imports': 'off' } },
  { files: ['scripts/mutation/record-tests.cjs'], languageOptions: { globals: { beforeEach: 'readonly', expect: 'readonly' } } },
);
