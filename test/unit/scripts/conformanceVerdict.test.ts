import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { repoRoot } from '../../support/repoRoot';

interface Run {
  code: number;
  scenarios: number;
  unexpectedAtFirst: number;
  rescued: number;
  unexpected: number;
  stale: number;
}

async function verdict(): Promise<(run: Run) => number> {
  const lib = (await import(pathToFileURL(path.join(repoRoot(), 'scripts/lib/conformanceVerdict.mjs')).href)) as {
    conformanceFailures: (run: Run) => number;
  };
  return lib.conformanceFailures;
}

const clean: Run = { code: 0, scenarios: 18, unexpectedAtFirst: 0, rescued: 0, unexpected: 0, stale: 0 };

void test('a clean run counts no failure', async () => {
  assert.equal((await verdict())(clean), 0);
});

void test('a timing scenario that failed in parallel and passed alone counts no failure (the CI run of session 2)', async () => {
  assert.equal((await verdict())({ ...clean, code: 1, unexpectedAtFirst: 1, rescued: 1 }), 0);
});

void test('a timing scenario that failed again alone counts as a failure', async () => {
  assert.equal((await verdict())({ ...clean, code: 1, unexpectedAtFirst: 1, rescued: 0, unexpected: 1 }), 1);
});

void test('two unexpected failures of which one was rescued count the other', async () => {
  assert.equal((await verdict())({ ...clean, code: 1, unexpectedAtFirst: 2, rescued: 1, unexpected: 1 }), 1);
});

void test('a stale expected-failure entry fails the layer even with exit 0', async () => {
  assert.equal((await verdict())({ ...clean, stale: 1 }), 1);
});

void test('a non-zero exit with no report, or with nothing listed, counts one failure', async () => {
  const v = await verdict();
  assert.equal(v({ ...clean, code: 1, scenarios: 0 }), 1);
  assert.equal(v({ ...clean, code: 2 }), 1);
});
