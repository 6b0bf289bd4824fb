/**
 * The policy side of answering servers (the user-facing side is injected): validation, at most one question open
 * per server at a time (later ones wait in a bounded queue, a flood is refused), withdrawal when the question's
 * context aborts, consent memory for sampling, URL-mode completion, and a record of what was asked (for tooltips).
 */
import type { Memento } from '../../config/types';
import { Emitter, type Event } from '../../base/events';
import type { Logger } from '../../base/logger';
import { checkOpenableUrl, formResult, parseElicitation } from './elicitation';
import { chooseModel, parseSamplingRequest, rememberSamplingConsent, rememberedSamplingConsent } from './sampling';
import {
  AnswerError,
  AnswerErrorCode,
  type AskContext,
  type AskRecord,
  type AskingServer,
  type ElicitationPrompter,
  type RootEntry,
  type Sampler,
  type ServerRequestHandlers,
  type UrlQuestion,
} from './types';

/** Questions waiting behind the open one, per server; more are refused (a server flooding the user). */
export const DEFAULT_MAX_QUEUED_ASKS = 3;
/** At most this many URL elicitations are handled for one -32042 error (then the call is retried once). */
const MAX_REQUIRED_URLS = 3;
/** How long a -32042 error's completion may take before the retry is abandoned. */
const REQUIRED_URL_TIMEOUT_MS = 10 * 60_000;

export interface ClientAnswersOptions {
  readonly server: AskingServer;
  /** The roots this server gets (its definition's override, else the workspace folders). */
  readonly roots: () => readonly RootEntry[];
  readonly elicitation?: ElicitationPrompter;
  readonly sampler?: Sampler;
  /** Where sampling consent is remembered (per server definition id). */
  readonly memento: Memento;
  /** Model allow-list for this server (empty or undefined: any model). */
  readonly samplingAllowList?: () => readonly string[] | undefined;
  readonly maxQueued?: number;
  readonly log: Logger;
}

function withdrawn(): AnswerError {
  return new AnswerError(AnswerErrorCode.refused, 'the request was withdrawn: the call it belonged to ended', 'withdrawn');
}

/** Rejects with `withdrawn()` when `signal` aborts before `p` settles. */
function unlessAborted<T>(p: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(withdrawn());
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(withdrawn());
    signal.addEventListener('abort', onAbort, { once: true });
    p.then(
      (v) => {
        signal.removeEventListener('abort', onAbort);
        resolve(v);
      },
      (e: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(e);
      },
    );
  });
}

/**
 * The client's answers for one server: `ServerRequestHandlers` plus what the engine feeds it (elicitation
 * completion notifications, -32042 errors). One per server; it outlives its connections (the queue and the
 * record belong to the server).
 */
export class ClientAnswers implements ServerRequestHandlers {
  readonly capabilities: Readonly<Record<string, unknown>>;
  private readonly _onDidAsk = new Emitter<AskRecord>();
  /** Fires when the record of what was asked changed. */
  readonly onDidAsk: Event<AskRecord> = this._onDidAsk.event;
  private readonly _record: AskRecord = { rootsAsked: 0, elicitations: 0, urlElicitations: 0, samplings: 0, refused: 0 };
  /** The open question's turn resolves when it ends; waiting ones chain behind it. */
  private tail: Promise<void> = Promise.resolve();
  private admitted = 0;
  private readonly completions = new Map<string, () => void>();

  constructor(private readonly options: ClientAnswersOptions) {
    const caps: Record<string, unknown> = { roots: { listChanged: true } };
    if (options.elicitation) caps.elicitation = { form: {}, url: {} };
    if (options.sampler) caps.sampling = options.sampler.supportsTools ? { tools: {} } : {};
    this.capabilities = caps;
  }

  get server(): AskingServer {
    return this.options.server;
  }

  get record(): AskRecord {
    return this._record;
  }

  private changed(): void {
    this._onDidAsk.fire(this._record);
  }

  listRoots(): Promise<{ roots: RootEntry[] }> {
    const roots = this.options.roots().map((r) => ({ uri: r.uri, ...(r.name !== undefined ? { name: r.name } : {}) }));
    this._record.rootsAsked++;
    this._record.roots = roots;
    this.changed();
    return Promise.resolve({ roots });
  }

  async elicit(params: unknown, ctx: AskContext): Promise<Record<string, unknown>> {
    const prompter = this.options.elicitation;
    if (!prompter) throw new AnswerError(AnswerErrorCode.methodNotFound, 'this client does not support elicitation', 'unsupported');
    const parsed = this.refuseCounted(() => parseElicitation(params));
    if (parsed.mode === 'url') {
      const completed = this.completion(parsed.elicitationId);
      return this.inTurn(ctx, 'Waiting for you to open a link', async () => {
        this._record.urlElicitations++;
        const action = await prompter.url({ ...parsed, origin: 'request', completed: completed.promise }, ctx);
        return { action };
      }).finally(completed.forget);
    }
    return this.inTurn(ctx, 'Waiting for your input', async () => {
      this._record.elicitations++;
      const answer = await prompter.form(parsed, ctx);
      return formResult(parsed, answer);
    });
  }

