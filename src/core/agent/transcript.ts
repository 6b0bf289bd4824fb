/**
 * The transcript as a markdown document. Model and server text are untrusted (a server's result can steer the
 * model's words): every such text sits in a fence it cannot close, names in inline code, so the preview shows
 * them literally (no links, images or HTML). The editor's own link detector finds bare `file://` even in code, so
 * the whole text has them broken (`breakBareFileUris`). Bounded: each piece is cut.
 */
import { sanitizeText } from '../base/sanitize';
import { fenceFor, inlineCode } from '../content/text';
import { breakBareFileUris } from '../trust/safeDocument';
import type { Transcript, TranscriptCall } from './loop';

/** Characters of one piece (answer, arguments, result) shown at most in the document. */
export const MAX_PIECE_CHARS = 20_000;

function fenced(text: string, language = 'text'): string {
  let body = sanitizeText(text);
  if (body.length > MAX_PIECE_CHARS) body = `${body.slice(0, MAX_PIECE_CHARS)}\n… (${body.length - MAX_PIECE_CHARS} more characters not shown)`;
  const fence = fenceFor(body);
  return `${fence}${language}\n${body}\n${fence}`;
}

const STATUS: Record<TranscriptCall['status'], string> = {
  running: 'running…',
  result: 'result',
  error: 'the tool reported an error',
  refused: 'refused in the confirmation',
  failed: 'failed',
  cancelled: 'cancelled',
  notRun: 'not run (round cap)',
};

function callLines(c: TranscriptCall): string[] {
  const who = c.target ? `${inlineCode(c.target.toolName, 120)} of ${inlineCode(c.target.serverName, 120)}` : `${inlineCode(c.modelName, 120)} (no such tool)`;
  const lines = [`#### Tool call: ${who}`, '', 'Arguments:', '', fenced(JSON.stringify(c.args, undefined, 2) ?? '{}', 'json'), '', `Outcome: ${STATUS[c.status]}`];
  if (c.result) {
    const texts = c.result.parts.map((p) => (p.type === 'text' ? p.text : `[image ${p.mimeType}, ${p.data.byteLength} bytes, passed to the model]`));
    lines.push('', fenced(texts.join('\n')));
  }
  return lines;
}

/** The markdown of `t` as it stands (call again as it streams). */
export function transcriptMarkdown(t: Transcript): string {
  const out: string[] = ['# Ask a Model with Tools', '', `Model: ${inlineCode(t.modelName, 120)} · tools offered: ${t.tools.length} (${t.toolBytes} bytes of definitions per request)`, '', '## Question', '', fenced(t.question)];
  t.rounds.forEach((r, i) => {
    const last = i === t.rounds.length - 1;
    const isAnswer = last && r.calls.length === 0 && t.end?.kind === 'answered';
    out.push('', isAnswer ? '## Answer' : `## Round ${i + 1}`);
    if (r.text) out.push('', fenced(r.text));
    for (const c of r.calls) out.push('', ...callLines(c));
  });
  const end = t.end;
  if (!end) out.push('', '_Running…_');
  else if (end.kind === 'roundCap') out.push('', `**Stopped:** the round cap (${end.maxRounds}, setting \`mcpHost.agent.maxRounds\`) was reached while the model still called tools.`);
  else if (end.kind === 'cancelled') out.push('', '**Cancelled.**');
  else if (end.kind === 'modelFailed') out.push('', '**The model request failed:**', '', fenced(end.message));
  return breakBareFileUris(`${out.join('\n')}\n`);
}
