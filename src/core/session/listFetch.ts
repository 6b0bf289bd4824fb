/**
 * One refresh of a server's lists: the kinds asked for that the server offers (capabilities), every page,
 * leniently (invalid entries and failures become warnings, tools without a description are noted).
 */
import type { McpConnection, RequestDefaults } from './connection';
import { ItemWarnings, listAll, type ListKind, type ListResult } from './paging';
import { sdk } from '../protocol/loadSdk';
import type { Prompt, Resource, ResourceTemplate, Tool } from '../protocol/sdk';
import type { CacheHint } from '../protocol/modern';
import { invalidMcpHeader } from '../protocol/headerHints';

export const allKinds: readonly ListKind[] = ['tools', 'resources', 'prompts'];

export interface FetchedLists {
  /** New lists; a kind left out keeps its last list (not asked for, or its listing failed before any item). */
  readonly next: { tools?: Tool[]; resources?: Resource[]; resourceTemplates?: ResourceTemplate[]; prompts?: Prompt[] };
  /** The warnings of each kind asked for (replacing that kind's previous warnings). */
  readonly warnings: ReadonlyMap<ListKind, readonly string[]>;
  /** The caching hints of the kinds listed successfully that carried one (modern servers). */
  readonly hints: ReadonlyMap<ListKind, CacheHint>;
}

/** The shorter-lived of two hints (a kind made of two lists: resources and templates). */
function combine(a: CacheHint | undefined, b: CacheHint | undefined): CacheHint | undefined {
  if (!a || !b) return a ?? b;
  return { ttlMs: Math.min(a.ttlMs, b.ttlMs), cacheScope: a.cacheScope === 'private' || b.cacheScope === 'private' ? 'private' : 'public' };
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
  const hints = new Map<ListKind, CacheHint>();
  const noteHint = (kind: ListKind, h: CacheHint | undefined) => {
    if (h) hints.set(kind, h);
  };
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
        if (!a.failed && !b.failed) noteHint('resources', combine(a.cacheHint, b.cacheHint));
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
        if (!r.failed) noteHint('prompts', r.cacheHint);
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
        const leftOut = new ItemWarnings();
        // Over HTTP (modern era) a tool whose x-mcp-header annotations are invalid must be left out (streamable-http).
        if (conn.sendsHeaders && conn.info.era === 'modern') {
          const kept = r.items.filter((t) => {
            const why = invalidMcpHeader(t.inputSchema);
            if (why) leftOut.add(`tool "${t.name}" left out: ${why} (it cannot be called over HTTP)`);
            return !why;
          });
          r.items.splice(0, r.items.length, ...kept);
        }
        const missing = new ItemWarnings();
        for (const t of r.items) if (!t.description?.trim()) missing.add(`tool "${t.name}" has no description`);
        warnings.set('tools', [
          ...r.warnings,
          ...leftOut.list((n) => `tools/list: ${n} more tools left out for invalid x-mcp-header annotations`),
          ...missing.list((n) => `tools/list: ${n} more tools have no description`),
        ]);
        if (!keepOnFailure(r)) next.tools = r.items;
        if (!r.failed) noteHint('tools', r.cacheHint);
      })(),
    );
  }
  await Promise.all(jobs);
  return { next, warnings, hints };
}
