#!/usr/bin/env node
// Builds everything the tests and the VSIX need:
//  - dist/extension.js: the extension bundle (cjs, node, `vscode` external, minified, with a source map)
//  - dist/cli.js: the command-line client `mcp-host` (the package's `bin`; same engine, no `vscode`)
//  - dist/vendor.js: the third-party code the extension needs only after activation (MCP SDK + zod), loaded
//    by dist/extension.js and dist/cli.js on first use (see vendorSplit)
//  - dist/schemaWorker.js: the schema checker's worker thread with ajv inside (src/core/schema/schemaChecker.ts
//    starts it on the first argument check; never part of activation)
//  - out/: every .ts under src/, test/ and bench/ transpiled 1:1 (cjs) for node:test, mocha and benchmarks.
// Type checking is `npm run typecheck` (tsc --noEmit); esbuild only strips types.
import * as esbuild from 'esbuild';
import fs from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const args = new Set(process.argv.slice(2));
const onlyOut = args.has('--out-only');

function listTs(dir) {
  const abs = path.join(root, dir);
  if (!fs.existsSync(abs)) return [];
  return fs
    .readdirSync(abs, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && e.name.endsWith('.ts') && !e.name.endsWith('.d.ts'))
    .map((e) => path.join(e.parentPath ?? e.path, e.name));
}

// Packages that only run after activation: the MCP SDK and zod (first server start, through
// src/core/protocol/loadSdk.ts), ajv (first argument validation) and oauth4webapi (the first sign-in, through
// src/core/auth/lib.ts). They are half of the code; keeping them out of dist/extension.js halves what the extension host parses on activation (bench/activation.mjs). Imports of them
// become `require('./vendor.js')[specifier]`; dist/vendor.js maps each specifier to a getter, so a package is
// evaluated only when first used, and only then is dist/vendor.js itself read.
const LAZY_VENDOR = /^(@modelcontextprotocol\/sdk|zod|ajv|ajv-formats|ws|eventsource-parser|oauth4webapi)(\/|$)/;

function vendorSplit(specifiers) {
  return {
    name: 'vendor-split',
    setup(b) {
      b.onResolve({ filter: LAZY_VENDOR }, (a) => {
        specifiers.add(a.path);
        return { path: a.path, namespace: 'vendor' };
      });
      b.onResolve({ filter: /^\.\/vendor\.js$/, namespace: 'vendor' }, () => ({ path: './vendor.js', external: true }));
      b.onLoad({ filter: /.*/, namespace: 'vendor' }, (a) => ({
        contents: `module.exports = require('./vendor.js')[${JSON.stringify(a.path)}];`,
        loader: 'js',
      }));
    },
  };
}

export async function buildBundle({ production = true } = {}) {
  /** @type {import('esbuild').BuildOptions} */
  const common = {
    bundle: true,
    format: 'cjs',
    platform: 'node',
    target: 'node20',
    minify: production,
    sourcemap: true,
    logLevel: 'warning',
    legalComments: 'none',
    // jsonc-parser's "main" is a UMD build whose internal requires esbuild cannot follow: take its ESM build.
    mainFields: ['module', 'main'],
  };
  const specifiers = new Set();
  const result = await esbuild.build({
    ...common,
    entryPoints: [path.join(root, 'src/extension.ts')],
    outfile: path.join(root, 'dist/extension.js'),
    external: ['vscode'],
    metafile: true,
    plugins: [vendorSplit(specifiers)],
  });
  // The CLI shares dist/vendor.js: `mcp-host servers` never loads the SDK, a command on a server loads it once.
  await esbuild.build({
    ...common,
    entryPoints: [path.join(root, 'src/cli.ts')],
    outfile: path.join(root, 'dist/cli.js'),
    banner: { js: '#!/usr/bin/env node' },
    plugins: [vendorSplit(specifiers)],
  });
  fs.chmodSync(path.join(root, 'dist/cli.js'), 0o755);
  const getters = [...specifiers].sort().map((s) => `  get ${JSON.stringify(s)}() { return require(${JSON.stringify(s)}); },`);
  await esbuild.build({
    ...common,
    stdin: { contents: `module.exports = {\n${getters.join('\n')}\n};\n`, resolveDir: root, sourcefile: 'vendor-entry.js', loader: 'js' },
    outfile: path.join(root, 'dist/vendor.js'),
    // The ESM builds, as the single bundle used (the SDK's and zod's CommonJS builds are three times bigger);
    // esbuild wraps a required ES module so that it still initialises on first use.
    conditions: ['import'],
  });
  // The worker is its own program (a new thread loads it by path): everything it needs, ajv included, in one file.
  await esbuild.build({
    ...common,
    entryPoints: [path.join(root, 'src/core/schema/schemaWorker.ts')],
    outfile: path.join(root, 'dist/schemaWorker.js'),
  });
  return result;
}

export async function buildOut() {
  const entryPoints = [...listTs('src'), ...listTs('test'), ...listTs('bench')];
  // Prune outputs whose source is gone instead of wiping out/: several test runs may share it at once.
  const wanted = new Set(entryPoints.map((f) => path.join(root, 'out', path.relative(root, f)).replace(/\.ts$/, '.js')));
  const outDir = path.join(root, 'out');
  if (fs.existsSync(outDir)) {
    for (const e of fs.readdirSync(outDir, { recursive: true, withFileTypes: true })) {
      const f = path.join(e.parentPath ?? e.path, e.name);
      if (e.isFile() && f.endsWith('.js') && !wanted.has(f)) fs.rmSync(f, { force: true });
    }
  }
  await esbuild.build({
    entryPoints,
    outdir: path.join(root, 'out'),
    outbase: root,
    bundle: false,
    format: 'cjs',
    platform: 'node',
    target: 'node20',
    sourcemap: 'inline',
    logLevel: 'warning',
  });
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const t0 = Date.now();
  if (!onlyOut && fs.existsSync(path.join(root, 'src/extension.ts'))) {
    const r = await buildBundle({ production: !args.has('--dev') });
    for (const f of ['dist/extension.js', 'dist/cli.js', 'dist/vendor.js', 'dist/schemaWorker.js']) console.log(`${f}: ${(fs.statSync(path.join(root, f)).size / 1024).toFixed(1)} KiB`);
    if (args.has('--meta')) console.log(await esbuild.analyzeMetafile(r.metafile ?? ''));
  }
  await buildOut();
  console.log(`built in ${Date.now() - t0} ms`);
}
