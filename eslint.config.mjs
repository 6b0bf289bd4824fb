// ESLint flat config: typescript-eslint with type information for src/ and test/.
import tseslint from 'typescript-eslint';

// A value import of src/core/protocol/sdk.ts would pull the SDK back into activation: it loads lazily through
// loadSdk.ts (types are free).
const lazySdk = { group: ['**/protocol/sdk', '**/protocol/sdkResults', './sdk', './sdkResults'], allowTypeImports: true, message: 'Import SDK values through loadSdk.ts (sdk()); only types may be imported from sdk.ts and sdkResults.ts.' };

export default tseslint.config(
  { ignores: ['node_modules/**', 'dist/**', 'out/**', '.vscode-test/**', 'test-results/**', 'bench/.tmp/**', '**/*.mjs', '**/*.js', '**/*.cjs'] },
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: false }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['src/**/*.ts'],
    rules: { 'no-console': 'error' },
  },
  {
    // The engine never depends on the editor (STYLE: vscode/ -> core/, never back), and only
    // src/core/protocol/sdk.ts (with sdkResults.ts, the SDK seam) imports the SDK.
    files: ['src/**/*.ts'],
    rules: { 'no-restricted-imports': 'off', '@typescript-eslint/no-restricted-imports': ['error', withLazySdk(restrictions({ vscode: false, sdk: true }))] },
  },
  {
    files: ['src/core/**/*.ts'],
    ignores: ['src/core/protocol/sdk.ts', 'src/core/protocol/sdkResults.ts', 'src/core/protocol/loadSdk.ts'],
    rules: { '@typescript-eslint/no-restricted-imports': ['error', withLazySdk(restrictions({ vscode: true, sdk: true }))] },
  },
  {
    // The command line client is the engine with terminal services: no editor, no adapters (like src/core).
    files: ['src/cli.ts', 'src/cli/**/*.ts'],
    rules: { '@typescript-eslint/no-restricted-imports': ['error', withLazySdk(restrictions({ vscode: true, sdk: true, from: 'src/cli' }))] },
  },
  {
    files: ['src/core/protocol/loadSdk.ts'],
    rules: { '@typescript-eslint/no-restricted-imports': ['error', restrictions({ vscode: true, sdk: true })] },
  },
  {
    files: ['src/core/protocol/sdk.ts', 'src/core/protocol/sdkResults.ts'],
    rules: { '@typescript-eslint/no-restricted-imports': ['error', restrictions({ vscode: true, sdk: false })] },
  },
);

function restrictions({ vscode, sdk, from = 'src/core' }) {
  const paths = vscode ? [{ name: 'vscode', message: `${from} must not import vscode: declare an interface and let the adapter pass it in.` }] : [];
  const patterns = [];
  if (vscode) patterns.push({ group: ['**/vscode/*', './vscode', '../vscode', '../../vscode'], message: `${from} must not import the adapters.` });
  if (sdk) patterns.push({ group: ['@modelcontextprotocol/sdk', '@modelcontextprotocol/sdk/*'], message: 'Import the SDK only in src/core/protocol/sdk.ts and sdkResults.ts.' });
  return { paths, patterns };
}

function withLazySdk(r) {
  return { ...r, patterns: [...r.patterns, lazySdk] };
}
