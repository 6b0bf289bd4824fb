/**
 * Paginated listing: follows `nextCursor` to the end, with a cap against servers whose cursors cycle or never
 * end, and item-by-item validation (an invalid entry is a warning, not a failed list).
 */
import { errorMessage } from '../protocol/errors';
import { cacheHintOf, type CacheHint } from '../protocol/modern';

export type ListKind = 'tools' | 'resources' | 'prompts';

export interface ListResult<T> {
  readonly items: T[];
  readonly warnings: string[];
  /** The listing failed (request error); `items` holds what was read before. */
  readonly failed: boolean;
  readonly pages: number;
  /**
   * The caching hint of the whole list (modern servers): the shortest `ttlMs` of its pages, private if any page is.
   * Undefined when no page carried one (legacy servers): the list is then kept current by notifications only.
   */
  readonly cacheHint?: CacheHint;
}

/** How many warnings about single items a listing keeps; the rest are counted in one summary line. */
export const MAX_ITEM_WARNINGS = 100;

/**
 * Warnings about single items (a missing description, a lenient fix) for one listing: the first
 * `MAX_ITEM_WARNINGS` verbatim, then only a count. 40,000 tools must not make 40,000 warnings that every later
 * step (logging, the tree's per-item index) walks again.
 */
export class ItemWarnings {
  private readonly kept: string[] = [];
  private dropped = 0;

  add(warning: string): void {
    if (this.kept.length < MAX_ITEM_WARNINGS) this.kept.push(warning);
    else this.dropped++;
  }

  /** The kept warnings, then `summary(n)` when n more were dropped. */
  list(summary: (dropped: number) => string): string[] {
    return this.dropped > 0 ? [...this.kept, summary(this.dropped)] : [...this.kept];
  }
}

type Checked<T> = { readonly value: T; readonly problems: readonly string[] } | { readonly error: string };

/**
 * Lists every page of `method`. `key` is the array field of the result ('tools', 'resources', ...); `idOf`
 * de-duplicates (first one wins). Stops on a repeated cursor or after `maxPages`, with a warning.
 */
export async function listAll<T>(
  request: (method: string, params: Record<string, unknown> | undefined) => Promise<Record<string, unknown>>,
  method: string,
  key: string,
  check: (raw: unknown) => Checked<T>,
  idOf: (item: T) => string,
  maxPages: number,
): Promise<ListResult<T>> {
  const items: T[] = [];
  const warnings: string[] = [];
  const ids = new Set<string>();
  const seenCursors = new Set<string>();
  const itemWarnings = new ItemWarnings();
  let duplicates = 0;
  let invalid = 0;
  let cursor: string | undefined;
  let pages = 0;
  let failed = false;
  let hint: CacheHint | undefined;
  let pagesWithoutHint = 0;
  for (;;) {
    let page: Record<string, unknown>;
    try {
      page = await request(method, cursor === undefined ? undefined : { cursor });
    } catch (e) {
      warnings.push(`${method} failed${pages ? ` after ${pages} pages` : ''}: ${errorMessage(e)}`);
      failed = true;
      break;
    }
    pages++;
    const h = cacheHintOf(page);
    if (!h) pagesWithoutHint++;
    else hint = hint ? { ttlMs: Math.min(hint.ttlMs, h.ttlMs), cacheScope: hint.cacheScope === 'private' ? 'private' : h.cacheScope } : h;
    const entries = page[key];
    if (!Array.isArray(entries)) {
      warnings.push(`${method}: the answer has no "${key}" list`);
    } else {
      for (const raw of entries) {
        const c = check(raw);
        if ('error' in c) {
          if (invalid++ < 20) warnings.push(`${method}: ${c.error} (ignored)`);
          continue;
        }
        const id = idOf(c.value);
        if (ids.has(id)) {
          duplicates++;
          continue;
        }
        ids.add(id);
        items.push(c.value);
        for (const p of c.problems) itemWarnings.add(`${key.replace(/s$/, '')} "${id}" ${p}`);
      }
    }
    const next = page.nextCursor;
    if (typeof next !== 'string' || next === '') break;
    if (seenCursors.has(next)) {
      warnings.push(`${method}: the server repeated a cursor after ${pages} pages (a cycle); the list may be incomplete`);
      break;
    }
    if (pages >= maxPages) {
      warnings.push(`${method}: stopped after ${pages} pages (the server kept sending cursors); the list may be incomplete`);
      break;
    }
    seenCursors.add(next);
    cursor = next;
  }
  warnings.push(...itemWarnings.list((n) => `${method}: ${n} more warnings about single ${key}`));
  if (invalid > 20) warnings.push(`${method}: ${invalid - 20} more invalid entries ignored`);
  if (duplicates) warnings.push(`${method}: ${duplicates} duplicate entr${duplicates === 1 ? 'y' : 'ies'} ignored (same ${key === 'resources' ? 'uri' : 'name'})`);
  // A page without a hint counts as ttlMs 0 (server/utilities/caching: absent means immediately stale).
  if (hint && pagesWithoutHint) hint = { ...hint, ttlMs: 0 };
  return { items, warnings, failed, pages, ...(hint ? { cacheHint: hint } : {}) };
}
