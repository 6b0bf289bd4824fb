/**
 * One refresh of a server's lists: the kinds asked for that the server offers (capabilities), every page,
 * leniently (invalid entries and failures become warnings, tools without a description are noted).
 */
import type { McpConnection, RequestDefaults } from './connection';
import { ItemWarnings, listAll, type ListKind, type ListResult } from './paging';
import { sdk } from '../protocol/loadSdk';
import type { Prompt, Resource, ResourceTemplate, Tool } from '../protocol/sdk';

export const allKinds: readonly ListKind[] = ['tools', 'resources', 'prompts'];

export interface FetchedLists {
  /** New lists; a kind left out keeps its last list (not asked for, or its listing failed before any item). */
  readonly next: { tools?: Tool[]; resources?: Resource[]; resourceTemplates?: ResourceTemplate[]; prompts?: Prompt[] };
  /** The warnings of each kind asked for (replacing that kind's previous warnings). */
  readonly warnings: ReadonlyMap<ListKind, readonly string[]>;
}

export async function fetchLists(
  conn: McpConnection,
  kinds: readonly ListKind[],
  defaults: RequestDefaults,
  maxPages: number,
): Promise<FetchedLists> {
  const caps = conn.info.capabilities;
  const req = (method: string, params: Record<string, unknown> | undefined) => conn.request(method, params, undefined, defaults, false);
  const next: FetchedLists['next'] = {};
  const warnings = new Map<ListKind, readonly string[]>();
  const jobs: Promise<void>[] = [];
  const keepOnFailure = (r: ListResult<unknown>) => r.failed && !r.items.length;

  if (kinds.includes('resources')) {
    jobs.push(
      (async () => {
        if (!caps.resources) {
          next.resources = [];
          next.resourceTemplates = [];
          warnings.set('resources', []);
          return;
        }
        const [a, b] = await Promise.all([
          listAll(req, 'resources/list', 'resources', sdk().checkResource, (x) => x.uri, maxPages),
          listAll(req, 'resources/templates/list', 'resourceTemplates', sdk().checkResourceTemplate, (x) => x.uriTemplate, maxPages),
        ]);
        warnings.set('resources', [...a.warnings, ...b.warnings]);
        if (!keepOnFailure(a)) next.resources = a.items;
        if (!keepOnFailure(b)) next.resourceTemplates = b.items;
      })(),
    );
  }
  if (kinds.includes('prompts')) {
    jobs.push(
      (async () => {
        if (!caps.prompts) {
          next.prompts = [];
          warnings.set('prompts', []);
          return;
        }
        const r = await listAll(req, 'prompts/list', 'prompts', sdk().checkPrompt, (p) => p.name, maxPages);
        warnings.set('prompts', r.warnings);
        if (!keepOnFailure(r)) next.prompts = r.items;
      })(),
    );
  }
  // Tools last: requests go out in this order and a server answers them in order, so the small lists are not
  // held up behind a big tools/list answer (10,000 tools: several MB to serialize and send).
  if (kinds.includes('tools')) {
    jobs.push(
      (async () => {
        if (!caps.tools) {
          next.tools = [];
          warnings.set('tools', []);
          return;
        }
        const r = await listAll(req, 'tools/list', 'tools', sdk().checkTool, (t) => t.name, maxPages);
        const missing = new ItemWarnings();
        for (const t of r.items) if (!t.description?.trim()) missing.add(`tool "${t.name}" has no description`);
        warnings.set('tools', [...r.warnings, ...missing.list((n) => `tools/list: ${n} more tools have no description`)]);
        if (!keepOnFailure(r)) next.tools = r.items;
      })(),
    );
  }
  await Promise.all(jobs);
  return { next, warnings };
}
