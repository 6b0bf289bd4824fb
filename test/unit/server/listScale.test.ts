/**
 * Listing at scale (issue 10, finding 6): a server with 40,000 tools without a description, re-listed after
 * `list_changed`. Each missing description is a per-item warning; re-listing used to compare every warning with
 * the previous list (`Array.includes` in a loop, ~50 s of blocked host) and kept all 40,000 of them.
 */
import * as assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { ServerHandle } from '../../../src/core/server/types';
import { createHarness, waitFor, type Harness } from './helpers';

const TOOLS = 40_000;

void describe('re-listing 40,000 tools without a description', () => {
  let h: Harness;
  let s: ServerHandle | undefined;
  before(async () => {
    h = createHarness();
    [s] = await h.add(h.scripted('huge', 'normal', { TOOL_COUNT: String(TOOLS), PAGE_SIZE: '5000', NO_DESCRIPTION: '1' }));
    await s!.start();
  });
  after(() => h.close());

  void it('a list_changed re-list is linear, and per-item warnings are capped with a count of the rest', async () => {
    assert.equal(s!.lists.tools.length, TOOLS + 15);
    let changes = 0;
    const sub = s!.onDidChangeLists(() => changes++);
    const t0 = performance.now();
    await s!.callTool('storm', { count: 1 });
    await waitFor(() => changes >= 1, 60_000, 'the re-list after list_changed');
    const elapsed = performance.now() - t0;
    sub.dispose();
    assert.ok(elapsed < 5000, `re-list took ${elapsed.toFixed(0)} ms`);

    const warnings = s!.lists.warnings;
    const perTool = warnings.filter((w) => /^tool "[^"]*" has no description$/.test(w));
    assert.equal(perTool.length, 100, `per-tool warnings: ${perTool.length}`);
    // 40,000 t_i plus the fixture's own 'nodesc' tool.
    assert.ok(warnings.includes(`tools/list: ${TOOLS + 1 - 100} more tools have no description`), warnings.slice(-3).join('\n'));
    assert.ok(warnings.length < 200, `warnings kept: ${warnings.length}`);
    // The log got each distinct warning once (first listing), not again on the re-list.
    const logged = h.serverLog('huge').text('warn').split('\n').filter((l) => l.includes('has no description'));
    assert.equal(logged.length, 100);
  });
});
