/**
 * Answers to servers' elicitation requests on the command line. In `mcp-host conformance` mode a form is accepted
 * with nothing entered: the engine fills every field the user left with the schema's `default` (SEP-1034,
 * core/session/asks/elicitation.ts `formResult`), which is what the suite checks. Elsewhere the CLI has no form
 * prompt yet: it declines and says so on stderr, so the server can carry on without the answer.
 */
import type { AskContext, ElicitAction, ElicitationPrompter, FormAnswer, FormQuestion, UrlQuestion } from '../core/session/asks/types';
import { sanitizeLabel } from '../core/base/sanitize';
import type { CliSignInMode } from './auth';
import type { TextSink } from './terminal';

export class CliElicitation implements ElicitationPrompter {
  constructor(
    private readonly mode: CliSignInMode,
    private readonly stderr: TextSink,
  ) {}

  form(_question: FormQuestion, ctx: AskContext): Promise<FormAnswer> {
    if (this.mode === 'conformance') return Promise.resolve({ action: 'accept', content: {} });
    this.stderr.write(`mcp-host: server "${sanitizeLabel(ctx.server.name, 80)}" asked for input (elicitation): declined, the command line cannot show forms yet\n`);
    return Promise.resolve({ action: 'decline' });
  }

  url(question: UrlQuestion, ctx: AskContext): Promise<ElicitAction> {
    // Opening a server-chosen URL needs a person's consent: never automatic, not even for the suite.
    this.stderr.write(`mcp-host: server "${sanitizeLabel(ctx.server.name, 80)}" asked to open a page on ${sanitizeLabel(question.domain, 120)}: declined, the command line does not open server URLs\n`);
    return Promise.resolve('decline');
  }
}
