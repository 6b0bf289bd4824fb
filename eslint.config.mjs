// ESLint flat config: typescript-eslint with type information for src/ and test/; ESLint's recommended rules for
// the .mjs/.cjs of scripts/, bench/ and test/fixtures/ (tsconfig.js.json type-checks those); no import cycles
// anywhere. `npm test` runs it (scripts/test-all.mjs, the static layer).
import js from '@eslint/js';
import { defineConfig } from 'eslint/config';
import importX, { createNodeResolver } from 'eslint-plugin-import-x';
import tseslint from 'typescript-eslint';

const TS = ['**/*.ts'];
const JS = ['**/*.mjs', '**/*.cjs', '**/*.js'];

// A value import of src/core/protocol/sdk.ts (or of what it is built on) would pull the SDK back into activation:
// it loads lazily through loadSdk.ts (types are free).
const lazySdk = {
  group: ['**/protocol/sdk', '**/protocol/sdkResults', '**/protocol/sdkImports', './sdk', './sdkResults', './sdkImports'],
  allowTypeImports: true,
  message: 'Import SDK values through loadSdk.ts (sdk()); only types may be imported from sdk.ts, sdkResults.ts and sdkImports.ts.',
};
// The one module that imports @modelcontextprotocol/sdk (types included): a later move to the v2 packages starts there.
const SDK_MODULE = 'src/core/protocol/sdkImports.ts';

// The scripts run on Node: its globals are exactly those of the Node running ESLint (no list to keep up to date;
// tsc checks the same names against @types/node).
const nodeGlobals = Object.fromEntries(Object.getOwnPropertyNames(globalThis).map((name) => [name, 'readonly']));

export default defineConfig(
  { ignores: ['node_modules/**', 'dist/**', 'out/**', '.vscode-test/**', 'test-results/**', 'bench/.tmp/**'] },
  {
    files: TS,
    extends: [tseslint.configs.recommended],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: false }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: JS,
    extends: [js.configs.recommended],
    languageOptions: { ecmaVersion: 'latest', sourceType: 'module', globals: nodeGlobals },
    rules: { 'no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }] },
  },
  {
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs' },
  },
  {
    // A cycle makes module evaluation order matter (a half-initialised module seen through an import) and keeps
    // layers from being separated. Type-only imports do not count: they vanish at runtime.
    files: [...TS, ...JS],
    plugins: { 'import-x': importX },
    settings: {
      'import-x/extensions': ['.ts', '.mjs', '.cjs', '.js'],
      'import-x/parsers': { '@typescript-eslint/parser': ['.ts'] },
      // Imports in src/ are extensionless (or './x.js' for x.ts) and tsconfig has no path aliases: import-x's
      // built-in Node resolver with .ts first finds them, no TypeScript resolver needed. An import that does not
      // resolve is skipped silently (a cycle through it would go unseen), hence this setting.
      'import-x/resolver-next': [createNodeResolver({ extensions: ['.ts', '.mjs', '.cjs', '.js', '.json', '.node'], extensionAlias: { '.js': ['.ts', '.js'] } })],
    },
    rules: { 'import-x/no-cycle': ['error', { ignoreExternal: true }] },
  },
  {
    files: ['src/**/*.ts'],
    rules: { 'no-console': 'error' },
  },
  {
    // Text reaches notifications, progress and the status bar only through src/vscode/messages.ts, which makes
    // `[x](command:...)` links and `$(icon)`s inert (STYLE rule 12).
    // The one exception is the consent modal (src/vscode/trust/ask.ts), whose detail must show the exact launch.
    files: ['src/**/*.ts'],
    ignores: ['src/vscode/messages.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector: "MemberExpression[object.property.name='window'][property.name=/^(show(Error|Warning|Information)Message|withProgress|setStatusBarMessage)$/]",
          message: 'Use showMessage / withProgress / setStatusMessage from src/vscode/messages.ts: they make server text inert.',
        },
      ],
    },
  },
  {
    // The engine never depends on the editor (STYLE: vscode/ -> core/, never back), and only SDK_MODULE imports
    // the SDK.
    files: ['src/**/*.ts'],
    rules: { 'no-restricted-imports': 'off', '@typescript-eslint/no-restricted-imports': ['error', withLazySdk(restrictions({ vscode: false, sdk: true }))] },
  },
  {
    files: ['src/core/**/*.ts'],
    ignores: ['src/core/protocol/sdk.ts', 'src/core/protocol/sdkResults.ts', 'src/core/protocol/loadSdk.ts', SDK_MODULE],
    rules: { '@typescript-eslint/no-restricted-imports': ['error', withLazySdk(restrictions({ vscode: true, sdk: true }))] },
  },
  {
    // The command line client is the engine with terminal services: no editor, no adapters (like src/core).
    files: ['src/cli.ts', 'src/cli/**/*.ts'],
    rules: { '@typescript-eslint/no-restricted-imports': ['error', withLazySdk(restrictions({ vscode: true, sdk: true, from: 'src/cli' }))] },
  },
  {
    // The SDK seam itself: these build on SDK_MODULE and on each other (values included), but import no SDK.
    files: ['src/core/protocol/loadSdk.ts', 'src/core/protocol/sdk.ts', 'src/core/protocol/sdkResults.ts'],
    rules: { '@typescript-eslint/no-restricted-imports': ['error', restrictions({ vscode: true, sdk: true })] },
  },
  {
    files: [SDK_MODULE],
    rules: { '@typescript-eslint/no-restricted-imports': ['error', restrictions({ vscode: true, sdk: false })] },
  },
);

/**
 * @param {{ vscode: boolean, sdk: boolean, from?: string }} which what the files may not import
 */
function restrictions({ vscode, sdk, from = 'src/core' }) {
  const paths = vscode ? [{ name: 'vscode', message: `${from} must not import vscode: declare an interface and let the adapter pass it in.` }] : [];
  /** @type {{ group: string[], message: string, allowTypeImports?: boolean }[]} */
  const patterns = [];
  if (vscode) patterns.push({ group: ['**/vscode/*', './vscode', '../vscode', '../../vscode'], message: `${from} must not import the adapters.` });
  if (sdk) patterns.push({ group: ['@modelcontextprotocol/sdk', '@modelcontextprotocol/sdk/*'], message: `Import the SDK only in ${SDK_MODULE}; elsewhere import from src/core/protocol/sdk.ts (values through loadSdk.ts).` });
  return { paths, patterns };
}

/** @param {ReturnType<typeof restrictions>} r */
function withLazySdk(r) {
  return { ...r, patterns: [...r.patterns, lazySdk] };
}
