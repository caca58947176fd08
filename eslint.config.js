// Lint: TypeScript rules plus the architecture boundary: machines/ stay pure.
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/**', 'dist/**', 'data/**', 'admin/dist/**', 'widget/dist/**', '.tmp/**'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    // Machines may import only xstate and protocol/: effects are provided by server/.
    files: ['machines/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [
          { group: ['**/server/**', '../server/*'], message: 'machines/ must not import from server/: inject effects with .provide().' },
          { group: ['node:*', 'fs', 'net', 'http', 'postgres', 'ioredis', '@clickhouse/*', 'uWebSockets.js'], message: 'machines/ are pure: no I/O modules.' },
        ],
      }],
    },
  },
);
