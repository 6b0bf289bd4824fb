import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Tool } from '../../../../src/core/protocol/sdk';
import { toolMarks } from '../../../../src/vscode/tree/toolMarks';

const tool = (extra: Partial<Tool> & Record<string, unknown>): Tool => ({ name: 't', inputSchema: { type: 'object' }, ...extra }) as Tool;

void test('claimed annotations become a tag worded as the server\'s claim, most alarming first, with one icon', () => {
  assert.deepEqual(toolMarks(tool({ annotations: { destructiveHint: true, openWorldHint: true } })), {
    claims: ['destructive', 'open-world'],
    appOnly: false,
    appUi: false,
    icon: 'flame',
    tag: 'server says: destructive, open-world',
  });
  const ro = toolMarks(tool({ annotations: { readOnlyHint: true, destructiveHint: true } }));
  assert.deepEqual(ro.claims, ['read-only'], 'destructive means nothing for a read-only tool (spec)');
  assert.equal(ro.icon, 'eye');
  assert.equal(toolMarks(tool({ annotations: { openWorldHint: true, readOnlyHint: true } })).icon, 'globe');
  assert.equal(toolMarks(tool({ annotations: { title: 'x', destructiveHint: false } })).tag, undefined, 'no claim, no tag');
  assert.equal(toolMarks(undefined).tag, undefined);
});

void test('MCP Apps: visibility ["app"] marks an app-only tool, a resourceUri an app UI; odd _meta is ignored', () => {
  const appOnly = toolMarks(tool({ _meta: { ui: { visibility: ['app'], resourceUri: 'ui://x/app.html' } } }));
  assert.equal(appOnly.appOnly, true);
  assert.equal(appOnly.appUi, true);
  assert.equal(appOnly.tag, 'app-only');
  assert.equal(toolMarks(tool({ _meta: { ui: { visibility: ['app', 'model'] } } })).appOnly, false, 'visible to the model too');
  assert.equal(toolMarks(tool({ _meta: { ui: { resourceUri: 'ui://x' } } })).tag, undefined, 'an app UI alone is said in the detail and tooltip');
  for (const meta of [null, 'ui', { ui: [] }, { ui: { visibility: 'app' } }, { ui: { resourceUri: 3 } }]) {
    const m = toolMarks(tool({ _meta: meta as never }));
    assert.equal(m.appOnly || m.appUi, false, JSON.stringify(meta));
  }
  const long = [...Array.from({ length: 100_000 }, () => 'x'), 'model'];
  assert.equal(toolMarks(tool({ _meta: { ui: { visibility: ['app', ...long] } } })).appOnly, true, 'only the first entries are looked at');
});
