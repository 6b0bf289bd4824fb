#!/usr/bin/env node
// Builds everything the tests and the VSIX need:
//  - dist/extension.js: the extension bundle (cjs, node, `vscode` external, minified, with a source map)
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

export async function buildBundle({ production = true } = {}) {
  const result = await esbuild.build({
    entryPoints: [path.join(root, 'src/extension.ts')],
    outfile: path.join(root, 'dist/extension.js'),
    bundle: true,
    format: 'cjs',
    platform: 'node',
    target: 'node20',
    external: ['vscode'],
    minify: production,
    sourcemap: true,
    metafile: true,
    logLevel: 'warning',
    legalComments: 'none',
    // jsonc-parser's "main" is a UMD build whose internal requires esbuild cannot follow: take its ESM build.
    mainFields: ['module', 'main'],
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
    const size = fs.statSync(path.join(root, 'dist/extension.js')).size;
    console.log(`dist/extension.js: ${(size / 1024).toFixed(1)} KiB`);
    if (args.has('--meta')) console.log(await esbuild.analyzeMetafile(r.metafile));
  }
  await buildOut();
  console.log(`built in ${Date.now() - t0} ms`);
}
