#!/usr/bin/env node
// Builds the production bundle and packages mcp-host-<version>.vsix with @vscode/vsce (offline:
// --no-dependencies, everything is bundled). .vscodeignore is an allow-list. vsce prints the files;
// this prints the VSIX size and fails if it is 1 MB or more.
// Usage: node scripts/package.mjs [--out FILE]
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { buildBundle } from './build.mjs';

const root = path.resolve(import.meta.dirname, '..');
const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
const i = process.argv.indexOf('--out');
const out = path.resolve((i > 0 ? process.argv[i + 1] : undefined) ?? path.join(root, `${pkg.name}-${pkg.version}.vsix`));
const LIMIT = 1024 * 1024;

const t0 = Date.now();
await buildBundle({ production: true });
fs.mkdirSync(path.dirname(out), { recursive: true });
const vsce = path.join(root, 'node_modules/@vscode/vsce/vsce');
const r = spawnSync(process.execPath, [vsce, 'package', '--no-dependencies', '--out', out], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
process.stdout.write(r.stdout);
process.stderr.write(r.stderr);
if (r.status !== 0) process.exit(r.status ?? 1);
const size = fs.statSync(out).size;
console.log(`${path.relative(root, out)}: ${(size / 1024).toFixed(1)} KiB (${size} bytes) in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
if (size >= LIMIT) {
  console.error(`the VSIX must stay under 1 MB (${LIMIT} bytes)`);
  process.exit(1);
}
