#!/usr/bin/env node
// The static layer of `npm test`: two checks, each passed or failed as a whole.
//   tsc     `tsc --noEmit` over src/ and test/ (tsconfig.json), then over the JavaScript: scripts/, bench/ and the
//           .mjs under test/ (tsconfig.js.json, checkJs)
//   eslint  ESLint over src/, test/, bench/, scripts/ (eslint.config.mjs: the core imports no vscode, one module
//           imports the SDK, no import cycles, ...)
// The two run side by side (each is mostly one CPU-bound process); a check's output is printed when it ends.
// Writes { passed, failed } to $MCP_HOST_SUMMARY_FILE when set (scripts/test-all.mjs reads it); exits non-zero if
// a check failed.
// Usage: node scripts/test-static.mjs
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const require = createRequire(import.meta.url);
const tsc = require.resolve('typescript/bin/tsc');
const eslint = path.join(path.dirname(require.resolve('eslint/package.json')), 'bin/eslint.js');

const checks = [
  { name: 'tsc', commands: [[tsc, '--noEmit', '-p', 'tsconfig.json'], [tsc, '--noEmit', '-p', 'tsconfig.js.json']] },
  { name: 'eslint', commands: [[eslint, '--max-warnings', '0', 'src', 'test', 'bench', 'scripts', 'eslint.config.mjs']] },
];

/**
 * Runs `node <args>` in the repository root; resolves with its exit code (1 if it was killed) and its output.
 * @param {string[]} args
 * @returns {Promise<{ code: number, output: string }>}
 */
function node(args) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    child.on('error', (e) => resolve({ code: 1, output: `${output}${e.message}\n` }));
    child.on('close', (code) => resolve({ code: code ?? 1, output }));
  });
}

/** @param {{ name: string, commands: string[][] }} check */
async function runCheck(check) {
  const t0 = Date.now();
  let ok = true;
  let output = '';
  for (const args of check.commands) {
    const r = await node(args);
    output += r.output;
    if (r.code !== 0) {
      ok = false;
      output += `(${path.basename(args[0] ?? '')} ${args.slice(1).join(' ')} exited with ${r.code})\n`;
    }
  }
  const secs = ((Date.now() - t0) / 1000).toFixed(1);
  process.stdout.write(`${ok ? '✔' : '✖'} ${check.name} ${ok ? 'passed' : 'FAILED'} in ${secs} s\n${ok ? '' : output}`);
  return ok;
}

const results = await Promise.all(checks.map(runCheck));
const passed = results.filter(Boolean).length;
const failed = results.length - passed;
console.log(`static: ${passed} passed, ${failed} failed`);
if (process.env.MCP_HOST_SUMMARY_FILE) fs.writeFileSync(process.env.MCP_HOST_SUMMARY_FILE, JSON.stringify({ passed, failed }));
process.exit(failed ? 1 : 0);
