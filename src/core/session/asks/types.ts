/**
 * Answers to what servers ask of the client (`roots/list`, `elicitation/create`, `sampling/createMessage`), as a
 * core interface independent of how the question arrived: a server-to-client request of the 2025-11-25 era, or an
 * `inputRequests` entry of a 2026-07-28 `input_required` result. Both eras call `ServerRequestHandlers`; the editor
 * (or a terminal) implements the user-facing half (`ElicitationPrompter`, `Sampler`) and the core keeps the policy:
 * validation, one open question per server, withdrawal when the outer call ends, URL checks, consent memory.
 */

/** The JSON-RPC error codes the client answers with (never matched by message text). */
export const AnswerErrorCode = {
  /** The method is not one the client implements. */
  methodNotFound: -32601,
  /** The params are malformed (an invalid requestedSchema, a URL that is not https, no messages, ...). */
  invalidParams: -32602,
  /** Something failed on the client's side (no language model available, the model failed). */
  internal: -32603,
  /** The user (or a policy) refused: sampling denied, elicitation flood. Matches the SDK examples' -1. */
  refused: -1,
  /** URL elicitation required (2025-11-25): what a server answers a call with; listed here for the retry. */
  urlElicitationRequired: -32042,
} as const;

/** Why a request was refused, for callers and tests (the message is for people). */
export type AnswerErrorReason =
  | 'methodNotFound'
  | 'invalidParams'
  | 'noOuterCall'
  | 'withdrawn'
  | 'flood'
  | 'denied'
  | 'unsupported'
  | 'noModel'
  | 'modelFailed';

/** An error answer to a server's request: `code` goes on the wire, `reason` is for the client's own callers. */
export class AnswerError extends Error {
  override readonly name = 'AnswerError';
  constructor(
    readonly code: number,
    message: string,
    readonly reason: AnswerErrorReason,
    readonly data?: unknown,
  ) {
    super(message);
  }
}

/** The server that asks, as the handlers need it (names are untrusted only in the sense that users chose them). */
export interface AskingServer {
  readonly id: string;
  readonly name: string;
}

/**
 * One question in flight. `signal` aborts when the question is withdrawn: the outer call ended, timed out or was
 * cancelled, the server cancelled its request, or the connection closed. Implementations close their prompt then.
 */
export interface AskContext {
  readonly server: AskingServer;
  readonly signal: AbortSignal;
  /** Tells the outer call's progress that the user is being asked (`undefined`: no longer). */
  awaitingInput(what: string | undefined): void;
}

/** One field type of an elicitation form (the restricted schema of the spec: flat, primitive properties). */
export type ElicitationFieldType = 'string' | 'number' | 'integer' | 'boolean' | 'enum' | 'multiEnum';

/** A form question, validated: `schema` is the server's requestedSchema (flat object of primitive properties). */
export interface FormQuestion {
  readonly mode: 'form';
  /** The server's message (untrusted: sanitise before showing). */
  readonly message: string;
  readonly schema: Readonly<Record<string, unknown>>;
}

/** A URL question (2025-11-25), validated: `url` is https (or http to a loopback host). */
export interface UrlQuestion {
  readonly mode: 'url';
  /** The server's reason (untrusted). */
  readonly message: string;
  readonly url: string;
  /** The host name to show (the user decides on it, not on the message). */
  readonly domain: string;
  readonly elicitationId: string;
  /**
   * 'request': an `elicitation/create` the server awaits. 'required': from a -32042 error; the call is retried
   * after the user says it is done (or the server notifies completion).
   */
  readonly origin: 'request' | 'required';
  /** Resolves when the server sent `notifications/elicitation/complete` for this id. */
  readonly completed: Promise<void>;
}

/** The three actions of the protocol. */
export type ElicitAction = 'accept' | 'decline' | 'cancel';

export type FormAnswer = { readonly action: 'accept'; readonly content: Record<string, unknown> } | { readonly action: 'decline' | 'cancel' };

