/** The answers of one server to what it asks (session/asks), built from its definition and the host's services. */
import { resolveRoots } from '../config/roots';
import type { ServerDefinition } from '../config/types';
import type { Logger } from '../base/logger';
import { ClientAnswers } from '../session/asks/handlers';
import type { ServerDeps } from './deps';

/**
 * Roots come from the current definition (its `roots` override, else the workspace folders; entries that cannot be
 * resolved are logged once per change); elicitation and sampling from the host's `asks`, when it has them.
 */
export function serverAnswers(definition: () => ServerDefinition, deps: ServerDeps, log: Logger): ClientAnswers {
  const def = definition();
  const asks = deps.asks;
  let lastProblems = '';
  return new ClientAnswers({
    server: { id: def.id, name: def.name },
    roots: () => {
      const r = resolveRoots(definition(), { userHome: deps.userHome, workspaceFolders: deps.workspaceFolders() });
      const problems = r.problems.join('\n');
      if (problems && problems !== lastProblems) log.warn(problems);
      lastProblems = problems;
      return r.roots;
    },
    ...(asks?.elicitation ? { elicitation: asks.elicitation } : {}),
    ...(asks?.sampler ? { sampler: asks.sampler } : {}),
    memento: deps.memento,
    samplingAllowList: () => asks?.samplingAllowList?.(definition().name),
    log,
  });
}
