/**
 * Test implementations of the user-facing half of session/asks (what the editor implements with quick inputs and
 * vscode.lm): they record every question and answer as the test says, so the core policy runs for real against
 * real servers.
 */
import type {
  AskContext,
  ElicitAction,
  ElicitationPrompter,
  FormAnswer,
  FormQuestion,
  ModelInfo,
  Sampler,
  SamplingConsent,
  SamplingRequest,
  SamplingResult,
  UrlQuestion,
} from '../../../src/core/session/asks/types';

export class TestPrompter implements ElicitationPrompter {
  readonly forms: { question: FormQuestion; ctx: AskContext }[] = [];
  readonly urls: { question: UrlQuestion; ctx: AskContext }[] = [];
  open = 0;
  maxOpen = 0;
  /** How a form is answered (default: accept with name "Ada"). May wait. */
  answerForm: (q: FormQuestion, ctx: AskContext) => Promise<FormAnswer> = () => Promise.resolve({ action: 'accept', content: { name: 'Ada' } });
  answerUrl: (q: UrlQuestion, ctx: AskContext) => Promise<ElicitAction> = () => Promise.resolve('accept');

  async form(question: FormQuestion, ctx: AskContext): Promise<FormAnswer> {
    this.forms.push({ question, ctx });
    this.maxOpen = Math.max(this.maxOpen, ++this.open);
    try {
      return await this.answerForm(question, ctx);
    } finally {
      this.open--;
    }
  }

  async url(question: UrlQuestion, ctx: AskContext): Promise<ElicitAction> {
    this.urls.push({ question, ctx });
    return this.answerUrl(question, ctx);
  }
}

/** Resolves when `signal` aborts (a prompt that stays open until it is withdrawn). */
export function untilAborted<T>(signal: AbortSignal, value: T): Promise<T> {
  return new Promise((resolve) => {
    if (signal.aborted) resolve(value);
    else signal.addEventListener('abort', () => resolve(value), { once: true });
  });
}

export const testModels: ModelInfo[] = [
  { id: 'test-fast', name: 'Fast', vendor: 'test', family: 'fast' },
  { id: 'test-smart', name: 'Smart', vendor: 'test', family: 'smart' },
];

export class TestSampler implements Sampler {
  readonly supportsTools = true;
  available: ModelInfo[] = testModels;
  consentAnswer: SamplingConsent | undefined = 'always';
  consents = 0;
  readonly runs: { request: SamplingRequest; model: ModelInfo; ctx: AskContext }[] = [];
  reply: (r: SamplingRequest, m: ModelInfo, ctx: AskContext) => Promise<SamplingResult | undefined> = (_r, m) =>
    Promise.resolve({ role: 'assistant', content: { type: 'text', text: 'sampled answer' }, model: m.id, stopReason: 'endTurn' });

  models(): Promise<readonly ModelInfo[]> {
    return Promise.resolve(this.available);
  }
  consent(): Promise<SamplingConsent | undefined> {
    this.consents++;
    return Promise.resolve(this.consentAnswer);
  }
  run(request: SamplingRequest, model: ModelInfo, ctx: AskContext): Promise<SamplingResult | undefined> {
    this.runs.push({ request, model, ctx });
    return this.reply(request, model, ctx);
  }
}

/** The text of a tool result's first block, parsed as JSON when it is JSON. */
export function firstText(r: { content: readonly unknown[] }): unknown {
  const block = r.content[0] as { text?: string } | undefined;
  const text = block?.text ?? '';
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}
