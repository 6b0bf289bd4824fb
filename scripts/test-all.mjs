#!/usr/bin/env node
// `npm test`: every layer in turn (static, unit, integration on both engines, e2e), then ONE closing line across
// all of them, exactly `N passed, N failed`, which CI reads. Exits non-zero if anything failed.
// Layers: static = scripts/test-static.mjs (tsc and ESLint over src, test, bench, scripts: two checks),
// unit = scripts/test-unit.mjs (node:test; counts parsed from its summary), conformance =
// scripts/test-conformance.mjs (the official MCP conformance suite against `mcp-host conformance`; counts are
// scenarios, expected failures noted), integration = scripts/test-integration.mjs and e2e = scripts/test-e2e.mjs
// (static, conformance, integration and e2e: counts from the JSON file each writes to $MCP_HOST_SUMMARY_FILE).
// A layer that fails without reporting counts (a crash, a build error) counts as one failure.
// Usage: node scripts/test-all.mjs [--skip static|unit|conformance|integration|e2e]...
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { ensureSystemDeps } from './ensure-system-deps.mjs';

const root = path.resolve(import.meta.dirname, '..');
const skip = new Set();
for (let i = 2; i < process.argv.length; i++) if (process.argv[i] === '--skip') skip.add(process.argv[++i]);

/** Runs a script, echoing its output, and returns { code, output }. */
function run(script, env) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [path.join(root, script)], { cwd: root, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d) => {
      output += d;
      process.stdout.write(d);
    });
    child.stderr.on('data', (d) => process.stderr.write(d));
    child.on('close', (code, signal) => resolve({ code: code ?? (signal ? 1 : 0), output }));
  });
}

/** node:test's spec summary: "ℹ pass 3", "ℹ fail 1", "ℹ cancelled 0" (the last ones printed win). */
function nodeTestCounts(output) {
  const grab = (k) => {
    const all = [...output.matchAll(new RegExp(`^\\S*\\s*${k} (\\d+)\\s*$`, 'gm'))];
    return all.length ? Number(all[all.length - 1][1]) : undefined;
  };
  const pass = grab('pass');
  const fail = grab('fail');
  if (pass === undefined || fail === undefined) return undefined;
  return { passed: pass, failed: fail + (grab('cancelled') ?? 0) };
}

const summaryPath = (layer) => path.join(root, 'test-results', `${layer}-summary-${process.pid}.json`);
function summaryFile(layer) {
  try {
    return JSON.parse(fs.readFileSync(summaryPath(layer), 'utf8'));
  } catch {
    return undefined;
  }
}

const layers = [
  { name: 'static', script: 'scripts/test-static.mjs', counts: () => summaryFile('static') },
  { name: 'unit', script: 'scripts/test-unit.mjs', counts: (out) => nodeTestCounts(out) ?? (/no unit tests/.test(out) ? { passed: 0, failed: 0 } : undefined) },
  { name: 'conformance', script: 'scripts/test-conformance.mjs', counts: () => summaryFile('conformance') },
  { name: 'integration', script: 'scripts/test-integration.mjs', counts: () => summaryFile('integration') },
  { name: 'e2e', script: 'scripts/test-e2e.mjs', counts: () => summaryFile('e2e') },
];

fs.mkdirSync(path.join(root, 'test-results'), { recursive: true });
if (!skip.has('integration') || !skip.has('e2e')) {
  try {
    ensureSystemDeps('test'); // so `npm ci && npm test` works on a fresh machine
  } catch (e) {
    console.error(`[deps] ${e instanceof Error ? e.message : String(e)}`); // the layers that need them fail clearly
  }
}
let passed = 0;
let failed = 0;
const report = [];
for (const layer of layers) {
  if (skip.has(layer.name)) continue;
  fs.rmSync(summaryPath(layer.name), { force: true });
  console.log(`\n===== ${layer.name} =====`);
  const t0 = Date.now();
  const { code, output } = await run(layer.script, { MCP_HOST_SUMMARY_FILE: summaryPath(layer.name) });
  const c0 = layer.counts(output);
  fs.rmSync(summaryPath(layer.name), { force: true });
  const secs = ((Date.now() - t0) / 1000).toFixed(1);
  let c = c0;
  if (!c) c = { passed: 0, failed: 1, note: `exited ${code} without reporting counts` };
  else if (code !== 0 && c.failed === 0) c = { ...c, failed: 1, note: `exited ${code} although every test passed` };
  passed += c.passed;
  failed += c.failed;
  report.push(`  ${layer.name.padEnd(12)} ${String(c.passed).padStart(4)} passed ${String(c.failed).padStart(4)} failed  ${secs.padStart(6)} s${c.note ? `  (${c.note})` : ''}`);
}
console.log('\n===== summary =====');
for (const l of report) console.log(l);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed > 0 ? 1 : 0);