  async createMessage(params: unknown, ctx: AskContext): Promise<Record<string, unknown>> {
    const sampler = this.options.sampler;
    if (!sampler) throw new AnswerError(AnswerErrorCode.methodNotFound, 'this client does not support sampling', 'unsupported');
    const request = this.refuseCounted(() => parseSamplingRequest(params));
    const { server, memento } = { server: this.options.server, memento: this.options.memento };
    return this.inTurn(ctx, 'Waiting for you to review a language model request', async () => {
      let consent = rememberedSamplingConsent(memento, server.id);
      if (consent === undefined) {
        const asked = await sampler.consent(ctx);
        if (asked === 'always' || asked === 'never') await rememberSamplingConsent(memento, server.id, asked);
        consent = asked === 'once' ? 'always' : asked === undefined ? 'never' : asked;
      }
      if (consent === 'never') throw new AnswerError(AnswerErrorCode.refused, 'the user does not allow this server to use a language model', 'denied');
      const model = chooseModel(await sampler.models(), request.modelPreferences, this.options.samplingAllowList?.());
      if (!model) {
        throw new AnswerError(
          AnswerErrorCode.internal,
          'no language model is available to the client (none is installed, or none is on the allow-list for this server)',
          'noModel',
        );
      }
      this._record.samplings++;
      const result = await sampler.run(request, model, ctx);
      if (!result) throw new AnswerError(AnswerErrorCode.refused, 'the user declined the language model request', 'denied');
      return { ...result };
    });
  }

  /** `notifications/elicitation/complete`: the URL flow with this id finished. */
  notifyElicitationComplete(elicitationId: string): void {
    const done = this.completions.get(elicitationId);
    if (done) done();
    else this.options.log.debug(`elicitation/complete for an unknown id ignored`);
  }

  /**
   * A call failed with -32042 (URL elicitation required): offers each URL (bounded) and resolves true when the user
   * completed them all, so the caller retries the call once; false when the user declined or the data is unusable.
   */
  async resolveUrlRequired(data: unknown, ctx: AskContext): Promise<boolean> {
    const prompter = this.options.elicitation;
    const list = typeof data === 'object' && data !== null ? (data as { elicitations?: unknown }).elicitations : undefined;
    if (!prompter || !Array.isArray(list) || list.length === 0) return false;
    for (const e of list.slice(0, MAX_REQUIRED_URLS)) {
      let parsed;
      try {
        parsed = parseElicitation(typeof e === 'object' && e !== null ? { mode: 'url', ...e } : e);
      } catch (err) {
        this.options.log.warn(`URL elicitation in a -32042 error refused: ${err instanceof Error ? err.message : String(err)}`);
        return false;
      }
      if (parsed.mode !== 'url') return false;
      const completed = this.completion(parsed.elicitationId);
      const question: UrlQuestion = { ...parsed, origin: 'required', completed: completed.promise };
      let timer: NodeJS.Timeout | undefined;
      const timedOut = new Promise<'cancel'>((resolve) => (timer = setTimeout(() => resolve('cancel'), REQUIRED_URL_TIMEOUT_MS)));
      try {
        const action = await this.inTurn(ctx, 'Waiting for you to complete a step in the browser', async () => {
          this._record.urlElicitations++;
          return Promise.race([prompter.url(question, ctx), timedOut]);
        });
        if (action !== 'accept') return false;
      } finally {
        clearTimeout(timer);
        completed.forget();
      }
    }
    return true;
  }

  private completion(id: string): { promise: Promise<void>; forget: () => void } {
    let resolve!: () => void;
    const promise = new Promise<void>((r) => (resolve = r));
    this.completions.set(id, resolve);
    return { promise, forget: () => void (this.completions.get(id) === resolve && this.completions.delete(id)) };
  }

  private refuseCounted<T>(fn: () => T): T {
    try {
      return fn();
    } catch (e) {
      this._record.refused++;
      this.changed();
      throw e;
    }
  }

  /**
   * Runs `ask` when no other question of this server is open (bounded queue), tells the outer call that input is
   * awaited, and withdraws (rejects) when ctx.signal aborts, while waiting or while open.
   */
  private async inTurn<T>(ctx: AskContext, awaiting: string, ask: () => Promise<T>): Promise<T> {
    const max = this.options.maxQueued ?? DEFAULT_MAX_QUEUED_ASKS;
    // Admitted = the open question and those waiting behind it.
    if (this.admitted >= max + 1) {
      this._record.refused++;
      this.changed();
      throw new AnswerError(AnswerErrorCode.refused, `too many requests for user input at once (at most ${max} wait behind the open one)`, 'flood');
    }
    this.admitted++;
    const before = this.tail;
    let release!: () => void;
    this.tail = new Promise<void>((r) => (release = r));
    try {
      await unlessAborted(before, ctx.signal);
    } catch (e) {
      this.admitted--;
      // Our turn passes on once the one before us is done: the chain stays in order.
      void before.then(release);
      throw e;
    }
    ctx.awaitingInput(awaiting);
    try {
      const result = await unlessAborted(ask(), ctx.signal);
      this.changed();
      return result;
    } finally {
      this.admitted--;
      ctx.awaitingInput(undefined);
      release();
    }
  }

  dispose(): void {
    this._onDidAsk.dispose();
    this.completions.clear();
  }
}

export { checkOpenableUrl };