/** The user-facing half of elicitation (the editor: quick input and dialogs; a terminal: prompts). */
export interface ElicitationPrompter {
  /** Asks the form; resolves with the action (and the values entered on accept). Closes when ctx.signal aborts. */
  form(question: FormQuestion, ctx: AskContext): Promise<FormAnswer>;
  /**
   * Shows the domain and reason and opens the URL only with the user's consent. 'accept': the user opened it
   * (for origin 'required': and says the flow is done, or it completed). Closes when ctx.signal aborts.
   */
  url(question: UrlQuestion, ctx: AskContext): Promise<ElicitAction>;
}

/** A sampling request, validated (messages and content blocks as the server sent them). */
export interface SamplingRequest {
  readonly messages: readonly SamplingMessage[];
  readonly systemPrompt?: string;
  readonly maxTokens: number;
  readonly temperature?: number;
  readonly stopSequences?: readonly string[];
  readonly modelPreferences?: ModelPreferences;
  /** Tools the model may call (2025-11-25), passed through where the model supports tools. */
  readonly tools?: readonly SamplingTool[];
  readonly toolChoice?: { readonly mode?: 'auto' | 'required' | 'none' };
}

export interface SamplingMessage {
  readonly role: 'user' | 'assistant';
  /** One block or several (2025-11-25 allows an array): text, image, audio, tool_use, tool_result. */
  readonly content: readonly Record<string, unknown>[];
}

export interface SamplingTool {
  readonly name: string;
  readonly description?: string;
  readonly inputSchema: Readonly<Record<string, unknown>>;
}

export interface ModelPreferences {
  readonly hints?: readonly { readonly name?: string }[];
  readonly costPriority?: number;
  readonly speedPriority?: number;
  readonly intelligencePriority?: number;
}

/** A model the editor offers. */
export interface ModelInfo {
  readonly id: string;
  readonly name: string;
  readonly vendor: string;
  readonly family: string;
  readonly maxInputTokens?: number;
}

/** The answer of a sampling request (what goes back to the server). */
export interface SamplingResult {
  readonly role: 'assistant';
  readonly content: Record<string, unknown> | readonly Record<string, unknown>[];
  readonly model: string;
  readonly stopReason?: 'endTurn' | 'stopSequence' | 'maxTokens' | 'toolUse' | string;
}

/** Whether a server may sample: asked once per server definition, remembered for 'always' and 'never'. */
export type SamplingConsent = 'once' | 'always' | 'never';

/** The user-facing half of sampling (the editor: vscode.lm and dialogs). */
export interface Sampler {
  /** Models available now (may be empty). */
  models(): Promise<readonly ModelInfo[]>;
  /** Whether tools can be passed to this model (the engine's API has them). */
  readonly supportsTools: boolean;
  /** First request of a server: allow once, always, never; undefined = dismissed (treated as a refusal). */
  consent(ctx: AskContext): Promise<SamplingConsent | undefined>;
  /**
   * Shows the messages (editable) and the chosen model, sends them, shows the answer (editable) and returns it.
   * undefined: the user refused at one of the steps. Cancels the model request when ctx.signal aborts.
   */
  run(request: SamplingRequest, model: ModelInfo, ctx: AskContext): Promise<SamplingResult | undefined>;
}

/** A root as given to a server. */
export interface RootEntry {
  readonly uri: string;
  readonly name?: string;
}

/**
 * What the client answers, whatever the era: each takes the request's params (untrusted JSON) and resolves with the
 * result, or rejects with an AnswerError. `capabilities` is exactly what these implement (declared in `initialize`,
 * or sent as `clientCapabilities` in the 2026-07-28 era).
 */
export interface ServerRequestHandlers {
  readonly capabilities: Readonly<Record<string, unknown>>;
  listRoots(params: unknown, ctx: AskContext): Promise<{ roots: RootEntry[] }>;
  elicit(params: unknown, ctx: AskContext): Promise<Record<string, unknown>>;
  createMessage(params: unknown, ctx: AskContext): Promise<Record<string, unknown>>;
}

/** What servers asked so far (counts and the last roots given): for the tree tooltip. */
export interface AskRecord {
  roots?: readonly RootEntry[];
  rootsAsked: number;
  elicitations: number;
  urlElicitations: number;
  samplings: number;
  refused: number;
}
