/**
 * The tasks extension (`io.modelcontextprotocol/tasks`, SEP-2663) on the client side: a `tools/call` answered with
 * `resultType: "task"` is driven to its end by polling `tasks/get` (at the server's `pollIntervalMs`, within bounds),
 * answering `input_required` through `tasks/update`, and cancelled with `tasks/cancel`. The caller sees one call:
 * each poll is reported as progress (the status message shows, and the call's timeout restarts as for progress;
 * the call's hard cap still ends it), the completed task's result is the call's result. The task id names the work
 * at the server, not our connection: a poll that cannot reach the server (a remote server restarting) is tried again
 * with backoff, so a server that keeps its tasks across a restart finishes the call (MAX_UNREACHABLE_POLLS bounds it).
 */
import { RpcError, ServerRequestError, errorMessage } from '../protocol/errors';
import { MAX_INPUT_REQUESTS, type InputRequest } from '../protocol/modern';
import type { ProgressParams } from '../protocol/sdk';
import { TRANSPORT_REASON_KEY, transportErrorCode } from '../transport/errors';

/** The extension's identifier (capabilities `extensions` key). */
export const TASKS_EXTENSION = 'io.modelcontextprotocol/tasks';

/** Bounds on the server's `pollIntervalMs`: not busier than this, not sleepier than that. */
export const MIN_POLL_MS = 50;
export const MAX_POLL_MS = 5000;
const DEFAULT_POLL_MS = 1000;
/** Polls in a row that may fail to reach the server (backoff from 100 ms to MAX_POLL_MS: about 40 s) before the call fails. */
export const MAX_UNREACHABLE_POLLS = 12;
/** Transport failures that a restarting or briefly unreachable server causes; anything else ends the call at once. */
const UNREACHABLE: ReadonlySet<string> = new Set(['refused', 'network', 'serverError', 'streamEnded']);

/** Whether `e` says the server could not be reached (a rejected send, or the error answer a remote transport made up). */
function unreachable(e: unknown): boolean {
  const code = transportErrorCode(e) ?? (e instanceof RpcError && isObject(e.data) ? e.data[TRANSPORT_REASON_KEY] : undefined);
  return typeof code === 'string' && UNREACHABLE.has(code);
}

export interface TaskHost {
  /** A request of our own on the same session (tasks/get, tasks/update, tasks/cancel). */
  request(method: string, params: Record<string, unknown>): Promise<Record<string, unknown>>;
  answer(input: InputRequest): Promise<Record<string, unknown>>;
  progress(p: ProgressParams): void;
  /** The task ended: its result, or the error the call fails with. */
  settle(result: Record<string, unknown> | undefined, error: unknown): void;
  debug(message: string): void;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function plain(s: unknown, max: number): string | undefined {
  return typeof s === 'string' ? s.replace(/[\u0000-\u001f\u007f-\u009f]/g, ' ').slice(0, max) : undefined;
}

/** Drives one task; `cancel()` asks the server to stop it (the call has already been failed by its owner). */
export class TaskPoller {
  private timer: NodeJS.Timeout | undefined;
  private ended = false;
  private polls = 0;
  /** Polls in a row that could not reach the server. */
  private unreachablePolls = 0;
  /** inputRequests keys answered already (never answered twice). */
  private readonly answered = new Set<string>();

  constructor(
    readonly taskId: string,
    private readonly host: TaskHost,
  ) {}

  /** Starts from the CreateTaskResult (its status is the seed state). */
  start(created: Record<string, unknown>): void {
    this.host.debug(`tools/call became task ${this.taskId.slice(0, 80)}`);
    this.onState(created);
  }

  cancel(): void {
    if (this.ended) return;
    this.ended = true;
    clearTimeout(this.timer);
    this.host.request('tasks/cancel', { taskId: this.taskId }).catch((e: unknown) => this.host.debug(`tasks/cancel failed: ${errorMessage(e)}`));
  }

  private end(result: Record<string, unknown> | undefined, error: unknown): void {
    if (this.ended) return;
    this.ended = true;
    clearTimeout(this.timer);
    this.host.settle(result, error);
  }

  private schedule(state: Record<string, unknown>): void {
    const asked = typeof state.pollIntervalMs === 'number' && Number.isFinite(state.pollIntervalMs) ? state.pollIntervalMs : DEFAULT_POLL_MS;
    this.timer = setTimeout(() => void this.poll(), Math.min(MAX_POLL_MS, Math.max(MIN_POLL_MS, asked)));
  }

  private async poll(): Promise<void> {
    if (this.ended) return;
    try {
      const state = await this.host.request('tasks/get', { taskId: this.taskId });
      this.unreachablePolls = 0;
      if (!this.ended) this.onState(state);
    } catch (e) {
      if (this.ended) return;
      if (!unreachable(e) || ++this.unreachablePolls > MAX_UNREACHABLE_POLLS) {
        this.end(undefined, e);
        return;
      }
      this.host.debug(`tasks/get of ${this.taskId.slice(0, 80)} could not reach the server (${errorMessage(e).slice(0, 200)}); polling again`);
      this.timer = setTimeout(() => void this.poll(), Math.min(MAX_POLL_MS, MIN_POLL_MS * 2 ** this.unreachablePolls));
    }
  }

  private onState(state: Record<string, unknown>): void {
    const status = state.status;
    const message = plain(state.statusMessage, 300);
    switch (status) {
      case 'completed':
        if (isObject(state.result)) this.end(state.result, undefined);
        else this.end(undefined, new RpcError(-32603, `task ${this.taskId.slice(0, 80)} completed without a result`, { invalidAnswer: true }));
        return;
      case 'failed': {
        const e = isObject(state.error) ? state.error : {};
        this.end(undefined, new RpcError(typeof e.code === 'number' ? e.code : -32603, plain(e.message, 500) ?? message ?? 'the task failed', e.data));
        return;
      }
      case 'cancelled':
        this.end(undefined, new ServerRequestError(`the server cancelled the task${message ? `: ${message}` : ''}`, 'cancelled'));
        return;
      case 'working':
      case 'input_required':
        this.polls++;
        this.host.progress({ progress: this.polls, ...(message ? { message } : {}) });
        if (status === 'input_required') void this.answerInputs(state);
        else this.schedule(state);
        return;
      default:
        this.end(undefined, new RpcError(-32603, `task ${this.taskId.slice(0, 80)} has an unknown status`, { invalidAnswer: true }));
    }
  }

  private async answerInputs(state: Record<string, unknown>): Promise<void> {
    const raw = isObject(state.inputRequests) ? Object.entries(state.inputRequests).slice(0, MAX_INPUT_REQUESTS) : [];
    const responses: Record<string, unknown> = {};
    try {
      for (const [key, entry] of raw) {
        if (this.answered.has(key) || !isObject(entry) || typeof entry.method !== 'string') continue;
        responses[key] = await this.host.answer({ key, method: entry.method, params: isObject(entry.params) ? entry.params : {} });
        this.answered.add(key);
        if (this.ended) return;
      }
      if (Object.keys(responses).length) await this.host.request('tasks/update', { taskId: this.taskId, inputResponses: responses });
    } catch (e) {
      // The call fails; the task is abandoned at the server too.
      const error = e;
      this.cancel();
      this.host.settle(undefined, error);
      return;
    }
    if (!this.ended) this.schedule(state);
  }
}
