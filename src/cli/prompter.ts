/**
 * `${input:ID}` values for the CLI: `--input ID=VALUE`, then the environment (`MCP_HOST_INPUT_ID`), then a prompt
 * on the terminal when one is attached (password inputs read without echo). Values are never printed. Without a
 * terminal and without a value the input is recorded as missing, so the CLI can say how to pass it.
 */
import * as readline from 'node:readline';
import { sanitizeLabel } from '../core/base/sanitize';
import type { InputDefinition, InputPrompter } from '../core/config/types';
import { inputEnvName } from './errors';

/** The terminal the prompter reads from (process.stdin/stderr; a pseudo-terminal in tests). */
export interface PromptTerminal {
  readonly input: NodeJS.ReadStream;
  readonly output: NodeJS.WriteStream;
}

export class CliPrompter implements InputPrompter {
  /** Inputs asked for that had no value and no terminal to ask on (the first one). */
  missing: string | undefined;

  constructor(
    private readonly given: ReadonlyMap<string, string>,
    private readonly env: NodeJS.ProcessEnv,
    private readonly terminal: PromptTerminal | undefined,
    /** Called when the user presses Ctrl+C at a password prompt (raw mode swallows the signal). */
    private readonly onInterrupt: () => void,
  ) {}

  async prompt(input: InputDefinition, serverName: string): Promise<string | undefined> {
    const given = this.given.get(input.id) ?? this.env[inputEnvName(input.id)];
    if (given !== undefined) return given;
    const t = this.terminal;
    if (!t || !t.input.isTTY || !t.output.isTTY) {
      this.missing ??= input.id;
      return undefined;
    }
    // The description comes from a configuration file, possibly a workspace's: one inert line.
    const what = sanitizeLabel(input.description ?? input.id, 200);
    const server = sanitizeLabel(serverName, 80);
    if (input.type === 'pickString') return this.pick(t, input, what, server);
    const def = input.default !== undefined && input.password !== true ? ` [${sanitizeLabel(input.default, 80)}]` : '';
    const question = `${server}: ${what}${def}: `;
    const answer = input.password === true ? await readHidden(t, question, this.onInterrupt) : await readVisible(t, question, this.onInterrupt);
    if (answer === undefined) return undefined;
    return answer === '' && input.default !== undefined ? input.default : answer;
  }

  private async pick(t: PromptTerminal, input: Extract<InputDefinition, { type: 'pickString' }>, what: string, server: string): Promise<string | undefined> {
    const options = input.options.slice(0, 100);
    t.output.write(`${server}: ${what}\n${options.map((o, i) => `  ${i + 1}) ${sanitizeLabel(o, 120)}`).join('\n')}\n`);
    for (let attempt = 0; attempt < 3; attempt++) {
      const answer = await readVisible(t, `choose 1-${options.length}${input.default !== undefined ? ` [${sanitizeLabel(input.default, 80)}]` : ''}: `, this.onInterrupt);
      if (answer === undefined) return undefined;
      if (answer === '' && input.default !== undefined) return input.default;
      const n = Number(answer);
      if (Number.isInteger(n) && n >= 1 && n <= options.length) return options[n - 1];
      if (options.includes(answer)) return answer;
    }
    return undefined;
  }
}

/** Reads one line with echo; undefined on Ctrl+D, or when `signal` aborts (the question was withdrawn). */
export function readVisible(t: PromptTerminal, question: string, onInterrupt: () => void, signal?: AbortSignal): Promise<string | undefined> {
  return new Promise((resolve) => {
    const rl = readline.createInterface({ input: t.input, output: t.output, terminal: true });
    let answered = false;
    const onAbort = (): void => {
      t.output.write('\n(withdrawn by the server)\n');
      rl.close();
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    // readline takes Ctrl+C itself (the process gets no SIGINT): cancel, then interrupt like the signal would.
    rl.on('SIGINT', () => {
      rl.close();
      onInterrupt();
    });
    rl.question(question, (a) => {
      answered = true;
      rl.close();
      resolve(a);
    });
    rl.on('close', () => {
      signal?.removeEventListener('abort', onAbort);
      t.input.pause();
      if (!answered) resolve(undefined);
    });
  });
}

/** Reads one line in raw mode, echoing nothing; Ctrl+C interrupts, Ctrl+D on an empty line cancels. */
function readHidden(t: PromptTerminal, question: string, onInterrupt: () => void): Promise<string | undefined> {
  return new Promise((resolve) => {
    const { input, output } = t;
    output.write(question);
    let value = '';
    const wasRaw = input.isRaw;
    input.setRawMode(true);
    input.setEncoding('utf8');
    input.resume();
    const finish = (result: string | undefined): void => {
      input.off('data', onData);
      input.setRawMode(wasRaw);
      input.pause();
      output.write('\n');
      resolve(result);
    };
    const onData = (chunk: string): void => {
      for (const ch of chunk) {
        if (ch === '\r' || ch === '\n') return finish(value);
        if (ch === '\u0003') {
          finish(undefined);
          return onInterrupt();
        }
        if (ch === '\u0004') {
          if (value === '') return finish(undefined);
          continue;
        }
        if (ch === '\u007f' || ch === '\b') value = value.slice(0, -1);
        else if (ch >= ' ') value += ch;
        // A long paste is bounded like any other input.
        if (value.length > 64 * 1024) return finish(value);
      }
    };
    input.on('data', onData);
  });
}
