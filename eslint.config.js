// Typed lint: the rules that catch async mistakes an operator cannot afford (floating promises above all).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

// Adapter boundaries (DESIGN): one file owns each client library, so a client upgrade or swap touches one place.
const kubeClient = {
  group: ['@kubernetes/client-node', '@kubernetes/client-node/*'],
  message: 'Only shared/kube/client.ts (the adapter) may import @kubernetes/client-node: use #shared/kube/*.',
};
const natsClient = {
  group: ['@nats-io/*'],
  message: 'Only shared/bus/nats*.ts (the adapter) may import @nats-io/*: use #shared/bus/* (Bus, readEvents).',
};
const restrictImports = (...patterns) => ['error', { patterns }];

export default tseslint.config(
  { ignores: ['node_modules/**', 'eslint.config.js', '**/*.js', '**/*.cjs'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { arguments: false } }],
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/only-throw-error': 'error',
      '@typescript-eslint/require-await': 'off',
      'no-constant-condition': ['error', { checkLoops: false }],
      'no-restricted-imports': restrictImports(kubeClient, natsClient),
    },
  },
  { files: ['shared/kube/client.ts'], rules: { 'no-restricted-imports': restrictImports(natsClient) } },
  { files: ['shared/bus/nats*.ts'], rules: { 'no-restricted-imports': restrictImports(kubeClient) } },
  {
    files: ['**/*.test.ts', 'test/**/*.ts'],
    rules: {
      '@typescript-eslint/no-unused-expressions': 'off',
      '@typescript-eslint/no-non-null-assertion': 'off',
      // Tests and fixtures drive the real clients directly (test/fixtures is under test/**).
      'no-restricted-imports': 'off',
    },
  },
);
