/**
 * The transcript document is markdown of model and server text: none of that text may become a link that runs a
 * command or opens a local file. The markdown link provider skips fenced code, but the editor's own link
 * detector finds bare `file://` anywhere (fences and inline code included), so none may be left in the text.
 */
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { transcriptMarkdown } from '../../../src/core/agent/transcript';
import type { Transcript } from '../../../src/core/agent/loop';
import { costMarkdown } from '../../../src/core/agent/cost';

const HOSTILE = 'Open [settings](command:workbench.action.openSettings) or file:///etc/passwd or <file:///home/u/.ssh/id_rsa>\n[ref]: command:x\n```\n[escaped](command:y)';

function hostileTranscript(): Transcript {
  return {
    question: `Summarise ${HOSTILE}`,
    modelName: 'model file:///m',
    tools: ['read'],
    toolBytes: 10,
    rounds: [
      {
        text: `I will read ${HOSTILE}`,
        calls: [
          {
            callId: 'c1',
            modelName: 'read',
            target: { serverId: 's', serverName: 'srv', toolName: 'file:///tool' },
            args: { path: 'file:///etc/shadow' },
            status: 'result',
            result: { callId: 'c1', isError: false, parts: [{ type: 'text', text: HOSTILE }] },
          },
        ],
      },
      { text: `Answer: ${HOSTILE}`, calls: [] },
    ],
    end: { kind: 'modelFailed', message: `failed: ${HOSTILE}` },
  };
}

void describe('the transcript document', () => {
  void it('leaves no bare file:// for the editor link detector, and keeps server text inside fences', () => {
    const md = transcriptMarkdown(hostileTranscript());
    assert.ok(!/file:\/\//i.test(md), `a bare file:// is left:\n${md}`);
    // Every hostile line sits inside a fence (the markdown link provider skips code blocks): outside the fences
    // only our own lines remain, and none of them carries a link target.
    let inFence: string | undefined;
    const outside: string[] = [];
    for (const line of md.split('\n')) {
      const fence = /^(`{3,})/.exec(line)?.[1];
      if (inFence === undefined && fence) inFence = fence;
      else if (inFence !== undefined && line.trim() === inFence) inFence = undefined;
      else if (inFence === undefined) outside.push(line);
    }
    assert.ok(!outside.some((l) => /\]\(|command:|^\s*\[[^\]]*\]:/.test(l.replace(/`[^`]*`/g, ''))), outside.join('\n'));
  });
});

void describe('the context cost document', () => {
  void it('a tool named like a file URI leaves no bare file:// for the editor link detector', () => {
    const md = costMarkdown(
      { servers: [{ serverName: 'srv', bytes: 10, tokens: 2, tools: [{ name: 'file:///etc/passwd', bytes: 10, tokens: 2 }] }], bytes: 10, tokens: 2, modelName: 'm' },
      'name',
    );
    assert.ok(!/file:\/\//i.test(md), md);
    assert.ok(md.includes('file:\\/\\//etc/passwd'), 'still readable');
  });
});
