/**
 * Answers to servers' elicitation requests on the command line. In `mcp-host conformance` mode a form is accepted
 * with nothing entered: the engine fills every field the user left with the schema's `default` (SEP-1034,
 * core/session/asks/elicitation.ts `formResult`), which is what the suite checks. On a terminal the form is asked
 * field by field (./formPrompt.ts); without one the CLI declines and says so on stderr, so the server can carry on.
 */
import type { AskContext, ElicitAction, ElicitationPrompter, FormAnswer, FormQuestion, UrlQuestion } from '../core/session/asks/types';
import { sanitizeHost, sanitizeLabel } from '../core/base/sanitize';
import type { CliSignInMode } from './auth';
import { askFormOnTerminal } from './formPrompt';
import type { PromptTerminal } from './prompter';
import type { Progress, TextSink } from './terminal';

export class CliElicitation implements ElicitationPrompter {
  constructor(
    private readonly mode: CliSignInMode,
    private readonly stderr: TextSink,
    /** A terminal to ask on (stdin and stderr both terminals), with the run's status line and Ctrl+C. */
    private readonly tty?: { readonly terminal: PromptTerminal; readonly progress: Progress; readonly onInterrupt: () => void },
  ) {}

  /** One form at a time on the terminal: a second question waits for the first to be answered. */
  private queue: Promise<unknown> = Promise.resolve();

  form(question: FormQuestion, ctx: AskContext): Promise<FormAnswer> {
    if (this.mode === 'conformance') return Promise.resolve({ action: 'accept', content: {} });
    const tty = this.tty;
    if (!tty) {
      this.stderr.write(`mcp-host: server "${sanitizeLabel(ctx.server.name, 80)}" asked for input (elicitation): declined, there is no terminal to ask on\n`);
      return Promise.resolve({ action: 'decline' });
    }
    const answer = this.queue.then(() => {
      if (ctx.signal.aborted) return { action: 'cancel' } as const;
      tty.progress.clear();
      ctx.awaitingInput('the form on the terminal');
      return askFormOnTerminal(tty.terminal, question, ctx.server.name, ctx.signal, tty.onInterrupt).finally(() => ctx.awaitingInput(undefined));
    });
    this.queue = answer.catch(() => undefined);
    return answer;
  }

  url(question: UrlQuestion, ctx: AskContext): Promise<ElicitAction> {
    // Opening a server-chosen URL needs a person's consent: never automatic, not even for the suite.
    this.stderr.write(`mcp-host: server "${sanitizeLabel(ctx.server.name, 80)}" asked to open a page on ${sanitizeHost(question.domain, 120)}: declined, the command line does not open server URLs\n`);
    return Promise.resolve('decline');
  }
}
