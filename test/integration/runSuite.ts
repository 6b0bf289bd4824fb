// Runs one integration suite inside the VS Code extension host: mocha (bdd, 60 s timeout) over the
// *.test.js files of the suite's compiled folder. Each suite's index.ts is just
//   export function run(): Promise<void> { return runSuite(__dirname); }
// Per-test results also go, as JSON, to the file named by MCP_HOST_TEST_RESULTS (set by
// scripts/test-integration.mjs), which is how the harness counts them on every engine.
import * as fs from 'node:fs';
import * as path from 'node:path';
import Mocha from 'mocha';

export interface TestOutcome {
  title: string;
  state: 'passed' | 'failed' | 'pending';
  durationMs?: number;
  error?: string;
}

export interface SuiteResults {
  suite: string;
  passed: number;
  failed: number;
  pending: number;
  tests: TestOutcome[];
}

export function runSuite(suiteDir: string): Promise<void> {
  const mocha = new Mocha({ ui: 'bdd', timeout: 60_000, color: false, reporter: 'spec' });
  const files = fs
    .readdirSync(suiteDir)
    .filter((f) => f.endsWith('.test.js'))
    .sort();
  for (const f of files) mocha.addFile(path.join(suiteDir, f));
  const results: SuiteResults = { suite: path.basename(suiteDir), passed: 0, failed: 0, pending: 0, tests: [] };
  return new Promise((resolve, reject) => {
    const runner = mocha.run((failures) => {
      const out = process.env.MCP_HOST_TEST_RESULTS;
      if (out) fs.writeFileSync(out, JSON.stringify(results, null, 2));
      if (failures > 0) reject(new Error(`${failures} test(s) failed`));
      else resolve();
    });
    runner.on('pass', (t) => {
      results.passed++;
      results.tests.push({ title: t.fullTitle(), state: 'passed', durationMs: t.duration });
    });
    runner.on('fail', (t, err: unknown) => {
      results.failed++;
      const e = err as { stack?: string; message?: string } | undefined;
      results.tests.push({ title: t.fullTitle(), state: 'failed', durationMs: t.duration, error: e?.stack ?? e?.message ?? String(err) });
    });
    runner.on('pending', (t) => {
      results.pending++;
      results.tests.push({ title: t.fullTitle(), state: 'pending' });
    });
  });
}
